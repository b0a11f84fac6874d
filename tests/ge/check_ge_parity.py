#!/usr/bin/python3
"""GX parity test: cogniforge's `validate` must give the same verdicts and figures as Great Expectations.

  python3 tests/ge/check_ge_parity.py --cogniforge BUILD/tools/cogniforge --venv VENV_DIR
  python3 tests/ge/check_ge_parity.py --venv VENV_DIR --ge-only       # GX half alone (fixture self-check)

Run with Debian's /usr/bin/python3 (standard library only); GX runs in VENV_DIR (tests/ge/setup_venv.sh)
through tests/ge/ge_run.py. For each case the same CSV is validated by GX (pandas) and by
`cogniforge validate --format json` with the same reader options, and the results are compared expectation by
expectation (by index; ge_run.py puts GX's results back in suite order):

  * success and exception_info.raised_exception (GX nests it per metric for metric errors) equal;
  * result.element_count / missing_count / unexpected_count equal whenever GX reports them;
  * result.observed_value equal: numbers to 1e-9 relative, timestamps as instants (GX prints naive ISO
    strings; a naive string is taken as UTC), column sets and mode lists as sets, other lists in order;
  * distinct-value expectations: partial_unexpected_list / partial_missing_list as sets;
  * quantiles: observed {quantiles, values} and details.success_details;
  * overall success, statistics, and the exit status (0 pass / 1 fail).

A last case profiles data with `cogniforge profile` and proves that GX loads the suite it writes (and that
GX and cogniforge agree on it). Exit 0 when everything agrees, 1 on any mismatch or failure (also while
`cogniforge validate` or `profile` is missing), 2 for bad usage. The last line is always
"ge parity: N cases, M expectations compared, K mismatches".
"""
import argparse
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GE_RUN = os.path.join(HERE, "ge_run.py")

ADULT_NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
               "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
               "native-country", "income"]
ADULT_CSV = {"header": False, "names": ADULT_NAMES, "delimiter": ",", "skip_initial_space": True,
             "na_values": ["?"]}
EVERY_CSV = {"header": True, "names": None, "delimiter": ",", "skip_initial_space": False,
             "na_values": None, "parse_dates": ["created"]}

CASES = [
    # name, data, suite, csv options, GX-side sanity check
    ("adult-train", "data/adult/adult-train.csv.zst", "data/adult/suite.json", ADULT_CSV, "adult-train"),
    ("adult-test", "data/adult/adult-test.csv.zst", "data/adult/suite.json", ADULT_CSV, "adult-test"),
    ("every", "tests/ge/every_expectation.csv", "tests/ge/every_expectation_suite.json", EVERY_CSV, "every"),
    ("every-v0", "tests/ge/every_expectation.csv", "tests/ge/every_expectation_suite_v0.json", EVERY_CSV, "every"),
]
PROFILE_CASES = [
    ("profile-adult-train", "data/adult/adult-train.csv.zst", ADULT_CSV),
    ("profile-every", "tests/ge/every_expectation.csv", EVERY_CSV),
]

DISTINCT_SET_TYPES = {
    "expect_column_distinct_values_to_be_in_set",
    "expect_column_distinct_values_to_contain_set",
    "expect_column_distinct_values_to_equal_set",
}
SET_OBSERVED_TYPES = DISTINCT_SET_TYPES | {
    "expect_table_columns_to_match_set",
    "expect_column_most_common_value_to_be_in_set",
}
COUNT_KEYS = ("element_count", "missing_count", "unexpected_count")
REL_TOL = 1e-9


class Failure(Exception):
    """A case could not be run at all (tool missing, bad output)."""


# ---------------------------------------------------------------------------------------------- running

def run_ge(venv, request, timeout=600):
    py = os.path.join(venv, "bin", "python")
    proc = subprocess.run([py, GE_RUN], input=json.dumps(request).encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=timeout, check=False)
    try:
        out = json.loads(proc.stdout.decode())
    except ValueError:
        raise Failure(f"ge_run.py exit {proc.returncode}, no JSON on stdout; stderr:\n"
                      + proc.stderr.decode(errors="replace")[-3000:])
    if proc.returncode != 0 or (isinstance(out, dict) and out.get("ok") is False):
        raise Failure(f"ge_run.py exit {proc.returncode}: {out.get('error') if isinstance(out, dict) else out}")
    return out


def ge_request(data, suite, csv_opts):
    req = {"data": data, "suite": suite}
    req.update({k: v for k, v in csv_opts.items()})
    return req


def cli_csv_args(csv_opts):
    args = []
    if not csv_opts.get("header", True):
        args.append("--no-header")
    if csv_opts.get("names"):
        args += ["--names", ",".join(csv_opts["names"])]
    if csv_opts.get("delimiter", ",") != ",":
        args += ["--delimiter", csv_opts["delimiter"]]
    if csv_opts.get("skip_initial_space"):
        args.append("--skip-initial-space")
    if csv_opts.get("na_values") is not None:
        args += ["--na", ",".join(csv_opts["na_values"])]
    return args


def run_cli(cmd, timeout=600):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, timeout=timeout,
                              check=False)
    except FileNotFoundError as e:
        raise Failure(f"cannot run {cmd[0]}: {e}")
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out after {timeout} s: {' '.join(cmd)}")
    return proc


def run_cogniforge_validate(cf, data, suite, csv_opts, tmpdir, now_iso):
    out_path = os.path.join(tmpdir, "cf-result.json")
    if os.path.exists(out_path):
        os.unlink(out_path)
    cmd = [cf, "validate", "--data", data, "--suite", suite] + cli_csv_args(csv_opts) + \
          ["--format", "json", "--out", out_path, "--now", now_iso]
    proc = run_cli(cmd)
    err = proc.stderr.decode(errors="replace").strip()
    if proc.returncode not in (0, 1):
        raise Failure(f"`cogniforge validate` exit {proc.returncode} (0 pass / 1 fail expected): "
                      f"{' '.join(cmd)}\n    {err[-2000:] or proc.stdout.decode(errors='replace')[-2000:]}")
    text = ""
    if os.path.exists(out_path):
        with open(out_path, encoding="utf-8") as f:
            text = f.read()
    if not text.strip():
        text = proc.stdout.decode(errors="replace")  # tolerate a CLI that ignores --out
    try:
        result = json.loads(text)
    except ValueError as e:
        raise Failure(f"`cogniforge validate` printed no valid JSON ({e}): {' '.join(cmd)}\n    {text[:500]}")
    if not isinstance(result, dict) or not isinstance(result.get("results"), list):
        raise Failure("`cogniforge validate` JSON has no results[] list")
    return result, proc.returncode


# ---------------------------------------------------------------------------------------------- comparing

def as_bool(v):
    """GX 1.24.1 serialises some `success` values (quantile expectation: numpy.bool_) as "True"/"False"."""
    if isinstance(v, str):
        if v in ("True", "true"):
            return True
        if v in ("False", "false"):
            return False
    return bool(v)


def exc_raised(info):
    """GX's exception_info is {raised_exception, ...} or, for metric errors, {metric_id: {raised_exception,...}}."""
    if not isinstance(info, dict):
        return False
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())


def exp_type(r):
    cfg = r.get("expectation_config") or {}
    return cfg.get("type") or cfg.get("expectation_type") or r.get("expectation_type")


def exp_column(r):
    kw = (r.get("expectation_config") or {}).get("kwargs") or {}
    for k in ("column", "column_list", "column_A"):
        if k in kw:
            v = kw[k]
            if k == "column_A":
                return f"{v},{kw.get('column_B')}"
            return ",".join(v) if isinstance(v, list) else str(v)
    return ""


def parse_instant(s):
    """An ISO-8601 string as an aware UTC datetime (naive = UTC), or None."""
    if not isinstance(s, str) or len(s) < 10 or s[4:5] != "-" or s[7:8] != "-":
        return None
    t = s.strip().replace(" ", "T", 1)
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    try:
        d = datetime.datetime.fromisoformat(t)
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.astimezone(datetime.timezone.utc)


def num_equal(a, b):
    fa, fb = float(a), float(b)
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    if fa == fb:
        return True
    return abs(fa - fb) <= REL_TOL * max(abs(fa), abs(fb))


def canon(v):
    """A hashable canonical form for set comparison (numbers as floats, timestamps as instants)."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, (int, float)):
        return ("n", float(v))
    if isinstance(v, str):
        d = parse_instant(v)
        return ("t", d.isoformat()) if d else ("s", v)
    if isinstance(v, list):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("d", tuple(sorted((k, canon(x)) for k, x in v.items())))
    return ("o", repr(v))


def values_equal(g, c, as_set=False):
    """GX value g vs cogniforge value c. Returns True when they agree."""
    if g is None or c is None:
        return g is None and c is None
    if as_set and isinstance(g, list) and isinstance(c, list):
        return sorted(map(canon, g)) == sorted(map(canon, c)) and len(g) == len(c)
    if isinstance(g, bool) or isinstance(c, bool):
        return isinstance(g, bool) and isinstance(c, bool) and g == c
    if isinstance(g, (int, float)) and isinstance(c, (int, float)):
        return num_equal(g, c)
    if isinstance(g, str) and isinstance(c, str):
        dg, dc = parse_instant(g), parse_instant(c)
        if dg and dc:
            return dg == dc
        return g == c
    if isinstance(g, list) and isinstance(c, list):
        return len(g) == len(c) and all(values_equal(x, y) for x, y in zip(g, c))
    if isinstance(g, dict) and isinstance(c, dict):
        return set(g) == set(c) and all(values_equal(g[k], c[k]) for k in g)
    return False


def short(v, n=60):
    s = json.dumps(v, default=str)
    return s if len(s) <= n else s[: n - 3] + "..."


def compare_results(case, gx, cf, exit_code):
    """Return (expectations compared, list of mismatch rows (case, idx, type, column, field, gx, cf))."""
    rows = []

    def bad(idx, etype, col, field, gv, cv):
        rows.append((case, idx, etype or "", col, field, short(gv), short(cv)))

    gres, cres = gx.get("results") or [], cf.get("results") or []
    if len(gres) != len(cres):
        bad("-", "suite", "", "len(results)", len(gres), len(cres))
    n = min(len(gres), len(cres))
    for i in range(n):
        g, c = gres[i], cres[i]
        gt, ct = exp_type(g), exp_type(c)
        col = exp_column(g)
        if gt != ct:
            bad(i, gt, col, "type", gt, ct)
            continue
        if as_bool(g.get("success")) != as_bool(c.get("success")):
            bad(i, gt, col, "success", g.get("success"), c.get("success"))
        graised, craised = exc_raised(g.get("exception_info")), exc_raised(c.get("exception_info"))
        if graised != craised:
            bad(i, gt, col, "raised_exception", graised, craised)
        if graised:
            continue  # GX has no result figures for an expectation that raised
        gr, cr = g.get("result") or {}, c.get("result") or {}
        for key in COUNT_KEYS:
            if key in gr and gr[key] is not None:
                if not values_equal(gr[key], cr.get(key)):
                    bad(i, gt, col, key, gr[key], cr.get(key))
        if "observed_value" in gr:
            if "observed_value" not in cr:
                bad(i, gt, col, "observed_value", gr["observed_value"], "<absent>")
            elif not values_equal(gr["observed_value"], cr["observed_value"], as_set=gt in SET_OBSERVED_TYPES):
                bad(i, gt, col, "observed_value", gr["observed_value"], cr["observed_value"])
        if gt in DISTINCT_SET_TYPES:
            for key in ("partial_unexpected_list", "partial_missing_list"):
                if key in gr and not values_equal(gr[key], cr.get(key), as_set=True):
                    bad(i, gt, col, key, gr[key], cr.get(key))
        gsd = (gr.get("details") or {}).get("success_details")
        if gsd is not None:
            csd = (cr.get("details") or {}).get("success_details")
            if not values_equal(gsd, csd):
                bad(i, gt, col, "details.success_details", gsd, csd)
    if as_bool(gx.get("success")) != as_bool(cf.get("success")):
        bad("-", "suite", "", "success", gx.get("success"), cf.get("success"))
    gs, cs = gx.get("statistics") or {}, cf.get("statistics") or {}
    for key in ("evaluated_expectations", "successful_expectations", "unsuccessful_expectations",
                "success_percent"):
        if not values_equal(gs.get(key), cs.get(key)):
            bad("-", "suite", "", f"statistics.{key}", gs.get(key), cs.get(key))
    want_exit = 0 if as_bool(gx.get("success")) else 1
    if exit_code is not None and exit_code != want_exit:
        bad("-", "suite", "", "exit status", want_exit, exit_code)
    return n, rows


def print_table(rows, out=sys.stdout):
    head = ("case", "#", "expectation", "column", "field", "GX", "cogniforge")
    cells = [head] + [tuple(str(x) for x in r) for r in rows]
    widths = [min(max(len(r[k]) for r in cells), 62) for k in range(len(head))]
    for r in cells:
        out.write("  " + " | ".join(s[: widths[k]].ljust(widths[k]) for k, s in enumerate(r)).rstrip() + "\n")


# ---------------------------------------------------------------------------------------------- GX-side checks

def ge_sanity(kind, gx, suite_path):
    """Problems with GX's own verdicts on our fixtures (the fixtures are wrong, or GX changed)."""
    probs = []
    res = gx.get("results") or []
    if kind == "adult-train" and not as_bool(gx.get("success")):
        probs.append("data/adult/suite.json does not pass on adult-train: "
                     + ", ".join(f"#{i} {exp_type(r)}" for i, r in enumerate(res) if not as_bool(r.get("success"))))
    if kind == "adult-test":
        failed = [(i, exp_type(r), exp_column(r)) for i, r in enumerate(res) if not as_bool(r.get("success"))]
        if [(t, c) for _, t, c in failed] != [("expect_column_values_to_be_in_set", "income")]:
            probs.append(f"adult-test should fail only on income in set, fails on {failed}")
    if kind == "every":
        with open(os.path.join(ROOT, suite_path), encoding="utf-8") as f:
            suite = json.load(f)
        for i, (e, r) in enumerate(zip(suite["expectations"], res)):
            note = (e.get("meta") or {}).get("expect", "")
            want = {"pass": True, "fail": False}.get(note.split(":")[0].strip())
            if want is not None and as_bool(r.get("success")) != want:
                probs.append(f"#{i} {exp_type(r)} ({exp_column(r)}): meta.expect says {note!r}, GX says "
                             f"success={r.get('success')}")
    return probs


def print_ge(case, gx):
    st = gx.get("statistics") or {}
    print(f"[{case}] GX success={gx.get('success')} evaluated={st.get('evaluated_expectations')} "
          f"successful={st.get('successful_expectations')} ({(gx.get('_ge_run') or {}).get('suite_spelling')})")
    for i, r in enumerate(gx.get("results") or []):
        res = r.get("result") or {}
        figs = {k: res[k] for k in ("observed_value",) + COUNT_KEYS if k in res}
        raised = " EXCEPTION" if exc_raised(r.get("exception_info")) else ""
        print(f"  {i:3d} {'ok  ' if as_bool(r.get('success')) else 'FAIL'} {exp_type(r)} [{exp_column(r)}] "
              f"{short(figs, 110)}{raised}")


# ---------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cogniforge", help="path of the cogniforge CLI (required unless --ge-only)")
    ap.add_argument("--venv", required=True, help="venv made by tests/ge/setup_venv.sh")
    ap.add_argument("--ge-only", action="store_true", help="run only GX and print its results")
    ap.add_argument("--skip-profile", action="store_true", help="skip the `cogniforge profile` cases")
    ap.add_argument("--case", action="append", help="run only this case (repeatable)")
    ap.add_argument("--keep", help="directory to keep GX/cogniforge JSON outputs in")
    args = ap.parse_args()

    py = os.path.join(args.venv, "bin", "python")
    if not os.access(py, os.X_OK):
        print(f"check_ge_parity: {py} missing: run sh tests/ge/setup_venv.sh {args.venv}", file=sys.stderr)
        return 2
    if not args.ge_only:
        if not args.cogniforge:
            print("check_ge_parity: --cogniforge PATH is required (or --ge-only)", file=sys.stderr)
            return 2
        args.cogniforge = os.path.abspath(args.cogniforge)
    tmpdir = tempfile.mkdtemp(prefix="ge-parity-")
    keep = os.path.abspath(args.keep) if args.keep else None
    if keep:
        os.makedirs(keep, exist_ok=True)
    now_iso = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    cases_run = compared = 0
    mismatches = []  # table rows
    failures = []  # (case, message)

    def wanted(name):
        return not args.case or name in args.case

    def save(name, what, obj):
        if keep:
            with open(os.path.join(keep, f"{name}.{what}.json"), "w", encoding="utf-8") as f:
                json.dump(obj, f, indent=1, default=str)

    try:
        # 0. GX loads the suites we ship.
        for suite in ("data/adult/suite.json", "tests/ge/every_expectation_suite.json",
                      "tests/ge/every_expectation_suite_v0.json"):
            try:
                out = run_ge(args.venv, {"load_suite": suite})
                with open(os.path.join(ROOT, suite), encoding="utf-8") as f:
                    n = len(json.load(f)["expectations"])
                if out.get("expectations") != n:
                    failures.append((f"load {suite}", f"GX loaded {out.get('expectations')} of {n} expectations"))
            except Failure as e:
                failures.append((f"load {suite}", str(e)))

        # 1. Data + suite cases.
        every_verdicts = {}
        for name, data, suite, csv_opts, kind in CASES:
            if not wanted(name):
                continue
            cases_run += 1
            t0 = time.time()
            try:
                gx = run_ge(args.venv, ge_request(data, suite, csv_opts))
            except Failure as e:
                failures.append((name, f"GX: {e}"))
                continue
            save(name, "gx", gx)
            for p in ge_sanity(kind, gx, suite):
                failures.append((name, f"GX fixture check: {p}"))
            if kind == "every":
                every_verdicts[name] = [as_bool(r.get("success")) for r in gx.get("results") or []]
            if args.ge_only:
                print_ge(name, gx)
                compared += len(gx.get("results") or [])
                continue
            try:
                cf, code = run_cogniforge_validate(args.cogniforge, data, suite, csv_opts, tmpdir, now_iso)
            except Failure as e:
                failures.append((name, str(e)))
                continue
            save(name, "cogniforge", cf)
            n, rows = compare_results(name, gx, cf, code)
            compared += n
            mismatches += rows
            print(f"[{name}] {n} expectations, {len(rows)} mismatches ({time.time() - t0:.1f} s)")
        if len(set(map(tuple, every_verdicts.values()))) > 1:
            failures.append(("every-v0", "GX verdicts differ between the 1.x and 0.x spellings of the suite"))

        # 2. Suites written by `cogniforge profile` load in GX, and GX and cogniforge agree on them.
        if not args.ge_only and not args.skip_profile:
            for name, data, csv_opts in PROFILE_CASES:
                if not wanted(name):
                    continue
                cases_run += 1
                prof = os.path.join(tmpdir, f"{name}.json")
                cmd = [args.cogniforge, "profile", "--data", data] + cli_csv_args(csv_opts) + ["--out", prof]
                proc = run_cli(cmd)
                if proc.returncode != 0 or not os.path.exists(prof):
                    msg = (proc.stderr or proc.stdout).decode(errors="replace").strip()[-1500:]
                    failures.append((name, f"`cogniforge profile` failed (exit {proc.returncode}); the CLI may "
                                     f"lack the command (use --skip-profile to skip): {' '.join(cmd)}\n    {msg}"))
                    continue
                with open(prof, encoding="utf-8") as f:
                    text = f.read()
                save(name, "suite", json.loads(text) if text.strip() else None)
                try:
                    n_file = len(json.loads(text).get("expectations") or [])
                    out = run_ge(args.venv, {"load_suite": prof})
                except (Failure, ValueError, AttributeError) as e:
                    failures.append((name, f"GX cannot load the suite `cogniforge profile` wrote: {e}"))
                    continue
                if out.get("expectations") != n_file or n_file == 0:
                    failures.append((name, f"GX loaded {out.get('expectations')} of {n_file} expectations"))
                    continue
                try:
                    gx = run_ge(args.venv, ge_request(data, prof, csv_opts))
                    cf, code = run_cogniforge_validate(args.cogniforge, data, prof, csv_opts, tmpdir, now_iso)
                except Failure as e:
                    failures.append((name, str(e)))
                    continue
                n, rows = compare_results(name, gx, cf, code)
                compared += n
                mismatches += rows
                if not as_bool(gx.get("success")):
                    failures.append((name, "GX says the profiled suite fails on the data it was profiled from: "
                                     + ", ".join(f"#{i} {exp_type(r)} [{exp_column(r)}]"
                                                 for i, r in enumerate(gx["results"]) if not as_bool(r.get("success")))))
                print(f"[{name}] GX loads {n_file} expectations; {n} compared, {len(rows)} mismatches")
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    if mismatches:
        print("\nmismatches (GX is the reference):")
        print_table(mismatches)
    for case, msg in failures:
        print(f"FAIL [{case}] {msg}")
    k = len(mismatches) + len(failures)
    print(f"ge parity: {cases_run} cases, {compared} expectations compared, {k} mismatches"
          + (" (GX only)" if args.ge_only else ""))
    return 1 if k else 0


if __name__ == "__main__":
    sys.exit(main())
