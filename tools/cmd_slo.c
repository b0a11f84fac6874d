/* cogniforge slo: Sloth-compatible Prometheus rules from an SLO spec, spec/policy checks, and burn-rate
 * evaluation of recorded counters (docs/slo.md, docs/cli.md). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_slo_help(FILE *out)
{
	fprintf(out,
		"Usage: %s slo rules --spec SLO.yaml [--preset NAME] [--period DURATION] [--out FILE]\n"
		"       %s slo check --spec SLO.yaml [--preset NAME] [--period DURATION]\n"
		"       %s slo eval --objective RATIO --series COUNTERS.csv --at TIME [--preset NAME] [--json]\n"
		"       %s slo backtest --spec SLO.yaml [--slo NAME] --series COUNTERS.csv [--preset NAME]\n"
		"                [--mode exact|prometheus] [--step DURATION] [--total-column NAME] [--errors-column NAME] [--json]\n"
		"\n"
		"rules  generate a Prometheus rule file in Sloth's shape (SLI recording rules per window, metadata rules,\n"
		"       multiwindow multi-burn-rate page and ticket alerts) from a Sloth prometheus/v1 spec.\n"
		"check  validate the spec and the policy against every objective (e.g. a pair that can never fire).\n"
		"eval   feed cumulative counters (CSV columns time,total,errors; time in seconds) to the streaming\n"
		"       evaluator and report burn rates, budget and firing alerts at --at (later samples are ignored).\n"
		"backtest  replay counters (CSV header time,<counter>,...; default columns 2 = total, 3 = errors) through\n"
		"       the policy at every --step (default: the median scrape interval) and report when each alert fired\n"
		"       and resolved, and the budget; --mode prometheus reproduces PromQL rate() extrapolation.\n"
		"       Exit 1 when a page alert fired.\n"
		"\n"
		"Options:\n"
		"  --spec FILE             the Sloth prometheus/v1 spec (YAML)\n"
		"  --preset NAME           google-30d (default), google-28d or pyrra-28d\n"
		"  --period DURATION       SLO period, e.g. 30d (default: 28d for *-28d presets, else 30d)\n"
		"  --out FILE              write the rules there (atomically) instead of stdout\n"
		"  --disable-alerts        rules: omit the alert group\n"
		"  --disable-recordings    rules: omit the recording groups\n"
		"  --objective RATIO       eval: objective in (0, 1), e.g. 0.999\n"
		"  --series FILE           eval: counters CSV ('-' for stdin)\n"
		"  --at TIME               eval: evaluation time, seconds\n"
		"  --resolution DURATION   eval: bucket width (default 1m)\n"
		"  --json                  eval: machine-readable output\n"
		"  -h, --help              show this help\n"
		"\n"
		"Exit codes: 0 ok (eval: no alert firing), 1 eval: an alert fires, 2 usage error, 3 bad input (spec,\n"
		"series, a policy that cannot fire), 4 internal error.\n",
		cli_prog, cli_prog, cli_prog, cli_prog);
}

typedef struct slo_args {
	const char *spec, *preset, *out, *series;
	double period_s, objective, at, resolution_s;
	int json, disable_alerts, disable_recordings, have_objective, have_at;
} slo_args;

static int parse_number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end == s || *end != '\0' || errno != 0 || !isfinite(*out) ? -1 : 0;
}

static int parse_args(const char *cmd, int argc, char **argv, slo_args *a)
{
	static const struct option longopts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "preset", required_argument, NULL, 'p' },
		{ "period", required_argument, NULL, 'P' },
		{ "out", required_argument, NULL, 'o' },
		{ "disable-alerts", no_argument, NULL, 'A' },
		{ "disable-recordings", no_argument, NULL, 'R' },
		{ "objective", required_argument, NULL, 'O' },
		{ "series", required_argument, NULL, 'S' },
		{ "at", required_argument, NULL, 't' },
		{ "resolution", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof *a);
	a->preset = "google-30d";
	a->resolution_s = 60;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': a->spec = optarg; break;
		case 'p': a->preset = optarg; break;
		case 'o': a->out = optarg; break;
		case 'A': a->disable_alerts = 1; break;
		case 'R': a->disable_recordings = 1; break;
		case 'S': a->series = optarg; break;
		case 'j': a->json = 1; break;
		case 'P':
		case 'r':
			if (cf_slo_parse_duration(c == 'P' ? &a->period_s : &a->resolution_s, optarg) != CF_OK)
				return cli_usage_error(cmd, "--%s takes a duration such as 30d, not '%s'",
					c == 'P' ? "period" : "resolution", optarg);
			break;
		case 'O':
			if (parse_number(optarg, &a->objective) != 0 || !(a->objective > 0 && a->objective < 1))
				return cli_usage_error(cmd, "--objective takes a ratio in (0, 1) such as 0.999, not '%s'", optarg);
			a->have_objective = 1;
			break;
		case 't':
			if (parse_number(optarg, &a->at) != 0)
				return cli_usage_error(cmd, "--at takes a time in seconds, not '%s'", optarg);
			a->have_at = 1;
			break;
		case 'h': cmd_slo_help(stdout); return -1;
		case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return CLI_OK;
}

static int load_spec(const char *cmd, const char *path, cf_slo_spec **spec)
{
	cf_buf text = CF_BUF_INIT;
	int code, rc;

	if ((code = cli_read_file(cmd, path, 1, &text)) != CLI_OK)
		return code;
	rc = cf_slo_spec_parse(spec, NULL, text.ptr ? text.ptr : "", text.size, path);
	cf_buf_dispose(&text);
	return rc == CF_OK ? CLI_OK : cli_input_error(cmd, rc);
}

static int slo_rules_or_check(int argc, char **argv, int check)
{
	const char *cmd = check ? "slo check" : "slo rules";
	cf_slo_rules_options o = CF_SLO_RULES_OPTIONS_INIT;
	cf_slo_spec *spec = NULL;
	cf_buf rules = CF_BUF_INIT;
	slo_args a;
	int code, rc;
	size_t i;

	if ((code = parse_args(cmd, argc, argv, &a)) != CLI_OK)
		return code < 0 ? CLI_OK : code;
	if (a.spec == NULL)
		return cli_usage_error(cmd, "--spec is required");
	if (a.series || a.have_objective || a.have_at || a.json || (check && (a.out || a.disable_alerts ||
			a.disable_recordings)))
		return cli_usage_error(cmd, "an option given is not used by '%s'", cmd);
	o.preset = a.preset;
	o.period_s = a.period_s;
	o.disable_alerts = a.disable_alerts;
	o.disable_recordings = a.disable_recordings;
	if ((code = load_spec(cmd, a.spec, &spec)) != CLI_OK)
		return code;
	if (check) {
		rc = cf_slo_spec_check(spec, &o);
		if (rc == CF_OK) {
			for (i = 0; i < cf_slo_spec_count(spec); i++)
				printf("ok: %s/%s objective %.10g with %s\n", cf_slo_spec_service(spec), cf_slo_spec_name(spec, i),
					cf_slo_spec_objective(spec, i), a.preset);
			code = CLI_OK;
		} else {
			code = rc == CF_ENOTFOUND ? cli_lib_error(cmd, CF_EINVAL) : cli_input_error(cmd, rc);
		}
	} else {
		rc = cf_slo_rules_generate(&rules, spec, &o);
		if (rc != CF_OK)
			code = rc == CF_ENOTFOUND ? cli_lib_error(cmd, CF_EINVAL) : cli_input_error(cmd, rc);
		else
			code = cli_write_output(cmd, a.out, rules.ptr, rules.size);
	}
	cf_buf_dispose(&rules);
	cf_slo_spec_free(spec);
	return code;
}

/* CSV: an optional header line, then time,total,errors (cumulative counters). */
static int feed_series(const char *cmd, const char *path, const char *text, double at, cf_slo *slo)
{
	const char *line = text;
	size_t lineno = 0;
	int rc;

	while (*line) {
		const char *next = strchr(line, '\n');
		char buf[256], *p, *end;
		double t;
		unsigned long long total, errors;
		size_t len = next ? (size_t)(next - line) : strlen(line);

		lineno++;
		if (len >= sizeof buf) {
			fprintf(stderr, "%s %s: error: %s:%zu: line too long\n", cli_prog, cmd, path, lineno);
			return CLI_BAD_INPUT;
		}
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		line = next ? next + 1 : line + len;
		if (len == 0 || buf[0] == '#' || (lineno == 1 && strncmp(buf, "time", 4) == 0))
			continue;
		p = buf;
		errno = 0;
		t = strtod(p, &end);
		if (end == p || *end != ',')
			goto bad;
		p = end + 1;
		total = strtoull(p, &end, 10);
		if (end == p || *end != ',' || *p == '-')
			goto bad;
		p = end + 1;
		errors = strtoull(p, &end, 10);
		if (end == p || *end != '\0' || *p == '-' || errno != 0)
			goto bad;
		if (errors > total) {
			fprintf(stderr, "%s %s: error: %s:%zu: errors %llu exceed total %llu\n", cli_prog, cmd, path, lineno,
				errors, total);
			return CLI_BAD_INPUT;
		}
		if (t > at) /* as of --at: later samples are not seen yet */
			continue;
		if ((rc = cf_slo_add_counters(slo, t, (uint64_t)(total - errors), (uint64_t)total)) != CF_OK) {
			char msg[1024];
			snprintf(msg, sizeof msg, "%s", cf_error_last()->message);
			fprintf(stderr, "%s %s: error: %s:%zu: %s\n", cli_prog, cmd, path, lineno, msg);
			return CLI_BAD_INPUT;
		}
		continue;
bad:
		fprintf(stderr, "%s %s: error: %s:%zu: want time,total,errors (seconds, two counters)\n", cli_prog, cmd,
			path, lineno);
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int slo_eval(int argc, char **argv)
{
	const char *cmd = "slo eval";
	cf_slo_options so = CF_SLO_OPTIONS_INIT;
	cf_slo *slo = NULL;
	cf_slo_status st;
	cf_buf text = CF_BUF_INIT;
	slo_args a;
	int code, rc;
	size_t i;

	if ((code = parse_args(cmd, argc, argv, &a)) != CLI_OK)
		return code < 0 ? CLI_OK : code;
	if (!a.have_objective)
		return cli_usage_error(cmd, "--objective is required");
	if (a.series == NULL)
		return cli_usage_error(cmd, "--series is required");
	if (!a.have_at)
		return cli_usage_error(cmd, "--at is required");
	if (a.spec || a.out || a.disable_alerts || a.disable_recordings)
		return cli_usage_error(cmd, "an option given is not used by '%s'", cmd);
	so.objective = a.objective;
	so.preset = a.preset;
	so.resolution_s = a.resolution_s;
	if (a.period_s > 0)
		so.period_s = a.period_s;
	else if (strlen(a.preset) >= 4 && strcmp(a.preset + strlen(a.preset) - 4, "-28d") == 0)
		so.period_s = 28 * 86400.0;
	if ((rc = cf_slo_create(&slo, NULL, &so)) != CF_OK)
		return rc == CF_ENOTFOUND ? cli_lib_error(cmd, CF_EINVAL) : cli_input_error(cmd, rc);
	if ((code = cli_read_file(cmd, a.series, 1, &text)) != CLI_OK)
		goto done;
	if ((code = feed_series(cmd, a.series, text.ptr ? text.ptr : "", a.at, slo)) != CLI_OK)
		goto done;
	if ((rc = cf_slo_evaluate(&st, slo, a.at)) != CF_OK) {
		code = cli_input_error(cmd, rc);
		goto done;
	}
	if (a.json) {
		json_t *root = json_object(), *ws = json_array();
		for (i = 0; i < st.window_count; i++) {
			const cf_slo_window_status *w = &st.windows[i];
			json_array_append_new(ws, json_pack("{s:s, s:f, s:f, s:f, s:o, s:o, s:o, s:o, s:f, s:b}",
				"severity", w->window.severity == CF_SLO_PAGE ? "page" : "ticket", "burn_rate", w->window.burn_rate,
				"long_s", w->window.long_s, "short_s", w->window.short_s,
				"long_error_ratio", num_or_null(w->long_error_ratio), "short_error_ratio",
				num_or_null(w->short_error_ratio), "long_burn_rate", num_or_null(w->long_burn_rate),
				"short_burn_rate", num_or_null(w->short_burn_rate), "threshold", w->threshold, "firing",
				w->firing));
		}
		json_object_set_new(root, "at", json_real(st.now));
		json_object_set_new(root, "objective", json_real(a.objective));
		json_object_set_new(root, "period_good", json_integer((json_int_t)st.period_good));
		json_object_set_new(root, "period_total", json_integer((json_int_t)st.period_total));
		json_object_set_new(root, "error_ratio", num_or_null(st.error_ratio));
		json_object_set_new(root, "burn_rate", num_or_null(st.burn_rate));
		json_object_set_new(root, "budget_consumed", num_or_null(st.budget_consumed));
		json_object_set_new(root, "budget_remaining", num_or_null(st.budget_remaining));
		json_object_set_new(root, "time_to_exhaustion_s", num_or_null(st.time_to_exhaustion_s));
		json_object_set_new(root, "page", json_boolean(st.page));
		json_object_set_new(root, "ticket", json_boolean(st.ticket));
		json_object_set_new(root, "windows", ws);
		json_object_set_new(root, "explanation", json_string(st.explanation ? st.explanation : ""));
		cli_print_json(root);
	} else {
		printf("at %.10g: page %s, ticket %s\n", st.now, st.page ? "FIRING" : "ok", st.ticket ? "FIRING" : "ok");
		printf("period: %llu bad of %llu, error ratio %.6g, burn %.6g, budget remaining %.4g%%\n",
			(unsigned long long)(st.period_total - st.period_good), (unsigned long long)st.period_total,
			st.error_ratio, st.burn_rate, st.budget_remaining * 100);
		for (i = 0; i < st.window_count; i++) {
			const cf_slo_window_status *w = &st.windows[i];
			printf("  %-6s %gx %gs/%gs: burn %.4g (long) %.4g (short)%s\n",
				w->window.severity == CF_SLO_PAGE ? "page" : "ticket", w->window.burn_rate, w->window.long_s,
				w->window.short_s, w->long_burn_rate, w->short_burn_rate, w->firing ? "  FIRING" : "");
		}
		if (st.explanation)
			printf("%s\n", st.explanation);
	}
	code = st.page || st.ticket ? CLI_FAILED : CLI_OK;
done:
	cf_buf_dispose(&text);
	cf_slo_free(slo);
	return code;
}

/* ---- slo backtest ---------------------------------------------------------------------------------------- */

typedef struct bt_series {
	double *t, *total, *errors;
	size_t n, cap;
} bt_series;

static void bt_series_free(bt_series *s)
{
	free(s->t);
	free(s->total);
	free(s->errors);
}

/* Index of column `name` in a header line, or -1. */
static int header_index(const char *header, const char *name)
{
	const char *p = header;
	int i = 0;
	size_t len = strlen(name);

	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == len && strncmp(p, name, len) == 0)
			return i;
		i++;
		if (!e)
			break;
		p = e + 1;
	}
	return -1;
}

/* CSV with a header: time, then cumulative counter columns. Every problem names its line. */
static int read_backtest_series(const char *cmd, const char *path, const char *text, const char *total_col,
	const char *errors_col, bt_series *s)
{
	const char *line = text;
	size_t lineno = 0;
	int ti = -1, ei = -1, ncols = 0;

	while (*line) {
		const char *next = strchr(line, '\n');
		size_t len = next ? (size_t)(next - line) : strlen(line);
		char *buf = malloc(len + 1), *p;
		double vals[3];
		int col, got = 0;

		if (buf == NULL)
			return cli_lib_error(cmd, CF_ENOMEM);
		lineno++;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		line = next ? next + 1 : line + len;
		if (len == 0 || buf[0] == '#') {
			free(buf);
			continue;
		}
		if (ncols == 0) { /* the header */
			const char *q;
			ncols = 1;
			for (q = buf; *q; q++)
				ncols += *q == ',';
			if (strncmp(buf, "time,", 5) != 0) {
				fprintf(stderr, "%s %s: error: %s:%zu: the header must start with 'time,'\n", cli_prog, cmd, path,
					lineno);
				free(buf);
				return CLI_BAD_INPUT;
			}
			ti = total_col ? header_index(buf, total_col) : 1;
			ei = errors_col ? header_index(buf, errors_col) : 2;
			if (ti < 1 || ei < 1 || ti >= ncols || ei >= ncols) {
				fprintf(stderr, "%s %s: error: %s:%zu: missing column %s (header has %d columns)\n", cli_prog, cmd,
					path, lineno, ti < 1 || ti >= ncols ? (total_col ? total_col : "2 (total)") :
					(errors_col ? errors_col : "3 (errors)"), ncols);
				free(buf);
				return CLI_BAD_INPUT;
			}
			free(buf);
			continue;
		}
		p = buf;
		for (col = 0; col < ncols; col++) {
			char *end;
			double v;
			errno = 0;
			v = strtod(p, &end);
			if (end == p || (*end != ',' && *end != '\0') || errno != 0 || !isfinite(v) ||
				(col > 0 && v < 0) || (col + 1 < ncols && *end != ',') || (col + 1 == ncols && *end != '\0')) {
				fprintf(stderr, "%s %s: error: %s:%zu: column %d: want a finite%s number\n", cli_prog, cmd, path,
					lineno, col + 1, col ? " non-negative" : "");
				free(buf);
				return CLI_BAD_INPUT;
			}
			if (col == 0)
				vals[0] = v, got++;
			if (col == ti)
				vals[1] = v, got++;
			if (col == ei)
				vals[2] = v, got++;
			p = *end ? end + 1 : end;
		}
		free(buf);
		if (got < 3)
			return CLI_BAD_INPUT;
		if (s->n && !(vals[0] > s->t[s->n - 1])) {
			fprintf(stderr, "%s %s: error: %s:%zu: time %.10g is not after the previous sample's %.10g\n", cli_prog,
				cmd, path, lineno, vals[0], s->t[s->n - 1]);
			return CLI_BAD_INPUT;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			double *a = realloc(s->t, cap * sizeof *a), *b, *c;
			if (a) s->t = a;
			b = realloc(s->total, cap * sizeof *b);
			if (b) s->total = b;
			c = realloc(s->errors, cap * sizeof *c);
			if (c) s->errors = c;
			if (!a || !b || !c)
				return cli_lib_error(cmd, CF_ENOMEM);
			s->cap = cap;
		}
		s->t[s->n] = vals[0];
		s->total[s->n] = vals[1];
		s->errors[s->n] = vals[2];
		s->n++;
	}
	if (s->n == 0) {
		fprintf(stderr, "%s %s: error: %s: no samples\n", cli_prog, cmd, path);
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

static void print_time(double t)
{
	printf("%.10gs (%02d:%02d)", t, (int)(t / 3600), (int)fmod(t / 60, 60));
}

static int slo_backtest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "slo", required_argument, NULL, 'n' },
		{ "series", required_argument, NULL, 'S' },
		{ "preset", required_argument, NULL, 'p' },
		{ "period", required_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "step", required_argument, NULL, 't' },
		{ "total-column", required_argument, NULL, 'T' },
		{ "errors-column", required_argument, NULL, 'E' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = "slo backtest", *spec_path = NULL, *slo_name = NULL, *series = NULL, *preset = "google-30d";
	const char *total_col = NULL, *errors_col = NULL;
	cf_slo_backtest_options o = CF_SLO_BACKTEST_OPTIONS_INIT;
	cf_slo_spec *spec = NULL;
	cf_slo_backtest *bt = NULL;
	bt_series s = { 0 };
	cf_buf text = CF_BUF_INIT, js = CF_BUF_INIT;
	double period_s = 0;
	int c, json = 0, code, rc;
	size_t i, idx = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'n': slo_name = optarg; break;
		case 'S': series = optarg; break;
		case 'p': preset = optarg; break;
		case 'T': total_col = optarg; break;
		case 'E': errors_col = optarg; break;
		case 'j': json = 1; break;
		case 'm':
			if (strcmp(optarg, "exact") == 0)
				o.mode = CF_SLO_BACKTEST_EXACT;
			else if (strcmp(optarg, "prometheus") == 0)
				o.mode = CF_SLO_BACKTEST_PROMETHEUS;
			else
				return cli_usage_error(cmd, "--mode takes exact or prometheus, not '%s'", optarg);
			break;
		case 'P':
		case 't':
			if (cf_slo_parse_duration(c == 'P' ? &period_s : &o.step_s, optarg) != CF_OK)
				return cli_usage_error(cmd, "--%s takes a duration such as 1m, not '%s'", c == 'P' ? "period" :
					"step", optarg);
			break;
		case 'h': cmd_slo_help(stdout); return CLI_OK;
		case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (spec_path == NULL)
		return cli_usage_error(cmd, "--spec is required");
	if (series == NULL)
		return cli_usage_error(cmd, "--series is required");
	if ((code = load_spec(cmd, spec_path, &spec)) != CLI_OK)
		return code;
	if (slo_name) {
		for (idx = 0; idx < cf_slo_spec_count(spec); idx++)
			if (strcmp(cf_slo_spec_name(spec, idx), slo_name) == 0)
				break;
		if (idx == cf_slo_spec_count(spec)) {
			fprintf(stderr, "%s %s: error: %s: no SLO named '%s'\n", cli_prog, cmd, spec_path, slo_name);
			code = CLI_BAD_INPUT;
			goto done;
		}
	} else if (cf_slo_spec_count(spec) != 1) {
		cf_slo_spec_free(spec);
		return cli_usage_error(cmd, "the spec has %zu SLOs: choose one with --slo", cf_slo_spec_count(spec));
	}
	o.objective = cf_slo_spec_objective(spec, idx);
	o.preset = preset;
	if (period_s > 0)
		o.period_s = period_s;
	else if (strlen(preset) >= 4 && strcmp(preset + strlen(preset) - 4, "-28d") == 0)
		o.period_s = 28 * 86400.0;
	if ((code = cli_read_file(cmd, series, 1, &text)) != CLI_OK)
		goto done;
	if ((code = read_backtest_series(cmd, series, text.ptr ? text.ptr : "", total_col, errors_col, &s)) != CLI_OK)
		goto done;
	if ((rc = cf_slo_backtest_run(&bt, NULL, &o, s.t, s.total, s.errors, s.n)) != CF_OK) {
		code = rc == CF_ENOTFOUND ? cli_lib_error(cmd, CF_EINVAL) : cli_input_error(cmd, rc);
		goto done;
	}
	if (json) {
		if ((rc = cf_slo_backtest_to_json(&js, bt)) != CF_OK) {
			code = cli_lib_error(cmd, rc);
			goto done;
		}
		fwrite(js.ptr, 1, js.size, stdout);
	} else {
		cf_slo_budget_point b;
		printf("%s/%s: %zu steps of %gs, mode %s\n", cf_slo_spec_service(spec), cf_slo_spec_name(spec, idx),
			cf_slo_backtest_steps(bt), cf_slo_backtest_step(bt), o.mode == CF_SLO_BACKTEST_PROMETHEUS ?
			"prometheus" : "exact");
		for (i = 0; i < cf_slo_backtest_alert_count(bt); i++) {
			cf_slo_alert_interval a;
			cf_slo_backtest_alert(&a, bt, i);
			if (a.pair == SIZE_MAX)
				printf("%-6s (any pair)        fired ", a.window.severity == CF_SLO_PAGE ? "page" : "ticket");
			else
				printf("%-6s %5gx %6gs/%-6gs fired ", a.window.severity == CF_SLO_PAGE ? "page" : "ticket",
					a.window.burn_rate, a.window.long_s, a.window.short_s);
			print_time(a.fired_at);
			if (isnan(a.resolved_at)) {
				printf(", still firing\n");
			} else {
				printf(", resolved ");
				print_time(a.resolved_at);
				printf("\n");
			}
		}
		if (cf_slo_backtest_alert_count(bt) == 0)
			printf("no alert fired\n");
		if (cf_slo_backtest_budget(&b, bt, cf_slo_backtest_budget_count(bt) - 1) == CF_OK)
			printf("budget at %.10gs: %.6g bad of %.6g, %.4g%% consumed, %.4g%% remaining\n", b.t, b.errors, b.total,
				b.budget_consumed * 100, b.budget_remaining * 100);
	}
	code = cf_slo_backtest_paged(bt) ? CLI_FAILED : CLI_OK;
done:
	cf_slo_backtest_free(bt);
	bt_series_free(&s);
	cf_buf_dispose(&text);
	cf_buf_dispose(&js);
	cf_slo_spec_free(spec);
	return code;
}

int cmd_slo(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("slo", "a subcommand is required: rules, check, eval or backtest");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		cmd_slo_help(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "rules") == 0)
		return slo_rules_or_check(argc - 1, argv + 1, 0);
	if (strcmp(argv[1], "check") == 0)
		return slo_rules_or_check(argc - 1, argv + 1, 1);
	if (strcmp(argv[1], "eval") == 0)
		return slo_eval(argc - 1, argv + 1);
	if (strcmp(argv[1], "backtest") == 0)
		return slo_backtest(argc - 1, argv + 1);
	return cli_usage_error("slo", "unknown subcommand '%s'", argv[1]);
}
