/* cogniforge validate: run a Great Expectations suite over a CSV file (streamed) or merged statistics. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_validate_help(FILE *out)
{
	fprintf(out,
		"Usage: %s validate --data FILE --suite SUITE.json [options]\n"
		"       %s validate --stats PARTIAL.msgpack --suite SUITE.json [options]\n"
		"\n"
		"Evaluate a Great Expectations suite (0.x or 1.x JSON) on a CSV file, streamed in bounded memory\n"
		"(gzip/zstd/xz/bzip2 are decompressed transparently), or on merged column statistics from\n"
		"'%s stats'. The report is Great Expectations' validation-result JSON, or JUnit XML.\n"
		"\n"
		"Options:\n"
		"  --data FILE             the data ('-' for stdin)\n"
		"  --stats FILE            validate aggregate expectations on statistics instead of rows\n"
		"  --suite FILE            the expectation suite\n"
		"  --format json|junit     report format (default json)\n"
		"  --out FILE              write the report there (atomically) instead of stdout\n"
		"  --junit FILE            also write JUnit XML there\n"
		"  --result-format F       BOOLEAN_ONLY, BASIC, SUMMARY (default) or COMPLETE\n"
		"  --now ISO8601           the time now() means in $PARAMETER expressions (default: the clock)\n"
		"  --params JSON           suite parameters (a JSON object) overriding the suite's\n"
		"  --skip-unknown          report unknown expectation types as skipped instead of failing\n"
		"  -q, --quiet             no status line\n"
		"  -h, --help              show this help\n"
		"\n"
		CLI_CSV_HELP
		"\n"
		"Exit codes: 0 the suite passed, 1 an expectation failed, 2 usage error, 3 bad input (data, suite),\n"
		"4 internal error.\n",
		cli_prog, cli_prog, cli_prog);
}

static int parse_result_format(const char *s, cf_result_format *out)
{
	if (strcmp(s, "BOOLEAN_ONLY") == 0) *out = CF_RESULT_FORMAT_BOOLEAN_ONLY;
	else if (strcmp(s, "BASIC") == 0) *out = CF_RESULT_FORMAT_BASIC;
	else if (strcmp(s, "SUMMARY") == 0) *out = CF_RESULT_FORMAT_SUMMARY;
	else if (strcmp(s, "COMPLETE") == 0) *out = CF_RESULT_FORMAT_COMPLETE;
	else return -1;
	return 0;
}

/* ISO-8601 to microseconds, through the library's CSV timestamp parser (one parser for all faces). */
static int parse_now(const char *s, int64_t *out)
{
	static const char *names[1] = {"t"};
	static const cf_type types[1] = {CF_TYPE_TIMESTAMP};
	cf_csv_options o = CF_CSV_OPTIONS_INIT;
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	cf_column_view cv;
	int ok = -1;

	o.header = 0;
	o.names = names;
	o.names_count = 1;
	o.types = types;
	o.types_count = 1;
	o.na_count = 0;
	o.na_values = names; /* an empty NA list */
	if (cf_csv_open_memory(&r, NULL, s, strlen(s), &o) == CF_OK && cf_csv_next(&t, r) == CF_OK && t &&
		cf_table_num_rows(t) == 1 && cf_table_column(&cv, t, 0) == CF_OK && cv.null_count == 0) {
		*out = ((const int64_t *)cv.values)[0];
		ok = 0;
	}
	cf_table_free(t);
	cf_csv_free(r);
	return ok;
}

int cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "stats", required_argument, NULL, 'S' },
		{ "suite", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "junit", required_argument, NULL, 'J' },
		{ "result-format", required_argument, NULL, 'r' },
		{ "now", required_argument, NULL, 'n' },
		{ "params", required_argument, NULL, 'p' },
		{ "skip-unknown", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_CSV_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *stats_path = NULL, *suite_path = NULL, *format = "json", *out = NULL, *junit = NULL;
	cf_validate_options vo = CF_VALIDATE_OPTIONS_INIT;
	cf_context *ctx = NULL;
	cf_suite *suite = NULL;
	cf_stats *stats = NULL;
	cf_validation *v = NULL;
	cf_validation_summary sum;
	cf_buf report = CF_BUF_INIT, xml = CF_BUF_INIT;
	cli_csv csv;
	int c, rc, code = CLI_OK, quiet = 0;

	cli_csv_init(&csv);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
		int h = cli_csv_option(&csv, "validate", c, optarg);
		if (h < 0) {
			cli_csv_free(&csv);
			return CLI_USAGE;
		}
		if (h)
			continue;
		switch (c) {
		case 'd': data = optarg; break;
		case 'S': stats_path = optarg; break;
		case 's': suite_path = optarg; break;
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'J': junit = optarg; break;
		case 'k': vo.skip_unknown = 1; break;
		case 'q': quiet = 1; break;
		case 'p': vo.parameters_json = optarg; break;
		case 'r':
			if (parse_result_format(optarg, &vo.result_format) != 0)
				code = cli_usage_error("validate", "--result-format must be BOOLEAN_ONLY, BASIC, SUMMARY or "
					"COMPLETE, not '%s'", optarg);
			break;
		case 'n':
			if (parse_now(optarg, &vo.now_us) != 0)
				code = cli_usage_error("validate", "--now takes an ISO-8601 time such as 2024-05-01T12:00:00Z, "
					"not '%s'", optarg);
			break;
		case 'h': cmd_validate_help(stdout); cli_csv_free(&csv); return CLI_OK;
		case ':': code = cli_usage_error("validate", "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK) {
			cli_csv_free(&csv);
			return code;
		}
	}
	if (optind < argc)
		code = cli_usage_error("validate", "unexpected argument '%s'", argv[optind]);
	else if (suite_path == NULL)
		code = cli_usage_error("validate", "--suite is required");
	else if ((data == NULL) == (stats_path == NULL))
		code = cli_usage_error("validate", "give exactly one of --data and --stats");
	else if (strcmp(format, "json") != 0 && strcmp(format, "junit") != 0)
		code = cli_usage_error("validate", "--format must be json or junit, not '%s'", format);
	else if (cli_csv_finish(&csv, "validate") != 0)
		code = CLI_USAGE;
	if (code != CLI_OK) {
		cli_csv_free(&csv);
		return code;
	}
	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK) {
		code = cli_lib_error("validate", rc);
		goto done;
	}
	if ((rc = cf_suite_load(&suite, ctx, suite_path)) != CF_OK) {
		code = cli_input_error("validate", rc);
		goto done;
	}
	if (data) {
		rc = cf_validate_csv(&v, ctx, suite, data, &csv.opts, &vo);
	} else {
		cf_buf blob = CF_BUF_INIT;
		if ((code = cli_read_file("validate", stats_path, 0, &blob)) != CLI_OK)
			goto done;
		rc = cf_stats_from_msgpack(&stats, ctx, blob.ptr, blob.size);
		cf_buf_dispose(&blob);
		if (rc == CF_OK)
			rc = cf_validate_stats(&v, ctx, suite, stats, &vo);
	}
	if (rc != CF_OK) {
		code = cli_input_error("validate", rc);
		goto done;
	}
	cf_validation_get_summary(&sum, v);
	if (strcmp(format, "json") == 0)
		rc = cf_validation_to_json(&report, v);
	else
		rc = cf_validation_to_junit(&report, v);
	if (rc == CF_OK && junit)
		rc = cf_validation_to_junit(&xml, v);
	if (rc != CF_OK) {
		code = cli_lib_error("validate", rc);
		goto done;
	}
	if ((code = cli_write_output("validate", out, report.ptr, report.size)) != CLI_OK)
		goto done;
	if (junit && (code = cli_write_output("validate", junit, xml.ptr, xml.size)) != CLI_OK)
		goto done;
	if (!quiet) {
		char skipped[64] = "";
		if (sum.skipped)
			snprintf(skipped, sizeof skipped, " (%zu skipped)", sum.skipped);
		/* The status line goes to stderr when the report itself is on stdout. */
		fprintf(out ? stdout : stderr, "validate: %s, %zu of %zu expectations passed%s, %llu rows, suite '%s'\n",
			sum.success ? "PASS" : "FAIL", sum.successful, sum.evaluated, skipped, (unsigned long long)sum.rows,
			cf_suite_name(suite));
	}
	code = sum.success ? CLI_OK : CLI_FAILED;
done:
	cf_buf_dispose(&report);
	cf_buf_dispose(&xml);
	cf_validation_free(v);
	cf_stats_free(stats);
	cf_suite_free(suite);
	cf_context_free(ctx);
	cli_csv_free(&csv);
	return code;
}
