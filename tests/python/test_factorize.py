"""cf_py_factorize (bindings/python/factorize.i) and fairness._factorize: the C factorizer gives exactly what the
numpy.unique path gave before it (codes, labels, original values, errors), on every kind of input."""
import math
import random

import pytest

np = pytest.importorskip("numpy")

import cogniforge.fairness as F  # noqa: E402
from cogniforge import raw  # noqa: E402


def old_factorize(values):
    """fairness._factorize as it was before the C factorizer (numpy.unique on anything not integer)."""
    v = np.asarray(values)
    if v.ndim != 1:
        raise ValueError("a sensitive feature must be one-dimensional")
    if v.dtype.kind in "biu" and v.size:
        lo, hi = int(v.min()), int(v.max())
        if hi - lo < (1 << 22):
            shifted = (v - lo).astype(np.intp, copy=False)
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            table = np.cumsum(present, dtype=np.int64) - 1
            codes = np.ascontiguousarray(table[shifted], dtype=np.int32)
            originals = (np.flatnonzero(present) + lo).tolist()
            return codes, F._label_strings(originals), originals
    try:
        uniques, inverse = np.unique(v, return_inverse=True)
        codes = np.ascontiguousarray(inverse.reshape(-1), dtype=np.int32)
        originals = uniques.tolist()
    except TypeError:
        index, codes_l = {}, []
        for x in v.tolist():
            codes_l.append(index.setdefault(x, len(index)))
        codes = np.asarray(codes_l, dtype=np.int32)
        originals = list(index)
    for x in originals:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            raise ValueError("missing")
    return codes, F._label_strings(originals), originals


def same(values, expect_native=None):
    """_factorize(values) == old_factorize(values), including the types of the originals; with
    expect_native, also whether cf_py_factorize handled it (True) or declined (False)."""
    if expect_native is not None:
        got = raw.cf_py_factorize(values if isinstance(values, list) else np.asarray(values))
        assert (got is not None) == expect_native
    try:
        want = old_factorize(values)
    except ValueError:
        with pytest.raises(ValueError):
            F._factorize(values)
        return None
    codes, labels, originals = F._factorize(values)
    assert codes.dtype == np.int32 and codes.ndim == 1 and codes.flags.c_contiguous
    np.testing.assert_array_equal(codes, want[0])
    assert labels == want[1]
    assert originals == want[2]
    assert [type(x) for x in originals] == [type(x) for x in want[2]]
    return codes, labels, originals


ALPHABET = "abcXYZ é\u00ff\u0100\u4e2d\U0001f600"


def rand_words(rng, k, max_len=6):
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_len))) for _ in range(k)]


@pytest.mark.parametrize("seed", range(5))
def test_random_unicode(seed):
    rng = random.Random(seed)
    words = rand_words(rng, rng.randint(1, 40))
    values = [rng.choice(words) for _ in range(rng.randint(1, 3000))]
    same(np.array(values), True)  # '<U{n}'
    same(np.array(values, dtype=object), True)
    same(values, True)


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes(seed):
    rng = random.Random(100 + seed)
    words = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(1, 30))]
    values = np.array([rng.choice(words) for _ in range(2000)])
    assert values.dtype.kind == "S"
    same(values, True)


def test_object_repeats_distinct_objects():
    """Equal str values held by different objects (as read from a file) get one code."""
    base = ["Male", "Female", "Other"]
    rng = random.Random(7)
    values = np.array(["".join(list(rng.choice(base))) for _ in range(5000)], dtype=object)
    assert len({id(x) for x in values}) > 3
    _, labels, _ = same(values, True)
    assert labels == ["Female", "Male", "Other"]


def test_trailing_and_embedded_nuls():
    same(np.array(["a", "a\0b", "", "b", "a"]), True)
    same(np.array([b"a", b"a\0b", b"", b"a\0", b"b"]), True)  # 'S': trailing NULs do not count
    same(np.array(["a\0", "a", "b\0c"], dtype=object), True)  # objects: they do
    same(["a\0", "a", "b"], False)  # a list goes through numpy.asarray, which strips them


def test_missing_values_raise():
    for values in (np.array(["a", None, "b"], dtype=object), np.array(["a", math.nan], dtype=object),
                   ["a", None], [None] * 4, np.array([None, None], dtype=object)):
        same(values)
    with pytest.raises(ValueError):
        F._factorize(np.array(["a", None], dtype=object))


def test_non_str_objects_fall_back():
    same(np.array(["a", 1, "b", 1], dtype=object), False)  # mixed: first-seen order
    same(np.array([3, 1, 2, 1], dtype=object), False)
    same(np.array([True, False, True], dtype=object), False)
    same(np.array([np.str_("b"), np.str_("a")], dtype=object), False)  # str subclass
    same(np.array(["b", ("x",), "b"], dtype=object), False)
    same(["a", 1, "b"], False)  # numpy.asarray makes '<U21' of it
    same([1.5, 2.5, 1.5])
    same(np.array([1.5, 0.5]))
    same(np.array([True, False]))


def test_single_label_and_empty():
    same(np.array(["only"] * 100), True)
    same(np.array(["only"] * 100, dtype=object), True)
    same(["only"] * 10, True)
    same(np.array([], dtype="U3"), True)
    same(np.array([], dtype="S3"), True)
    same(np.array([], dtype=object), True)
    same([])
    codes, labels, originals = F._factorize(np.array([], dtype=object))
    assert len(codes) == 0 and labels == [] and originals == []


def test_ten_thousand_distinct():
    rng = np.random.default_rng(3)
    words = np.array(["g%05d" % i for i in rng.permutation(10_000)])
    values = words[rng.integers(0, 10_000, 50_000)]
    values[:10_000] = words  # every label present
    same(values, True)
    same(values.astype(object), True)
    same(values.astype("S"), True)
    same(values.tolist(), True)


def test_strided_and_unaligned():
    rng = np.random.default_rng(5)
    base = np.array(["x", "yy", "zzz", "w"])[rng.integers(0, 4, 999)]
    same(base[::3], True)
    same(base[::-2], True)
    same(base.astype(object)[1::4], True)
    same(base.astype("S")[::-5], True)
    # unaligned '<U3' items (a field of a packed structured array)
    rec = np.zeros(len(base), dtype=[("pad", "u1"), ("s", "<U3")])
    rec["s"] = base
    assert not rec["s"].flags.aligned
    same(rec["s"], True)


def test_big_endian_falls_back():
    values = np.array(["b", "a", "c", "a"]).astype(">U1")
    same(values, False)
    codes, labels, _ = F._factorize(values)
    assert labels == ["a", "b", "c"] and codes.tolist() == [1, 0, 2, 0]


def test_not_code_points_fall_back():
    bad = np.frombuffer(np.array([0x61, 0x110000, 0x61], dtype="<u4").tobytes(), dtype="<U1")
    assert raw.cf_py_factorize(bad) is None
    with pytest.raises(Exception) as old:
        old_factorize(bad)
    with pytest.raises(type(old.value)):
        F._factorize(bad)


def test_surrogates_and_astral():
    same(np.array(["\ud800", "a", "\U0010ffff", "\ud800"]), True)
    same(np.array(["\ud800", "a", "\U0010ffff", "\ud800"], dtype=object), True)


def test_raw_result():
    codes, labels = raw.cf_py_factorize(np.array(["m", "f", "m"], dtype=object))
    assert isinstance(codes, bytearray) and np.frombuffer(codes, np.int32).tolist() == [1, 0, 1]
    assert labels == ["f", "m"]
    for other in (np.arange(3), np.zeros((2, 2), dtype="U1"), b"abc", "abc", 3, None, {"a": 1}, (1, 2)):
        assert raw.cf_py_factorize(other) is None
    codes, _, _ = F._factorize(np.array(["b", "a"]))
    codes[0] = 5  # writable, like the numpy path's codes


def test_metricframe_strings_match_codes():
    rng = np.random.default_rng(11)
    n = 20_000
    race_c = rng.integers(0, 5, n)
    names = np.array(["White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other"], dtype=object)
    yt = rng.integers(0, 2, n)
    yp = rng.integers(0, 2, n)
    metrics = {"sr": "selection_rate", "tpr": "true_positive_rate", "fpr": "false_positive_rate"}
    by_str = F.MetricFrame(metrics=metrics, y_true=yt, y_pred=yp, sensitive_features=names[race_c]).by_group
    by_u = F.MetricFrame(metrics=metrics, y_true=yt, y_pred=yp,
                         sensitive_features=names[race_c].astype("U")).by_group
    by_code = F.MetricFrame(metrics=metrics, y_true=yt, y_pred=yp, sensitive_features=race_c).by_group
    for m in metrics:
        assert by_str[m] == by_u[m]
        assert {names[k]: v for k, v in by_code[m].items()} == by_str[m]


def test_pandas_categorical():
    pd = pytest.importorskip("pandas")
    rng = random.Random(9)
    values = [rng.choice(["lo", "mid", "hi"]) for _ in range(500)]
    for cat in (pd.Categorical(values), pd.Categorical(values, categories=["mid", "hi", "lo", "unused"]),
                pd.Categorical(values, categories=["mid", "hi", "lo"], ordered=True),
                pd.Series(values, dtype="category"), pd.Categorical([3, 1, 3, 7], categories=[7, 3, 1, 5]),
                pd.Categorical([], categories=["a"]), pd.Categorical(["b", None, "a"]),
                pd.Series(pd.Categorical([1.5, 0.5, 1.5]))):
        assert F._is_categorical(cat)
        same(cat)
    got = F._factorize_categorical(pd.Categorical(values, categories=["mid", "hi", "lo", "unused"]))
    assert got is not None and got[1] == ["hi", "lo", "mid"]
    assert F._factorize_categorical(pd.Categorical(["b", None, "a"])) is None  # missing: the general path raises
    yt = [rng.randint(0, 1) for _ in values]
    yp = [rng.randint(0, 1) for _ in values]
    a = F.MetricFrame(metrics="selection_rate", y_true=yt, y_pred=yp,
                      sensitive_features=pd.Series(values, dtype="category", name="level"))
    b = F.MetricFrame(metrics="selection_rate", y_true=yt, y_pred=yp,
                      sensitive_features=pd.Series(values, name="level"))
    c = F.MetricFrame(metrics="selection_rate", y_true=yt, y_pred=yp,
                      sensitive_features=pd.DataFrame({"level": pd.Categorical(values)}))
    assert a.by_group == b.by_group == c.by_group
    assert list(a.by_group) == ["hi", "lo", "mid"]
