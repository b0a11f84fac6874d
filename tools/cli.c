/* Error reporting and output helpers shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: usage error: ", cli_prog, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s%s%s --help')\n", cli_prog, cmd ? " " : "", cmd ? cmd : "");
	return CLI_USAGE;
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case CF_OK: return CLI_OK;
	case CF_EFORMAT:
	case CF_ENOTFOUND:
	case CF_EIO:
	case CF_EVERSION:
	case CF_EUNSUPPORTED: return CLI_BAD_INPUT;
	case CF_EINVAL: return CLI_USAGE;
	default: return CLI_INTERNAL;
	}
}

int cli_lib_error(const char *cmd, int rc)
{
	const cf_error *e = cf_error_last();
	const char *msg = e->message[0] ? e->message : cf_error_code_name(rc);
	char line[1200];
	size_t i;

	/* One line, whatever the message holds: a CI log greps for it. */
	snprintf(line, sizeof(line), "%s", msg);
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	fprintf(stderr, "%s%s%s: error: %s\n", cli_prog, cmd ? " " : "", cmd ? cmd : "", line);
	return cli_exit_code(rc);
}

int cli_print_json(json_t *value)
{
	if (value == NULL) {
		fprintf(stderr, "%s: error: out of memory building JSON output\n", cli_prog);
		return CLI_INTERNAL;
	}
	json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(value);
	return CLI_OK;
}
