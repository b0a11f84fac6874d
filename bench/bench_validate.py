#!/usr/bin/python3
"""Benchmark: Great Expectations suite validation of a CSV file — `cogniforge validate` (streamed, bounded
memory) against pandas read_csv plus the same 25 checks written in plain pandas, measured in the same run.

Data: Adult train (data/adult/adult-train.csv.zst) decompressed and concatenated N times (default 1, 10, 100:
the 100x file is 3.26M rows, 397 MB); each copy keeps its trailing blank line, which both readers skip.
Suite: data/adult/suite.json, the shipped one. It fails at 10x and 100x (expect_table_row_count_to_be_between
has max 50,000); that is part of the work, and both sides must agree on every verdict.

  - cogniforge: the CLI as a fresh process (start-up included), report to stdout (discarded).
  - pandas: a fresh `/usr/bin/python3 bench_validate.py --pandas-child` process that times, in-process,
    read_csv and then the checks (interpreter start-up and `import pandas` are NOT counted: that favours
    pandas). The checks are the GX 1.x pandas semantics of each expectation type of the suite, vectorised.
Wall time is the median of RUNS runs after one warm-up run (which also yields the verdicts); peak RSS is the
child's own ru_maxrss as GNU time reports it (%M), max over the runs.

Usage: bench_validate.py BUILD_DIR OUT_MARKDOWN [--sizes "1 10 100"] [--tmp DIR] [--keep-data]
  sizes also from $BENCH_VALIDATE_SIZES; data goes to DIR (default BUILD_DIR/bench-validate-data), removed
  afterwards unless --keep-data. Exit 1 when pandas and cogniforge disagree on a verdict or a count.
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
         "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
         "income"]
NA_TOKENS = ["", "NA", "?"]  # cogniforge's default NA list (`--na`), so pandas gets exactly the same nulls
RSS_LIMIT_MIB = 256
SPEEDUP_TARGET = 5.0
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)


def runs_for(k):
    return 3 if k >= 100 else 5


# --------------------------------------------------------------------------------------------------------
# pandas peer (runs in a child process: --pandas-child FILE SUITE)
# --------------------------------------------------------------------------------------------------------

def pandas_child(path, suite_path):
    t_import = time.perf_counter()
    import numpy as np
    import pandas as pd
    t_import = time.perf_counter() - t_import

    suite = json.load(open(suite_path))
    c0, t0 = time.process_time(), time.perf_counter()
    df = pd.read_csv(path, header=None, names=NAMES, skipinitialspace=True, na_values=NA_TOKENS,
                     keep_default_na=False, skip_blank_lines=True)
    c1, t1 = time.process_time(), time.perf_counter()
    results = [check_expectation(pd, np, df, e) for e in suite["expectations"]]
    c2, t2 = time.process_time(), time.perf_counter()
    json.dump({"read_s": t1 - t0, "check_s": t2 - t1, "read_cpu": c1 - c0, "check_cpu": c2 - c1, "import_s": t_import, "pandas": pd.__version__,
               "numpy": np.__version__, "results": results}, sys.stdout)


def mostly_ok(considered, unexpected, mostly):
    """GX: success when (considered - unexpected) / considered >= mostly; an empty domain succeeds."""
    if mostly is None:
        return unexpected == 0
    if considered == 0:
        return True
    return (considered - unexpected) / considered >= mostly


def gx_comp_types(pd, np, type_):
    """The classes GX's pandas engine compares a column's dtype (and, for object columns, each value) with."""
    comp = []
    try:
        comp.append(np.dtype(type_).type)
    except TypeError:
        for mod in (pd, pd.core.dtypes.dtypes):
            t = getattr(mod, type_, None)
            if isinstance(t, type):
                comp.append(t)
    native = {"none": (type(None),), "bool": (bool,), "int": (int,), "long": (int,), "float": (float,),
              "bytes": (bytes,), "complex": (complex,), "str": (str,), "string_types": (str,),
              "list": (list,), "dict": (dict,)}.get(type_.lower())
    if native:
        comp.extend(native)
    return tuple(comp)


def type_check(pd, np, col, type_list):
    """expect_column_values_to_be_of_type / _in_type_list on pandas: compare the dtype, except for an object
    column with a non-object expected type, where every non-null value is checked (a map expectation)."""
    comp = tuple(t for ty in type_list for t in gx_comp_types(pd, np, ty))
    if col.dtype.type is np.object_ and not any(ty in ("object", "object_", "O") for ty in type_list):
        values = col.dropna()
        if str in comp and pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
            unexpected = 0  # every value is a str: one pass in C (infer_dtype) instead of a Python map
        else:
            unexpected = int((~values.map(lambda v: isinstance(v, comp))).sum())
        return {"success": unexpected == 0, "unexpected_count": unexpected}
    return {"success": col.dtype.type in comp, "observed_value": col.dtype.type.__name__}


def check_expectation(pd, np, df, e):
    t = e.get("type") or e.get("expectation_type")
    kw = e["kwargs"]
    mostly = kw.get("mostly")
    col = df[kw["column"]] if "column" in kw else None
    if t == "expect_table_columns_to_match_ordered_list":
        return {"success": list(df.columns) == list(kw["column_list"])}
    if t == "expect_table_row_count_to_be_between":
        n = len(df)
        return {"success": (kw.get("min_value") is None or n >= kw["min_value"]) and
                (kw.get("max_value") is None or n <= kw["max_value"]), "observed_value": n}
    if t == "expect_table_column_count_to_equal":
        return {"success": len(df.columns) == kw["value"], "observed_value": len(df.columns)}
    if t == "expect_column_values_to_be_of_type":
        return type_check(pd, np, col, [kw["type_"]])
    if t == "expect_column_values_to_be_in_type_list":
        return type_check(pd, np, col, list(kw["type_list"]))
    if t == "expect_column_values_to_not_be_null":
        unexpected = int(col.isna().sum())
        return {"success": mostly_ok(len(col), unexpected, mostly), "unexpected_count": unexpected}
    # The other map expectations consider the non-null values only.
    if t == "expect_column_values_to_be_in_set":
        values = col.dropna()
        unexpected = int((~values.isin(kw["value_set"])).sum())
        return {"success": mostly_ok(len(values), unexpected, mostly), "unexpected_count": unexpected}
    if t == "expect_column_values_to_be_between":
        values = col.dropna()
        lo, hi = kw.get("min_value"), kw.get("max_value")
        ok = np.ones(len(values), dtype=bool)
        if lo is not None:
            ok &= (values > lo) if kw.get("strict_min") else (values >= lo)
        if hi is not None:
            ok &= (values < hi) if kw.get("strict_max") else (values <= hi)
        unexpected = int((~ok).sum())
        return {"success": mostly_ok(len(values), unexpected, mostly), "unexpected_count": unexpected}
    if t == "expect_column_mean_to_be_between":
        m = col.mean()
        if m is None or math.isnan(m):
            return {"success": False, "observed_value": None}
        lo, hi = kw.get("min_value"), kw.get("max_value")
        ok = (lo is None or (m > lo if kw.get("strict_min") else m >= lo)) and \
             (hi is None or (m < hi if kw.get("strict_max") else m <= hi))
        return {"success": bool(ok), "observed_value": float(m)}
    if t == "expect_column_values_to_match_regex":
        values = col.dropna()
        unexpected = int((~values.astype(str).str.contains(kw["regex"], regex=True)).sum())
        return {"success": mostly_ok(len(values), unexpected, mostly), "unexpected_count": unexpected}
    raise SystemExit("bench_validate: no pandas translation for expectation type %s; add one" % t)


# --------------------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------------------

def run_child(argv, capture=False):
    """Run argv as a fresh process; return (wall seconds, exit code, peak RSS in KiB of that process,
    user+sys CPU seconds, stdout).

    The peak RSS comes from GNU time's %M (its wait4 on a child it forked itself). Not from our own os.wait4
    or RUSAGE_CHILDREN: subprocess starts the child by vfork + exec, and Linux carries the high-water mark of
    the mm replaced at exec (this Python process's, ~20 MiB and more) into the child's ru_maxrss. CPU times
    are fine from os.wait4 on GNU time (they add up over the reaped descendants)."""
    with tempfile.NamedTemporaryFile(prefix="cf-bench-rss-") as rss, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([TIME, "-f", "%M", "-o", rss.name] + argv,
                             stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                             stderr=err if capture else subprocess.DEVNULL)
        data = p.stdout.read() if capture else b""
        if capture:
            p.stdout.close()
        _, status, ru = os.wait4(p.pid, 0)  # CPU times: GNU time's own (negligible) plus its child's
        wall = time.perf_counter() - t0
        rc = p.returncode = os.waitstatus_to_exitcode(status)
        if capture and rc not in (0, 1):
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
        peak = int(open(rss.name).read().split()[-1])
    return wall, rc, peak, ru.ru_utime + ru.ru_stime, data


def make_data(tmp, sizes, root):
    raw = subprocess.run(["zstd", "-dc", os.path.join(root, "data", "adult", "adult-train.csv.zst")],
                         check=True, capture_output=True).stdout
    files = {}
    for k in sizes:
        path = os.path.join(tmp, "adult-train-x%d.csv" % k)
        if not (os.path.exists(path) and os.path.getsize(path) == len(raw) * k):
            with open(path + ".part", "wb") as f:
                for _ in range(k):
                    f.write(raw)
            os.replace(path + ".part", path)
        files[k] = path
    return files, raw.count(b"\n") - raw.count(b"\n\n")  # rows per copy (newlines minus blank lines)


def compare(ours, peer, k):
    """Per-expectation verdicts (and counts / observed values) of cogniforge's GX result vs the pandas peer."""
    problems = []
    for i, (o, p) in enumerate(zip(ours["results"], peer)):
        cfg = o["expectation_config"]
        label = "#%d %s(%s)" % (i, cfg.get("type") or cfg.get("expectation_type"), cfg["kwargs"].get("column", ""))
        if bool(o["success"]) != bool(p["success"]):
            problems.append("%s: cogniforge %s, pandas %s" % (label, o["success"], p["success"]))
        r = o.get("result", {})
        if "unexpected_count" in p and r.get("unexpected_count") != p["unexpected_count"]:
            problems.append("%s: unexpected_count cogniforge %s, pandas %s"
                            % (label, r.get("unexpected_count"), p["unexpected_count"]))
        if "observed_value" in p:
            a, b = r.get("observed_value"), p["observed_value"]
            same = (math.isclose(a, b, rel_tol=1e-9) if isinstance(a, float) and isinstance(b, float) else a == b)
            if not same:
                problems.append("%s: observed_value cogniforge %r, pandas %r" % (label, a, b))
    if len(ours["results"]) != len(peer):
        problems.append("result counts differ: cogniforge %d, pandas %d" % (len(ours["results"]), len(peer)))
    for msg in problems:
        print("WARNING: x%d: results differ: %s" % (k, msg), file=sys.stderr)
    return not problems


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return os.uname().machine


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("out_md")
    ap.add_argument("--sizes", default=os.environ.get("BENCH_VALIDATE_SIZES", "1 10 100"))
    ap.add_argument("--tmp", help="where to write the generated CSV files")
    ap.add_argument("--keep-data", action="store_true", help="keep the generated CSV files")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in re.split(r"[\s,]+", args.sizes.strip()) if s})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(os.path.abspath(args.build), "tools", "cogniforge")
    suite = os.path.join(root, "data", "adult", "suite.json")
    tmp = os.path.abspath(args.tmp or os.path.join(args.build, "bench-validate-data"))
    os.makedirs(tmp, exist_ok=True)
    cf_version = subprocess.run([cli, "--version"], check=True, capture_output=True, text=True).stdout.split()[-1]
    n_expect = len(json.load(open(suite))["expectations"])

    files, rows_per_copy = make_data(tmp, sizes, root)
    load_before = os.getloadavg()[0]
    def ours_cmd(suite_path, path):
        return [cli, "validate", "--suite", suite_path, "--no-header", "--names", ",".join(NAMES),
                "--skip-initial-space", "--data", path]
    peer_cmd = ["/usr/bin/python3", os.path.abspath(__file__), "--pandas-child"]
    rows, agree, pd_version = [], True, "?"
    for k in sizes:
        path, runs = files[k], runs_for(k)
        size = os.path.getsize(path)
        # Warm-up runs (page cache) that also give the verdicts to compare.
        _, rc, _, _, rep = run_child(ours_cmd(suite, path), capture=True)
        if rc not in (0, 1):
            raise SystemExit("bench_validate: cogniforge validate failed (exit %d) on %s" % (rc, path))
        ours = json.loads(rep)
        _, prc, _, _, prep = run_child(peer_cmd + [path, suite], capture=True)
        if prc != 0:
            raise SystemExit("bench_validate: the pandas peer failed (exit %d) on %s" % (prc, path))
        peer = json.loads(prep)
        pd_version = peer["pandas"]
        agree &= compare(ours, peer["results"], k)
        n_rows = next(r["result"]["observed_value"] for r in ours["results"]
                      if (r["expectation_config"].get("type") or r["expectation_config"].get("expectation_type"))
                      == "expect_table_row_count_to_be_between")
        if n_rows != rows_per_copy * k:
            print("WARNING: x%d: cogniforge read %d rows, expected %d" % (k, n_rows, rows_per_copy * k),
                  file=sys.stderr)
            agree = False

        t_ours, rss_ours, cpu_ours = [], [], []
        for _ in range(runs):
            wall, rc, rss, cpu, _ = run_child(ours_cmd(suite, path))
            t_ours.append(wall)
            rss_ours.append(rss)
            cpu_ours.append(cpu)
        t_read, t_check, t_total, rss_peer, cpu_peer = [], [], [], [], []
        for _ in range(runs):
            _, prc, rss, _, prep = run_child(peer_cmd + [path, suite], capture=True)
            res = json.loads(prep)
            t_read.append(res["read_s"])
            t_check.append(res["check_s"])
            t_total.append(res["read_s"] + res["check_s"])
            cpu_peer.append(res["read_cpu"] + res["check_cpu"])
            rss_peer.append(rss)
        r = {"k": k, "rows": n_rows, "mb": size / 1e6, "ours": statistics.median(t_ours),
             "rss_ours": max(rss_ours) / 1024, "read": statistics.median(t_read),
             "check": statistics.median(t_check), "total": statistics.median(t_total),
             "rss_peer": max(rss_peer) / 1024, "runs": runs,
             "cpu_ours": statistics.median(cpu_ours), "cpu_peer": statistics.median(cpu_peer), "passed": ours["statistics"]["successful_expectations"]}
        r["mbps"] = r["mb"] / r["ours"]
        r["speedup"] = r["total"] / r["ours"]
        rows.append(r)
        print("x%-3d %9d rows %6.0f MB  cogniforge %.3f s (%4.0f MB/s, %5.1f MiB)  pandas read %.3f + checks "
              "%.3f = %.3f s (%6.1f MiB)  speedup %.2fx" % (k, r["rows"], r["mb"], r["ours"], r["mbps"],
              r["rss_ours"], r["read"], r["check"], r["total"], r["rss_peer"], r["speedup"]), flush=True)

    split = time_split(ours_cmd, suite, files[sizes[-1]], sizes[-1], tmp)

    if not args.keep_data:
        for p in files.values():
            os.remove(p)
        try:
            os.rmdir(tmp)
        except OSError:
            pass

    load = (load_before, os.getloadavg()[0])
    section = render(rows, n_expect, cf_version, pd_version, agree, load, split)
    print()
    print(section)
    write_section(args.out_md, "validation", section)
    if not agree:
        print("bench_validate: FAILED: pandas and cogniforge disagree (see the warnings above)", file=sys.stderr)
        sys.exit(1)


def time_split(ours_cmd, suite_path, path, k, tmp):
    """Where cogniforge's time goes at the largest size: the same run with an empty suite (read, parse, type
    inference, dictionary encoding, report) against the full suite; checks = full - empty."""
    suite = json.load(open(suite_path))
    empty = os.path.join(tmp, "suite-empty.json")
    json.dump(dict(suite, expectations=[]), open(empty, "w"))
    out = {"k": k}
    for name, s in (("parse", empty), ("full", suite_path)):
        walls, cpus = [], []
        run_child(ours_cmd(s, path))
        for _ in range(runs_for(k)):
            wall, rc, _, cpu, _ = run_child(ours_cmd(s, path))
            walls.append(wall)
            cpus.append(cpu)
        out[name] = (statistics.median(walls), statistics.median(cpus))
    os.remove(empty)
    print("x%d split: parse (empty suite) %.3f s wall / %.3f s CPU; full suite %.3f s / %.3f s"
          % (k, out["parse"][0], out["parse"][1], out["full"][0], out["full"][1]), flush=True)
    return out


def render(rows, n_expect, cf_version, pd_version, agree, load, split):
    big = max(rows, key=lambda r: r["k"])
    small = min(rows, key=lambda r: r["k"])
    rss_max = max(r["rss_ours"] for r in rows)
    growth = big["rss_ours"] - small["rss_ours"]
    # "Flat": the peak at the largest size is within 10% + 4 MiB of the smallest one's (a 1x file is under one
    # 65,536-row chunk, so its buffers are not full yet).
    flat = growth <= 0.10 * small["rss_ours"] + 4 if len(rows) > 1 else None
    hundred = next((r for r in rows if r["k"] == 100), None)
    speed_ok = hundred["speedup"] >= SPEEDUP_TARGET if hundred else None

    def verdict(ok):
        return "not measured" if ok is None else ("**met**" if ok else "**not met**")

    lines = ["## validate: Great Expectations suite over a CSV file, against pandas", "",
             "`bench/bench_validate.py` (run by `make bench`): Adult train concatenated 1x/10x/100x (plain CSV, "
             "each copy's trailing blank line kept) validated with the shipped suite `data/adult/suite.json` "
             "(%d expectations). cogniforge: `cogniforge validate --no-header --names ... --skip-initial-space`, "
             "a fresh process, start-up and JSON report included. pandas: `read_csv(header=None, names=..., "
             "skipinitialspace=True, na_values=['', 'NA', '?'], keep_default_na=False)` then the same %d "
             "expectations in vectorised pandas with GX's semantics (nulls, `mostly`, dtype rules, `str.contains` "
             "for the regex), timed inside a fresh python process (interpreter start-up and `import pandas` not "
             "counted, which favours pandas). Both sides reach the same verdict, unexpected count and observed "
             "value for every expectation (checked each run; the suite fails at 10x/100x on its row-count "
             "maximum of 50,000 on both sides). Median of 5 runs (3 at 100x) after a warm-up; peak RSS is each "
             "process's own `ru_maxrss` (`/usr/bin/time -f %%M`), max over the runs." % (n_expect, n_expect), "",
             "Machine: %s, %d cores (nproc), %s; 1-minute load average %.1f before, %.1f after (other work on "
             "the machine inflates wall times: see CPU times below). Versions: cogniforge %s, pandas %s, "
             "Python %s." % (cpu_model(), len(os.sched_getaffinity(0)), os.uname().machine, load[0], load[1],
                             cf_version, pd_version, sys.version.split()[0]), "",
             "| size | rows | MB | cogniforge | MB/s | peak RSS | pandas read | pandas checks | pandas total "
             "| pandas RSS | speedup |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %dx | %s | %.0f | %.3f s | %.0f | %.1f MiB | %.3f s | %.3f s | %.3f s | %.0f MiB | %.2fx |"
                     % (r["k"], format(r["rows"], ","), r["mb"], r["ours"], r["mbps"], r["rss_ours"], r["read"],
                        r["check"], r["total"], r["rss_peer"], r["speedup"]))
    lines += ["", "CPU time (user + sys, median; less sensitive to other load than wall time): cogniforge as a "
              "process (start-up included), pandas for read + checks in-process (`time.process_time`).", "",
              "| size | cogniforge CPU | pandas CPU | CPU ratio |", "|---|---|---|---|"]
    for r in rows:
        lines.append("| %dx | %.3f s | %.3f s | %.2fx |" % (r["k"], r["cpu_ours"], r["cpu_peer"],
                                                         r["cpu_peer"] / r["cpu_ours"] if r["cpu_ours"] else 0))
    pw, pc = split["parse"]
    fw, fc = split["full"]
    sr = next(r for r in rows if r["k"] == split["k"])
    lines += ["", "Where the time goes at %dx (median of %d, CPU in parentheses): cogniforge reading and parsing "
              "alone (the same command with an empty suite: read, type inference, dictionary encoding, report) "
              "%.3f s (%.3f s), the full suite %.3f s (%.3f s), so the %d checks cost about %.3f s (%.3f s CPU, "
              "%.0f%% of the CPU time). pandas: read_csv %.3f s, checks %.3f s."
              % (split["k"], runs_for(split["k"]), pw, pc, fw, fc, n_expect, max(fw - pw, 0), max(fc - pc, 0),
                 100 * max(fc - pc, 0) / fc if fc else 0, sr["read"], sr["check"])]
    lines.append("")
    para = ["Targets (speedup = pandas total / cogniforge):"]
    if hundred:
        para.append("at least %.0fx faster than pandas at 100x: %s (%.2fx);"
                    % (SPEEDUP_TARGET, verdict(speed_ok), hundred["speedup"]))
    else:
        para.append("at least %.0fx faster at 100x: not measured (100x not in the sizes run);" % SPEEDUP_TARGET)
    para.append("peak RSS at most %d MiB: %s (max %.1f MiB);" % (RSS_LIMIT_MIB, verdict(rss_max <= RSS_LIMIT_MIB),
                                                                rss_max))
    if flat is None:
        para.append("flat as the file grows: not measured (one size).")
    else:
        para.append("flat as the file grows: %s (%.1f MiB at %dx, %.1f MiB at %dx for %dx the data; pandas "
                    "grows from %.0f to %.0f MiB)." % (verdict(flat), small["rss_ours"], small["k"],
                                                       big["rss_ours"], big["k"], big["k"] // small["k"],
                                                       small["rss_peer"], big["rss_peer"]))
    if not agree:
        para.append("**pandas and cogniforge disagreed on at least one expectation in this run: the figures "
                    "above do not compare the same work.**")
    lines.append(" ".join(para))
    return "\n".join(lines)


def write_section(path, key, body):
    """Replace the block between <!-- bench:KEY --> markers (bench_io.py's convention), keeping the rest of
    the file; a new block goes after the last benchmark block, or at the end."""
    begin, end = "<!-- bench:%s -->" % key, "<!-- /bench:%s -->" % key
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    block = "%s\n%s\n\n_Last run: %s_\n%s" % (begin, body, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), end)
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        last = list(re.finditer(r"<!-- /bench:[\w-]+ -->", text))
        if last:
            at = last[-1].end()
            text = text[:at] + "\n\n" + block + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".benchmarks.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--pandas-child":
        pandas_child(sys.argv[2], sys.argv[3])
    else:
        main()
