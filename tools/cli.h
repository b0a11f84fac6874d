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

int cmd_version(int argc, char **argv);
void cmd_version_help(FILE *out);
int cmd_data(int argc, char **argv);
void cmd_data_help(FILE *out);

#endif
