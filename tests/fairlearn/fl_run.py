"""fairlearn side of the live parity test: runs in the fairlearn venv (setup_venv.sh).

Reads a JSON list of cases on stdin, each {"name", "y_true", "y_pred", "features": {name: [labels]},
"weights": [..] or null}, and writes a JSON list of results: for a MetricFrame over the base rates (sample
weights in sample_params when given) its by_group (keys: labels joined by "|"), overall, difference/ratio for
both methods, group_min/group_max, plus the disparity functions (demographic parity, equalized odds with both
aggs, equal opportunity) for both methods. NaN is written as null; an exception as {"error": message}.
"""
import json
import math
import sys

import fairlearn
import numpy as np
import pandas as pd
from fairlearn import metrics as flm
from sklearn.metrics import accuracy_score

RATES = {
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "false_negative_rate": flm.false_negative_rate,
    "true_negative_rate": flm.true_negative_rate,
    "accuracy": accuracy_score,
}


def num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return {"error": repr(v)}
    return None if math.isnan(v) else v


def guarded(fn):
    try:
        return num(fn())
    except Exception as exc:  # fairlearn raising is a result too
        return {"error": f"{type(exc).__name__}: {exc}"}


def run(case):
    yt = np.asarray(case["y_true"])
    yp = np.asarray(case["y_pred"])
    sf = pd.DataFrame(case["features"])
    w = np.asarray(case["weights"]) if case.get("weights") is not None else None
    params = {m: {"sample_weight": w} for m in RATES} if w is not None else None
    mf = flm.MetricFrame(metrics=dict(RATES, count=flm.count), y_true=yt, y_pred=yp, sensitive_features=sf,
                         sample_params=params)
    out = {"name": case["name"], "by_group": {}, "overall": {}}
    for key, row in mf.by_group.iterrows():
        k = "|".join(str(x) for x in (key if isinstance(key, tuple) else (key,)))
        out["by_group"][k] = {m: num(row[m]) for m in mf.by_group.columns}
    out["overall"] = {m: num(mf.overall[m]) for m in mf.by_group.columns}
    for method in ("between_groups", "to_overall"):
        out[f"difference/{method}"] = {m: num(v) for m, v in mf.difference(method=method).items()}
        out[f"ratio/{method}"] = {m: num(v) for m, v in mf.ratio(method=method).items()}
        kw = dict(sensitive_features=sf, method=method, sample_weight=w)
        out[f"demographic_parity_difference/{method}"] = guarded(
            lambda: flm.demographic_parity_difference(yt, yp, **kw))
        out[f"demographic_parity_ratio/{method}"] = guarded(lambda: flm.demographic_parity_ratio(yt, yp, **kw))
        out[f"equal_opportunity_difference/{method}"] = guarded(
            lambda: flm.equal_opportunity_difference(yt, yp, **kw))
        out[f"equal_opportunity_ratio/{method}"] = guarded(lambda: flm.equal_opportunity_ratio(yt, yp, **kw))
        for agg in ("worst_case", "mean"):
            out[f"equalized_odds_difference/{method}/{agg}"] = guarded(
                lambda: flm.equalized_odds_difference(yt, yp, agg=agg, **kw))
            out[f"equalized_odds_ratio/{method}/{agg}"] = guarded(
                lambda: flm.equalized_odds_ratio(yt, yp, agg=agg, **kw))
    out["group_min"] = {m: num(v) for m, v in mf.group_min().items()}
    out["group_max"] = {m: num(v) for m, v in mf.group_max().items()}
    return out


def main():
    cases = json.load(sys.stdin)
    json.dump({"fairlearn": fairlearn.__version__, "results": [run(c) for c in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
