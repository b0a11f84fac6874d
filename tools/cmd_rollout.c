/* cogniforge rollout: rollback decisions (rule policy + plan) and Argo Rollouts analysis runs. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_rollout_help(FILE *out)
{
	fprintf(out,
		"Usage: %s rollout decide --observations FILE.csv --at T [--preset seed] [--json]\n"
		"                 [--service NAME] [--stable VERSION] [--canary VERSION]\n"
		"       %s rollout analyze --metrics SPEC.json --measurements FILE.csv [--json]\n"
		"\n"
		"decide: feed observations (CSV columns time,metric,value; time in seconds, non-decreasing) to the\n"
		"rule policy (preset 'seed': error_rate > 0.001 for 300s, latency_p95_ms > 300 for 300s, burn_rate >\n"
		"14.4 -> rollback; drift > 0.10 -> retrain), decide at time T and print the decision, the firing rules\n"
		"and, for a rollback, the five-step rollback plan.\n"
		"\n"
		"analyze: run an Argo Rollouts analysis. SPEC.json is {\"metrics\": [...]} (or the array) of metrics with\n"
		"Argo's fields name, successCondition, failureCondition, count, failureLimit, inconclusiveLimit,\n"
		"consecutiveErrorLimit, consecutiveSuccessLimit. The CSV's rows (columns metric,value) are measurements\n"
		"in order; an empty value or 'error' is a measurement error. Prints the run's phase; --json prints\n"
		"{\"phase\", \"metrics\": [...]} for an Argo web metric provider (docs/cli.md).\n"
		"\n"
		"Options:\n"
		"  --observations FILE  decide: the observations CSV\n"
		"  --at T               decide: evaluation time, seconds (>= the last observation)\n"
		"  --preset NAME        decide: rule preset (default seed)\n"
		"  --service NAME       decide: service named in the plan (default 'model')\n"
		"  --stable VERSION     decide: version traffic returns to (default 'stable')\n"
		"  --canary VERSION     decide: version rolled back (default 'canary')\n"
		"  --metrics FILE       analyze: the metric specification (JSON)\n"
		"  --measurements FILE  analyze: the measurements CSV\n"
		"  --json               machine-readable output\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit codes: 0 decide: no action / analyze: Successful; 1 decide: rollback, retrain or alert /\n"
		"analyze: Failed, Error, Inconclusive or still Running; 2 usage error; 3 bad input; 4 internal error.\n",
		cli_prog, cli_prog);
}

/* A CSV read with every column as a string and no NA tokens (an empty field stays ""). */
typedef struct str_table {
	cf_table *t;
	const char *path;
} str_table;

static int read_strings(const char *cmd, cf_context *ctx, const char *path, str_table *out)
{
	static const char *const no_na[1] = { NULL };
	cf_csv_options o = CF_CSV_OPTIONS_INIT;
	cf_csv_reader *r = NULL;
	cf_type *types;
	size_t i, n;
	int rc;

	out->t = NULL;
	out->path = path;
	if ((rc = cf_csv_open(&r, ctx, path, &o)) != CF_OK)
		return cli_input_error(cmd, rc);
	n = cf_csv_num_columns(r);
	cf_csv_free(r);
	if ((types = calloc(n ? n : 1, sizeof *types)) == NULL)
		return CLI_INTERNAL;
	for (i = 0; i < n; i++)
		types[i] = CF_TYPE_STRING;
	o.types = types;
	o.types_count = n;
	o.na_values = no_na;
	o.na_count = 0;
	rc = cf_csv_read_all(&out->t, ctx, path, &o);
	free(types);
	return rc == CF_OK ? CLI_OK : cli_input_error(cmd, rc);
}

static int column(const char *cmd, const str_table *st, const char *name, cf_column_view *cv)
{
	size_t idx;

	if (cf_table_column_index(&idx, st->t, name) != CF_OK || cf_table_column(cv, st->t, idx) != CF_OK) {
		fprintf(stderr, "%s %s: error: %s: no column '%s'\n", cli_prog, cmd, st->path, name);
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

static const char *cell(const cf_column_view *cv, size_t row)
{
	int32_t code = ((const int32_t *)cv->values)[row];
	return code >= 0 && (size_t)code < cv->dict_size ? cv->dict[code] : "";
}

static int parse_double(const char *s, double *out)
{
	char *end;
	if (s[0] == '\0')
		return -1;
	*out = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* Data rows start on line 2 (a header, no quoted newlines assumed in these small files). */
static int row_error(const char *cmd, const str_table *st, size_t row, const char *what)
{
	fprintf(stderr, "%s %s: error: %s:%zu: %s\n", cli_prog, cmd, st->path, row + 2, what);
	return CLI_BAD_INPUT;
}

static int decide(cf_context *ctx, const char *obs, double at, const char *preset, const char *service,
	const char *stable, const char *canary, int json)
{
	const char *cmd = "rollout decide";
	cf_rollout_policy *pol = NULL;
	cf_rollout_decision d;
	cf_rollout_plan plan;
	cf_buf pj = CF_BUF_INIT;
	cf_column_view ct, cm, cvv;
	str_table st;
	size_t i, rows;
	int code, rc;

	if ((rc = cf_rollout_policy_preset(&pol, ctx, preset, NULL)) != CF_OK) {
		cli_lib_error(cmd, rc);
		return rc == CF_ENOTFOUND ? CLI_USAGE : cli_exit_code(rc);
	}
	if ((code = read_strings(cmd, ctx, obs, &st)) != CLI_OK)
		goto done;
	if ((code = column(cmd, &st, "time", &ct)) != CLI_OK || (code = column(cmd, &st, "metric", &cm)) != CLI_OK ||
		(code = column(cmd, &st, "value", &cvv)) != CLI_OK)
		goto done;
	rows = cf_table_num_rows(st.t);
	for (i = 0; i < rows; i++) {
		double t, v;
		if (parse_double(cell(&ct, i), &t) != 0) {
			code = row_error(cmd, &st, i, "time is not a number of seconds");
			goto done;
		}
		if (parse_double(cell(&cvv, i), &v) != 0) {
			code = row_error(cmd, &st, i, "value is not a finite number");
			goto done;
		}
		if ((rc = cf_rollout_policy_observe(pol, cell(&cm, i), t, v)) != CF_OK) {
			code = row_error(cmd, &st, i, cf_error_last()->message);
			goto done;
		}
	}
	if ((rc = cf_rollout_policy_decide(&d, pol, at)) != CF_OK) {
		code = cli_input_error(cmd, rc);
		goto done;
	}
	if (d.action == CF_ROLLOUT_ROLLBACK) {
		if ((rc = cf_rollout_plan_build(&plan, service, stable, canary, d.explanation, at)) != CF_OK ||
			(rc = cf_rollout_plan_to_json(&pj, &plan)) != CF_OK) {
			code = cli_lib_error(cmd, rc);
			goto done;
		}
	}
	if (json) {
		json_t *root = json_object(), *lines = json_array(), *pv = NULL;
		const char *p = d.explanation ? d.explanation : "";
		if (pj.ptr)
			pv = json_loadb(pj.ptr, pj.size, 0, NULL);
		while (root && lines && *p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (len)
				json_array_append_new(lines, json_stringn(p, len));
			p += len + (nl ? 1 : 0);
		}
		if (root) {
			json_object_set_new(root, "action", json_string(cf_rollout_action_name(d.action)));
			json_object_set_new(root, "at", json_real(at));
			json_object_set_new(root, "firing", json_integer((json_int_t)d.firing));
			json_object_set_new(root, "pending", json_integer((json_int_t)d.pending));
			json_object_set_new(root, "explanation", lines ? lines : json_array());
			json_object_set_new(root, "plan", pv ? pv : json_null());
		} else {
			json_decref(lines);
			json_decref(pv);
		}
		code = cli_print_json(root);
	} else {
		printf("decision: %s (%zu firing, %zu pending, at t=%g)\n", cf_rollout_action_name(d.action), d.firing,
			d.pending, at);
		if (d.explanation && d.explanation[0])
			printf("%s%s", d.explanation, d.explanation[strlen(d.explanation) - 1] == '\n' ? "" : "\n");
		if (pj.ptr)
			printf("rollback plan:\n%s%s", pj.ptr, pj.ptr[pj.size - 1] == '\n' ? "" : "\n");
	}
	if (code == CLI_OK && d.action != CF_ROLLOUT_NONE)
		code = CLI_FAILED;
done:
	cf_buf_dispose(&pj);
	cf_table_free(st.t);
	cf_rollout_policy_free(pol);
	return code;
}

/* An Argo int-or-string field: absent keeps *out. */
static int spec_int(const char *cmd, const char *path, json_t *m, const char *key, int *out)
{
	json_t *v = json_object_get(m, key);
	char *end;
	long x;

	if (v == NULL || json_is_null(v))
		return CLI_OK;
	if (json_is_integer(v)) {
		x = (long)json_integer_value(v);
	} else if (json_is_string(v) && json_string_value(v)[0]) {
		x = strtol(json_string_value(v), &end, 10);
		if (*end)
			goto bad;
	} else {
		goto bad;
	}
	if (x < -1 || x > 1000000)
		goto bad;
	*out = (int)x;
	return CLI_OK;
bad:
	fprintf(stderr, "%s %s: error: %s: '%s' must be an integer from -1 to 1000000\n", cli_prog, cmd, path, key);
	return CLI_BAD_INPUT;
}

static int spec_str(const char *cmd, const char *path, json_t *m, const char *key, const char **out)
{
	json_t *v = json_object_get(m, key);
	if (v == NULL || json_is_null(v))
		return CLI_OK;
	if (!json_is_string(v)) {
		fprintf(stderr, "%s %s: error: %s: '%s' must be a string\n", cli_prog, cmd, path, key);
		return CLI_BAD_INPUT;
	}
	*out = json_string_value(v);
	return CLI_OK;
}

static int analyze(cf_context *ctx, const char *spec_path, const char *meas, int json)
{
	const char *cmd = "rollout analyze";
	cf_rollout_metric ms[64];
	cf_rollout_analysis *run = NULL;
	cf_buf text = CF_BUF_INIT;
	json_t *spec = NULL, *arr;
	json_error_t jerr;
	cf_column_view cm, cv;
	str_table st = { NULL, NULL };
	size_t i, j, n, rows;
	int code, rc;
	cf_rollout_phase phase;

	if ((code = cli_read_file(cmd, spec_path, 0, &text)) != CLI_OK)
		return code;
	spec = json_loadb(text.ptr ? text.ptr : "", text.size, 0, &jerr);
	cf_buf_dispose(&text);
	if (spec == NULL) {
		fprintf(stderr, "%s %s: error: %s:%d:%d: %s\n", cli_prog, cmd, spec_path, jerr.line, jerr.column, jerr.text);
		return CLI_BAD_INPUT;
	}
	arr = json_is_array(spec) ? spec : json_object_get(spec, "metrics");
	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n == 0 || n > 64) {
		fprintf(stderr, "%s %s: error: %s: needs a 'metrics' array of 1 to 64 metrics\n", cli_prog, cmd, spec_path);
		json_decref(spec);
		return CLI_BAD_INPUT;
	}
	for (i = 0; i < n; i++) {
		static const cf_rollout_metric init = CF_ROLLOUT_METRIC_INIT;
		json_t *m = json_array_get(arr, i);
		ms[i] = init;
		if (!json_is_object(m) || !json_is_string(json_object_get(m, "name"))) {
			fprintf(stderr, "%s %s: error: %s: metric %zu needs a 'name'\n", cli_prog, cmd, spec_path, i + 1);
			code = CLI_BAD_INPUT;
		}
		if (code == CLI_OK)
			ms[i].name = json_string_value(json_object_get(m, "name"));
		if (code == CLI_OK)
			code = spec_str(cmd, spec_path, m, "successCondition", &ms[i].success_condition);
		if (code == CLI_OK)
			code = spec_str(cmd, spec_path, m, "failureCondition", &ms[i].failure_condition);
		if (code == CLI_OK)
			code = spec_int(cmd, spec_path, m, "count", &ms[i].count);
		if (code == CLI_OK)
			code = spec_int(cmd, spec_path, m, "failureLimit", &ms[i].failure_limit);
		if (code == CLI_OK)
			code = spec_int(cmd, spec_path, m, "inconclusiveLimit", &ms[i].inconclusive_limit);
		if (code == CLI_OK)
			code = spec_int(cmd, spec_path, m, "consecutiveErrorLimit", &ms[i].consecutive_error_limit);
		if (code == CLI_OK)
			code = spec_int(cmd, spec_path, m, "consecutiveSuccessLimit", &ms[i].consecutive_success_limit);
		if (code != CLI_OK)
			goto done;
	}
	if ((rc = cf_rollout_analysis_create(&run, ctx, ms, n)) != CF_OK) {
		code = cli_input_error(cmd, rc);
		goto done;
	}
	if ((code = read_strings(cmd, ctx, meas, &st)) != CLI_OK || (code = column(cmd, &st, "metric", &cm)) != CLI_OK ||
		(code = column(cmd, &st, "value", &cv)) != CLI_OK)
		goto done;
	rows = cf_table_num_rows(st.t);
	for (i = 0; i < rows; i++) {
		const char *name = cell(&cm, i), *val = cell(&cv, i);
		double v;
		for (j = 0; j < n && strcmp(ms[j].name, name) != 0; j++)
			;
		if (j == n) {
			char what[512];
			snprintf(what, sizeof what, "unknown metric '%s'", name);
			code = row_error(cmd, &st, i, what);
			goto done;
		}
		phase = cf_rollout_analysis_phase(run);
		/* Argo stops measuring once the run or the metric has an outcome: later rows are not taken. */
		if (phase == CF_ROLLOUT_PHASE_FAILED || phase == CF_ROLLOUT_PHASE_ERROR ||
			phase == CF_ROLLOUT_PHASE_INCONCLUSIVE)
			break;
		if (cf_rollout_analysis_metric_phase(run, j) != CF_ROLLOUT_PHASE_PENDING &&
			cf_rollout_analysis_metric_phase(run, j) != CF_ROLLOUT_PHASE_RUNNING)
			continue;
		if (val[0] == '\0' || strcmp(val, "error") == 0)
			rc = cf_rollout_analysis_error(run, j);
		else if (parse_double(val, &v) != 0) {
			code = row_error(cmd, &st, i, "value is not a number, empty or 'error'");
			goto done;
		} else
			rc = cf_rollout_analysis_measure(NULL, run, j, v);
		if (rc != CF_OK) {
			code = row_error(cmd, &st, i, cf_error_last()->message);
			goto done;
		}
	}
	phase = cf_rollout_analysis_phase(run);
	if (json) {
		json_t *root = json_object(), *marr = json_array();
		for (i = 0; root && marr && i < n; i++) {
			cf_rollout_metric_counts c;
			json_t *o = json_object();
			if (o == NULL || cf_rollout_analysis_metric_counts(&c, run, i) != CF_OK) {
				json_decref(o);
				continue;
			}
			json_object_set_new(o, "name", json_string(ms[i].name));
			json_object_set_new(o, "phase", json_string(cf_rollout_phase_name(cf_rollout_analysis_metric_phase(run, i))));
			json_object_set_new(o, "count", json_integer(c.count));
			json_object_set_new(o, "successful", json_integer(c.successful));
			json_object_set_new(o, "failed", json_integer(c.failed));
			json_object_set_new(o, "inconclusive", json_integer(c.inconclusive));
			json_object_set_new(o, "error", json_integer(c.error));
			json_object_set_new(o, "consecutiveError", json_integer(c.consecutive_error));
			json_array_append_new(marr, o);
		}
		if (root) {
			json_object_set_new(root, "phase", json_string(cf_rollout_phase_name(phase)));
			json_object_set_new(root, "successful", json_boolean(phase == CF_ROLLOUT_PHASE_SUCCESSFUL));
			json_object_set_new(root, "metrics", marr ? marr : json_array());
		} else {
			json_decref(marr);
		}
		code = cli_print_json(root);
	} else {
		printf("analysis: %s\n", cf_rollout_phase_name(phase));
		for (i = 0; i < n; i++) {
			cf_rollout_metric_counts c;
			if (cf_rollout_analysis_metric_counts(&c, run, i) != CF_OK)
				continue;
			printf("  %-24s %-12s %d measured: %d successful, %d failed, %d inconclusive, %d error\n", ms[i].name,
				cf_rollout_phase_name(cf_rollout_analysis_metric_phase(run, i)), c.count, c.successful, c.failed,
				c.inconclusive, c.error);
		}
	}
	if (code == CLI_OK && phase != CF_ROLLOUT_PHASE_SUCCESSFUL)
		code = CLI_FAILED;
done:
	cf_table_free(st.t);
	cf_rollout_analysis_free(run);
	json_decref(spec);
	return code;
}

int cmd_rollout(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "observations", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' },
		{ "preset", required_argument, NULL, 'p' },
		{ "service", required_argument, NULL, 's' },
		{ "stable", required_argument, NULL, 'S' },
		{ "canary", required_argument, NULL, 'c' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "measurements", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *cmd, *obs = NULL, *preset = "seed", *service = "model", *stable = "stable", *canary = "canary";
	const char *metrics = NULL, *meas = NULL;
	cf_context *ctx = NULL;
	double at = NAN;
	int c, code = CLI_OK, json = 0, rc;

	if (argc < 2)
		return cli_usage_error("rollout", "missing subcommand (decide or analyze)");
	sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
		cmd_rollout_help(stdout);
		return CLI_OK;
	}
	if (strcmp(sub, "decide") == 0)
		cmd = "rollout decide";
	else if (strcmp(sub, "analyze") == 0)
		cmd = "rollout analyze";
	else
		return cli_usage_error("rollout", "unknown subcommand '%s' (decide or analyze)", sub);
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': obs = optarg; break;
		case 'a':
			if (parse_double(optarg, &at) != 0)
				code = cli_usage_error(cmd, "--at takes a time in seconds, not '%s'", optarg);
			break;
		case 'p': preset = optarg; break;
		case 's': service = optarg; break;
		case 'S': stable = optarg; break;
		case 'c': canary = optarg; break;
		case 'm': metrics = optarg; break;
		case 'M': meas = optarg; break;
		case 'j': json = 1; break;
		case 'h': cmd_rollout_help(stdout); return CLI_OK;
		case ':': code = cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK)
			return code;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (strcmp(sub, "decide") == 0 && (obs == NULL || isnan(at) || metrics || meas))
		return cli_usage_error(cmd, "needs --observations FILE and --at T");
	if (strcmp(sub, "analyze") == 0 && (metrics == NULL || meas == NULL || obs || !isnan(at)))
		return cli_usage_error(cmd, "needs --metrics SPEC.json and --measurements FILE");
	if (strcmp(sub, "decide") == 0 && (!service[0] || !stable[0] || !canary[0]))
		return cli_usage_error(cmd, "--service, --stable and --canary must not be empty");
	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK)
		return cli_lib_error(cmd, rc);
	if (strcmp(sub, "decide") == 0)
		code = decide(ctx, obs, at, preset, service, stable, canary, json);
	else
		code = analyze(ctx, metrics, meas, json);
	cf_context_free(ctx);
	return code;
}
