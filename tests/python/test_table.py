"""cogniforge.Table from mappings of arrays (zero copy where the layout fits), read_csv and iter_csv."""

import csv
import datetime as dt
import gc
import gzip

import numpy as np
import pandas as pd
import pytest

import cogniforge
from cogniforge import raw

ADULT = "data/adult/adult-train.csv.zst"
ADULT_NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
               "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
               "income"]
ADULT_OPTS = dict(header=False, names=ADULT_NAMES, skip_initial_space=True)


def address(a):
    return a.__array_interface__["data"][0]


# ---- zero copy ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("array, ctype", [
    (np.linspace(0, 1, 50), "float64"),
    (np.arange(50, dtype=np.int64), "int64"),
    (np.arange(50) % 3 == 0, "bool"),
    (np.arange(50).astype("datetime64[D]").astype("datetime64[us]"), "timestamp"),
], ids=["float64", "int64", "bool", "datetime64[us]"])
def test_matching_layouts_are_borrowed(array, ctype):
    t = cogniforge.Table({"x": array})
    assert t.schema == {"x": ctype}
    assert t._column_info("x")["values_address"] == address(array)  # the C column points at the array
    assert t.num_rows == 50 and len(t) == 50


def test_datetime_with_nat_is_borrowed_with_a_validity_bitmap():
    a = np.array(["2024-01-01T12:00", "NaT", "2024-03-01", "NaT"], dtype="datetime64[us]")
    t = cogniforge.Table({"when": a})
    info = t._column_info("when")
    assert info["values_address"] == address(a)
    assert info["null_count"] == 2
    out = t.to_dict()["when"]
    assert out.dtype == np.dtype("datetime64[us]")
    np.testing.assert_array_equal(out, a)  # NaT == NaT positions compare equal in assert_array_equal


@pytest.mark.parametrize("array, ctype", [
    (np.arange(10, dtype=np.int32), "int64"),
    (np.arange(10, dtype=np.uint8), "int64"),
    (np.arange(10, dtype=np.float32), "float64"),
    (np.arange(20.0)[::2], "float64"),                     # strided view
    (np.arange(10, dtype=">i8"), "int64"),                  # big-endian
    (np.arange(10).astype("datetime64[s]"), "timestamp"),   # other unit
], ids=["int32", "uint8", "float32", "strided", "big-endian", "datetime64[s]"])
def test_other_layouts_are_converted(array, ctype):
    t = cogniforge.Table({"x": array})
    assert t.schema == {"x": ctype}
    assert t._column_info("x")["values_address"] != address(array)
    out = t.column("x")
    if ctype == "timestamp":
        np.testing.assert_array_equal(out, array.astype("datetime64[us]"))
    else:
        np.testing.assert_array_equal(out, array.astype(np.float64 if ctype == "float64" else np.int64))


def test_borrowed_arrays_are_kept_alive():
    t = cogniforge.Table({"x": np.arange(1000, dtype=np.int64) * 3, "y": np.full(1000, 0.5)})
    gc.collect()
    junk = [np.ones(1000, np.int64) for _ in range(50)]  # would reuse the arrays' memory, had it been freed
    del junk
    d = t.to_dict()
    np.testing.assert_array_equal(d["x"], np.arange(1000) * 3)
    assert (d["y"] == 0.5).all()


def test_in_place_changes_are_seen_through_the_borrowed_column():
    a = np.arange(5, dtype=np.int64)
    t = cogniforge.Table({"a": a})
    a[2] = 42
    np.testing.assert_array_equal(t.column("a"), [0, 1, 42, 3, 4])


# ---- conversions ----------------------------------------------------------------------------------------------

def test_strings_are_dictionary_encoded_with_nulls():
    t = cogniforge.Table({"s": ["b", None, "a", "b", float("nan"), ""]})
    info = t._column_info("s")
    assert t.schema == {"s": "string"}
    assert info["dictionary"] == ["", "a", "b"]  # np.unique order
    assert info["null_count"] == 2
    assert list(t.column("s")) == ["b", None, "a", "b", None, ""]


def test_unicode_strings_array():
    a = np.array(["żółw", "猫", "żółw"])
    t = cogniforge.Table({"s": a})
    assert list(t.column("s")) == ["żółw", "猫", "żółw"]


def test_pandas_categorical_uses_its_codes():
    cat = pd.Categorical(["lo", "hi", None, "lo"], categories=["lo", "mid", "hi"])
    for col in (cat, pd.Series(cat)):
        t = cogniforge.Table({"c": col})
        info = t._column_info("c")
        assert t.schema == {"c": "string"}
        assert info["dictionary"] == ["lo", "mid", "hi"]  # categories kept, unused ones included
        assert info["null_count"] == 1
        assert list(t.column("c")) == ["lo", "hi", None, "lo"]


@pytest.mark.parametrize("values, ctype, expected", [
    ([1, None, 3], "int64", [1.0, np.nan, 3.0]),              # int column with nulls comes back as pandas does
    ([1.5, None, 2], "float64", [1.5, np.nan, 2.0]),
    ([True, None, False], "bool", [True, None, False]),
    ([dt.datetime(2020, 1, 1), None], "timestamp",
     np.array(["2020-01-01", "NaT"], dtype="datetime64[us]")),
], ids=["int", "float", "bool", "datetime"])
def test_object_values_are_inferred(values, ctype, expected):
    t = cogniforge.Table({"x": values})
    assert t.schema == {"x": ctype}
    assert t.null_counts() == {"x": 1}
    out = t.column("x")
    if ctype == "bool":
        assert list(out) == expected
    else:
        np.testing.assert_array_equal(out, np.asarray(expected))


def test_tz_aware_datetimes_are_converted_to_utc():
    s = pd.Series(pd.to_datetime(["2020-06-01T12:00", None]).tz_localize("Europe/Paris"))
    t = cogniforge.Table({"t": s})
    assert t.schema == {"t": "timestamp"}
    np.testing.assert_array_equal(t.column("t"), np.array(["2020-06-01T10:00", "NaT"], dtype="datetime64[us]"))


def test_pandas_dataframe_and_nullable_dtypes():
    df = pd.DataFrame({
        "f": np.array([0.5, 1.5, np.nan]),
        "i": pd.array([1, None, 3], dtype="Int64"),
        "b": pd.array([True, False, None], dtype="boolean"),
        "s": pd.array(["x", None, "y"], dtype="string"),
        "when": pd.to_datetime(["2021-01-01", None, "2021-01-03"]),
    })
    t = cogniforge.Table(df)
    assert t.column_names == ["f", "i", "b", "s", "when"]
    assert t.schema == {"f": "float64", "i": "int64", "b": "bool", "s": "string", "when": "timestamp"}
    assert t.null_counts() == {"f": 1, "i": 1, "b": 1, "s": 1, "when": 1}
    # the float64 column of a DataFrame is borrowed from its block
    assert t._column_info("f")["values_address"] == address(df["f"].to_numpy())
    back = t.to_pandas()
    assert back["s"].tolist() == ["x", None, "y"]


def test_keys_getitem_mapping_and_integer_labels():
    class Columns:
        def keys(self):
            return ["a", 7]

        def __getitem__(self, k):
            return [1, 2] if k == "a" else [3.0, 4.0]

    t = cogniforge.Table(Columns())
    assert t.column_names == ["a", "7"]


def test_empty_table():
    t = cogniforge.Table({})
    assert (t.num_rows, t.num_columns, t.column_names, t.to_dict()) == (0, 0, [], {})


# ---- bad inputs ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, exc, match", [
    ({"a": np.zeros((3, 2))}, ValueError, "one-dimensional"),
    ({"a": [1, 2, 3], "b": [1, 2]}, ValueError, "'b' has 2 rows but column 'a' has 3"),
    ({"a": np.zeros(3, complex)}, TypeError, "complex128"),
    ({"a": [1, "x"]}, TypeError, "mixes values of types int, str"),
    ({"a": [b"x", b"y"], "b": [{}, {}]}, TypeError, "holds dict values"),
    ({("a",): [1]}, TypeError, "column names must be str"),
    ({"": [1]}, ValueError, "must not be empty"),
    (np.zeros((3, 3)), TypeError, "mapping of column name"),
    ([1, 2, 3], TypeError, "mapping of column name"),
], ids=["2d", "lengths", "complex", "mixed", "dicts", "name-type", "empty-name", "ndarray", "list"])
def test_bad_inputs_raise_before_c(data, exc, match):
    with pytest.raises(exc, match=match):
        cogniforge.Table(data)


def test_closed_table():
    t = cogniforge.Table({"a": [1]})
    t.close()
    t.close()
    with pytest.raises(ValueError, match="closed"):
        t.num_rows
    assert "closed" in repr(t)


def test_unknown_column_name():
    t = cogniforge.Table({"a": [1]})
    with pytest.raises(cogniforge.NotFoundError, match="nope"):
        t.column("nope")


def test_raw_column_tuple_is_checked():
    h = raw.cf_table_create(None)
    try:
        with pytest.raises(TypeError, match="float64 elements"):  # a float64 column given int64 values
            raw.cf_table_add_column(h, ("a", raw.CF_TYPE_FLOAT64, np.arange(3), None, None), raw.CF_TABLE_COPY)
        with pytest.raises(ValueError, match="validity bitmap has 1 bytes"):
            raw.cf_table_add_column(h, ("a", raw.CF_TYPE_INT64, np.arange(20), b"\xff", None), raw.CF_TABLE_COPY)
        with pytest.raises(cogniforge.InvalidArgumentError, match="outside the dictionary"):
            raw.cf_table_add_column(h, ("s", raw.CF_TYPE_STRING, np.array([0, 5], np.int32), None, ["a"]),
                                    raw.CF_TABLE_COPY)
    finally:
        raw.cf_table_free(h)


# ---- read_csv / iter_csv ------------------------------------------------------------------------------------

ROWS = [
    ["id", "price", "name", "when", "flag"],
    *[[str(i), f"{i * 1.25:.2f}" if i % 7 else "", ["red", "green", "blue", "NA"][i % 4],
       f"2024-01-{1 + i % 28:02d}T08:00:00", "true" if i % 3 else "false"] for i in range(53)],
]


@pytest.fixture
def sample_csv(tmp_path):
    p = tmp_path / "sample.csv"
    with open(p, "w", newline="") as f:
        csv.writer(f).writerows(ROWS)
    return p


def test_read_csv_types_and_values(sample_csv):
    t = cogniforge.read_csv(sample_csv)
    assert t.schema == {"id": "int64", "price": "float64", "name": "string", "when": "timestamp", "flag": "bool"}
    d = t.to_dict()
    np.testing.assert_array_equal(d["id"], np.arange(53))
    assert np.isnan(d["price"][0]) and d["price"][1] == 1.25
    assert d["name"][3] is None and d["name"][1] == "green"  # "NA" is a default NA token
    assert d["when"][0] == np.datetime64("2024-01-01T08:00")
    assert list(d["flag"][:3]) == [False, True, True]


def test_iter_csv_chunks_equal_read_csv(sample_csv):
    whole = cogniforge.read_csv(sample_csv).to_dict()
    with cogniforge.iter_csv(sample_csv, chunk_rows=10) as reader:
        assert reader.column_names == list(whole)
        assert reader.schema["when"] == "timestamp"
        chunks = [chunk.to_dict() for chunk in reader]
        assert reader.rows_read == 53
    assert [len(c["id"]) for c in chunks] == [10, 10, 10, 10, 10, 3]
    for name, values in whole.items():
        joined = np.concatenate([c[name] for c in chunks])
        if values.dtype == object:
            assert list(joined) == list(values)
        else:
            np.testing.assert_array_equal(joined, values)
    assert reader.closed


def test_csv_options(sample_csv):
    t = cogniforge.read_csv(sample_csv, types={"id": "float", "flag": "string"}, na_values=[""])
    assert t.schema == {"id": "float64", "price": "float64", "name": "string", "when": "timestamp",
                        "flag": "string"}
    assert t.column("name")[3] == "NA"  # not an NA token any more
    t = cogniforge.read_csv(sample_csv, types=[str, None, None, "string", None])
    assert t.schema["id"] == "string" and t.schema["when"] == "string" and t.schema["price"] == "float64"
    with pytest.raises(ValueError, match="unknown columns"):
        cogniforge.read_csv(sample_csv, types={"nope": "int64"})
    with pytest.raises(cogniforge.InvalidArgumentError, match="unknown column type 'quaternion'"):
        cogniforge.read_csv(sample_csv, types={"id": "quaternion"})
    with pytest.raises(ValueError, match="needs names"):
        cogniforge.read_csv(sample_csv, header=False)
    with pytest.raises(TypeError, match="single ASCII character"):
        cogniforge.read_csv(sample_csv, delimiter=", ")


def test_gzip_and_delimiter(tmp_path):
    p = tmp_path / "data.tsv.gz"
    p.write_bytes(gzip.compress(b"a\tb\n1\tx\n2\ty\n"))
    t = cogniforge.read_csv(p, delimiter="\t")
    assert t.to_dict()["b"].tolist() == ["x", "y"]


def test_adult_read_csv():
    t = cogniforge.read_csv(ADULT, **ADULT_OPTS)
    assert (t.num_rows, t.num_columns) == (32561, 15)
    assert t.column_names == ADULT_NAMES
    assert t.null_counts()["workclass"] == 1836  # '?' tokens
    assert set(t.column("income")) == {"<=50K", ">50K"}


def test_ragged_row_raises_format_error_naming_the_line(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("a,b\n" + "1,2\n" * 10 + "3\n4,5\n")
    with pytest.raises(cogniforge.FormatError, match=r"ragged\.csv:12\b"):
        cogniforge.read_csv(p)
    reader = cogniforge.iter_csv(p, chunk_rows=4, infer_rows=3)
    assert len(next(reader)) == 4
    with pytest.raises(cogniforge.FormatError, match=":12"):
        list(reader)
    assert reader.closed
    assert list(reader) == []


def test_missing_file():
    with pytest.raises(cogniforge.NotFoundError):
        cogniforge.read_csv("/nonexistent/file.csv")
