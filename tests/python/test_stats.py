"""cogniforge.Stats (mergeable statistics), validate_stats and profile."""

import math
import pickle

import numpy as np
import pandas as pd
import pytest

import cogniforge

ADULT_TRAIN = "data/adult/adult-train.csv.zst"
ADULT_TEST = "data/adult/adult-test.csv.zst"
ADULT_SUITE = "data/adult/suite.json"
ADULT_NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
               "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
               "income"]
ADULT_OPTS = dict(header=False, names=ADULT_NAMES, skip_initial_space=True)

# Fields a merge must reproduce exactly (HyperLogLog registers merge exactly too); sums and moments up to
# rounding; value counts while they are exact (the top-k sketch of a high-cardinality column is approximate).
EXACT = ("name", "type", "count", "null_count", "min", "max", "min_int", "max_int", "min_length", "max_length",
         "min_string", "max_string", "distinct", "distinct_exact")
ROUNDED = ("sum", "mean", "m2")


def columns(n=1000, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 3, n)
    x[rng.random(n) < 0.05] = np.nan
    return {
        "x": x,
        "k": rng.integers(-50, 50, n),
        "s": np.array(["alpha", "beta", "gamma", "delta", "ε"], dtype=object)[rng.integers(0, 5, n)],
        "b": rng.random(n) < 0.3,
        "t": np.datetime64("2024-01-01", "us") + rng.integers(0, 10**12, n).astype("timedelta64[us]"),
    }


def half(data, lo, hi):
    return {k: v[lo:hi] for k, v in data.items()}


def assert_same_stats(a, b):
    assert a.num_rows == b.num_rows and a.column_names == b.column_names
    for name in a.column_names:
        ca, cb = a.column(name), b.column(name)
        for field in EXACT:
            va, vb = ca[field], cb[field]
            if isinstance(va, float) and math.isnan(va):
                assert math.isnan(vb), (name, field)
            else:
                assert va == vb, (name, field, va, vb)
        if ca["distinct_exact"]:
            assert ca["values"] == cb["values"], name
        for field in ROUNDED:
            if not math.isnan(ca[field]):
                assert ca[field] == pytest.approx(cb[field], rel=1e-12, abs=1e-9), (name, field)


def test_merge_of_halves_equals_the_whole():
    data = columns()
    whole = cogniforge.Stats.compute(data)
    a = cogniforge.Stats.compute(half(data, 0, 400))
    b = cogniforge.Stats().update(half(data, 400, 1000))
    assert a.merge(b) is a
    assert_same_stats(a, whole)
    col = whole.column("x")
    present = data["x"][~np.isnan(data["x"])]
    assert col["null_count"] == 1000 - len(present)
    assert col["min"] == present.min() and col["max"] == present.max()
    assert col["mean"] == pytest.approx(present.mean())
    assert col["m2"] / (len(present) - 1) == pytest.approx(present.var(ddof=1))
    k = whole.column("k")
    assert (k["min_int"], k["max_int"], k["sum"]) == (data["k"].min(), data["k"].max(), data["k"].sum())
    s = whole.column("s")
    assert s["distinct_exact"] and s["distinct"] == 5 and (s["min_string"], s["max_string"]) == ("alpha", "ε")
    assert sum(count for _, count, _ in s["values"]) == 1000


def test_merge_of_csv_chunks_equals_the_whole_file():
    whole = cogniforge.Stats.compute(ADULT_TRAIN, **ADULT_OPTS)
    assert whole.num_rows == 32561
    parts = [cogniforge.Stats.compute(chunk) for chunk in
             cogniforge.iter_csv(ADULT_TRAIN, chunk_rows=10000, **ADULT_OPTS)]
    assert [p.num_rows for p in parts] == [10000, 10000, 10000, 2561]
    merged = parts[0]
    for p in parts[1:]:
        merged.merge(p)
    assert_same_stats(merged, whole)
    # quantiles come from the KLL sketch: within its rank error of the exact ones
    ages = np.sort(cogniforge.read_csv(ADULT_TRAIN, **ADULT_OPTS).column("age"))
    for q in (0.1, 0.5, 0.9):
        value = merged.quantile("age", q)
        rank = np.searchsorted(ages, value, side="right") / len(ages)
        low = np.searchsorted(ages, value, side="left") / len(ages)
        assert low - merged.quantile_rank_error <= q <= rank + merged.quantile_rank_error


def test_serialisation_round_trips():
    s = cogniforge.Stats.compute(columns())
    blob = s.to_bytes()
    assert isinstance(blob, bytes)
    back = cogniforge.Stats.from_bytes(blob)
    assert back.to_dict() == s.to_dict()
    assert back.to_bytes() == blob
    assert pickle.loads(pickle.dumps(s)).to_dict() == s.to_dict()
    assert cogniforge.Stats.from_bytes(bytearray(blob)).num_rows == 1000


def test_to_dict_and_quantiles():
    s = cogniforge.Stats.compute({"v": np.arange(1, 102, dtype=np.int64), "w": [str(i) for i in range(101)]})
    d = s.to_dict()
    assert d["rows"] == 101 and [c["name"] for c in d["columns"]] == ["v", "w"]
    assert s.quantile("v", 0.5) == 51
    assert s.quantile(0, [0.0, 1.0]) == [1, 101]
    assert 0 < s.quantile_rank_error < 0.05
    with pytest.raises(cogniforge.InvalidArgumentError):
        s.quantile("w", 0.5)  # a string column
    with pytest.raises(cogniforge.InvalidArgumentError):
        s.quantile("v", 1.5)
    with pytest.raises(cogniforge.NotFoundError, match="nope"):
        s.quantile("nope", 0.5)


def test_options_and_errors():
    a = cogniforge.Stats(hll_precision=10, kll_k=100)
    a.update({"x": [1.0, 2.0]})
    assert a.to_dict()["options"]["hll_precision"] == 10
    with pytest.raises(cogniforge.InvalidArgumentError):
        a.merge(cogniforge.Stats.compute({"x": [3.0]}))               # other sketch options
    with pytest.raises(cogniforge.InvalidArgumentError):
        a.update({"x": [1, 2]})                                        # int64, not float64
    with pytest.raises(cogniforge.InvalidArgumentError):
        cogniforge.Stats(hll_precision=30)
    with pytest.raises(TypeError, match="unknown stats option|unexpected keyword"):
        cogniforge.Stats(precision=3)
    with pytest.raises(cogniforge.FormatError):
        cogniforge.Stats.from_bytes(b"\x93\x01\x02")
    with pytest.raises(TypeError, match="only when data is a file path"):
        cogniforge.Stats.compute({"x": [1]}, header=False)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        cogniforge.Stats.compute({"x": [1]}, colour="red")
    with pytest.raises(TypeError):
        a.merge({"x": [1.0]})
    a.close()
    with pytest.raises(ValueError, match="closed"):
        a.num_rows


# ---- validate_stats and profile --------------------------------------------------------------------------------

def test_validate_stats_on_merged_adult_shards():
    shards = [cogniforge.Stats.compute(chunk)
              for chunk in cogniforge.iter_csv(ADULT_TRAIN, chunk_rows=8000, **ADULT_OPTS)]
    merged = shards[0]
    for s in shards[1:]:
        merged.merge(s)
    result = cogniforge.validate_stats(merged, ADULT_SUITE)
    assert result["success"] is True
    assert cogniforge.validate_stats(merged.to_bytes(), ADULT_SUITE)["statistics"] == result["statistics"]
    test = cogniforge.validate_stats(cogniforge.Stats.compute(ADULT_TEST, **ADULT_OPTS), ADULT_SUITE)
    assert test["success"] is False
    failing = [r["expectation_config"]["kwargs"].get("column") for r in test["results"] if not r["success"]]
    assert "income" in failing
    assert "<testsuite" in cogniforge.validate_stats(merged, ADULT_SUITE, junit=True)


def test_validate_stats_skips_row_level_expectations():
    suite = {"name": "rows", "expectations": [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "k"}},
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 1000}}]}
    result = cogniforge.validate_stats(cogniforge.Stats.compute(columns()), suite)
    assert result["success"] is False                                   # a skip is never a silent pass
    assert result["results"][1]["success"] is True
    with pytest.raises(TypeError, match="Stats or its msgpack"):
        cogniforge.validate_stats({"k": [1]}, suite)


def test_profile_validates_its_own_data():
    suite = cogniforge.profile(ADULT_TRAIN, name="adult_profile", **ADULT_OPTS)
    assert suite["name"] == "adult_profile"
    types = {e["type"] for e in suite["expectations"]}
    assert {"expect_table_columns_to_match_ordered_list", "expect_table_row_count_to_be_between"} <= types
    assert cogniforge.validate(ADULT_TRAIN, suite, **ADULT_OPTS)["success"] is True
    assert cogniforge.Suite(suite).name == "adult_profile"

    data = columns()
    suite = cogniforge.profile(data, max_value_set=10, spelling="v0")
    assert "expectation_suite_name" in suite and "expectation_type" in suite["expectations"][0]
    assert cogniforge.validate(data, suite)["success"] is True
    assert cogniforge.validate(pd.DataFrame(data), suite)["success"] is True
    assert cogniforge.profile(cogniforge.Stats.compute(data), max_value_set=10, spelling="v0") == suite


def test_profile_catches_drift():
    data = columns()
    suite = cogniforge.profile(data)
    drifted = dict(data, k=data["k"] * 10)
    result = cogniforge.validate(drifted, suite)
    assert result["success"] is False
    assert any(r["expectation_config"]["kwargs"].get("column") == "k" for r in result["results"]
               if not r["success"])
