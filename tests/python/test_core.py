"""Version, features, devices, the exception mapping and Context."""

import gc
import pathlib
import re

import pytest

import cogniforge
from cogniforge import raw


def test_version_matches_headers():
    assert cogniforge.__version__ == raw.CF_VERSION_STRING
    assert cogniforge.version() == raw.CF_VERSION_STRING
    assert cogniforge.version_number() == raw.CF_VERSION_NUMBER
    major, minor, patch = (int(p) for p in cogniforge.__version__.split("."))
    assert (major, minor, patch) == (raw.CF_VERSION_MAJOR, raw.CF_VERSION_MINOR, raw.CF_VERSION_PATCH)
    assert cogniforge.version_number() == major * 10000 + minor * 100 + patch


def test_version_matches_meson_project():
    meson_build = pathlib.Path(__file__).resolve().parents[2] / "meson.build"
    if not meson_build.exists():
        pytest.skip("not run from a source checkout")
    m = re.search(r"project\([^)]*?version:\s*'([^']+)'", meson_build.read_text(), re.S)
    assert m and cogniforge.__version__ == m.group(1)


def test_features():
    f = cogniforge.features()
    assert isinstance(f, cogniforge.Feature)
    assert f == raw.cf_features()
    assert f & cogniforge.FEATURE_THREADS  # always set
    assert f & cogniforge.FEATURE_GZIP
    assert int(cogniforge.FEATURE_CUDA) == raw.CF_FEATURE_CUDA
    assert len({int(b) for b in cogniforge.Feature}) == 4  # distinct bits


def test_cuda_device_count():
    n = cogniforge.cuda_device_count()
    assert isinstance(n, int) and n >= 0
    if not cogniforge.features() & cogniforge.FEATURE_CUDA:
        assert n == 0


def test_cuda_device_info():
    n = cogniforge.cuda_device_count()
    if not cogniforge.features() & cogniforge.FEATURE_CUDA:
        with pytest.raises(cogniforge.UnsupportedError):
            cogniforge.cuda_device_info(0)
        return
    with pytest.raises(cogniforge.NotFoundError):
        cogniforge.cuda_device_info(n)
    for i in range(n):
        info = cogniforge.cuda_device_info(i)
        assert info.ordinal == i and info.name and info.total_memory > 0 and info.multiprocessors > 0
        assert info.compute_capability >= (3, 0)


# ---- exceptions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, code, builtin", [
    (cogniforge.Error, raw.CF_ERROR, Exception),
    (cogniforge.InvalidArgumentError, raw.CF_EINVAL, ValueError),
    (cogniforge.OutOfMemoryError, raw.CF_ENOMEM, MemoryError),
    (cogniforge.InputOutputError, raw.CF_EIO, OSError),
    (cogniforge.FormatError, raw.CF_EFORMAT, ValueError),
    (cogniforge.NotFoundError, raw.CF_ENOTFOUND, FileNotFoundError),
    (cogniforge.UnsupportedError, raw.CF_EUNSUPPORTED, Exception),
    (cogniforge.VersionError, raw.CF_EVERSION, Exception),
])
def test_exception_classes(cls, code, builtin):
    assert issubclass(cls, cogniforge.Error) and issubclass(cls, builtin)
    assert cls.code == code
    e = cogniforge._errors.from_code(code, "boom")
    assert type(e) is cls and e.code == code and str(e) == "boom" and e.message == "boom"
    assert e.code_name == cogniforge.error_code_name(code)


def test_unknown_code_is_plain_error():
    e = cogniforge._errors.from_code(-99, "future")
    assert type(e) is cogniforge.Error and e.code == -99 and e.code_name == "CF_UNKNOWN"


def test_error_code_names():
    assert cogniforge.error_code_name(raw.CF_ENOTFOUND) == "CF_ENOTFOUND"
    assert cogniforge.error_code_name(0) == "CF_OK"


def test_raw_layer_raises_from_percent_exception():
    # straight from the SWIG wrapper, no Python layer in between
    with pytest.raises(cogniforge.InvalidArgumentError, match="threads: -1 is negative") as info:
        raw.cf_context_create({"threads": -1})
    assert info.value.code == raw.CF_EINVAL == -2


def test_missing_file_raises_not_found(tmp_path):
    missing = tmp_path / "no-such-file.csv"
    with pytest.raises(cogniforge.NotFoundError) as info:
        cogniforge.summarize_file(missing)
    assert info.value.code == -6
    assert str(missing) in str(info.value)
    assert isinstance(info.value, FileNotFoundError)


def test_errors_are_per_thread(tmp_path):
    # The message is read on the thread that failed, right after the call: concurrent failures must
    # each see their own.
    from concurrent.futures import ThreadPoolExecutor

    def fail(i):
        path = tmp_path / f"missing-{i}"
        for _ in range(50):
            try:
                cogniforge.summarize_file(path)
            except cogniforge.NotFoundError as e:
                if str(path) not in str(e):
                    return str(e)
        return None

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(fail, range(32))) == [None] * 32


# ---- Context ------------------------------------------------------------------------------------

def test_context_cpu():
    with cogniforge.Context(device="cpu", threads=3) as ctx:
        assert ctx.device == "cpu"
        assert ctx.threads == 3
        assert not ctx.closed
        assert "cpu" in repr(ctx)
    assert ctx.closed


def test_context_defaults():
    ctx = cogniforge.Context()
    try:
        assert ctx.device in ("cpu", "cuda")
        assert ctx.threads >= 1
        if cogniforge.cuda_device_count() == 0:
            assert ctx.device == "cpu"
    finally:
        ctx.close()


def test_context_close_is_idempotent():
    with cogniforge.Context(device="cpu") as ctx:
        pass
    ctx.close()  # after __exit__ closed it
    ctx.close()
    assert ctx.closed and "closed" in repr(ctx)
    with pytest.raises(ValueError, match="closed"):
        with ctx:  # like a closed file, it cannot be entered again
            pass
    with pytest.raises(ValueError, match="closed"):
        ctx.device
    with pytest.raises(ValueError, match="closed"):
        cogniforge.summarize_file(__file__, context=ctx)


def test_context_garbage_collected_without_close():
    for _ in range(100):
        cogniforge.Context(device="cpu")  # __del__ frees it
    gc.collect()


def test_context_cuda():
    usable = cogniforge.features() & cogniforge.FEATURE_CUDA and cogniforge.cuda_device_count() > 0
    if usable:
        with cogniforge.Context(device="cuda") as ctx:
            assert ctx.device == "cuda"
    else:
        with pytest.raises(cogniforge.UnsupportedError) as info:
            cogniforge.Context(device="cuda")
        assert info.value.code == raw.CF_EUNSUPPORTED == -7
        assert "cuda" in str(info.value)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"device": "tpu"}, cogniforge.InvalidArgumentError, "device must be one of"),
    ({"threads": -1}, cogniforge.InvalidArgumentError, "threads"),
    ({"device_index": -1}, cogniforge.InvalidArgumentError, "device_index"),
    ({"threads": "four"}, TypeError, ""),
    ({"threads": 2**40}, OverflowError, ""),
])
def test_context_bad_options(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cogniforge.Context(**kwargs)


def test_raw_context_options_are_checked():
    with pytest.raises(TypeError, match="unknown context option 'nope'"):
        raw.cf_context_create({"nope": 1})
    with pytest.raises(TypeError, match="dict or None"):
        raw.cf_context_create([("threads", 1)])
    handle = raw.cf_context_create(None)  # the library defaults
    raw.cf_context_free(handle)


def test_summarize_with_context(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"x\n")
    with cogniforge.Context(device="cpu") as ctx:
        assert cogniforge.summarize_file(p, context=ctx).lines == 1
    with pytest.raises(TypeError, match="cogniforge.Context"):
        cogniforge.summarize_file(p, context="cpu")


def test_cuda_backend_error_is_consistent():
    reason = cogniforge.cuda_backend_error()
    assert isinstance(reason, str)
    if not (cogniforge.features() & cogniforge.FEATURE_CUDA):
        assert "without CUDA" in reason
    if reason:
        assert cogniforge.cuda_device_count() == 0
