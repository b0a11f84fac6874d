/* CSV options shared by the data commands (validate, profile, stats): argument mapping only. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_csv_init(cli_csv *c)
{
	cf_csv_options d = CF_CSV_OPTIONS_INIT;
	memset(c, 0, sizeof *c);
	c->opts = d;
}

void cli_csv_free(cli_csv *c)
{
	free(c->names_buf);
	free(c->na_buf);
	free(c->names);
	free(c->na);
	free(c->types);
	memset(c, 0, sizeof *c);
}

/* Split a comma-separated list in place (empty items kept: ",NA" means "" and "NA"). */
static size_t split(char *buf, const char ***out)
{
	size_t n = 1, i = 0;
	char *p;

	for (p = buf; *p; p++)
		n += *p == ',';
	*out = calloc(n + 1, sizeof **out);
	if (*out == NULL)
		return 0;
	(*out)[i++] = buf;
	for (p = buf; *p; p++)
		if (*p == ',') {
			*p = '\0';
			(*out)[i++] = p + 1;
		}
	return n;
}

static int parse_count(const char *arg, size_t *out)
{
	char *end;
	unsigned long long v;
	if (arg[0] == '-' || arg[0] == '\0')
		return -1;
	v = strtoull(arg, &end, 10);
	if (*end != '\0')
		return -1;
	*out = (size_t)v;
	return 0;
}

int cli_csv_option(cli_csv *c, const char *cmd, int opt, const char *arg)
{
	switch (opt) {
	case 1000:
		c->opts.header = 0;
		return 1;
	case 1001:
		free(c->names_buf);
		free(c->names);
		c->names_buf = strdup(arg);
		if (c->names_buf == NULL)
			return -1;
		c->opts.names_count = split(c->names_buf, &c->names);
		c->opts.names = c->names;
		return 1;
	case 1002:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			c->opts.delimiter = '\t';
		else if (strlen(arg) == 1)
			c->opts.delimiter = arg[0];
		else
			return cli_usage_error(cmd, "--delimiter takes one character (or 'tab'), not '%s'", arg), -1;
		return 1;
	case 1003:
		c->opts.skip_initial_space = 1;
		return 1;
	case 1004:
		free(c->na_buf);
		free(c->na);
		c->na_buf = strdup(arg);
		if (c->na_buf == NULL)
			return -1;
		c->opts.na_count = split(c->na_buf, &c->na);
		c->opts.na_values = c->na;
		c->na_given = 1;
		return 1;
	case 1005: {
		char *buf = strdup(arg);
		const char **items = NULL;
		size_t n, i;
		if (buf == NULL)
			return -1;
		n = split(buf, &items);
		free(c->types);
		c->types = calloc(n + 1, sizeof *c->types);
		for (i = 0; i < n && c->types; i++)
			if (cf_type_from_name(&c->types[i], items[i]) != CF_OK) {
				cli_usage_error(cmd, "--types: %s", cf_error_last()->message);
				free(items);
				free(buf);
				return -1;
			}
		free(items);
		free(buf);
		c->opts.types = c->types;
		c->opts.types_count = n;
		return 1;
	}
	case 1006:
		if (parse_count(arg, &c->opts.infer_rows) != 0)
			return cli_usage_error(cmd, "--infer-rows takes a count, not '%s'", arg), -1;
		return 1;
	case 1007:
		if (parse_count(arg, &c->opts.chunk_rows) != 0 || c->opts.chunk_rows == 0)
			return cli_usage_error(cmd, "--chunk-rows takes a positive count, not '%s'", arg), -1;
		return 1;
	}
	return 0;
}

int cli_csv_finish(cli_csv *c, const char *cmd)
{
	if (!c->opts.header && c->opts.names == NULL)
		return cli_usage_error(cmd, "--no-header needs --names"), -1;
	return 0;
}

int cli_csv_stream(cf_context *ctx, const char *path, const cf_csv_options *opts,
	int (*update)(void *acc, const cf_table *chunk), void *acc, int header_only_schema)
{
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	int rc, chunks = 0;
	size_t i;

	if ((rc = cf_csv_open(&r, ctx, path, opts)) != CF_OK)
		return rc;
	for (;;) {
		if ((rc = cf_csv_next(&t, r)) != CF_OK || t == NULL)
			break;
		rc = update(acc, t);
		cf_table_free(t);
		chunks++;
		if (rc != CF_OK)
			break;
	}
	if (rc == CF_OK && chunks == 0 && header_only_schema && cf_csv_num_columns(r) > 0) {
		/* Header only: the schema with zero rows. */
		if ((rc = cf_table_create(&t, ctx)) == CF_OK) {
			for (i = 0; i < cf_csv_num_columns(r) && rc == CF_OK; i++) {
				cf_column_view cv;
				memset(&cv, 0, sizeof cv);
				cv.name = cf_csv_column_name(r, i);
				cv.type = cf_csv_column_type(r, i);
				rc = cf_table_add_column(t, &cv, CF_TABLE_BORROW);
			}
			if (rc == CF_OK)
				rc = update(acc, t);
			cf_table_free(t);
		}
	}
	cf_csv_free(r);
	return rc;
}
