/* Shared plumbing for the cogniforge CLI: exit codes, error reporting, output helpers.
 * The CLI maps arguments and formats output; behaviour lives in the library. */
#ifndef CF_TOOLS_CLI_H
#define CF_TOOLS_CLI_H

#include <stdio.h>

#include <jansson.h>

#include "cogniforge/cogniforge.h"

/* Documented exit codes (docs/cli.md). CI jobs gate on them. */
enum {
	CLI_OK = 0,        /* success */
	CLI_FAILED = 1,    /* a check failed: gate, validation, test */
	CLI_USAGE = 2,     /* bad command line */
	CLI_BAD_INPUT = 3, /* unreadable or malformed input, missing file, unavailable device */
	CLI_INTERNAL = 4   /* a bug or resource failure inside cogniforge */
};

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	void (*help)(FILE *out);
} cli_command;

/* Common options every command accepts. */
typedef struct cli_common {
	int json;
	int help;
} cli_common;

extern const char *cli_prog;

/* One clear line on stderr; returns `code`. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report the library's last error as one line; returns the exit code it maps to. */
int cli_lib_error(const char *cmd, int rc);
/* The exit code for a library return code. */
int cli_exit_code(int rc);
/* Print a JSON value on stdout (pretty, with a trailing newline) and free it. Returns CLI_OK. */
int cli_print_json(json_t *value);

/* Report a library error caused by the user's input files (data, suite, statistics): CF_EINVAL maps to
 * CLI_BAD_INPUT rather than CLI_USAGE, since the command line itself was fine. */
int cli_input_error(const char *cmd, int rc);

/* CSV reading options shared by validate, profile and stats (tools/cli_csv.c). */
typedef struct cli_csv {
	cf_csv_options opts;
	char *names_buf, *na_buf;
	const char **names, **na;
	cf_type *types;
	int na_given;
} cli_csv;

/* getopt_long entries for the CSV options (ids >= 1000), terminated like any option table. */
#define CLI_CSV_LONGOPTS \
	{ "no-header", no_argument, NULL, 1000 }, \
	{ "names", required_argument, NULL, 1001 }, \
	{ "delimiter", required_argument, NULL, 1002 }, \
	{ "skip-initial-space", no_argument, NULL, 1003 }, \
	{ "na", required_argument, NULL, 1004 }, \
	{ "types", required_argument, NULL, 1005 }, \
	{ "infer-rows", required_argument, NULL, 1006 }, \
	{ "chunk-rows", required_argument, NULL, 1007 }

#define CLI_CSV_HELP \
	"CSV options:\n" \
	"  --no-header             the first row is data (give --names)\n" \
	"  --names a,b,...         column names (without a header, or replacing it)\n" \
	"  --delimiter C           field separator (default ','; 'tab' for a tab)\n" \
	"  --skip-initial-space    drop spaces after delimiters (the Adult files' ', ')\n" \
	"  --na TOKENS             comma-separated tokens read as null (default: '', NA, ?)\n" \
	"  --types t1,t2,...       explicit column types (float64, int64, bool, string, timestamp)\n" \
	"  --infer-rows N          rows sampled for type inference (default 10000; 0 = all)\n" \
	"  --chunk-rows N          rows per streamed chunk (default 65536)\n"

void cli_csv_init(cli_csv *c);
void cli_csv_free(cli_csv *c);
/* Handle option `opt` (one of CLI_CSV_LONGOPTS); returns 1 if handled, 0 if not a CSV option, -1 on a bad
 * value (the usage error is printed). */
int cli_csv_option(cli_csv *c, const char *cmd, int opt, const char *arg);
/* Check combinations once all options are read; returns 0 or prints a usage error and returns -1. */
int cli_csv_finish(cli_csv *c, const char *cmd);

/* Stream a CSV file chunk by chunk into `update(acc, chunk)` (statistics, drift profiles...). With
 * `header_only_schema`, a file without data rows still calls update once with a zero-row table of its columns.
 * Returns 0, or a library error code (the caller reports it, e.g. with cli_input_error()). */
int cli_csv_stream(cf_context *ctx, const char *path, const cf_csv_options *opts,
	int (*update)(void *acc, const cf_table *chunk), void *acc, int header_only_schema);

int cmd_validate(int argc, char **argv);
void cmd_validate_help(FILE *out);
int cmd_profile(int argc, char **argv);
void cmd_profile_help(FILE *out);
int cmd_stats(int argc, char **argv);
void cmd_stats_help(FILE *out);
int cmd_evaluate(int argc, char **argv);
void cmd_evaluate_help(FILE *out);
int cmd_slo(int argc, char **argv);
void cmd_slo_help(FILE *out);
/* Read a whole file (stdin for "-" when dash_stdin) into *out, NUL-terminated after out->size bytes; *out
 * must start empty (CF_BUF_INIT). On failure (a one-line error for an unopenable file: CLI_BAD_INPUT; no
 * memory: CLI_INTERNAL) *out is disposed. */
int cli_read_file(const char *cmd, const char *path, int dash_stdin, cf_buf *out);
/* Write text to a file (atomically: temporary name, then rename) or stdout when path is NULL or "-". */
int cli_write_output(const char *cmd, const char *path, const char *data, size_t len);

int cmd_version(int argc, char **argv);
void cmd_version_help(FILE *out);
int cmd_data(int argc, char **argv);
void cmd_data_help(FILE *out);
int cmd_drift(int argc, char **argv);
void cmd_drift_help(FILE *out);
int cmd_rollout(int argc, char **argv);
void cmd_rollout_help(FILE *out);

#endif
