#!/bin/sh
# `make pipeline`: the main job on the embedded Adult dataset, as far as the library goes today.
# The seed DAG is prepare-data -> validate-data -> train -> evaluate -> fairness-check -> register. Steps whose
# modules have not landed yet are listed as such (with the issue that brings them), never faked.
# Usage: tools/pipeline.sh BUILD_DIR
set -eu
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cli="$build/tools/cogniforge"
work="$build/pipeline"
mkdir -p "$work"

# run NAME CMD...: run one step, keeping its output in $work/NAME.out; report NAME prints its status line.
run() {
	name=$1
	shift
	t0=$(date +%s%N)
	rc=0
	"$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'pipeline: %-16s FAILED  (exit %d)\n' "$name" "$rc"
		cat "$work/$name.err" >&2
		exit "$rc"
	fi
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
report() { # NAME SUMMARY
	printf 'pipeline: %-16s ok      %5d ms  %s\n' "$1" "$ms" "$2"
}

echo "pipeline: cogniforge $("$cli" version --json | sed -n 's/.*"version": "\(.*\)".*/\1/p'), workdir $work"
run environment "$cli" version
report environment "$(grep -E '^(features|cuda devices):' "$work/environment.out" | paste -sd';' -)"

run inspect-data "$cli" data summarize --json "$root/data/adult/adult-train.csv.zst" "$root/data/adult/adult-test.csv.zst"
cp "$work/inspect-data.out" "$work/dataset-lineage.json"
report inspect-data "$(/usr/bin/python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
print("; ".join("%s: %d rows, sha256 %s..." % (os.path.basename(f["path"]), f["rows"], f["sha256"][:12]) for f in d))
' "$work/inspect-data.out")"

# validate-data: the shipped Great Expectations suite on the training file (a failure stops the pipeline, as the
# seed's Data Quality stage does), with the JSON report and JUnit XML kept for CI.
names=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income
run validate-data "$cli" validate --data "$root/data/adult/adult-train.csv.zst" --suite "$root/data/adult/suite.json" \
	--no-header --names "$names" --skip-initial-space --out "$work/validation.json" --junit "$work/validation.xml"
report validate-data "$(sed -n 's/^validate: //p' "$work/validate-data.out") (report: $work/validation.json)"

for s in "prepare-data:features (issue 5)" \
	"train:training on CPU/GPU (issue 5)" "evaluate:metrics (issue 4)" "fairness-check:fairness (issue 4)" \
	"register:quality gate + registry (issues 6, 8)"; do
	printf 'pipeline: %-16s pending  not implemented yet: %s\n' "${s%%:*}" "${s#*:}"
done
echo "pipeline: done as far as the library goes today; dataset lineage written to $work/dataset-lineage.json"
