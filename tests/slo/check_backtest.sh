#!/bin/sh
# Backtesting against Prometheus itself (docs/slo.md, "Backtesting"): for each generated scenario (fast burn, slow
# burn, a counter reset, a scrape gap) write the counters as CSV, generate the rules (`cogniforge slo rules`),
# replay them with `cogniforge slo backtest --mode prometheus --json`, turn our page/ticket firing intervals into a
# `promtool test rules` file with an alert_rule_test at EVERY evaluation step, and require promtool to pass.
# `group_eval_order` makes promtool evaluate the SLI recordings before the alerts at each step, so there is no
# one-interval lag and no step is skipped.
# Usage: check_backtest.sh path/to/cogniforge [repeats]. Exit 77 (skip) without promtool.
set -u
cli=$1
repeats=${2:-1}
here=$(dirname "$0")
promtool=$(command -v promtool || true)
[ -n "$promtool" ] || { echo "promtool not found: skipping"; exit 77; }
tmp=$(mktemp -d /tmp/cf-slo-backtest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$cli" slo rules --spec "$here/backtest/spec.yaml" --out "$tmp/rules.yml" || { echo "FAIL: slo rules"; exit 1; }

for scenario in fast slow reset gap fast45 slow45; do
	/usr/bin/python3 - "$scenario" "$tmp/$scenario.csv" <<'PY' || { echo "FAIL: generate $scenario"; exit 1; }
import sys
name, path = sys.argv[1], sys.argv[2]
rows = []
req = err = 0
iv = 45 if name.endswith("45") else 60   # *45: scrapes every 45 s against 1 m evaluations (rate() extrapolates)
for k in range(0, 9 * 3600 // iv + 1):
    m = k * iv / 60                      # minutes; counters grow per scrape at a per-minute rate
    if k > 0:
        if name.startswith("slow"):      # 1000 req/min, 0.4% errors from 2h on: burn 4, ticket only
            req += 1000 * iv // 60
            err += 4 * iv // 60 if m > 120 else 0
        else:                            # 100 req/min, 10% errors for an hour from 6h on: burn 100, then resolve
            req += 100 * iv // 60
            err += 10 * iv // 60 if 360 < m <= 420 else 0
    if name == "reset" and m == 400:     # process restart: both counters start again
        req, err = 0, 0
    if name == "gap" and 385 <= m < 397: # 12 scrapes lost during the burn
        continue
    rows.append((k * iv, req, err))
with open(path, "w") as f:
    f.write("time,requests_total,errors_total\n")
    for t, r, e in rows:
        f.write(f"{t},{r},{e}\n")
PY
	"$cli" slo backtest --spec "$here/backtest/spec.yaml" --series "$tmp/$scenario.csv" --mode prometheus --step 1m --json \
		>"$tmp/$scenario.json"
	rc=$?
	[ $rc -le 1 ] || { echo "FAIL: slo backtest $scenario exit $rc"; fail=1; continue; }
	/usr/bin/python3 - "$tmp/$scenario.csv" "$tmp/$scenario.json" "$tmp/$scenario-test.yml" "$rc" <<'PY' || { echo "FAIL: $scenario"; fail=1; continue; }
import json, sys
csv, js, out, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [l.strip().split(",") for l in open(csv)][1:]
iv = 45 if csv.endswith("45.csv") else 60
samples = {int(float(t)) // iv: (r, e) for t, r, e in rows}
last = max(samples) * iv // 60
d = json.load(open(js))
assert d["step_s"] == 60 and d["start"] == 0, (d["step_s"], d["start"])
assert (rc == 1) == d["paged"], (rc, d["paged"])
sev = [a for a in d["alerts"] if a["pair"] is None]
def firing(kind, m):
    t = m * 60
    return any(a["severity"] == kind and a["fired_at"] <= t and (a["resolved_at"] is None or t < a["resolved_at"])
               for a in sev)
def values(i):
    return " ".join(samples[k][i] if k in samples else "_" for k in range(max(samples) + 1))
ids = "sloth_id: api-availability, sloth_service: api, sloth_slo: availability"
w = ["rule_files: [rules.yml]", "evaluation_interval: 1m",
     "group_eval_order: [sloth-slo-sli-recordings-api-availability, sloth-slo-meta-recordings-api-availability, "
     "sloth-slo-alerts-api-availability]",
     "tests:", f"  - interval: {iv}s", "    input_series:",
     f"      - series: 'requests_total'\n        values: '{values(0)}'",
     f"      - series: 'errors_total'\n        values: '{values(1)}'",
     "    alert_rule_test:"]
steps = {"page": 0, "ticket": 0}
for m in range(last + 1):
    w.append(f"      - eval_time: {m}m")
    w.append("        alertname: ApiBudgetBurn")
    exp = [k for k in ("page", "ticket") if firing(k, m)]
    for k in exp:
        steps[k] += 1
    if not exp:
        w.append("        exp_alerts: []")
        continue
    w.append("        exp_alerts:")
    for k in exp:
        extra = "severity: page, " if k == "page" else ""
        w.append(f"          - exp_labels: {{{extra}sloth_severity: {k}, {ids}}}")
        w.append("            exp_annotations:")
        w.append('              summary: "api availability SLO error budget burn rate is over expected."')
        w.append(f'              title: "({k}) api availability SLO error budget burn rate is too fast."')
open(out, "w").write("\n".join(w) + "\n")
print(f"{last + 1} steps, page firing at {steps['page']}, ticket at {steps['ticket']}; intervals: " +
      ", ".join(f"{a['severity']} {a['fired_at'] / 60:g}-" + ("end" if a["resolved_at"] is None else f"{a['resolved_at'] / 60:g}m")
                for a in sev))
PY
	cp "$tmp/rules.yml" "$tmp/rules-$scenario.yml"
	i=0
	while [ $i -lt "$repeats" ]; do
		if (cd "$tmp" && "$promtool" test rules "$scenario-test.yml") >"$tmp/log" 2>&1; then
			:
		else
			echo "FAIL: promtool disagrees with slo backtest --mode prometheus ($scenario, run $((i + 1)))"
			head -c 4000 "$tmp/log"; fail=1; break
		fi
		i=$((i + 1))
	done
	[ $i -eq "$repeats" ] && echo "ok: $scenario: promtool agrees at every step ($repeats run(s))"
done
exit $fail
