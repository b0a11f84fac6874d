/* Error reporting and output helpers shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
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

int cli_input_error(const char *cmd, int rc)
{
	int code = cli_lib_error(cmd, rc);
	return code == CLI_USAGE ? CLI_BAD_INPUT : code;
}

int cli_read_file(const char *cmd, const char *path, int dash_stdin, cf_buf *out)
{
	FILE *f = dash_stdin && strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "%s %s: error: cannot open '%s'\n", cli_prog, cmd, path);
		return CLI_BAD_INPUT;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		char *p = realloc(out->ptr, out->size + n + 1);
		if (p == NULL) {
			if (f != stdin)
				fclose(f);
			cf_buf_dispose(out);
			return CLI_INTERNAL;
		}
		out->ptr = p;
		memcpy(out->ptr + out->size, chunk, n);
		out->size += n;
		out->ptr[out->size] = '\0';
	}
	if (f != stdin)
		fclose(f);
	return CLI_OK;
}

int cli_write_output(const char *cmd, const char *path, const char *data, size_t len)
{
	char tmp[4096];
	struct stat st;
	FILE *f;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "%s %s: error: writing standard output failed\n", cli_prog, cmd);
			return CLI_INTERNAL;
		}
		return CLI_OK;
	}
	/* Devices and pipes (/dev/null, /dev/stdout, a FIFO) are written in place: renaming over them would
	 * replace them with a file. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		f = fopen(path, "wb");
		if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "%s %s: error: cannot write '%s': %s\n", cli_prog, cmd, path, strerror(errno));
			return CLI_BAD_INPUT;
		}
		return CLI_OK;
	}
	/* A reader (the next Argo step, a CI artifact upload) never sees a half-written report. */
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (f == NULL) {
		fprintf(stderr, "%s %s: error: cannot write '%s': %s\n", cli_prog, cmd, path, strerror(errno));
		return CLI_BAD_INPUT;
	}
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fprintf(stderr, "%s %s: error: writing '%s' failed: %s\n", cli_prog, cmd, path, strerror(errno));
		fclose(f);
		unlink(tmp);
		return CLI_BAD_INPUT;
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "%s %s: error: cannot move output into '%s': %s\n", cli_prog, cmd, path, strerror(errno));
		unlink(tmp);
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}
