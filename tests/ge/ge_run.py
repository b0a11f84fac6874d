#!/usr/bin/env python3
"""Run a Great Expectations (GX 1.x) validation on a CSV file and print GX's validation-result JSON.

Runs INSIDE the venv made by tests/ge/setup_venv.sh. Reads one JSON request on stdin:

  validate:   {"data": PATH (.csv, .csv.gz or .csv.zst), "suite": PATH,
               "header": true|false, "names": [..] | null, "delimiter": ",",
               "skip_initial_space": false, "na_values": [..] | null (default ["", "NA", "?"]),
               "parse_dates": [column, ..] (optional), "parameters": {..} (optional, override the
               suite's suite_parameters), "result_format": "SUMMARY" (optional)}
  load suite: {"load_suite": PATH}  ->  {"ok": true, "expectations": N, ...} or {"ok": false, "error": ..}

The CSV is read with pandas exactly as asked (keep_default_na=False + na_values, so only the given tokens
are NA). The suite file may use the 0.x spelling (expectation_suite_name, expectation_type,
evaluation_parameters, ge_cloud_id, data_asset_type), the 1.x spelling, or a mix; it is normalised to what
GX 1.x's ExpectationSuite accepts. Suite parameters ($PARAMETER references) are resolved by GX from
Batch.validate(expectation_parameters=...), which receives the suite's own suite_parameters (GX 1.x does
not read them from the suite object) updated with the request's "parameters".

Output on stdout: ExpectationSuiteValidationResult.to_json_dict(), with two changes, both recorded under
the extra top-level key "_ge_run":
  * results are put back in suite order (GX 1.x lists the expectations whose metrics raised an exception
    first, then the others in suite order); each expectation is tagged with meta "_cf_index" to do so,
    and the tag is removed again;
  * nothing else is touched (kwargs still carry GX's batch_id and resolved parameters).
Exit status: 0 when the validation ran (whatever its verdict), 2 for a bad request, 3 when GX could not
load the suite or read the data.
"""
import copy
import gzip
import io
import json
import os
import subprocess
import sys
import traceback

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

DEFAULT_NA = ["", "NA", "?"]
INDEX_TAG = "_cf_index"

SUITE_KEYS_V0_TO_V1 = {
    "expectation_suite_name": "name",
    "evaluation_parameters": "suite_parameters",
    "ge_cloud_id": "id",
}
SUITE_KEYS_DROPPED = ("data_asset_type",)
EXPECTATION_KEYS_V0_TO_V1 = {"expectation_type": "type", "ge_cloud_id": "id"}


class RequestError(Exception):
    pass


def fail(code, **payload):
    payload.setdefault("ok", False)
    sys.stdout.write(json.dumps(payload, indent=1, default=str) + "\n")
    sys.exit(code)


def normalise_suite(raw):
    """Return (suite dict in GX 1.x spelling, spelling seen: 'v0', 'v1' or 'mixed')."""
    if not isinstance(raw, dict):
        raise ValueError("suite JSON is not an object")
    seen = set()
    out = {}
    for key, value in raw.items():
        if key in SUITE_KEYS_V0_TO_V1:
            seen.add("v0")
            new = SUITE_KEYS_V0_TO_V1[key]
            if new in raw:
                continue  # both spellings: the 1.x key wins
            out[new] = value
        elif key in SUITE_KEYS_DROPPED:
            seen.add("v0")
        else:
            if key in ("name", "suite_parameters"):
                seen.add("v1")
            out[key] = value
    exps = []
    for i, exp in enumerate(out.get("expectations") or []):
        if not isinstance(exp, dict):
            raise ValueError(f"expectation {i} is not an object")
        e = {}
        for key, value in exp.items():
            if key in EXPECTATION_KEYS_V0_TO_V1:
                seen.add("v0")
                new = EXPECTATION_KEYS_V0_TO_V1[key]
                if new in exp:
                    continue
                e[new] = value
            else:
                if key == "type":
                    seen.add("v1")
                e[key] = value
        if "type" not in e:
            raise ValueError(f"expectation {i} has no type/expectation_type")
        exps.append(e)
    out["expectations"] = exps
    if out.get("suite_parameters") is None:
        out["suite_parameters"] = {}
    spelling = "mixed" if len(seen) > 1 else (seen.pop() if seen else "v1")
    return out, spelling


def build_suite(path, tag=False):
    """Load a suite file into a GX ExpectationSuite. Raises on anything GX does not accept."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    norm, spelling = normalise_suite(raw)
    exps = copy.deepcopy(norm["expectations"])
    if tag:
        for i, e in enumerate(exps):
            meta = dict(e.get("meta") or {})
            meta[INDEX_TAG] = i
            e["meta"] = meta
    kwargs = {k: v for k, v in norm.items() if k in ("name", "id", "suite_parameters", "meta", "notes")}
    # ExpectationSuite() logs and silently drops an expectation whose configuration it finds invalid:
    # count them so that a dropped one is an error here.
    suite = ExpectationSuite(expectations=exps, **kwargs)
    if len(suite.expectations) != len(exps):
        raise ValueError(
            f"GX dropped {len(exps) - len(suite.expectations)} of {len(exps)} expectations as invalid "
            "(see the GX log on stderr)"
        )
    return suite, norm, spelling


def open_data(path):
    """The decompressed bytes of a .csv / .gz / .zst file."""
    if path.endswith(".zst"):
        proc = subprocess.run(["zstd", "-dc", "--", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if proc.returncode != 0:
            raise OSError(f"zstd -dc {path}: {proc.stderr.decode(errors='replace').strip()}")
        return proc.stdout
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def read_frame(req):
    import pandas as pd

    na = req.get("na_values")
    if na is None:
        na = DEFAULT_NA
    header = req.get("header", True)
    names = req.get("names")
    kwargs = dict(
        sep=req.get("delimiter", ","),
        skipinitialspace=bool(req.get("skip_initial_space", False)),
        keep_default_na=False,
        na_values=list(na),
    )
    if header:
        kwargs["header"] = 0
        if names:
            kwargs["names"] = list(names)  # replace the file's header
    else:
        kwargs["header"] = None
        if names:
            kwargs["names"] = list(names)
    if req.get("parse_dates"):
        kwargs["parse_dates"] = list(req["parse_dates"])
    return pd.read_csv(io.BytesIO(open_data(req["data"])), **kwargs)


def quiet_context():
    import great_expectations as gx

    ctx = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    except Exception:  # progress bars only go to stderr; not worth failing for
        pass
    return ctx


def do_load_suite(path):
    import great_expectations as gx

    try:
        suite, norm, spelling = build_suite(path)
    except Exception as e:  # noqa: BLE001 - report whatever GX raised
        fail(3, error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc())
    # Round trip through GX's own serialisation too: what a GX store would write.
    try:
        dumped = suite.to_json_dict()
    except Exception as e:  # noqa: BLE001
        fail(3, error=f"to_json_dict: {type(e).__name__}: {e}")
    out = {
        "ok": True,
        "expectations": len(suite.expectations),
        "name": suite.name,
        "spelling": spelling,
        "types": [e.expectation_type for e in suite.expectations],
        "suite_parameters": norm.get("suite_parameters") or {},
        "great_expectations_version": gx.__version__,
        "suite": dumped,
    }
    sys.stdout.write(json.dumps(out, indent=1, default=str) + "\n")


def do_validate(req):
    import great_expectations as gx
    import pandas as pd

    for key in ("data", "suite"):
        if not isinstance(req.get(key), str):
            raise RequestError(f"request needs a string '{key}'")
    try:
        df = read_frame(req)
    except Exception as e:  # noqa: BLE001
        fail(3, error=f"reading {req['data']}: {type(e).__name__}: {e}")
    try:
        suite, norm, spelling = build_suite(req["suite"], tag=True)
    except Exception as e:  # noqa: BLE001
        fail(3, error=f"loading {req['suite']}: {type(e).__name__}: {e}", traceback=traceback.format_exc())

    params = dict(norm.get("suite_parameters") or {})
    params.update(req.get("parameters") or {})

    ctx = quiet_context()
    ds = ctx.data_sources.add_pandas("cogniforge_pandas")
    asset = ds.add_dataframe_asset("cogniforge_frame")
    bd = asset.add_batch_definition_whole_dataframe("cogniforge_whole_frame")
    batch = bd.get_batch(batch_parameters={"dataframe": df})
    result = batch.validate(
        suite,
        result_format=req.get("result_format", "SUMMARY"),
        expectation_parameters=params,
    )
    out = result.to_json_dict()

    gx_order = []
    results = out.get("results") or []
    for pos, r in enumerate(results):
        meta = (r.get("expectation_config") or {}).get("meta") or {}
        idx = meta.pop(INDEX_TAG, None)
        gx_order.append(idx)
        if idx is None:
            raise RuntimeError(f"GX result {pos} lost its {INDEX_TAG} tag")
    out["results"] = [r for _, r in sorted(zip(gx_order, results), key=lambda t: t[0])]
    out["_ge_run"] = {
        "great_expectations_version": gx.__version__,
        "pandas_version": pd.__version__,
        "suite_spelling": spelling,
        "rows": int(len(df)),
        "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
        "expectation_parameters": params,
        "gx_result_order": gx_order,
        "reordered": gx_order != sorted(gx_order),
    }
    sys.stdout.write(json.dumps(out, indent=1, default=str) + "\n")


def main():
    try:
        req = json.load(sys.stdin)
    except ValueError as e:
        fail(2, error=f"request is not JSON: {e}")
    if not isinstance(req, dict):
        fail(2, error="request is not a JSON object")
    try:
        if "load_suite" in req:
            do_load_suite(req["load_suite"])
        else:
            do_validate(req)
    except RequestError as e:
        fail(2, error=str(e))


if __name__ == "__main__":
    main()
