/* cogniforge drift: data drift of a current CSV against a reference (CSV or msgpack profile). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_drift_help(FILE *out)
{
	fprintf(out,
		"Usage: %s drift --reference REF --current CUR.csv [options] [CSV options]\n"
		"       %s drift profile --data REF.csv --out REF.msgpack [--exact-max N] [CSV options]\n"
		"\n"
		"Test every reference column for drift in the current data with Evidently's defaults (KS, chi-square,\n"
		"z-test, Wasserstein, Jensen-Shannon, PSI; see docs/drift.md) and report the share of drifted columns.\n"
		"REF is a CSV file, or a reference profile written by 'drift profile' when its name ends in '.msgpack'.\n"
		"\n"
		"Options:\n"
		"  --reference FILE     reference data (CSV) or profile (.msgpack)\n"
		"  --current FILE       current data (CSV; '-' for stdin)\n"
		"  --method M           auto (default), ks, chisquare, z, wasserstein, jensenshannon or psi\n"
		"  --threshold X        the method's threshold (default: its own, 0.05 for p-values, 0.1 for distances)\n"
		"  --drift-share S      dataset drift when drifted columns / columns >= S (default 0.5)\n"
		"  --json               print the report as JSON\n"
		"  --data FILE          profile: the reference data\n"
		"  --out FILE           profile: where to write the profile (atomically)\n"
		"  --exact-max N        profile: exact value counts up to N distinct numeric values (default 100000)\n"
		"  -h, --help           show this help\n"
		"\n"
		CLI_CSV_HELP
		"\n"
		"Exit codes: 0 no dataset drift (profile: written), 1 dataset drift, 2 usage error, 3 bad input,\n"
		"4 internal error.\n",
		cli_prog, cli_prog);
}

static int profile_update(void *acc, const cf_table *chunk)
{
	return cf_drift_profile_update(acc, chunk);
}

/* Stream a CSV file into a new profile. */
static int profile_csv(const char *cmd, cf_context *ctx, const char *path, const cf_csv_options *copts,
	const cf_drift_options *dopts, cf_drift_profile **out)
{
	cf_drift_profile *p = NULL;
	int rc;

	*out = NULL;
	if ((rc = cf_drift_profile_create(&p, ctx, dopts)) == CF_OK)
		rc = cli_csv_stream(ctx, path, copts, profile_update, p, 0);
	if (rc != CF_OK) {
		cf_drift_profile_free(p);
		return cli_input_error(cmd, rc);
	}
	if (cf_drift_profile_num_rows(p) == 0) {
		fprintf(stderr, "%s %s: error: %s: no data rows\n", cli_prog, cmd, path);
		cf_drift_profile_free(p);
		return CLI_BAD_INPUT;
	}
	*out = p;
	return CLI_OK;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int load_reference(const char *cmd, cf_context *ctx, const char *path, const cf_csv_options *copts,
	const cf_drift_options *dopts, cf_drift_profile **out)
{
	cf_buf blob = CF_BUF_INIT;
	int code, rc;

	if (!ends_with(path, ".msgpack"))
		return profile_csv(cmd, ctx, path, copts, dopts, out);
	if ((code = cli_read_file(cmd, path, 0, &blob)) != CLI_OK)
		return code;
	rc = cf_drift_profile_from_msgpack(out, ctx, blob.ptr, blob.size);
	cf_buf_dispose(&blob);
	if (rc != CF_OK) {
		fprintf(stderr, "%s %s: error: %s: %s\n", cli_prog, cmd, path, cf_error_last()->message);
		return cli_exit_code(rc) == CLI_USAGE ? CLI_BAD_INPUT : cli_exit_code(rc);
	}
	return CLI_OK;
}

static void print_number(double v)
{
	if (isnan(v))
		printf(" %12s", "-");
	else
		printf(" %12.6g", v);
}

static int show_table(const cf_drift_report *rep)
{
	size_t i, n = cf_drift_report_num_columns(rep);

	printf("%-24s %-13s %12s %12s %12s %12s  %s\n", "column", "method", "statistic", "p-value", "score",
		"threshold", "drifted");
	for (i = 0; i < n; i++) {
		cf_drift_result c;
		if (cf_drift_report_column(&c, rep, i) != CF_OK)
			return CLI_INTERNAL;
		printf("%-24s %-13s", c.column, c.method_name);
		print_number(c.statistic);
		print_number(c.p_value);
		print_number(c.score);
		print_number(c.threshold);
		printf("  %s%s\n", c.drifted ? "yes" : "no", c.exact ? "" : " (sketch)");
	}
	printf("dataset drift: %s, %zu of %zu columns drifted (share %.4g)\n",
		cf_drift_report_dataset_drift(rep) ? "YES" : "no", cf_drift_report_num_drifted(rep), n,
		cf_drift_report_share(rep));
	return CLI_OK;
}

static int parse_double(const char *arg, double *out)
{
	char *end;
	if (arg[0] == '\0')
		return -1;
	*out = strtod(arg, &end);
	return *end == '\0' && isfinite(*out) ? 0 : -1;
}

int cmd_drift(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reference", required_argument, NULL, 'r' },
		{ "current", required_argument, NULL, 'c' },
		{ "method", required_argument, NULL, 'm' },
		{ "threshold", required_argument, NULL, 't' },
		{ "drift-share", required_argument, NULL, 's' },
		{ "data", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "exact-max", required_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_CSV_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	cf_drift_options dopts = CF_DRIFT_OPTIONS_INIT;
	const char *cmd = "drift", *ref = NULL, *cur = NULL, *data = NULL, *out = NULL;
	cf_context *ctx = NULL;
	cf_drift_profile *prof = NULL;
	cf_drift_report *rep = NULL;
	cf_table *table = NULL;
	cli_csv csv;
	int c, code = CLI_OK, json = 0, is_profile = 0, rc;
	double v;

	if (argc >= 2 && (strcmp(argv[1], "help") == 0)) {
		cmd_drift_help(stdout);
		return CLI_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "profile") == 0) {
		is_profile = 1;
		cmd = "drift profile";
		argc--;
		argv++;
	}
	cli_csv_init(&csv);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int h = cli_csv_option(&csv, cmd, c, optarg);
		if (h < 0) {
			cli_csv_free(&csv);
			return CLI_USAGE;
		}
		if (h)
			continue;
		switch (c) {
		case 'r': ref = optarg; break;
		case 'c': cur = optarg; break;
		case 'd': data = optarg; break;
		case 'o': out = optarg; break;
		case 'j': json = 1; break;
		case 'm':
			if (cf_drift_method_from_name(&dopts.method, optarg) != CF_OK)
				code = cli_usage_error(cmd, "--method: %s", cf_error_last()->message);
			break;
		case 't':
			if (parse_double(optarg, &dopts.threshold) != 0 || dopts.threshold <= 0)
				code = cli_usage_error(cmd, "--threshold takes a positive number, not '%s'", optarg);
			break;
		case 's':
			if (parse_double(optarg, &dopts.drift_share) != 0 || dopts.drift_share < 0 || dopts.drift_share > 1)
				code = cli_usage_error(cmd, "--drift-share takes a number in [0, 1], not '%s'", optarg);
			break;
		case 'x':
			if (parse_double(optarg, &v) != 0 || v < 32 || v > 1e7 || v != floor(v))
				code = cli_usage_error(cmd, "--exact-max takes a count from 32 to 10000000, not '%s'", optarg);
			else
				dopts.exact_max = (size_t)v;
			break;
		case 'h': cmd_drift_help(stdout); cli_csv_free(&csv); return CLI_OK;
		case ':': code = cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK) {
			cli_csv_free(&csv);
			return code;
		}
	}
	if (optind < argc)
		code = cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	else if (is_profile && (data == NULL || out == NULL || ref || cur))
		code = cli_usage_error(cmd, "needs --data FILE and --out FILE");
	else if (!is_profile && (ref == NULL || cur == NULL || data || out))
		code = cli_usage_error(cmd, "needs --reference FILE and --current FILE");
	else if (cli_csv_finish(&csv, cmd) != 0)
		code = CLI_USAGE;
	if (code != CLI_OK) {
		cli_csv_free(&csv);
		return code;
	}
	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK) {
		cli_csv_free(&csv);
		return cli_lib_error(cmd, rc);
	}
	if (is_profile) {
		if ((code = profile_csv(cmd, ctx, data, &csv.opts, &dopts, &prof)) == CLI_OK) {
			cf_buf b = CF_BUF_INIT;
			if ((rc = cf_drift_profile_to_msgpack(&b, prof)) != CF_OK)
				code = cli_lib_error(cmd, rc);
			else
				code = cli_write_output(cmd, out, b.ptr, b.size);
			cf_buf_dispose(&b);
		}
	} else if ((code = load_reference(cmd, ctx, ref, &csv.opts, &dopts, &prof)) == CLI_OK) {
		if ((rc = cf_csv_read_all(&table, ctx, cur, &csv.opts)) != CF_OK)
			code = cli_input_error(cmd, rc);
		else if ((rc = cf_drift_compare(&rep, prof, table, &dopts)) != CF_OK)
			code = cli_input_error(cmd, rc);
		else if (json) {
			cf_buf b = CF_BUF_INIT;
			if ((rc = cf_drift_report_to_json(&b, rep)) != CF_OK)
				code = cli_lib_error(cmd, rc);
			else
				code = cli_write_output(cmd, NULL, b.ptr, b.size);
			cf_buf_dispose(&b);
		} else {
			code = show_table(rep);
		}
		if (code == CLI_OK && cf_drift_report_dataset_drift(rep))
			code = CLI_FAILED;
	}
	cf_drift_report_free(rep);
	cf_table_free(table);
	cf_drift_profile_free(prof);
	cf_context_free(ctx);
	cli_csv_free(&csv);
	return code;
}
