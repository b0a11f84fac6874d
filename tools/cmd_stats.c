/* cogniforge stats / profile: mergeable column statistics of a CSV shard, and suites inferred from them. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_stats_help(FILE *out)
{
	fprintf(out,
		"Usage: %s stats compute --data FILE --out PARTIAL.msgpack [CSV options]\n"
		"       %s stats merge --out MERGED.msgpack PARTIAL.msgpack...\n"
		"       %s stats show [--json] PARTIAL.msgpack\n"
		"\n"
		"Per-column partial statistics (counts, nulls, min/max, mean and M2, a HyperLogLog distinct count,\n"
		"exact value counts for low-cardinality columns, top-k, a KLL quantile sketch) of one shard, in\n"
		"msgpack (docs/formats.md). Partials of shards merge into the statistics of the whole, on which\n"
		"'%s validate --stats' evaluates aggregate expectations: one validation fanned out over Argo steps.\n"
		"\n"
		"Options:\n"
		"  --data FILE     the shard ('-' for stdin; compressed input is decompressed transparently)\n"
		"  --out FILE      where to write the statistics (atomically)\n"
		"  --json          show: print JSON (default: a table)\n"
		"  -h, --help      show this help\n"
		"\n"
		CLI_CSV_HELP
		"\n"
		"Exit codes: 0 ok, 2 usage error, 3 bad input, 4 internal error.\n",
		cli_prog, cli_prog, cli_prog, cli_prog);
}

void cmd_profile_help(FILE *out)
{
	fprintf(out,
		"Usage: %s profile --data FILE [--out SUITE.json] [options] [CSV options]\n"
		"\n"
		"Infer an expectation suite from a reference dataset: columns in order, types, completeness with\n"
		"'mostly', ranges of numeric and timestamp columns, value sets of low-cardinality columns, string\n"
		"lengths and a row-count band. Great Expectations loads the suite as written.\n"
		"\n"
		"Options:\n"
		"  --data FILE            the reference data\n"
		"  --out FILE             write the suite there (default stdout)\n"
		"  --name NAME            suite name (default 'profiled')\n"
		"  --max-value-set N      value sets for columns with at most N distinct values (default 50)\n"
		"  --row-tolerance F      row-count band n*(1-F) .. n*(1+F) (default 0.5)\n"
		"  --spelling v0|v1       Great Expectations 0.x or 1.x keys (default v1)\n"
		"  -h, --help             show this help\n"
		"\n"
		CLI_CSV_HELP
		"\n"
		"Exit codes: 0 ok, 2 usage error, 3 bad input, 4 internal error.\n",
		cli_prog);
}

static int load_stats(const char *cmd, cf_context *ctx, const char *path, cf_stats **out)
{
	cf_buf blob = CF_BUF_INIT;
	int code = cli_read_file(cmd, path, 1, &blob), rc;

	if (code != CLI_OK)
		return code;
	rc = cf_stats_from_msgpack(out, ctx, blob.ptr, blob.size);
	cf_buf_dispose(&blob);
	if (rc != CF_OK) {
		fprintf(stderr, "%s %s: error: %s: %s\n", cli_prog, cmd, path, cf_error_last()->message);
		return cli_exit_code(rc) == CLI_USAGE ? CLI_BAD_INPUT : cli_exit_code(rc);
	}
	return CLI_OK;
}

static int stats_update(void *acc, const cf_table *chunk)
{
	return cf_stats_update(acc, chunk);
}

/* Stream a CSV file into statistics (a header-only file records its schema with zero rows). */
static int compute(const char *cmd, cf_context *ctx, const char *path, const cf_csv_options *opts, cf_stats **out)
{
	cf_stats *s = NULL;
	int rc;

	*out = NULL;
	if ((rc = cf_stats_create(&s, ctx, NULL)) == CF_OK)
		rc = cli_csv_stream(ctx, path, opts, stats_update, s, 1);
	if (rc != CF_OK) {
		cf_stats_free(s);
		return cli_input_error(cmd, rc);
	}
	*out = s;
	return CLI_OK;
}

static int write_stats(const char *cmd, const char *out, const cf_stats *s)
{
	cf_buf b = CF_BUF_INIT;
	int rc = cf_stats_to_msgpack(&b, s), code;

	if (rc != CF_OK)
		return cli_lib_error(cmd, rc);
	code = cli_write_output(cmd, out, b.ptr, b.size);
	cf_buf_dispose(&b);
	return code;
}

static int show_table(const cf_stats *s)
{
	size_t i;

	printf("%llu rows, %zu columns\n", (unsigned long long)cf_stats_num_rows(s), cf_stats_num_columns(s));
	printf("%-24s %-9s %8s %12s %12s %12s %10s\n", "column", "type", "nulls", "min", "max", "mean", "distinct");
	for (i = 0; i < cf_stats_num_columns(s); i++) {
		cf_column_stats c;
		if (cf_stats_column(&c, s, i) != CF_OK)
			return CLI_INTERNAL;
		if (c.type == CF_TYPE_STRING)
			printf("%-24s %-9s %8llu %12s %12s %12s %9.0f%s\n", c.name, cf_type_name(c.type),
				(unsigned long long)c.null_count, "", "", "", c.distinct, c.distinct_exact ? "" : "~");
		else
			printf("%-24s %-9s %8llu %12.6g %12.6g %12.6g %9.0f%s\n", c.name, cf_type_name(c.type),
				(unsigned long long)c.null_count, c.min, c.max, c.mean, c.distinct, c.distinct_exact ? "" : "~");
	}
	return CLI_OK;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_CSV_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *data = NULL, *out = NULL;
	cf_context *ctx = NULL;
	cf_stats *s = NULL;
	cli_csv csv;
	int c, code = CLI_OK, json = 0, i, rc;

	if (argc < 2)
		return cli_usage_error("stats", "missing subcommand (compute, merge or show)");
	sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
		cmd_stats_help(stdout);
		return CLI_OK;
	}
	if (strcmp(sub, "compute") != 0 && strcmp(sub, "merge") != 0 && strcmp(sub, "show") != 0)
		return cli_usage_error("stats", "unknown subcommand '%s' (compute, merge or show)", sub);
	argc--;
	argv++;
	cli_csv_init(&csv);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int h = cli_csv_option(&csv, "stats", c, optarg);
		if (h < 0) {
			cli_csv_free(&csv);
			return CLI_USAGE;
		}
		if (h)
			continue;
		switch (c) {
		case 'd': data = optarg; break;
		case 'o': out = optarg; break;
		case 'j': json = 1; break;
		case 'h': cmd_stats_help(stdout); cli_csv_free(&csv); return CLI_OK;
		case ':': code = cli_usage_error("stats", "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error("stats", "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK) {
			cli_csv_free(&csv);
			return code;
		}
	}
	if (strcmp(sub, "compute") == 0 && (data == NULL || out == NULL || optind < argc))
		code = cli_usage_error("stats compute", "needs --data FILE and --out FILE, and no other arguments");
	else if (strcmp(sub, "merge") == 0 && (out == NULL || optind >= argc))
		code = cli_usage_error("stats merge", "needs --out FILE and at least one PARTIAL");
	else if (strcmp(sub, "show") == 0 && optind + 1 != argc)
		code = cli_usage_error("stats show", "needs exactly one PARTIAL");
	else if (cli_csv_finish(&csv, "stats") != 0)
		code = CLI_USAGE;
	if (code != CLI_OK) {
		cli_csv_free(&csv);
		return code;
	}
	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK) {
		cli_csv_free(&csv);
		return cli_lib_error("stats", rc);
	}
	if (strcmp(sub, "compute") == 0) {
		if ((code = compute("stats compute", ctx, data, &csv.opts, &s)) == CLI_OK)
			code = write_stats("stats compute", out, s);
	} else if (strcmp(sub, "merge") == 0) {
		if ((rc = cf_stats_create(&s, ctx, NULL)) != CF_OK)
			code = cli_lib_error("stats merge", rc);
		for (i = optind; i < argc && code == CLI_OK; i++) {
			cf_stats *part = NULL;
			if ((code = load_stats("stats merge", ctx, argv[i], &part)) != CLI_OK)
				break;
			if ((rc = cf_stats_merge(s, part)) != CF_OK) {
				fprintf(stderr, "%s stats merge: error: %s: %s\n", cli_prog, argv[i], cf_error_last()->message);
				code = CLI_BAD_INPUT;
			}
			cf_stats_free(part);
		}
		if (code == CLI_OK)
			code = write_stats("stats merge", out, s);
	} else {
		if ((code = load_stats("stats show", ctx, argv[optind], &s)) == CLI_OK) {
			if (json) {
				cf_buf b = CF_BUF_INIT;
				if ((rc = cf_stats_to_json(&b, s)) != CF_OK)
					code = cli_lib_error("stats show", rc);
				else
					code = cli_write_output("stats show", NULL, b.ptr, b.size);
				cf_buf_dispose(&b);
			} else {
				code = show_table(s);
			}
		}
	}
	cf_stats_free(s);
	cf_context_free(ctx);
	cli_csv_free(&csv);
	return code;
}

int cmd_profile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "max-value-set", required_argument, NULL, 'm' },
		{ "row-tolerance", required_argument, NULL, 't' },
		{ "spelling", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		CLI_CSV_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	cf_profile_options po = CF_PROFILE_OPTIONS_INIT;
	const char *data = NULL, *out = NULL;
	cf_context *ctx = NULL;
	cf_stats *s = NULL;
	cf_buf b = CF_BUF_INIT;
	cli_csv csv;
	int c, code = CLI_OK, rc;
	char *end;

	cli_csv_init(&csv);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int h = cli_csv_option(&csv, "profile", c, optarg);
		if (h < 0) {
			cli_csv_free(&csv);
			return CLI_USAGE;
		}
		if (h)
			continue;
		switch (c) {
		case 'd': data = optarg; break;
		case 'o': out = optarg; break;
		case 'n': po.suite_name = optarg; break;
		case 'm':
			po.max_value_set = (size_t)strtoul(optarg, &end, 10);
			if (*end || optarg[0] == '-')
				code = cli_usage_error("profile", "--max-value-set takes a count, not '%s'", optarg);
			break;
		case 't':
			po.row_count_tolerance = strtod(optarg, &end);
			if (*end || po.row_count_tolerance < 0)
				code = cli_usage_error("profile", "--row-tolerance takes a non-negative number, not '%s'", optarg);
			break;
		case 's':
			if (strcmp(optarg, "v0") == 0) po.spelling = CF_GE_SPELLING_V0;
			else if (strcmp(optarg, "v1") == 0) po.spelling = CF_GE_SPELLING_V1;
			else code = cli_usage_error("profile", "--spelling must be v0 or v1, not '%s'", optarg);
			break;
		case 'h': cmd_profile_help(stdout); cli_csv_free(&csv); return CLI_OK;
		case ':': code = cli_usage_error("profile", "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error("profile", "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK) {
			cli_csv_free(&csv);
			return code;
		}
	}
	if (data == NULL || optind < argc)
		code = cli_usage_error("profile", "needs --data FILE (and no other arguments)");
	else if (cli_csv_finish(&csv, "profile") != 0)
		code = CLI_USAGE;
	if (code != CLI_OK) {
		cli_csv_free(&csv);
		return code;
	}
	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK) {
		cli_csv_free(&csv);
		return cli_lib_error("profile", rc);
	}
	if ((code = compute("profile", ctx, data, &csv.opts, &s)) == CLI_OK) {
		if ((rc = cf_profile(&b, s, &po)) != CF_OK)
			code = cli_lib_error("profile", rc);
		else
			code = cli_write_output("profile", out, b.ptr, b.size);
	}
	cf_buf_dispose(&b);
	cf_stats_free(s);
	cf_context_free(ctx);
	cli_csv_free(&csv);
	return code;
}
