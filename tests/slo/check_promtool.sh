#!/bin/sh
# Generated rules against Prometheus itself (docs/slo.md, "Testing"): `promtool check rules` on the rules of every
# spec here, then a `promtool test rules` scenario (a fast burn: 10% errors after an hour of clean traffic) whose
# expected firing step comes from our own evaluator (`cogniforge slo eval`, cf_slo_evaluate) on the same counters.
# Usage: check_promtool.sh path/to/cogniforge. Exit 77 (skip) without promtool.
set -u
cli=$1
here=$(dirname "$0")
promtool=$(command -v promtool || true)
[ -n "$promtool" ] || { echo "promtool not found: skipping"; exit 77; }
tmp=$(mktemp -d /tmp/cf-slo-promtool.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

for spec in "$here"/*.yaml; do
	name=$(basename "$spec" .yaml)
	for preset in google-30d google-28d; do
		out="$tmp/$name-$preset.yml"
		if ! "$cli" slo rules --spec "$spec" --preset "$preset" --out "$out"; then
			echo "FAIL: slo rules $name $preset"; fail=1; continue
		fi
		if "$promtool" check rules "$out" >"$tmp/log" 2>&1; then
			echo "ok: promtool check rules $name ($preset): $(grep -o '[0-9]* rules found' "$tmp/log")"
		else
			echo "FAIL: promtool check rules $name ($preset)"; cat "$tmp/log"; fail=1
		fi
	done
done

# Fast burn: 100 requests a minute for 6 hours, then 10% of them fail (burn 100x against 99.9%). The expected
# alerts at each checked minute (page and ticket, one alert name) are what cf_slo_evaluate reports there.
"$cli" slo rules --spec "$here/availability.yaml" --out "$tmp/rules.yml" || exit 1
/usr/bin/python3 - "$tmp/series.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,total,errors\n")
    for m in range(0, 421):
        f.write(f"{m * 60},{100 * m},{0 if m <= 360 else 10 * (m - 360)}\n")
PY
# eval_at MINUTE: sets $page and $ticket (0/1) from the C evaluator.
eval_at() {
	"$cli" slo eval --objective 0.999 --series "$tmp/series.csv" --at $(($1 * 60)) --json >"$tmp/eval.json"
	[ $? -le 1 ] || { echo "FAIL: slo eval exit"; exit 1; }
	page=$(/usr/bin/python3 -c "import json; print(int(json.load(open('$tmp/eval.json'))['page']))")
	ticket=$(/usr/bin/python3 -c "import json; print(int(json.load(open('$tmp/eval.json'))['ticket']))")
}
fire=""
m=360
while [ $m -le 420 ]; do
	eval_at $m
	[ "$page" -eq 1 ] && { fire=$m; break; }
	m=$((m + 1))
done
[ -n "$fire" ] || { echo "FAIL: cf_slo_evaluate never pages in the fast-burn scenario"; exit 1; }
echo "cf_slo_evaluate: page fires at minute $fire, $((fire - 360)) min after onset (SRE Workbook: 8.64 min)"
{
	cat <<EOT
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{code="200"}'
        values: '0+100x360 36090+90x60'
      - series: 'http_requests_total{code="500"}'
        values: '0x360 10+10x60'
    alert_rule_test:
EOT
	# Not the firing minute itself nor the one before: promtool evaluates rule groups in no fixed order within a
	# step, so an alert may read the recording rules of the previous step there (a one-interval lag).
	for m in 360 $((fire - 2)) $((fire + 2)) $((fire + 5)) 420; do
		eval_at $m
		echo "      - eval_time: ${m}m"
		echo "        alertname: ApiBudgetBurn"
		if [ "$page" -eq 0 ] && [ "$ticket" -eq 0 ]; then echo "        exp_alerts: []"; continue; fi
		echo "        exp_alerts:"
		for sev in page ticket; do
			if { [ $sev = page ] && [ "$page" -eq 1 ]; } || { [ $sev = ticket ] && [ "$ticket" -eq 1 ]; }; then
				extra=""; [ $sev = page ] && extra="severity: page, "
				echo "          - exp_labels: {${extra}sloth_severity: $sev, sloth_id: api-availability, sloth_service: api, sloth_slo: availability}"
				echo "            exp_annotations:"
				echo "              summary: \"api availability SLO error budget burn rate is over expected.\""
				echo "              title: \"($sev) api availability SLO error budget burn rate is too fast.\""
			fi
		done
	done
} >"$tmp/test.yml"
if (cd "$tmp" && "$promtool" test rules test.yml) >"$tmp/log" 2>&1; then
	echo "ok: promtool test rules: Prometheus agrees with cf_slo_evaluate at minutes 360, $((fire - 2)), $((fire + 2)), $((fire + 5)), 420"
else
	echo "FAIL: promtool test rules"; cat "$tmp/log"; cat "$tmp/test.yml"; fail=1
fi
exit $fail
