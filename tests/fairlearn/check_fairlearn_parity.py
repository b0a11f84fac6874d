#!/usr/bin/python3
"""Live parity of cogniforge.fairness with fairlearn itself.

  PYTHONPATH=BUILD/bindings/python python3 tests/fairlearn/check_fairlearn_parity.py --venv VENV_DIR [--cases N]

Run with Debian's /usr/bin/python3 and the built binding on PYTHONPATH; fairlearn runs in VENV_DIR
(tests/fairlearn/setup_venv.sh) through tests/fairlearn/fl_run.py, JSON in and out. Random inputs (seeded):
two sensitive features of 2 to 5 groups each (their intersections, some of them empty), weights in most
cases, a few tiny cases where groups lack positives or negatives. Compared at relative tolerance 1e-12:
by_group, overall, difference and ratio (both methods), group_min / group_max, the demographic parity and
equal opportunity functions and equalized odds with both aggs (both methods).

Deliberate differences are checked as such rather than skipped silently:
  * where fairlearn gives 0.0 for an undefined rate (a group without positives or negatives), ours is NaN
    with the reason; the disparities of that metric (and of equalized odds, for TPR/FPR) then differ by
    design (we leave the group out) and are counted as "deliberate", not compared;
  * where fairlearn raised, ours must be NaN.

The last line is "fairlearn parity: N cases, C values compared, D deliberate differences, M mismatches";
exit 0 when M == 0.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REL = 1e-12
RATES = ["selection_rate", "true_positive_rate", "false_positive_rate", "false_negative_rate",
         "true_negative_rate", "accuracy", "count"]
SILENT_ZERO = ("no positives", "no negatives")


def make_cases(n_cases, seed):
    rng = random.Random(seed)
    cases = []
    for i in range(n_cases):
        tiny = i % 5 == 4
        n = rng.randint(8, 30) if tiny else rng.randint(60, 3000)
        ga, gb = rng.randint(2, 5), rng.randint(2, 5)
        la = [f"a{j}" for j in range(ga)]
        lb = ["x", "Y", "z", "10", "9"][:gb]
        # skewed group sizes so that some intersections are small or empty
        pa = [rng.random() + 0.05 for _ in la]
        pb = [rng.random() + 0.05 for _ in lb]
        fa = rng.choices(la, pa, k=n)
        fb = rng.choices(lb, pb, k=n)
        if not tiny and ga > 2:  # make one intersection empty
            fb = [lb[0] if (a == la[-1] and b == lb[-1]) else b for a, b in zip(fa, fb)]
        base = {g: rng.uniform(0.15, 0.85) for g in la}
        yt = [1 if rng.random() < base[a] else 0 for a in fa]
        yp = [y if rng.random() < 0.7 else 1 - y for y in yt]
        w = None if i % 3 == 0 else [round(rng.uniform(0.1, 5.0), 3) for _ in range(n)]
        cases.append({"name": f"case{i:02d}_n{n}_{ga}x{gb}{'_w' if w else ''}", "y_true": yt, "y_pred": yp,
                      "features": {"fa": fa, "fb": fb}, "weights": w})
    return cases


def run_fairlearn(venv, cases):
    py = os.path.join(venv, "bin", "python")
    p = subprocess.run([py, os.path.join(HERE, "fl_run.py")], input=json.dumps(cases), capture_output=True,
                       text=True, check=False)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"fairlearn runner failed (exit {p.returncode})")
    return json.loads(p.stdout)


class Tally:
    def __init__(self):
        self.compared = self.deliberate = self.mismatches = 0
        self.lines = []

    def eq(self, what, ours, theirs):
        self.compared += 1
        if isinstance(theirs, dict):  # fairlearn raised: ours must be NaN
            ok = math.isnan(ours)
        elif theirs is None:
            ok = math.isnan(ours)
        else:
            ok = not math.isnan(ours) and (ours == theirs or abs(ours - theirs) <= REL * max(abs(ours), abs(theirs)))
        if not ok:
            self.mismatches += 1
            self.lines.append(f"  {what}: cogniforge {ours!r} fairlearn {theirs!r}")

    def design(self, what, ours, theirs):
        self.deliberate += 1


def compare(case, fl, F, tally):
    sf = case["features"]
    mf = F.MetricFrame(metrics={m: m for m in RATES}, y_true=case["y_true"], y_pred=case["y_pred"],
                       sensitive_features=sf, sample_weight=case["weights"])
    # count ignores weights in fairlearn (no sample_params for it); ours counts rows as well
    by_group, overall, undefined = mf.by_group, mf.overall, mf.undefined()
    silent = set()
    for m in RATES:
        for key, theirs_row in fl["by_group"].items():
            k = tuple(key.split("|"))
            ours = by_group[m][k]
            theirs = theirs_row[m]
            reason = undefined[m].get(k)
            if math.isnan(ours) and theirs == 0.0 and reason in SILENT_ZERO:
                tally.design(f"by_group[{key}][{m}]", ours, theirs)
                silent.add(m)
                continue
            tally.eq(f"by_group[{key}][{m}]", ours, theirs)
        tally.eq(f"overall[{m}]", overall[m], fl["overall"][m])
    for method in ("between_groups", "to_overall"):
        diff, ratio = mf.difference(method=method), mf.ratio(method=method)
        for m in RATES:
            for what, ours, theirs in ((f"difference/{method}[{m}]", diff[m], fl[f"difference/{method}"][m]),
                                       (f"ratio/{method}[{m}]", ratio[m], fl[f"ratio/{method}"][m])):
                (tally.design if m in silent else tally.eq)(what, ours, theirs)
        kw = dict(sensitive_features=sf, method=method, sample_weight=case["weights"])
        yt, yp = case["y_true"], case["y_pred"]
        pairs = [("demographic_parity_difference", F.demographic_parity_difference, "selection_rate"),
                 ("demographic_parity_ratio", F.demographic_parity_ratio, "selection_rate"),
                 ("equal_opportunity_difference", F.equal_opportunity_difference, "true_positive_rate"),
                 ("equal_opportunity_ratio", F.equal_opportunity_ratio, "true_positive_rate")]
        for name, fn, m in pairs:
            (tally.design if m in silent else tally.eq)(f"{name}/{method}", fn(yt, yp, **kw),
                                                        fl[f"{name}/{method}"])
        eo_silent = bool(silent & {"true_positive_rate", "false_positive_rate"})
        for agg in ("worst_case", "mean"):
            for name, fn in (("equalized_odds_difference", F.equalized_odds_difference),
                             ("equalized_odds_ratio", F.equalized_odds_ratio)):
                ours = fn(yt, yp, agg=agg, **kw)
                theirs = fl[f"{name}/{method}/{agg}"]
                # fairlearn's agg="mean" skips a NaN part (pandas mean) and "worst_case" uses Python's
                # min/max, which keep a NaN only in first position; ours is NaN when either part is NaN.
                part_nan = (ours != ours) and not isinstance(theirs, dict) and theirs is not None
                (tally.design if eo_silent or part_nan else tally.eq)(f"{name}/{method}/{agg}", ours, theirs)
    gmin, gmax = mf.group_min(), mf.group_max()
    for m in RATES:
        (tally.design if m in silent else tally.eq)(f"group_min[{m}]", gmin[m], fl["group_min"][m])
        (tally.design if m in silent else tally.eq)(f"group_max[{m}]", gmax[m], fl["group_max"][m])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", required=True)
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20240501)
    args = ap.parse_args()
    from cogniforge import fairness as F

    cases = make_cases(args.cases, args.seed)
    out = run_fairlearn(args.venv, cases)
    print(f"fairlearn {out['fairlearn']} in {args.venv}")
    total = Tally()
    for case, fl in zip(cases, out["results"]):
        t = Tally()
        try:
            compare(case, fl, F, t)
        except Exception as exc:  # a crash is a mismatch, with the case named
            t.mismatches += 1
            t.lines.append(f"  exception: {type(exc).__name__}: {exc}")
        print(f"[{case['name']}] {t.compared} compared, {t.deliberate} deliberate, {t.mismatches} mismatches")
        if t.mismatches:
            print(f"FAIL {case['name']}")
            print("\n".join(t.lines[:20]))
        total.compared += t.compared
        total.deliberate += t.deliberate
        total.mismatches += t.mismatches
    print(f"fairlearn parity: {len(cases)} cases, {total.compared} values compared, {total.deliberate} deliberate "
          f"differences, {total.mismatches} mismatches")
    return 0 if total.mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
