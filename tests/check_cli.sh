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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
