"""numpy arrays through the buffer typemaps: zero-copy when the layout fits, a copy in Python otherwise."""

import hashlib

import pytest

import cogniforge
from cogniforge import raw
from cogniforge._buffers import as_array, as_contiguous_bytes

np = pytest.importorskip("numpy")

DTYPES = ["uint8", "int16", "int32", "int64", "float32", "float64", "complex128", "bool"]


def sample(dtype, shape=(64, 33)):
    return (np.arange(np.prod(shape)) % 251).astype(dtype).reshape(shape)


@pytest.mark.parametrize("dtype", DTYPES)
def test_contiguous_arrays_hash_in_place(dtype):
    a = sample(dtype)
    assert a.flags.c_contiguous
    assert as_contiguous_bytes(a) is a  # passed through, not copied
    assert cogniforge.sha256(a) == hashlib.sha256(a.tobytes()).digest()
    out = np.zeros(32, np.uint8)
    raw.cf_sha256(out, a)  # the raw typemap itself takes the array
    assert out.tobytes() == hashlib.sha256(a.tobytes()).digest()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("view", ["step", "transpose", "column"])
def test_non_contiguous_arrays_are_copied_then_hashed(dtype, view):
    a = sample(dtype)
    v = {"step": a[::2, ::3], "transpose": a.T, "column": a[:, 5]}[view]
    assert not v.flags.c_contiguous
    expected = hashlib.sha256(np.ascontiguousarray(v).tobytes()).digest()
    assert cogniforge.sha256(v) == expected
    with pytest.raises(TypeError, match="C-contiguous"):  # the raw layer never copies
        raw.cf_sha256(bytearray(32), v)


def test_out_numpy_array_filled_in_place():
    data = sample("float64")
    out = np.zeros(32, np.uint8)
    address = out.__array_interface__["data"][0]
    result = cogniforge.sha256(data, out=out)
    assert result is out
    assert out.__array_interface__["data"][0] == address
    assert out.tobytes() == hashlib.sha256(data.tobytes()).digest()


def test_out_slice_of_larger_array():
    big = np.full(64, 7, np.uint8)
    cogniforge.sha256(b"abc", out=big[16:48])
    assert big[16:48].tobytes() == hashlib.sha256(b"abc").digest()
    assert (big[:16] == 7).all() and (big[48:] == 7).all()


def test_read_only_out_array_is_rejected():
    out = np.zeros(32, np.uint8)
    out.flags.writeable = False
    with pytest.raises(TypeError, match="argument 'out' must be a writable"):
        cogniforge.sha256(b"abc", out=out)
    assert not out.any()


def test_non_contiguous_out_is_rejected():
    big = np.zeros(64, np.uint8)
    with pytest.raises(TypeError, match="C-contiguous"):
        cogniforge.sha256(b"abc", out=big[::2])
    assert not big.any()


# ---- typed arrays (CF_PY_ARRAY_TYPEMAPS, exercised through raw.cf_py_selftest_*) ----------------

def test_typed_array_in():
    assert raw.cf_py_selftest_sum(np.arange(10.0)) == 45.0
    assert raw.cf_py_selftest_sum(np.arange(12.0).reshape(3, 4)) == 66.0  # n counts elements
    assert raw.cf_py_selftest_sum(np.zeros(0)) == 0.0


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", ">f8"])
def test_typed_array_wrong_dtype_is_rejected_then_converted(dtype):
    a = np.arange(10).astype(dtype)
    with pytest.raises(TypeError, match="must hold double elements"):
        raw.cf_py_selftest_sum(a)
    converted = as_array(a, np.float64)
    assert converted.dtype == np.float64 and converted.flags.c_contiguous
    assert raw.cf_py_selftest_sum(converted) == 45.0


def test_typed_array_matching_input_is_not_copied():
    a = np.arange(10.0)
    assert as_array(a, np.float64) is a
    v = a[::2]
    c = as_array(v, np.float64)
    assert c is not v and raw.cf_py_selftest_sum(c) == 20.0


def test_typed_array_misaligned_is_rejected_then_copied():
    a = np.frombuffer(bytearray(8 * 4 + 1), dtype=np.float64, offset=1, count=4)
    assert not a.flags.aligned
    with pytest.raises(TypeError, match="not aligned"):
        raw.cf_py_selftest_sum(a)
    assert raw.cf_py_selftest_sum(as_array(a, np.float64)) == 0.0


def test_typed_array_inout_modifies_the_same_array():
    a = np.arange(6.0).reshape(2, 3)
    raw.cf_py_selftest_scale(a, 2.0)
    assert (a == np.arange(6.0).reshape(2, 3) * 2).all()
    view = a.reshape(-1)[2:5]  # a contiguous view: the base array changes
    raw.cf_py_selftest_scale(view, 10.0)
    assert a.reshape(-1).tolist() == [0.0, 2.0, 40.0, 60.0, 80.0, 10.0]


def test_typed_array_inout_refuses_what_it_would_have_to_copy():
    ro = np.arange(4.0)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="writable"):
        raw.cf_py_selftest_scale(ro, 2.0)
    with pytest.raises(TypeError, match="must hold double"):
        raw.cf_py_selftest_scale(np.arange(4, dtype=np.float32), 2.0)
    with pytest.raises(TypeError, match="C-contiguous"):
        raw.cf_py_selftest_scale(np.arange(8.0)[::2], 2.0)
    with pytest.raises(TypeError, match="writable, C-contiguous, aligned numpy array"):
        as_array(np.arange(4, dtype=np.float32), np.float64, writable=True)
    a = np.arange(4.0)
    assert as_array(a, np.float64, writable=True) is a


def test_typed_array_without_numpy_buffers():
    import array
    assert raw.cf_py_selftest_sum(array.array("d", [1.5, 2.5])) == 4.0
    with pytest.raises(TypeError, match="format 'i'"):
        raw.cf_py_selftest_sum(array.array("i", [1, 2]))
