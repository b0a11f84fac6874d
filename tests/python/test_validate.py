"""cogniforge.validate / validate_junit / Suite: GX suites over CSV files, dicts of arrays and DataFrames."""

import csv
import datetime as dt
import json
import threading
import xml.etree.ElementTree as ET

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
NOW = dt.datetime(2024, 6, 1, 12, 0, 0)


def failed(result):
    return [(r["expectation_config"]["type"], r["expectation_config"]["kwargs"].get("column"))
            for r in result["results"] if not r["success"]]


# ---- the Adult data -----------------------------------------------------------------------------------------

def test_adult_train_passes():
    result = cogniforge.validate(ADULT_TRAIN, ADULT_SUITE, **ADULT_OPTS)
    assert result["success"] is True, failed(result)
    assert result["statistics"]["evaluated_expectations"] == len(cogniforge.Suite(ADULT_SUITE))
    assert result["meta"]["rows"] == 32561


def test_adult_test_fails_on_the_income_labels():
    result = cogniforge.validate(ADULT_TEST, ADULT_SUITE, **ADULT_OPTS)
    assert result["success"] is False
    assert ("expect_column_values_to_be_in_set", "income") in failed(result)
    income = next(r for r in result["results"]
                  if r["expectation_config"]["type"] == "expect_column_values_to_be_in_set"
                  and r["expectation_config"]["kwargs"]["column"] == "income")
    assert income["result"]["unexpected_count"] == 16281
    assert set(income["result"]["partial_unexpected_list"]) <= {"<=50K.", ">50K."}


def test_adult_as_dict_and_dataframe_give_the_csv_result():
    from_csv = cogniforge.validate(ADULT_TEST, ADULT_SUITE, now=NOW, **ADULT_OPTS)
    columns = cogniforge.read_csv(ADULT_TEST, **ADULT_OPTS).to_dict()
    assert cogniforge.validate(columns, ADULT_SUITE, now=NOW) == from_csv
    assert cogniforge.validate(pd.DataFrame(columns), ADULT_SUITE, now=NOW) == from_csv


def test_adult_junit():
    xml = cogniforge.validate_junit(ADULT_TEST, ADULT_SUITE, **ADULT_OPTS)
    suite = ET.fromstring(xml).find("testsuite")
    assert suite.get("name") == "adult_census_income"
    assert int(suite.get("tests")) == len(cogniforge.Suite(ADULT_SUITE))
    assert int(suite.get("failures")) >= 1
    assert any(case.find("failure") is not None and "income" in ET.tostring(case, encoding="unicode")
               for case in suite.iter("testcase"))


# ---- dict of arrays == CSV file -----------------------------------------------------------------------------

SUITE = {
    "name": "sample",
    "expectations": [
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 10, "max_value": 100}},
        {"type": "expect_table_columns_to_match_ordered_list",
         "kwargs": {"column_list": ["id", "price", "color", "when", "ok"]}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "price", "mostly": 0.8}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "price", "min_value": 0,
                                                                    "max_value": 50}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "color",
                                                                   "value_set": ["red", "green"]}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "color", "regex": "^[a-z]+$"}},
        {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "price", "min_value": 0,
                                                                  "max_value": 100}},
        {"type": "expect_column_max_to_be_between",
         "kwargs": {"column": "when", "min_value": {"$PARAMETER": "now() - timedelta(days=30)"}}},
        {"type": "expect_column_values_to_be_of_type", "kwargs": {"column": "ok", "type_": "bool"}},
        {"type": "expect_column_distinct_values_to_be_in_set",
         "kwargs": {"column": "color", "value_set": ["red", "green", "blue"]}},
        {"type": "expect_column_median_to_be_between", "kwargs": {"column": "id", "min_value": 20,
                                                                    "max_value": 30}},
    ],
}


def sample_columns(n=53):
    i = np.arange(n, dtype=np.int64)
    price = i * 1.25
    price[::7] = np.nan
    color = np.array(["red", "green", "blue"], dtype=object)[i % 3]
    color[5] = None
    when = np.datetime64("2024-05-01T08:00", "us") + i * np.timedelta64(1, "h")
    return {"id": i, "price": price, "color": color, "when": when, "ok": i % 4 != 0}


def write_csv(path, columns):
    names = list(columns)
    n = len(columns[names[0]])

    def text(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, np.datetime64):
            return str(v)
        if isinstance(v, (bool, np.bool_)):
            return "true" if v else "false"
        return str(v)

    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for r in range(n):
            w.writerow([text(columns[c][r]) for c in names])
    return path


def test_dict_and_csv_give_the_same_result(tmp_path):
    columns = sample_columns()
    path = write_csv(tmp_path / "sample.csv", columns)
    from_csv = cogniforge.validate(path, SUITE, now=NOW)
    from_dict = cogniforge.validate(columns, SUITE, now=NOW)
    assert from_dict == from_csv
    assert from_dict["success"] is False
    assert failed(from_dict) == [("expect_column_values_to_be_between", "price"),
                                 ("expect_column_values_to_be_in_set", "color")]
    by_type = {r["expectation_config"]["type"]: r for r in from_dict["results"]}
    assert by_type["expect_column_values_to_not_be_null"]["result"]["unexpected_count"] == 8
    # the same table, streamed in small chunks, still agrees
    assert cogniforge.validate(path, SUITE, now=NOW, chunk_rows=5, infer_rows=5,
                               types={"id": "int64", "price": "float64", "color": "string"}) == from_csv


def test_zero_copy_table_sees_in_place_changes():
    ages = np.array([25, 31, 47, 52], dtype=np.int64)
    table = cogniforge.Table({"age": ages})
    assert table._column_info("age")["values_address"] == ages.__array_interface__["data"][0]
    suite = cogniforge.Suite({"name": "ages", "expectations": [
        {"type": "expect_column_max_to_be_between", "kwargs": {"column": "age", "max_value": 90}}]})
    first = cogniforge.validate(table, suite)
    assert first["success"] is True and first["results"][0]["result"]["observed_value"] == 52
    ages[2] = 120  # the table borrows the array: the next validation sees the change
    second = cogniforge.validate(table, suite)
    assert second["success"] is False and second["results"][0]["result"]["observed_value"] == 120


def test_datetime_with_nat_and_categorical():
    when = np.array(["2024-01-01", "NaT", "2024-01-03", "NaT", "2024-02-01"], dtype="datetime64[ns]")
    level = pd.Categorical(["low", "high", None, "low", "mid"], categories=["low", "mid", "high"])
    suite = {"name": "nat", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "when"}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "when", "min_value": "2024-01-01", "max_value": "2024-01-31"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "level", "value_set": ["low", "mid"]}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "level", "mostly": 0.8}},
    ]}
    result = cogniforge.validate({"when": when, "level": level}, suite, result_format="COMPLETE")
    r = [x["result"] for x in result["results"]]
    assert r[0]["unexpected_count"] == 2                              # the two NaT
    assert (r[1]["element_count"], r[1]["missing_count"], r[1]["unexpected_count"]) == (5, 2, 1)
    assert r[2]["unexpected_list"] == ["high"] and r[2]["missing_count"] == 1
    assert result["results"][3]["success"] is True                    # 4/5 = 0.8
    # the same from a DataFrame (datetime64[ns] and category dtypes)
    df = pd.DataFrame({"when": when, "level": level})
    assert cogniforge.validate(df, suite, result_format="COMPLETE", now=NOW)["results"] == \
        cogniforge.validate({"when": when, "level": level}, suite, result_format="COMPLETE", now=NOW)["results"]


# ---- options ------------------------------------------------------------------------------------------------

def test_now_parameters_and_spelling():
    data = {"t": np.array(["2024-05-31T18:00"], dtype="datetime64[us]"), "n": [7]}
    suite = {"expectation_suite_name": "fresh", "expectations": [
        {"expectation_type": "expect_column_max_to_be_between",
         "kwargs": {"column": "t", "min_value": {"$PARAMETER": "now() - timedelta(hours=24)"}}},
        {"expectation_type": "expect_column_values_to_be_between",
         "kwargs": {"column": "n", "max_value": {"$PARAMETER": "limit"}}},
    ], "evaluation_parameters": {"limit": 10}}
    fresh = cogniforge.validate(data, suite, now=NOW)
    assert fresh["success"] is True
    assert "evaluation_parameters" in fresh  # the suite's (0.x) spelling
    assert fresh["meta"]["validation_time"].startswith("2024-06-01T12:00:00")
    assert cogniforge.validate(data, suite, now="2024-06-01T12:00:00Z") == fresh
    assert cogniforge.validate(data, suite, now=NOW.replace(tzinfo=dt.timezone(dt.timedelta(hours=2)))
                               )["results"][0]["success"] is True   # 10:00 UTC
    stale = cogniforge.validate(data, suite, now=dt.datetime(2024, 6, 3), parameters={"limit": 5})
    assert [r["success"] for r in stale["results"]] == [False, False]
    v1 = cogniforge.validate(data, suite, now=NOW, spelling="v1")
    assert "suite_parameters" in v1 and "evaluation_parameters" not in v1
    with pytest.raises(ValueError, match="ISO 8601"):
        cogniforge.validate(data, suite, now="yesterday")
    with pytest.raises(TypeError, match="now must be"):
        cogniforge.validate(data, suite, now=12345)


def test_result_formats():
    data = {"x": np.arange(30)}
    suite = {"name": "f", "expectations": [
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "x", "max_value": 2}}]}
    complete = cogniforge.validate(data, suite, result_format="COMPLETE")["results"][0]["result"]
    assert complete["unexpected_list"] == list(range(3, 30))
    assert len(complete["partial_unexpected_list"]) == 20
    short = cogniforge.validate(data, suite, result_format={"result_format": "SUMMARY",
                                                            "partial_unexpected_count": 3})
    assert short["results"][0]["result"]["partial_unexpected_list"] == [3, 4, 5]
    boolean = cogniforge.validate(data, suite, result_format="boolean_only")["results"][0]
    assert boolean["success"] is False and "unexpected_count" not in boolean.get("result", {})
    with pytest.raises(ValueError, match="result_format"):
        cogniforge.validate(data, suite, result_format="EVERYTHING")


# ---- errors ---------------------------------------------------------------------------------------------------

def test_suite_json_syntax_error_names_the_line(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{\n  "name": "broken",\n  "expectations": [\n    {"type": "expect_column_to_exist",,}\n  ]\n}\n')
    with pytest.raises(cogniforge.FormatError, match=r"broken\.json:4:") as info:
        cogniforge.validate({"a": [1]}, p)
    assert isinstance(info.value, ValueError)
    with pytest.raises(cogniforge.FormatError, match=r"<mine>:1:"):
        cogniforge.Suite.from_json('{"name": ', source_name="<mine>")


def test_unknown_expectation_type():
    suite = {"name": "u", "expectations": [
        {"type": "expect_column_to_exist", "kwargs": {"column": "a"}},
        {"type": "expect_column_values_to_be_fancy", "kwargs": {"column": "a"}}]}
    with pytest.raises(cogniforge.InvalidArgumentError, match="expect_column_values_to_be_fancy"):
        cogniforge.validate({"a": [1, 2]}, suite)
    skipped = cogniforge.validate({"a": [1, 2]}, suite, skip_unknown=True)
    assert skipped["success"] is False
    assert skipped["statistics"]["skipped_expectations"] == 1
    assert skipped["results"][0]["success"] is True


def test_ragged_csv_row_names_the_line(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("a,b\n1,2\n3,4\n5\n")
    with pytest.raises(cogniforge.FormatError, match=r"ragged\.csv:4\b"):
        cogniforge.validate(p, SUITE)


def test_missing_column_is_a_failed_expectation_not_an_error():
    suite = {"name": "m", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "absent"}}]}
    result = cogniforge.validate({"a": [1]}, suite)
    assert result["success"] is False
    assert result["results"][0]["exception_info"]["raised_exception"] is True


@pytest.mark.parametrize("call, exc, match", [
    (lambda: cogniforge.validate({"a": [1]}, 42), TypeError, "suite must be"),
    (lambda: cogniforge.validate({"a": [1]}, ["expect"]), TypeError, "suite must be"),
    (lambda: cogniforge.validate(np.zeros((2, 2)), SUITE), TypeError, "mapping of column name"),
    (lambda: cogniforge.validate({"a": np.zeros((2, 2))}, SUITE), ValueError, "one-dimensional"),
    (lambda: cogniforge.validate({"a": [1, 2], "b": [1]}, SUITE), ValueError, "same length"),
    (lambda: cogniforge.validate({"a": [1]}, SUITE, skip_initial_space=True), TypeError,
     "only when data is a file path"),
    (lambda: cogniforge.validate({"a": [1]}, SUITE, spelling="v2"), ValueError, "spelling"),
    (lambda: cogniforge.validate({"a": [1]}, SUITE, parameters=[1]), TypeError, "parameters"),
    (lambda: cogniforge.validate("/nonexistent.csv", SUITE), cogniforge.NotFoundError, "nonexistent"),
    (lambda: cogniforge.validate({"a": [1]}, "/nonexistent.json"), cogniforge.NotFoundError, "nonexistent"),
    (lambda: cogniforge.validate(cogniforge.Stats(), SUITE), TypeError, "validate_stats"),
], ids=["suite-int", "suite-list", "ndarray", "2d", "lengths", "csv-opts", "spelling", "params", "no-data",
        "no-suite", "stats"])
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_bad_kwarg_in_suite_is_a_format_error():
    suite = {"name": "k", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a", "mostly": 2}}]}
    with pytest.raises(cogniforge.FormatError, match="mostly"):
        cogniforge.Suite(suite)


# ---- Suite ----------------------------------------------------------------------------------------------------

def test_suite_properties_and_round_trips():
    suite = cogniforge.Suite(ADULT_SUITE)
    assert suite.name == "adult_census_income"
    assert len(suite) == len(json.load(open(ADULT_SUITE))["expectations"])
    assert suite.expectation_types[0] == "expect_table_columns_to_match_ordered_list"
    v1 = suite.to_dict("v1")
    v0 = suite.to_dict(spelling="v0")
    assert v1["name"] == v0["expectation_suite_name"] == "adult_census_income"
    assert "type" in v1["expectations"][0] and "expectation_type" in v0["expectations"][0]
    assert "expectation_suite_name" not in v1 and "name" not in v0
    # v0 -> Suite -> v1 and back give the same documents
    assert cogniforge.Suite(v0).to_dict("v1") == v1
    assert cogniforge.Suite(v1).to_dict("v0") == v0
    assert cogniforge.Suite(v0).to_dict("auto") == v0
    assert cogniforge.Suite.from_json(suite.to_json("v0")).to_dict("v1") == v1
    assert "adult_census_income" in repr(suite)
    suite.close()
    with pytest.raises(ValueError, match="closed"):
        suite.name


def test_suite_from_dict_with_numpy_values():
    suite = cogniforge.Suite({"name": "np", "expectations": [
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "x", "min_value": np.int64(0), "max_value": np.float64(2.5)}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "y", "value_set": np.array([1, 2])}}]})
    kwargs = [e["kwargs"] for e in suite.to_dict()["expectations"]]
    assert kwargs[0]["max_value"] == 2.5 and kwargs[1]["value_set"] == [1, 2]


def test_one_suite_many_threads():
    """The GIL is released during validation; a Table may be read from several threads at once."""
    columns = sample_columns(5000)
    table = cogniforge.Table(columns)
    expected = cogniforge.validate(table, SUITE, now=NOW)
    results = [None] * 4

    def work(i):
        with cogniforge.Suite(SUITE) as suite:
            results[i] = cogniforge.validate(table, suite, now=NOW)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4
