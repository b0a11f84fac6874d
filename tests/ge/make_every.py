#!/usr/bin/env python3
"""Generate tests/ge/every_expectation.csv and the suites that exercise every supported expectation.

Deterministic (no random module, no clock): running it again rewrites byte-identical files.

  python3 tests/ge/make_every.py [OUT_DIR]      (default: the directory of this script)

Writes every_expectation.csv (400 rows, header), every_expectation_suite.json (GX 1.x spelling) and
every_expectation_suite_v0.json (the same suite in the 0.x spelling). Read the CSV with a header, default NA
tokens {"", "NA", "?"} and parse_dates=["created"] (pandas then gives: id/grp/grp_copy/a/b/c int64,
score float64 (an int column with nulls), price/cost float64, color/code/comment/note object, active bool,
created datetime64[ns] (naive; the values are UTC wall-clock times in 2001)).

The data is built so that counts land exactly on the `mostly` boundaries used in the suite; the comments
next to each expectation give the expected verdict and why (checked against GX 1.24.1 by
tests/ge/check_ge_parity.py --ge-only).
"""
import csv
import datetime
import io
import json
import os
import sys

N = 400
COLUMNS = ["id", "grp", "grp_copy", "score", "price", "cost", "color", "code", "comment", "active",
           "created", "a", "b", "c", "note"]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
         "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]
BASE = datetime.datetime(2001, 1, 1, 0, 0, 0)


def row(i):
    """Row i, 1-based. Empty string = null (also "NA" and "?" are used as null tokens)."""
    grp = i % 5 + 1
    grp_copy = grp + 1 if i % 45 == 1 else grp  # 9 rows differ: 391/400 = 0.9775 equal
    # score: int with nulls (so pandas reads float64). 40 nulls (i % 10 == 0), 360 non-null,
    # 36 of them are 150 (i % 10 == 5 and i < 360): 324/360 = 0.9 within [0, 100].
    if i % 10 == 0:
        score = "NA" if i % 20 == 0 else ""
    elif i % 10 == 5 and i < 360:
        score = "150"
    else:
        score = str((i * 37) % 101)
    # price: float, 20 nulls (i % 20 == 7), min exactly 10.00 (row 2), max 99.99 or below.
    if i % 20 == 7:
        price_v = None
    elif i == 2:
        price_v = 10.0
    else:
        price_v = 10 + ((i * 7919) % 9000) / 100
    price = "" if price_v is None else "%.2f" % price_v
    # cost: below price except i % 50 == 3 (equal), i % 100 == 42 (price + 1); null where price is,
    # plus i % 40 == 11 where only cost is null.
    if price_v is None or i % 40 == 11:
        cost = ""
    elif i % 50 == 3:
        cost = price
    elif i % 100 == 42:
        cost = "%.2f" % (price_v + 1)
    else:
        cost = "%.2f" % (round(price_v * 0.6, 2))
    # color: categorical; red most common; 7 purple (i % 57 == 0); 16 nulls (i % 25 == 0) written "?" or "".
    if i % 25 == 0:
        color = "?" if i % 50 == 0 else ""
    elif i % 57 == 0:
        color = "purple"
    else:
        color = ["red", "red", "red", "red", "green", "green", "green", "blue", "blue", "yellow"][i % 10]
    # code: AB-0001 ..., 28 lower-case ab-NNNN (i % 14 == 0): 372/400 = 0.93 match ^AB-\d{4}$.
    code = ("ab-%04d" if i % 14 == 0 else "AB-%04d") % i
    # comment: free text 1..6 words, 50 nulls (i % 8 == 0); some contain ERROR, commas or quotes.
    if i % 8 == 0:
        comment = ""
    else:
        nw = 1 + (i * 7) % 6
        words = [WORDS[(i * 3 + k * 11) % len(WORDS)] for k in range(nw)]
        if i % 31 == 0:
            words.append("ERROR")
        comment = " ".join(words)
        if i % 29 == 0:
            comment = comment.replace(" ", ", ", 1)
        if i % 37 == 0:
            comment = 'said "' + comment + '"'
    active = "true" if (i * 13) % 7 < 4 else "false"
    if i % 50 == 49:
        created = ""
    else:
        created = (BASE + datetime.timedelta(seconds=i * (17 * 3600 + 13 * 60 + 7))).strftime("%Y-%m-%dT%H:%M:%S")
    a = i % 20
    b = 20 + (i * 3) % 20
    if i % 50 == 17:  # 8 rows where a == b (not unique within record), still summing to 100
        b = a
    c = 100 - a - b
    if i % 40 == 13:  # 10 rows summing to 101
        c += 1
    note = "checked %d" % i if i % 40 == 0 else ""  # 10 non-null: 390/400 = 0.975 null
    return [str(i), str(grp), str(grp_copy), score, price, cost, color, code, comment, active, created,
            str(a), str(b), str(c), note]


def E(etype, note=None, **kwargs):
    e = {"type": etype, "kwargs": kwargs, "meta": {}}
    if note:
        e["meta"]["expect"] = note
    return e


def expectations():
    all_cols = list(COLUMNS)
    return [
        # --- table level
        E("expect_table_row_count_to_be_between", "pass: inclusive bounds", min_value=400, max_value=400),
        E("expect_table_row_count_to_be_between", "fail", min_value=401, max_value=None),
        E("expect_table_row_count_to_equal", "pass", value=400),
        E("expect_table_row_count_to_equal", "pass: suite parameter", value={"$PARAMETER": "expected_rows"}),
        E("expect_table_row_count_to_equal", "fail", value=399),
        E("expect_table_columns_to_match_ordered_list", "pass", column_list=all_cols),
        E("expect_table_columns_to_match_ordered_list", "fail: two swapped",
          column_list=all_cols[:1] + [all_cols[2], all_cols[1]] + all_cols[3:]),
        E("expect_table_columns_to_match_set", "pass: same set, other order", column_set=sorted(all_cols),
          exact_match=True),
        E("expect_table_columns_to_match_set", "pass: subset, exact_match false",
          column_set=["id", "color", "price"], exact_match=False),
        E("expect_table_columns_to_match_set", "fail: subset, exact_match true",
          column_set=["id", "color", "price"], exact_match=True),
        E("expect_table_columns_to_match_set", "fail: unknown column, exact_match false",
          column_set=["id", "colour"], exact_match=False),
        E("expect_column_to_exist", "pass", column="id"),
        E("expect_column_to_exist", "pass: at index", column="color", column_index=6),
        E("expect_column_to_exist", "fail: wrong index", column="color", column_index=5),
        E("expect_column_to_exist", "fail: absent", column="colour"),
        E("expect_table_column_count_to_be_between", "pass", min_value=15, max_value=20),
        E("expect_table_column_count_to_be_between", "fail", min_value=1, max_value=14),
        E("expect_table_column_count_to_equal", "pass", value=15),
        E("expect_table_column_count_to_equal", "fail", value=14),
        # --- nulls
        E("expect_column_values_to_not_be_null", "pass", column="id"),
        E("expect_column_values_to_not_be_null", "pass: 384/400 = 0.96 == mostly", column="color", mostly=0.96),
        E("expect_column_values_to_not_be_null", "fail: 0.96 < 0.9625", column="color", mostly=0.9625),
        E("expect_column_values_to_not_be_null", "fail", column="score"),
        E("expect_column_values_to_not_be_null", "fail: 8 NaT", column="created"),
        E("expect_column_values_to_be_null", "pass: 390/400 = 0.975 == mostly", column="note", mostly=0.975),
        E("expect_column_values_to_be_null", "fail", column="note"),
        # --- between (map)
        E("expect_column_values_to_be_between", "pass: 324/360 = 0.9 == mostly (nulls excluded)",
          column="score", min_value=0, max_value=100, mostly=0.9),
        E("expect_column_values_to_be_between", "fail: 0.9 < 0.91", column="score", min_value=0,
          max_value=100, mostly=0.91),
        E("expect_column_values_to_be_between", "pass: 150 inclusive", column="score", min_value=0,
          max_value=150),
        E("expect_column_values_to_be_between", "fail: strict_max excludes the 36 x 150", column="score",
          min_value=0, max_value=150, strict_max=True),
        E("expect_column_values_to_be_between", "fail: strict_min excludes price 10.00", column="price",
          min_value=10, max_value=None, strict_min=True),
        E("expect_column_values_to_be_between", "pass: min only", column="price", min_value=10),
        E("expect_column_values_to_be_between", "fail: 147 of 392 after June", column="created",
          min_value="2001-01-01T00:00:00", max_value="2001-06-30T00:00:00"),
        # --- sets
        E("expect_column_values_to_be_in_set", "fail: 7 purple", column="color",
          value_set=["red", "green", "blue", "yellow"]),
        E("expect_column_values_to_be_in_set", "pass: 377/384 >= 0.98", column="color",
          value_set=["red", "green", "blue", "yellow"], mostly=0.98),
        E("expect_column_values_to_be_in_set", "pass: ints", column="grp", value_set=[1, 2, 3, 4, 5]),
        E("expect_column_values_to_be_in_set", "pass: bools", column="active", value_set=[True, False]),
        E("expect_column_values_to_be_in_set", "fail: only true", column="active", value_set=[True]),
        E("expect_column_values_to_not_be_in_set", "fail: purple", column="color", value_set=["purple"]),
        E("expect_column_values_to_not_be_in_set", "pass", column="color", value_set=["black", "white"]),
        # --- regex
        E("expect_column_values_to_match_regex", "pass: 372/400 = 0.93 == mostly (1 - 28/400 < 0.93!)",
          column="code", regex=r"^AB-\d{4}$", mostly=0.93),
        E("expect_column_values_to_match_regex", "fail", column="code", regex=r"^AB-\d{4}$"),
        E("expect_column_values_to_match_regex", "pass: re.search, not fullmatch", column="comment",
          regex="[a-z]"),
        E("expect_column_values_to_not_match_regex", "fail: ERROR", column="comment", regex="ERROR"),
        E("expect_column_values_to_not_match_regex", "pass", column="comment", regex="^zzz"),
        E("expect_column_values_to_match_regex_list", "pass: any", column="code",
          regex_list=["^AB-", "^ab-"], match_on="any"),
        E("expect_column_values_to_match_regex_list", "fail: all", column="code",
          regex_list=["^AB-", r"\d{4}$"], match_on="all"),
        # --- uniqueness
        E("expect_column_values_to_be_unique", "pass", column="id"),
        E("expect_column_values_to_be_unique", "fail: every repeated value counts", column="color"),
        E("expect_column_values_to_be_unique", "pass: unique codes", column="code"),
        E("expect_compound_columns_to_be_unique", "pass", column_list=["id", "grp"]),
        E("expect_compound_columns_to_be_unique", "fail", column_list=["grp", "color"]),
        E("expect_select_column_values_to_be_unique_within_record", "fail: 8 rows a == b",
          column_list=["a", "b", "c"]),
        E("expect_select_column_values_to_be_unique_within_record", "pass: 392/400 = 0.98 == mostly",
          column_list=["a", "b", "c"], mostly=0.98),
        # --- types
        E("expect_column_values_to_be_of_type", "pass", column="id", type_="int64"),
        E("expect_column_values_to_be_of_type", "pass", column="price", type_="float64"),
        E("expect_column_values_to_be_of_type", "pass: int with nulls is float64 in pandas", column="score",
          type_="float64"),
        E("expect_column_values_to_be_of_type", "fail: int with nulls is not int64", column="score",
          type_="int64"),
        E("expect_column_values_to_be_of_type", "pass: observed object_", column="color", type_="object"),
        E("expect_column_values_to_be_of_type", "pass: per-value str check", column="color", type_="str"),
        E("expect_column_values_to_be_of_type", "pass", column="active", type_="bool"),
        E("expect_column_values_to_be_of_type", "pass", column="created", type_="datetime64"),
        E("expect_column_values_to_be_of_type", "fail", column="id", type_="float64"),
        E("expect_column_values_to_be_in_type_list", "pass", column="price", type_list=["int64", "float64"]),
        E("expect_column_values_to_be_in_type_list", "fail", column="id", type_list=["float64", "bool"]),
        E("expect_column_values_to_be_in_type_list", "fail: object column + type_list = per-value isinstance "
          "check, and no str is an np.object_", column="code", type_list=["object", "int64"]),
        E("expect_column_values_to_be_in_type_list", "pass: per-value, str matches", column="code",
          type_list=["str", "int"]),
        E("expect_column_values_to_be_of_type", "fail: per-value, no value is an int", column="color",
          type_="int"),
        # --- lengths
        E("expect_column_value_lengths_to_equal", "pass", column="code", value=7),
        E("expect_column_value_lengths_to_equal", "fail", column="comment", value=5),
        E("expect_column_value_lengths_to_be_between", "fail: 116 of 350", column="comment", min_value=5, max_value=30),
        E("expect_column_value_lengths_to_be_between", "pass", column="code", min_value=7, max_value=7),
        E("expect_column_value_lengths_to_be_between", "fail: strict", column="code", min_value=7,
          max_value=7, strict_min=True),
        # --- aggregates
        E("expect_column_min_to_be_between", "pass", column="price", min_value=10, max_value=10),
        E("expect_column_min_to_be_between", "fail: strict_min", column="price", min_value=10,
          strict_min=True),
        E("expect_column_max_to_be_between", "pass", column="score", min_value=150, max_value=150),
        E("expect_column_max_to_be_between", "fail: strict_max", column="score", max_value=150,
          strict_max=True),
        E("expect_column_max_to_be_between", "fail: stale (2001) vs now() - 1 day", column="created",
          min_value={"$PARAMETER": "now() - timedelta(days=1)"}),
        E("expect_column_max_to_be_between", "pass: now() - 100000 days", column="created",
          min_value={"$PARAMETER": "now() - timedelta(days=100000)"}),
        E("expect_column_min_to_be_between", "pass: timestamp vs ISO string", column="created",
          min_value="2001-01-01T00:00:00", max_value="2001-01-02T00:00:00"),
        E("expect_column_mean_to_be_between", "pass", column="price", min_value=10, max_value=100),
        E("expect_column_mean_to_be_between", "fail", column="score", min_value=0, max_value=10),
        E("expect_column_mean_to_be_between", "pass: bool mean", column="active", min_value=0, max_value=1),
        E("expect_column_median_to_be_between", "pass: even count of ints", column="id", min_value=200,
          max_value=201),
        E("expect_column_median_to_be_between", "pass", column="grp", min_value=3, max_value=3),
        E("expect_column_median_to_be_between", "fail", column="price", min_value=0, max_value=1),
        E("expect_column_stdev_to_be_between", "pass", column="price", min_value=1, max_value=100),
        E("expect_column_stdev_to_be_between", "fail", column="id", min_value=0, max_value=1),
        E("expect_column_sum_to_be_between", "pass: 80200", column="id", min_value=80200, max_value=80200),
        E("expect_column_sum_to_be_between", "fail: strict", column="id", min_value=80200, strict_min=True),
        E("expect_column_sum_to_be_between", "pass", column="price", min_value=0),
        E("expect_column_proportion_of_unique_values_to_be_between", "pass: 5/384", column="color",
          min_value=0, max_value=0.1),
        E("expect_column_proportion_of_unique_values_to_be_between", "pass: 1.0", column="id",
          min_value=1, max_value=1),
        E("expect_column_proportion_of_unique_values_to_be_between", "fail", column="grp", min_value=0.5),
        E("expect_column_unique_value_count_to_be_between", "pass", column="grp", min_value=5, max_value=5),
        E("expect_column_unique_value_count_to_be_between", "fail: 5 colours", column="color", min_value=4,
          max_value=4),
        E("expect_column_distinct_values_to_be_in_set", "fail: purple", column="color",
          value_set=["red", "green", "blue", "yellow"]),
        E("expect_column_distinct_values_to_be_in_set", "pass", column="grp", value_set=[1, 2, 3, 4, 5, 6]),
        E("expect_column_distinct_values_to_contain_set", "pass", column="grp", value_set=[1, 2]),
        E("expect_column_distinct_values_to_contain_set", "fail", column="color", value_set=["red", "black"]),
        E("expect_column_distinct_values_to_equal_set", "pass", column="grp", value_set=[5, 4, 3, 2, 1]),
        E("expect_column_distinct_values_to_equal_set", "fail", column="color",
          value_set=["red", "green", "blue", "yellow"]),
        E("expect_column_most_common_value_to_be_in_set", "pass", column="color", value_set=["red"]),
        E("expect_column_most_common_value_to_be_in_set", "fail", column="color", value_set=["green", "blue"]),
        E("expect_column_quantile_values_to_be_between", "pass", column="price",
          quantile_ranges={"quantiles": [0.0, 0.25, 0.5, 0.75, 1.0],
                           "value_ranges": [[10, 10], [0, 100], [0, 100], [0, 100], [0, 100]]},
          allow_relative_error=False),
        E("expect_column_quantile_values_to_be_between", "fail: one range", column="id",
          quantile_ranges={"quantiles": [0.1, 0.5, 0.9], "value_ranges": [[0, 50], [190, 210], [None, 300]]}),
        # --- column pairs / multicolumn
        E("expect_column_pair_values_a_to_be_greater_than_b", "pass", column_A="c", column_B="a"),
        E("expect_column_pair_values_a_to_be_greater_than_b", "fail: 8 equal + 4 greater + 10 with only cost null",
          column_A="price", column_B="cost"),
        E("expect_column_pair_values_a_to_be_greater_than_b", "fail: 4 greater + 10 with only cost null",
          column_A="price", column_B="cost", or_equal=True),
        E("expect_column_pair_values_a_to_be_greater_than_b", "fail: 4 rows, 30 missing",
          column_A="price", column_B="cost", or_equal=True, ignore_row_if="either_value_is_missing"),
        E("expect_column_pair_values_to_be_equal", "fail: 9 rows differ", column_A="grp", column_B="grp_copy"),
        E("expect_column_pair_values_to_be_equal", "pass: 391/400 = 0.9775 == mostly", column_A="grp",
          column_B="grp_copy", mostly=0.9775),
        E("expect_multicolumn_sum_to_equal", "fail: 10 rows sum to 101", column_list=["a", "b", "c"],
          sum_total=100),
        E("expect_multicolumn_sum_to_equal", "pass: 390/400 = 0.975 == mostly", column_list=["a", "b", "c"],
          sum_total=100, mostly=0.975),
        # --- a column the data lacks: success false with exception_info
        E("expect_column_values_to_not_be_null", "fail: exception, column absent", column="no_such_column"),
        E("expect_column_mean_to_be_between", "fail: exception, column absent", column="no_such_column",
          min_value=0),
    ]


def suite_v1():
    return {
        "name": "every_expectation",
        "id": "7d1c5c9e-3f0a-4b7e-9a51-0c2f6d7e8a11",
        "suite_parameters": {"expected_rows": 400},
        "meta": {"great_expectations_version": "1.24.1",
                 "notes": "generated by tests/ge/make_every.py; meta.expect tells the intended verdict"},
        "expectations": expectations(),
    }


def suite_v0():
    s = suite_v1()
    return {
        "expectation_suite_name": s["name"],
        "ge_cloud_id": s["id"],
        "evaluation_parameters": s["suite_parameters"],
        "data_asset_type": None,
        "meta": {**s["meta"], "great_expectations_version": "0.18.22"},
        "expectations": [{"expectation_type": e["type"], "kwargs": e["kwargs"], "meta": e["meta"]}
                         for e in s["expectations"]],
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for i in range(1, N + 1):
        w.writerow(row(i))
    with open(os.path.join(out_dir, "every_expectation.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    for name, suite in (("every_expectation_suite.json", suite_v1()),
                        ("every_expectation_suite_v0.json", suite_v0())):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(suite, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
