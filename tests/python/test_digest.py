"""cogniforge.sha256 over plain Python buffers (numpy ones are in test_numpy.py)."""

import array
import hashlib

import pytest

import cogniforge
from cogniforge import raw
from cogniforge._buffers import as_contiguous_bytes

DATA = bytes(range(256)) * 37


@pytest.mark.parametrize("make", [bytes, bytearray, memoryview, lambda b: memoryview(bytearray(b))],
                         ids=["bytes", "bytearray", "memoryview", "memoryview-rw"])
def test_sha256_matches_hashlib(make):
    assert cogniforge.sha256(make(DATA)) == hashlib.sha256(DATA).digest()


def test_sha256_empty_and_types():
    assert cogniforge.sha256(b"") == hashlib.sha256(b"").digest()
    a = array.array("i", range(1000))
    assert cogniforge.sha256(a) == hashlib.sha256(a).digest()
    assert cogniforge.SHA256_SIZE == 32
    assert isinstance(cogniforge.sha256(b"x"), bytes)


def test_contiguous_input_is_not_copied():
    for obj in (DATA, bytearray(DATA), memoryview(DATA)[10:20], array.array("d", [1.0, 2.0])):
        assert as_contiguous_bytes(obj) is obj
    # the raw wrapper has no copy path at all: it takes the buffer or refuses it
    out = bytearray(32)
    assert raw.cf_sha256(out, memoryview(DATA)[5:]) is None
    assert out == hashlib.sha256(DATA[5:]).digest()
    with pytest.raises(TypeError, match="C-contiguous"):
        raw.cf_sha256(out, memoryview(DATA)[::2])


def test_non_contiguous_input_is_copied_by_the_python_layer():
    view = memoryview(DATA)[::3]
    assert not view.c_contiguous
    assert cogniforge.sha256(view) == hashlib.sha256(DATA[::3]).digest()


def test_sha256_rejects_non_buffers():
    with pytest.raises(TypeError):
        cogniforge.sha256("text")
    with pytest.raises(TypeError):
        cogniforge.sha256(12)


def test_out_is_filled_in_place():
    out = bytearray(32)
    assert cogniforge.sha256(DATA, out=out) is out
    assert bytes(out) == hashlib.sha256(DATA).digest()


def test_out_view_writes_into_the_underlying_buffer():
    backing = bytearray(64)
    result = cogniforge.sha256(DATA, out=memoryview(backing)[16:48])
    assert isinstance(result, memoryview)
    assert backing[:16] == bytes(16) and backing[48:] == bytes(16)
    assert backing[16:48] == hashlib.sha256(DATA).digest()


def test_out_larger_than_digest_writes_first_32_bytes():
    out = bytearray(b"\xee" * 40)
    cogniforge.sha256(DATA, out=out)
    assert out[:32] == hashlib.sha256(DATA).digest() and out[32:] == b"\xee" * 8


@pytest.mark.parametrize("out", [bytes(32), memoryview(bytes(32))], ids=["bytes", "readonly-view"])
def test_read_only_out_is_rejected(out):
    with pytest.raises(TypeError, match=r"cf_sha256\(\): argument 'out' must be a writable"):
        cogniforge.sha256(DATA, out=out)


def test_short_out_is_an_invalid_argument():
    with pytest.raises(cogniforge.InvalidArgumentError, match="needs 32") as info:
        cogniforge.sha256(DATA, out=bytearray(31))
    assert info.value.code == raw.CF_EINVAL


def test_bytearray_stays_exported_during_the_call():
    # the typemap holds the buffer until the wrapper returns; afterwards it must be released again
    buf = bytearray(DATA)
    cogniforge.sha256(buf)
    buf.extend(b"more")  # BufferError if an export leaked
    out = bytearray(32)
    cogniforge.sha256(buf, out=out)
    out.append(0)
