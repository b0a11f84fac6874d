#!/bin/sh
# The CLI's documented contract: --help everywhere, --json output, exit codes 0/2/3 and one-line errors.
# Usage: check_cli.sh path/to/cogniforge DATA_DIR
set -u
cli=$1
data=$2
tmp=$(mktemp -d /tmp/cf-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME WANT_RC CMD... : run, compare the exit code, keep stdout/stderr in $tmp/out, $tmp/err
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit $rc, want $want" >&2
		sed 's/^/  stderr: /' "$tmp/err" >&2
	fi
}
check() {
	if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
one_line_stderr() {
	[ "$(wc -l <"$tmp/err")" -eq 1 ]
}

expect "help" 0 "$cli" --help
check "help lists commands and exit codes" "grep -q 'version' $tmp/out && grep -q 'internal error' $tmp/out"
expect "no args is a usage error" 2 "$cli"
expect "--version" 0 "$cli" --version
check "--version prints the version" "grep -q '^cogniforge [0-9]' $tmp/out"

expect "version" 0 "$cli" version
check "version text" "grep -q '^features:' $tmp/out && grep -q '^cuda devices: [0-9]' $tmp/out && grep -q '^cuda backend: ' $tmp/out"
expect "version --json" 0 "$cli" version --json
check "version --json is JSON with version and features" \
	"/usr/bin/python3 -c 'import json,sys; d=json.load(open(\"$tmp/out\")); assert d[\"version\"] and \"threads\" in d[\"features\"] and d[\"cuda_device_count\"] == len(d[\"cuda_devices\"]) and isinstance(d[\"cuda_backend\"][\"loaded\"], bool)'"
expect "version --help" 0 "$cli" version --help
check "version --help text" "grep -q 'Usage: cogniforge version' $tmp/out"
expect "help version" 0 "$cli" help version

expect "bad flag" 2 "$cli" version --bogus
check "bad flag: one clear line" "one_line_stderr && grep -q \"unknown option '--bogus'\" $tmp/err"
expect "bad global flag" 2 "$cli" --bogus
check "bad global flag: one line" "one_line_stderr"
expect "unknown command" 2 "$cli" frobnicate
check "unknown command: one line naming it" "one_line_stderr && grep -q frobnicate $tmp/err"
expect "stray argument" 2 "$cli" version extra

expect "data --help" 0 "$cli" data --help
expect "data without subcommand" 2 "$cli" data
expect "data summarize without files" 2 "$cli" data summarize
expect "data summarize adult" 0 "$cli" data summarize "$data/adult/adult-train.csv.zst" "$data/adult/adult-test.csv.zst"
check "data summarize rows" "grep -q '32561 rows' $tmp/out && grep -q '16281 rows' $tmp/out"
expect "data summarize --json" 0 "$cli" data summarize --json "$data/adult/adult-test.csv.zst"
check "data summarize --json fields" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[0][\"rows\"] == 16281 and d[0][\"compression\"] == \"zstd\" and len(d[0][\"sha256\"]) == 64'"
expect "missing file is bad input" 3 "$cli" data summarize "$tmp/nope.csv"
check "missing file: one line naming the file" "one_line_stderr && grep -q 'nope.csv' $tmp/err"
printf '\037\213\010\000garbage-garbage' >"$tmp/bad.gz"
expect "corrupt gzip is bad input" 3 "$cli" data summarize "$tmp/bad.gz"
check "corrupt gzip: one line" "one_line_stderr && grep -q 'bad.gz' $tmp/err"
printf 'a\nb\n' | "$cli" data summarize - >"$tmp/out" 2>&1
check "stdin input" "grep -q '2 rows' $tmp/out"

# validate / profile / stats (docs/validation.md): exit 0 pass, 1 fail, 2 usage, 3 bad input.
names=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income
adult="--no-header --names $names --skip-initial-space"
expect "validate --help" 0 "$cli" validate --help
check "validate --help text" "grep -q 'Usage: cogniforge validate' $tmp/out && grep -q -- '--skip-initial-space' $tmp/out"
expect "validate without suite" 2 "$cli" validate --data "$data/adult/adult-train.csv.zst"
expect "validate train passes" 0 "$cli" validate --data "$data/adult/adult-train.csv.zst" --suite "$data/adult/suite.json" $adult --out "$tmp/v.json" --junit "$tmp/v.xml"
check "validate status line" "grep -q 'validate: PASS, 25 of 25 expectations passed, 32561 rows' $tmp/out"
check "validate report is GX JSON" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/v.json\")); assert d[\"success\"] is True and d[\"statistics\"][\"evaluated_expectations\"] == 25 and len(d[\"results\"]) == 25'"
check "validate junit" "grep -q '<testsuite name=\"adult_census_income\" tests=\"25\" failures=\"0\"' $tmp/v.xml"
expect "validate test file fails" 1 "$cli" validate --data "$data/adult/adult-test.csv.zst" --suite "$data/adult/suite.json" $adult --format junit
check "validate failure names the label check" "grep -q 'failures=\"1\"' $tmp/out && grep -q 'expect_column_values_to_be_in_set income' $tmp/out"
check "validate status on stderr when the report is on stdout" "grep -q 'validate: FAIL, 24 of 25' $tmp/err"
printf '{"name": "s",\n "expectations": [\n  {"type": "x",}\n]}\n' >"$tmp/bad-suite.json"
expect "suite syntax error is bad input" 3 "$cli" validate --data "$data/adult/adult-train.csv.zst" --suite "$tmp/bad-suite.json" $adult
check "suite syntax error: one line with line:column" "one_line_stderr && grep -q 'bad-suite.json:3:' $tmp/err"
printf '{"name": "s", "expectations": [{"type": "expect_column_to_be_awesome", "kwargs": {}}]}\n' >"$tmp/unknown.json"
expect "unknown expectation is bad input" 3 "$cli" validate --data "$data/adult/adult-train.csv.zst" --suite "$tmp/unknown.json" $adult
check "unknown expectation named" "one_line_stderr && grep -q 'expect_column_to_be_awesome' $tmp/err"
expect "--skip-unknown reports a skip, never a pass" 1 "$cli" validate --data "$data/adult/adult-train.csv.zst" --suite "$tmp/unknown.json" $adult --skip-unknown -q
printf 'a,b\n1,2\n3\n' >"$tmp/ragged.csv"
printf '{"name": "s", "expectations": []}\n' >"$tmp/empty-suite.json"
expect "ragged CSV is bad input" 3 "$cli" validate --data "$tmp/ragged.csv" --suite "$tmp/empty-suite.json"
check "ragged CSV: one line naming file and line" "one_line_stderr && grep -q 'ragged.csv:3' $tmp/err"
printf '{"name": "f", "expectations": [{"type": "expect_column_max_to_be_between", "kwargs": {"column": "t", "min_value": {"$PARAMETER": "now() - timedelta(hours=24)"}}}]}\n' >"$tmp/fresh.json"
printf 't\n2024-05-01T10:00:00\n2024-05-02T09:00:00\n' >"$tmp/ts.csv"
expect "freshness passes with --now" 0 "$cli" validate --data "$tmp/ts.csv" --suite "$tmp/fresh.json" --now 2024-05-03T08:00:00Z -q
expect "freshness fails a day later" 1 "$cli" validate --data "$tmp/ts.csv" --suite "$tmp/fresh.json" --now 2024-05-03T10:00:00Z -q
expect "--out to a device writes through it" 0 "$cli" validate --data "$tmp/ts.csv" --suite "$tmp/fresh.json" --now 2024-05-03T08:00:00Z -q --out /dev/null
check "/dev/null is still a device" "[ -c /dev/null ]"
expect "bad --now is a usage error" 2 "$cli" validate --data "$tmp/ts.csv" --suite "$tmp/fresh.json" --now yesterday

expect "profile" 0 "$cli" profile --data "$data/adult/adult-train.csv.zst" $adult --name adult-profile --out "$tmp/profiled.json"
expect "a profiled suite passes on its own data" 0 "$cli" validate --data "$data/adult/adult-train.csv.zst" --suite "$tmp/profiled.json" $adult -q
check "profiled suite has value sets and a row band" "grep -q 'expect_column_values_to_be_in_set' $tmp/profiled.json && grep -q 'expect_table_row_count_to_be_between' $tmp/profiled.json"

# Scale-out: shards -> partial statistics -> merge -> aggregate expectations; equals one pass.
zstd -dc "$data/adult/adult-train.csv.zst" >"$tmp/train.csv"
head -n 20000 "$tmp/train.csv" >"$tmp/part1.csv"
tail -n +20001 "$tmp/train.csv" >"$tmp/part2.csv"
expect "stats compute shard 1" 0 "$cli" stats compute --data "$tmp/part1.csv" $adult --out "$tmp/p1.msgpack"
expect "stats compute shard 2" 0 "$cli" stats compute --data "$tmp/part2.csv" $adult --out "$tmp/p2.msgpack"
expect "stats compute whole" 0 "$cli" stats compute --data "$tmp/train.csv" $adult --out "$tmp/all.msgpack"
expect "stats merge" 0 "$cli" stats merge --out "$tmp/merged.msgpack" "$tmp/p1.msgpack" "$tmp/p2.msgpack"
expect "stats show --json" 0 "$cli" stats show --json "$tmp/merged.msgpack"
cp "$tmp/out" "$tmp/merged.json"
expect "stats show whole" 0 "$cli" stats show --json "$tmp/all.msgpack"
check "merged shards equal the whole (rows, nulls, min, max, exact distinct)" \
	"/usr/bin/python3 -c 'import json; a=json.load(open(\"$tmp/merged.json\")); b=json.load(open(\"$tmp/out\")); assert a[\"rows\"] == b[\"rows\"] == 32561; ca={c[\"name\"]: c for c in a[\"columns\"]}; cb={c[\"name\"]: c for c in b[\"columns\"]}; assert all(ca[k][f] == cb[k][f] for k in ca for f in (\"null_count\", \"min\", \"max\", \"distinct\"))'"
expect "validate on merged statistics" 0 "$cli" validate --stats "$tmp/merged.msgpack" --suite "$tmp/profiled.json" --skip-unknown -q --out "$tmp/vs.json"
printf 'garbage' >"$tmp/garbage.msgpack"
expect "garbage statistics are bad input" 3 "$cli" stats show "$tmp/garbage.msgpack"
expect "stats without subcommand" 2 "$cli" stats

# evaluate: metrics and group fairness of predictions (generated here: 200 rows, two sensitive columns, a numeric
# one, a group without positives).
/usr/bin/python3 -c '
import random
r = random.Random(5)
print("y,score,pred,sex,race,age")
for i in range(200):
    sex = "f" if i % 3 else "m"
    race = ["a", "b", "c"][i % 3 if i % 7 else 2]
    y = 0 if race == "c" and sex == "f" else int(r.random() < 0.5)
    s = round(min(1.0, max(0.0, 0.3 * y + 0.7 * r.random())), 4)
    print(f"{y},{s},{int(s >= 0.5)},{sex},{race},{20 + i % 4}")
' >"$tmp/preds.csv"
expect "evaluate --score" 0 "$cli" evaluate --data "$tmp/preds.csv" --label y --score score --sensitive sex,race
check "evaluate prints metrics and per-group tables" "grep -q '^  roc_auc ' $tmp/out && grep -q '^by sex:' $tmp/out && grep -q '^by race:' $tmp/out && grep -q '^by sex,race:' $tmp/out && grep -q 'four-fifths rule' $tmp/out"
check "an undefined rate is shown with its reason, not as 0" "grep -q 'true_positive_rate: no positives' $tmp/out"
expect "evaluate --json" 0 "$cli" evaluate --data "$tmp/preds.csv" --label y --score score --sensitive sex,race --json
check "evaluate JSON: metrics, groups, null + reason for undefined rates" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); m=d[\"metrics\"]; assert d[\"rows\"] == 200 and 0 <= m[\"roc_auc\"] <= 1 and \"brier\" in m; f=d[\"fairness\"]; assert set(f) == {\"sex\", \"race\", \"sex,race\"}; g=[x for x in f[\"sex,race\"][\"groups\"] if x[\"labels\"] == {\"sex\": \"f\", \"race\": \"c\"}][0]; assert g[\"true_positive_rate\"] is None and g[\"undefined\"][\"true_positive_rate\"] == \"no positives\"; assert sum(x[\"count\"] for x in f[\"race\"][\"groups\"]) == 200; assert f[\"sex\"][\"auc\"] == \"exact\"'"
expect "evaluate --pred with a numeric sensitive column" 0 "$cli" evaluate --data "$tmp/preds.csv" --label y --pred pred --sensitive age --json --min-group-size 60
check "numeric groups and the minimum group size" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); g=d[\"fairness\"][\"age\"][\"groups\"]; assert [x[\"labels\"][\"age\"] for x in g] == [\"20\", \"21\", \"22\", \"23\"]; assert all(x[\"excluded\"] == (x[\"count\"] < 60) for x in g); assert \"roc_auc\" not in d[\"metrics\"]'"
expect "evaluate --pos-label on a string label" 0 "$cli" evaluate --data "$tmp/preds.csv" --label sex --pred sex --pos-label f --json
check "string positive class" "/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"metrics\"][\"accuracy\"] == 1.0'"
expect "evaluate without --label" 2 "$cli" evaluate --data "$tmp/preds.csv" --score score
expect "evaluate without --score or --pred" 2 "$cli" evaluate --data "$tmp/preds.csv" --label y
expect "evaluate bad --threshold" 2 "$cli" evaluate --data "$tmp/preds.csv" --label y --score score --threshold x
expect "evaluate unknown column" 3 "$cli" evaluate --data "$tmp/preds.csv" --label nope --score score
check "unknown column: one line naming it" "one_line_stderr && grep -q \"'nope'\" $tmp/err"
expect "evaluate missing file" 3 "$cli" evaluate --data "$tmp/none.csv" --label y --score score
printf 'y,score,sex\n1,0.5,f\n0,,m\n' >"$tmp/nullscore.csv"
expect "evaluate null score" 3 "$cli" evaluate --data "$tmp/nullscore.csv" --label y --score score --sensitive sex
expect "evaluate --help" 0 "$cli" evaluate --help

# drift (docs/drift.md): exit 0 no dataset drift, 1 dataset drift, 2 usage, 3 bad input.
/usr/bin/python3 -c '
import random, sys
r = random.Random(11)
def write(name, n, mu, off, p):
    with open(name, "w") as f:
        f.write("x,y,c\n")
        for i in range(n):
            f.write("%.4f,%.4f,%s\n" % (r.gauss(mu, 1), r.random() + off, "a" if r.random() < p else "b"))
d = sys.argv[1]
write(d + "/ref.csv", 500, 0, 0, 0.5)
write(d + "/same.csv", 400, 0, 0, 0.5)
write(d + "/shifted.csv", 400, 1.5, 0.5, 0.2)
' "$tmp"
expect "drift --help" 0 "$cli" drift --help
check "drift --help text" "grep -q 'Usage: cogniforge drift' $tmp/out && grep -q -- '--drift-share' $tmp/out"
expect "drift same distribution" 0 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/same.csv"
check "drift table" "grep -q '^column .*method .*statistic .*p-value .*threshold .*drifted' $tmp/out && grep -q 'dataset drift: no, 0 of 3' $tmp/out"
expect "drift shifted is dataset drift" 1 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/shifted.csv"
check "drift shifted: every column drifted" "grep -q 'dataset drift: YES, 3 of 3' $tmp/out"
expect "drift profile" 0 "$cli" drift profile --data "$tmp/ref.csv" --out "$tmp/ref.msgpack"
expect "drift from a profile" 1 "$cli" drift --reference "$tmp/ref.msgpack" --current "$tmp/shifted.csv" --json
check "drift --json from a profile" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"dataset_drift\"] is True and d[\"number_of_drifted_columns\"] == 3; c={x[\"column\"]: x for x in d[\"columns\"]}; assert c[\"x\"][\"method\"] == \"ks\" and c[\"x\"][\"exact\"] is True and c[\"c\"][\"method\"] == \"z\"'"
expect "drift from the CSV reference --json" 1 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/shifted.csv" --json
cp "$tmp/out" "$tmp/drift-csv.json"
expect "drift from the profile again" 1 "$cli" drift --reference "$tmp/ref.msgpack" --current "$tmp/shifted.csv" --json
check "profile round trip: same report as the CSV reference" "cmp -s $tmp/out $tmp/drift-csv.json"
expect "drift --method psi" 1 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/shifted.csv" --method psi --threshold 0.2
check "drift --method psi used" "grep -q '^x  *psi ' $tmp/out"
expect "drift without --current" 2 "$cli" drift --reference "$tmp/ref.csv"
expect "drift bad --method" 2 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/same.csv" --method bogus
expect "drift bad --drift-share" 2 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/same.csv" --drift-share 2
expect "drift missing current" 3 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/none.csv"
check "drift missing current: one line" "one_line_stderr && grep -q 'none.csv' $tmp/err"
printf 'x,c\n0.5,a\n' >"$tmp/cur-missing.csv"
expect "drift current lacks a column" 3 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/cur-missing.csv"
check "drift missing column: one line naming it" "one_line_stderr && grep -q \"'y'\" $tmp/err"
expect "drift garbage profile" 3 "$cli" drift --reference "$tmp/garbage.msgpack" --current "$tmp/same.csv"
check "drift garbage profile: one line" "one_line_stderr && grep -q 'garbage.msgpack' $tmp/err"
expect "drift ragged current" 3 "$cli" drift --reference "$tmp/ref.csv" --current "$tmp/ragged.csv"

# rollout (docs/rollout.md): decide exits 1 when an action is decided; analyze exits 0 only when Successful.
expect "rollout --help" 0 "$cli" rollout --help
expect "rollout without subcommand" 2 "$cli" rollout
/usr/bin/python3 -c '
print("time,metric,value")
for t in range(0, 420, 30):
    print("%d,error_rate,%s" % (t, "0.0001" if t < 60 else "0.02"))
    print("%d,latency_p95_ms,120" % t)
' >"$tmp/obs.csv"
expect "rollout decide: a 6-minute error-rate breach rolls back" 1 "$cli" rollout decide --observations "$tmp/obs.csv" --at 420 --json --service fraud --stable v1 --canary v2
check "rollout decide JSON: rollback, explanation, five-step plan" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"action\"] == \"rollback\" and d[\"firing\"] == 1 and \"error-rate\" in d[\"explanation\"][0]; s=d[\"plan\"][\"steps\"]; assert [x[\"action\"] for x in s] == [\"shift_traffic\", \"scale_canary\", \"alert\", \"incident\", \"event\"] and s[0][\"target\"] == \"v1\"'"
head -n 19 "$tmp/obs.csv" >"$tmp/obs-3min.csv"
expect "rollout decide: a 3-minute breach is still pending" 0 "$cli" rollout decide --observations "$tmp/obs-3min.csv" --at 240 --preset seed
check "rollout decide text" "grep -q '^decision: none (0 firing, 1 pending' $tmp/out"
expect "rollout decide without --at" 2 "$cli" rollout decide --observations "$tmp/obs.csv"
expect "rollout decide unknown preset" 2 "$cli" rollout decide --observations "$tmp/obs.csv" --at 420 --preset nope
printf 'time,metric,value\n60,error_rate,0.1\n0,error_rate,0.1\n' >"$tmp/obs-back.csv"
expect "rollout decide: time going back is bad input" 3 "$cli" rollout decide --observations "$tmp/obs-back.csv" --at 60
check "time going back: one line naming file and line" "one_line_stderr && grep -q 'obs-back.csv:3' $tmp/err"
printf 'time,metric,value\n0,error_rate,abc\n' >"$tmp/obs-nan.csv"
expect "rollout decide: bad value is bad input" 3 "$cli" rollout decide --observations "$tmp/obs-nan.csv" --at 60
check "bad value: one line" "one_line_stderr"
printf '{"metrics": [\n {"name": "success-rate", "successCondition": "result >= 0.95", "failureLimit": 1, "count": 3},\n {"name": "latency", "failureCondition": "result > 300", "count": 5, "consecutiveErrorLimit": 2}\n]}\n' >"$tmp/spec.json"
printf 'metric,value\nsuccess-rate,0.99\nlatency,120\nsuccess-rate,0.97\nlatency,200\nsuccess-rate,0.96\nlatency,100\nlatency,110\nlatency,130\n' >"$tmp/m-good.csv"
printf 'metric,value\nsuccess-rate,0.90\nlatency,100\nsuccess-rate,0.80\nlatency,100\n' >"$tmp/m-bad.csv"
printf 'metric,value\nsuccess-rate,0.99\nlatency,error\nlatency,\nlatency,error\nlatency,100\n' >"$tmp/m-err.csv"
expect "rollout analyze Successful" 0 "$cli" rollout analyze --metrics "$tmp/spec.json" --measurements "$tmp/m-good.csv" --json
check "analyze JSON: phase and per-metric counts" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"phase\"] == \"Successful\" and d[\"successful\"] is True and [m[\"count\"] for m in d[\"metrics\"]] == [3, 5]'"
expect "rollout analyze Failed" 1 "$cli" rollout analyze --metrics "$tmp/spec.json" --measurements "$tmp/m-bad.csv"
check "analyze Failed printed" "grep -q '^analysis: Failed' $tmp/out"
expect "rollout analyze consecutive errors" 1 "$cli" rollout analyze --metrics "$tmp/spec.json" --measurements "$tmp/m-err.csv" --json
check "analyze Error after 3 consecutive errors" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"phase\"] == \"Error\" and d[\"metrics\"][1][\"phase\"] == \"Error\" and d[\"metrics\"][1][\"error\"] == 3'"
printf 'metric,value\nnope,1\n' >"$tmp/m-unknown.csv"
expect "rollout analyze unknown metric" 3 "$cli" rollout analyze --metrics "$tmp/spec.json" --measurements "$tmp/m-unknown.csv"
check "unknown metric: one line naming it" "one_line_stderr && grep -q \"'nope'\" $tmp/err"
printf '{"metrics": [{"name": "a", "successCondition": "result >>> 1"}]}\n' >"$tmp/spec-bad.json"
expect "rollout analyze malformed condition" 3 "$cli" rollout analyze --metrics "$tmp/spec-bad.json" --measurements "$tmp/m-good.csv"
check "malformed condition: one line" "one_line_stderr && grep -q 'offset' $tmp/err"
expect "rollout analyze bad JSON" 3 "$cli" rollout analyze --metrics "$tmp/bad-suite.json" --measurements "$tmp/m-good.csv"
expect "rollout analyze without --measurements" 2 "$cli" rollout analyze --metrics "$tmp/spec.json"

# slo (docs/slo.md): rules from a Sloth spec, spec/policy checks, evaluation of counters; 0 ok / 1 alert / 2 / 3.
slospec=$(dirname "$0")/slo/serving.yaml
expect "slo --help" 0 "$cli" slo --help
check "slo --help text" "grep -q 'Usage: cogniforge slo rules' $tmp/out"
expect "slo without subcommand" 2 "$cli" slo
expect "slo rules without --spec" 2 "$cli" slo rules
expect "slo rules" 0 "$cli" slo rules --spec "$slospec" --out "$tmp/slo-rules.yml"
check "slo rules: Sloth record and alert names" "grep -q 'record: slo:sli_error:ratio_rate5m' $tmp/slo-rules.yml && grep -q 'record: slo:sli_error:ratio_rate30d' $tmp/slo-rules.yml && grep -q 'record: slo:period_error_budget_remaining:ratio' $tmp/slo-rules.yml && grep -q 'alert: ServingHighErrorRate' $tmp/slo-rules.yml && grep -q '(14.4 \* 0.0009999999999999432)' $tmp/slo-rules.yml"
expect "slo rules google-28d" 0 "$cli" slo rules --spec "$slospec" --preset google-28d
check "slo rules google-28d: 28-day period" "grep -q 'ratio_rate28d' $tmp/out && grep -q 'vector(28)' $tmp/out"
expect "slo rules unknown preset" 2 "$cli" slo rules --spec "$slospec" --preset nope
expect "slo check" 0 "$cli" slo check --spec "$slospec"
check "slo check lists the SLOs" "grep -q 'ok: model-serving/feature-drift' $tmp/out"
printf 'version: prometheus/v1\nservice: s\nslos:\n  - name: drift\n    objective: 90\n    sli: {raw: {error_ratio_query: "x"}}\n    alerting: {name: A}\n' >"$tmp/slo-never.yaml"
expect "slo check: a page pair that can never fire" 3 "$cli" slo check --spec "$tmp/slo-never.yaml"
check "never-firing: one line naming SLO and pair" "one_line_stderr && grep -q \"SLO 'drift'\" $tmp/err && grep -q 'can never fire' $tmp/err"
printf 'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 100\n    sli: {raw: {error_ratio_query: "x"}}\n    alerting: {name: A}\n' >"$tmp/slo-100.yaml"
expect "slo rules: objective 100 is bad input" 3 "$cli" slo rules --spec "$tmp/slo-100.yaml"
check "objective 100: line:column and field" "one_line_stderr && grep -q 'slo-100.yaml:5:16: slos\[0\].objective' $tmp/err"
printf 'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objectiv: 99\n' >"$tmp/slo-typo.yaml"
expect "slo rules: unknown field" 3 "$cli" slo rules --spec "$tmp/slo-typo.yaml"
check "unknown field named with its line" "one_line_stderr && grep -q 'slo-typo.yaml:5:5: slos\[0\].objectiv: unknown field' $tmp/err"
printf 'version: [\n' >"$tmp/slo-yaml.yaml"
expect "slo rules: YAML syntax error" 3 "$cli" slo rules --spec "$tmp/slo-yaml.yaml"
check "YAML syntax error: one line" "one_line_stderr && grep -q 'slo-yaml.yaml:' $tmp/err"
expect "slo rules: missing spec" 3 "$cli" slo rules --spec "$tmp/none.yaml"
/usr/bin/python3 -c '
print("time,total,errors")
for m in range(0, 421):
    print(f"{m * 60},{100 * m},{0 if m <= 360 else 10 * (m - 360)}")
' >"$tmp/slo-series.csv"
expect "slo eval: quiet before the burn" 0 "$cli" slo eval --objective 0.999 --series "$tmp/slo-series.csv" --at 21600
expect "slo eval: page fires" 1 "$cli" slo eval --objective 0.999 --series "$tmp/slo-series.csv" --at 22200 --json
check "slo eval JSON: page, windows, budget" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"page\"] is True and d[\"windows\"][0][\"firing\"] is True and d[\"period_total\"] == 37000 and d[\"budget_remaining\"] < 1'"
expect "slo eval without --at" 2 "$cli" slo eval --objective 0.999 --series "$tmp/slo-series.csv"
expect "slo eval: objective 99.9 is a usage error" 2 "$cli" slo eval --objective 99.9 --series "$tmp/slo-series.csv" --at 60
printf 'time,total,errors\n0,10,1\n60,20,x\n' >"$tmp/slo-bad.csv"
expect "slo eval: malformed row" 3 "$cli" slo eval --objective 0.999 --series "$tmp/slo-bad.csv" --at 60
check "malformed row: one line naming file and line" "one_line_stderr && grep -q 'slo-bad.csv:3' $tmp/err"

# slo backtest: replay counters through the policy; 0 no page / 1 a page fired / 2 usage / 3 bad input (line named).
btspec=$(dirname "$0")/slo/backtest/spec.yaml
expect "slo backtest: page fires" 1 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-series.csv"
check "slo backtest text: page interval and budget" "grep -q 'page   (any pair)        fired 22140s (06:09), still firing' $tmp/out && grep -q '^budget at 25200s' $tmp/out"
expect "slo backtest --mode prometheus --json" 1 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-series.csv" --mode prometheus --step 1m --json
check "slo backtest JSON: mode, steps, alerts, budget" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[\"mode\"] == \"prometheus\" and d[\"steps\"] == 421 and d[\"paged\"] is True and any(a[\"severity\"] == \"page\" and a[\"pair\"] is None and a[\"fired_at\"] == 22140 for a in d[\"alerts\"]) and d[\"budget\"][-1][\"errors\"] == 600'"
head -n 300 "$tmp/slo-series.csv" >"$tmp/slo-quiet.csv"
expect "slo backtest: quiet series" 0 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-quiet.csv"
check "slo backtest: no alert" "grep -q 'no alert fired' $tmp/out"
expect "slo backtest without --series" 2 "$cli" slo backtest --spec "$btspec"
expect "slo backtest: bad mode" 2 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-series.csv" --mode fast
expect "slo backtest: unknown --slo" 3 "$cli" slo backtest --spec "$btspec" --slo nope --series "$tmp/slo-series.csv"
printf 'time,total,errors\n0,10,1\n120,20,2\n60,30,3\n' >"$tmp/slo-unsorted.csv"
expect "slo backtest: unsorted times" 3 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-unsorted.csv"
check "unsorted times: one line naming file and line" "one_line_stderr && grep -q 'slo-unsorted.csv:4' $tmp/err"
printf 'time,total,errors\n0,10,1\n60,nan,2\n' >"$tmp/slo-nan.csv"
expect "slo backtest: NaN" 3 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-nan.csv"
check "NaN: names file and line" "one_line_stderr && grep -q 'slo-nan.csv:3' $tmp/err"
expect "slo backtest: missing column" 3 "$cli" slo backtest --spec "$btspec" --series "$tmp/slo-series.csv" --errors-column errors_total
check "missing column: named" "one_line_stderr && grep -q 'slo-series.csv:1: missing column errors_total' $tmp/err"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
