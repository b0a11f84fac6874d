/* Expectation suites: loading both GX spellings, writing them back, and `$PARAMETER` expressions. */
#include "validate.h"
#include "csv_parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- time ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

/* One timestamp grammar for the whole library: the CSV reader's. */
int cf__parse_iso8601(int64_t *out, const char *s, size_t len)
{
	return cf__csv_parse_timestamp(s, len, out);
}

void cf__format_iso8601(char out[40], int64_t us)
{
	int64_t secs = us / 1000000, frac = us % 1000000, days, y;
	unsigned m, d;
	int sod;

	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	days = secs / 86400;
	sod = (int)(secs % 86400);
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	/* As Python's datetime.isoformat(): microseconds only when non-zero. */
	if (frac)
		snprintf(out, 40, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lld", (long long)y, m, d, sod / 3600,
			sod / 60 % 60, sod % 60, (long long)frac);
	else
		snprintf(out, 40, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d, sod / 3600, sod / 60 % 60,
			sod % 60);
}

void cf__format_double(char out[32], double v)
{
	int prec;

	if (isnan(v)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(v)) {
		strcpy(out, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	if (strpbrk(out, ".eEn") == NULL)
		strcat(out, ".0");
}

/* ---- suite loading ---- */

static int has_key(const json_t *o, const char *k)
{
	return json_object_get(o, k) != NULL;
}

static int suite_fail(const char *source, const char *fmt, ...) CF__PRINTF(2, 3);
static int suite_fail(const char *source, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cf__error_set(CF_EFORMAT, "%s: %s", source, msg);
}

static int suite_build(cf_suite **out, cf_context *ctx, json_t *root, const char *source)
{
	cf_suite *s = NULL;
	json_t *exps, *name;
	size_t i;
	int v1 = 0, v0 = 0, rc;

	if (!json_is_object(root)) {
		rc = cf__error_set(CF_EFORMAT, "%s: a suite must be a JSON object", source);
		goto fail;
	}
	name = json_object_get(root, "name");
	if (name)
		v1 = 1;
	else if ((name = json_object_get(root, "expectation_suite_name")) != NULL)
		v0 = 1;
	if (name == NULL || !json_is_string(name) || json_string_length(name) == 0) {
		rc = cf__error_set(CF_EFORMAT, "%s: the suite needs a non-empty string 'name' (or "
			"'expectation_suite_name')", source);
		goto fail;
	}
	if (has_key(root, "suite_parameters"))
		v1 = 1;
	if (has_key(root, "evaluation_parameters") || has_key(root, "data_asset_type") || has_key(root, "ge_cloud_id"))
		v0 = 1;
	{
		json_t *p = json_object_get(root, "suite_parameters");
		if (p == NULL)
			p = json_object_get(root, "evaluation_parameters");
		if (p != NULL && !json_is_object(p) && !json_is_null(p)) {
			rc = cf__error_set(CF_EFORMAT, "%s: suite_parameters must be an object", source);
			goto fail;
		}
	}
	exps = json_object_get(root, "expectations");
	if (exps == NULL) {
		exps = json_array();
		json_object_set_new(root, "expectations", exps);
	}
	if (!json_is_array(exps)) {
		rc = cf__error_set(CF_EFORMAT, "%s: 'expectations' must be an array", source);
		goto fail;
	}
	for (i = 0; i < json_array_size(exps); i++) {
		json_t *e = json_array_get(exps, i), *t, *kw, *mostly;
		if (!json_is_object(e)) {
			rc = suite_fail(source, "expectation %zu is not an object", i);
			goto fail;
		}
		if ((t = json_object_get(e, "type")) != NULL)
			v1 = 1;
		else if ((t = json_object_get(e, "expectation_type")) != NULL)
			v0 = 1;
		if (t == NULL || !json_is_string(t) || json_string_length(t) == 0) {
			rc = suite_fail(source, "expectation %zu has no string 'type' (or 'expectation_type')", i);
			goto fail;
		}
		kw = json_object_get(e, "kwargs");
		if (kw == NULL) {
			json_object_set_new(e, "kwargs", json_object());
		} else if (!json_is_object(kw)) {
			rc = suite_fail(source, "expectation %zu (%s): 'kwargs' must be an object", i, json_string_value(t));
			goto fail;
		}
		kw = json_object_get(e, "kwargs");
		mostly = json_object_get(kw, "mostly");
		if (mostly && !json_is_null(mostly) && !json_is_object(mostly) &&
			(!json_is_number(mostly) || json_number_value(mostly) < 0 || json_number_value(mostly) > 1)) {
			rc = suite_fail(source, "expectation %zu (%s): 'mostly' must be a number between 0 and 1", i,
				json_string_value(t));
			goto fail;
		}
	}
	s = cf__calloc(ctx, 1, sizeof *s, "suite");
	if (s == NULL) {
		rc = CF_ENOMEM;
		goto fail;
	}
	s->ctx = ctx;
	s->root = root;
	s->expectations = exps;
	s->name = cf__strdup(ctx, json_string_value(name));
	s->source = cf__strdup(ctx, source);
	s->spelling = (v0 && !v1) ? CF_GE_SPELLING_V0 : CF_GE_SPELLING_V1;
	if (s->name == NULL || s->source == NULL) {
		cf_suite_free(s);
		return CF_ENOMEM;
	}
	*out = s;
	return CF_OK;
fail:
	json_decref(root);
	return rc;
}

int cf_suite_parse(cf_suite **out, cf_context *ctx, const char *text, size_t len, const char *source_name)
{
	json_error_t err;
	json_t *root;
	const char *src = source_name ? source_name : "<suite>";

	CF__CHECK_ARG(out);
	*out = NULL;
	if (text == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_suite_parse: text is NULL");
	root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return cf__error_set(CF_EFORMAT, "%s:%d:%d: invalid JSON: %s", src, err.line, err.column, err.text);
	return suite_build(out, ctx, root, src);
}

int cf_suite_load(cf_suite **out, cf_context *ctx, const char *path)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(path);
	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL)
		return cf__error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: cannot open suite: %s", path,
			strerror(errno));
	do {
		if (len == cap) {
			char *nb;
			cap = cap ? 2 * cap : 65536;
			/* A suite is configuration: refuse anything absurdly large rather than exhaust memory. */
			if (cap > ((size_t)256 << 20)) {
				fclose(f);
				cf__free(ctx, buf);
				return cf__error_set(CF_EFORMAT, "%s: suite file larger than 256 MiB", path);
			}
			nb = cf__realloc(ctx, buf, cap, "suite text");
			if (nb == NULL) {
				fclose(f);
				cf__free(ctx, buf);
				return CF_ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fclose(f);
		cf__free(ctx, buf);
		return cf__error_set(CF_EIO, "%s: read error", path);
	}
	fclose(f);
	rc = cf_suite_parse(out, ctx, buf, len, path);
	cf__free(ctx, buf);
	return rc;
}

void cf_suite_free(cf_suite *s)
{
	if (s == NULL)
		return;
	json_decref(s->root);
	cf__free(s->ctx, s->name);
	cf__free(s->ctx, s->source);
	cf__free(s->ctx, s);
}

const char *cf_suite_name(const cf_suite *s)
{
	return s ? s->name : NULL;
}

size_t cf_suite_size(const cf_suite *s)
{
	return s ? json_array_size(s->expectations) : 0;
}

static const char *exp_type(const json_t *e)
{
	const json_t *t = json_object_get(e, "type");
	if (t == NULL)
		t = json_object_get(e, "expectation_type");
	return json_string_value(t);
}

const char *cf_suite_expectation_type(const cf_suite *s, size_t index)
{
	if (s == NULL || index >= json_array_size(s->expectations))
		return NULL;
	return exp_type(json_array_get(s->expectations, index));
}

int cf_suite_to_json(cf_buf *out, const cf_suite *s, cf_ge_spelling spelling)
{
	json_t *doc, *exps, *params;
	const char *k;
	json_t *v;
	size_t i;
	char *text;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(s);
	if (spelling == CF_GE_SPELLING_AUTO)
		spelling = s->spelling;
	if (spelling != CF_GE_SPELLING_V0 && spelling != CF_GE_SPELLING_V1)
		return cf__error_set(CF_EINVAL, "cf_suite_to_json: unknown spelling %d", (int)spelling);
	params = json_object_get(s->root, "suite_parameters");
	if (params == NULL)
		params = json_object_get(s->root, "evaluation_parameters");
	doc = json_object();
	exps = json_array();
	if (doc == NULL || exps == NULL) {
		json_decref(doc);
		json_decref(exps);
		return cf__error_oom("suite JSON");
	}
	if (spelling == CF_GE_SPELLING_V1) {
		json_t *id = json_object_get(s->root, "id");
		if (id == NULL)
			id = json_object_get(s->root, "ge_cloud_id");
		json_object_set_new(doc, "name", json_string(s->name));
		if (id && !json_is_null(id))
			json_object_set(doc, "id", id);
		json_object_set_new(doc, "suite_parameters", params && json_is_object(params) ? json_deep_copy(params) :
			json_object());
	} else {
		json_t *id = json_object_get(s->root, "ge_cloud_id");
		json_t *asset = json_object_get(s->root, "data_asset_type");
		if (id == NULL)
			id = json_object_get(s->root, "id");
		json_object_set_new(doc, "expectation_suite_name", json_string(s->name));
		json_object_set(doc, "ge_cloud_id", id ? id : json_null());
		json_object_set(doc, "data_asset_type", asset ? asset : json_null());
		json_object_set_new(doc, "evaluation_parameters", params && json_is_object(params) ?
			json_deep_copy(params) : json_object());
	}
	v = json_object_get(s->root, "meta");
	json_object_set_new(doc, "meta", v && json_is_object(v) ? json_deep_copy(v) : json_object());
	v = json_object_get(s->root, "notes");
	if (v && !json_is_null(v) && spelling == CF_GE_SPELLING_V1)
		json_object_set(doc, "notes", v);
	json_array_foreach(s->expectations, i, v) {
		json_t *e = json_object(), *meta = json_object_get(v, "meta");
		json_object_set_new(e, spelling == CF_GE_SPELLING_V1 ? "type" : "expectation_type", json_string(exp_type(v)));
		json_object_set_new(e, "kwargs", json_deep_copy(json_object_get(v, "kwargs")));
		json_object_set_new(e, "meta", meta && json_is_object(meta) ? json_deep_copy(meta) : json_object());
		if (spelling == CF_GE_SPELLING_V1) {
			json_t *eid = json_object_get(v, "id");
			json_t *notes = json_object_get(v, "notes");
			json_t *desc = json_object_get(v, "description");
			if (eid && !json_is_null(eid))
				json_object_set(e, "id", eid);
			if (notes && !json_is_null(notes))
				json_object_set(e, "notes", notes);
			if (desc && !json_is_null(desc))
				json_object_set(e, "description", desc);
		}
		json_array_append_new(exps, e);
	}
	json_object_set_new(doc, "expectations", exps);
	(void)k;
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(doc);
	if (text == NULL)
		return cf__error_oom("suite JSON");
	rc = cf__buf_puts(out, text);
	if (rc == CF_OK)
		rc = cf__buf_puts(out, "\n");
	free(text);
	return rc;
}

/* ---- parameter expressions ---- */

typedef struct pparse {
	const char *s, *p;
	const json_t *params;
	int64_t now_us;
	const char *where;
	int rc;
} pparse;

static int perr(pparse *ps, const char *what)
{
	if (ps->rc == 0)
		ps->rc = cf__error_set(CF_EINVAL, "%s: cannot evaluate $PARAMETER \"%s\": %s at offset %d", ps->where, ps->s,
			what, (int)(ps->p - ps->s));
	return ps->rc;
}

static void skip_ws(pparse *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int accept(pparse *ps, char c)
{
	skip_ws(ps);
	if (*ps->p == c) {
		ps->p++;
		return 1;
	}
	return 0;
}

static int p_expr(pparse *ps, cf__pval *out);

static int ident(pparse *ps, char *buf, size_t cap)
{
	size_t n = 0;

	skip_ws(ps);
	if (!(isalpha((unsigned char)*ps->p) || *ps->p == '_'))
		return 0;
	while (isalnum((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '.') {
		if (n + 1 < cap)
			buf[n++] = *ps->p;
		ps->p++;
	}
	buf[n] = '\0';
	return 1;
}

static int json_to_pval(pparse *ps, cf__pval *out, json_t *v)
{
	memset(out, 0, sizeof *out);
	if (json_is_number(v)) {
		out->kind = CF__PVAL_NUMBER;
		out->number = json_number_value(v);
		return 0;
	}
	if (json_is_string(v) && cf__parse_iso8601(&out->us, json_string_value(v), json_string_length(v)) == 0) {
		out->kind = CF__PVAL_DATETIME;
		return 0;
	}
	if (json_is_object(v) && json_object_get(v, "$PARAMETER"))
		return perr(ps, "a parameter refers to another $PARAMETER");
	out->kind = CF__PVAL_JSON;
	out->json = v;
	return 0;
}

static int p_timedelta(pparse *ps, cf__pval *out)
{
	static const struct { const char *name; double us; } units[] = {
		{"weeks", 604800e6}, {"days", 86400e6}, {"hours", 3600e6}, {"minutes", 60e6}, {"seconds", 1e6},
		{"milliseconds", 1e3}, {"microseconds", 1},
	};
	double total = 0;
	char name[64];

	if (!accept(ps, '('))
		return perr(ps, "expected '(' after timedelta");
	if (!accept(ps, ')')) {
		do {
			cf__pval v;
			size_t u;
			const char *save = ps->p;
			if (!ident(ps, name, sizeof name) || !accept(ps, '=')) {
				/* Positional arguments: days, seconds, microseconds (Python's order). */
				ps->p = save;
				return perr(ps, "timedelta takes keyword arguments (days=, hours=, minutes=, seconds=, weeks=)");
			}
			for (u = 0; u < sizeof units / sizeof units[0]; u++)
				if (strcmp(name, units[u].name) == 0)
					break;
			if (u == sizeof units / sizeof units[0])
				return perr(ps, "unknown timedelta argument");
			if (p_expr(ps, &v))
				return ps->rc;
			if (v.kind != CF__PVAL_NUMBER)
				return perr(ps, "a timedelta argument must be a number");
			total += v.number * units[u].us;
		} while (accept(ps, ','));
		if (!accept(ps, ')'))
			return perr(ps, "expected ')' closing timedelta");
	}
	if (!isfinite(total) || fabs(total) > 9.2e18)
		return perr(ps, "timedelta out of range");
	memset(out, 0, sizeof *out);
	out->kind = CF__PVAL_TIMEDELTA;
	out->us = (int64_t)llround(total);
	return 0;
}

static int p_datetime(pparse *ps, cf__pval *out)
{
	double a[7] = {0, 1, 1, 0, 0, 0, 0};
	int n = 0;

	if (!accept(ps, '('))
		return perr(ps, "expected '(' after datetime");
	if (!accept(ps, ')')) {
		do {
			cf__pval v;
			if (n == 7)
				return perr(ps, "too many datetime arguments");
			if (p_expr(ps, &v))
				return ps->rc;
			if (v.kind != CF__PVAL_NUMBER)
				return perr(ps, "datetime arguments must be numbers");
			a[n++] = v.number;
		} while (accept(ps, ','));
		if (!accept(ps, ')'))
			return perr(ps, "expected ')' closing datetime");
	}
	if (n < 3 || a[1] < 1 || a[1] > 12 || a[2] < 1 || a[2] > 31)
		return perr(ps, "datetime needs year, month and day");
	memset(out, 0, sizeof *out);
	out->kind = CF__PVAL_DATETIME;
	out->us = (days_from_civil((int64_t)a[0], (unsigned)a[1], (unsigned)a[2]) * 86400 + (int64_t)a[3] * 3600 +
		(int64_t)a[4] * 60 + (int64_t)a[5]) * 1000000 + (int64_t)a[6];
	return 0;
}

static int p_primary(pparse *ps, cf__pval *out)
{
	char name[128];

	skip_ws(ps);
	if (accept(ps, '(')) {
		if (p_expr(ps, out))
			return ps->rc;
		return accept(ps, ')') ? 0 : perr(ps, "expected ')'");
	}
	if (accept(ps, '-')) {
		if (p_primary(ps, out))
			return ps->rc;
		if (out->kind == CF__PVAL_NUMBER)
			out->number = -out->number;
		else if (out->kind == CF__PVAL_TIMEDELTA)
			out->us = -out->us;
		else
			return perr(ps, "cannot negate this value");
		return 0;
	}
	if (isdigit((unsigned char)*ps->p) || *ps->p == '.') {
		char *end;
		double v = strtod(ps->p, &end);
		if (end == ps->p)
			return perr(ps, "bad number");
		ps->p = end;
		memset(out, 0, sizeof *out);
		out->kind = CF__PVAL_NUMBER;
		out->number = v;
		return 0;
	}
	if (*ps->p == '"' || *ps->p == '\'') {
		char q = *ps->p++;
		const char *start = ps->p;
		while (*ps->p && *ps->p != q)
			ps->p++;
		if (*ps->p != q)
			return perr(ps, "unterminated string");
		memset(out, 0, sizeof *out);
		if (cf__parse_iso8601(&out->us, start, (size_t)(ps->p - start)) != 0)
			return perr(ps, "a string in an expression must be an ISO-8601 date");
		ps->p++;
		out->kind = CF__PVAL_DATETIME;
		return 0;
	}
	if (ident(ps, name, sizeof name)) {
		if (strcmp(name, "now") == 0 || strcmp(name, "datetime.now") == 0 ||
			strcmp(name, "datetime.datetime.now") == 0 || strcmp(name, "datetime.utcnow") == 0) {
			if (!accept(ps, '(') || !accept(ps, ')'))
				return perr(ps, "expected now()");
			memset(out, 0, sizeof *out);
			out->kind = CF__PVAL_DATETIME;
			out->us = ps->now_us;
			return 0;
		}
		if (strcmp(name, "timedelta") == 0 || strcmp(name, "datetime.timedelta") == 0)
			return p_timedelta(ps, out);
		if (strcmp(name, "datetime") == 0 || strcmp(name, "datetime.datetime") == 0)
			return p_datetime(ps, out);
		{
			json_t *v = ps->params ? json_object_get(ps->params, name) : NULL;
			if (v == NULL) {
				char msg[200];
				snprintf(msg, sizeof msg, "unknown parameter '%s'", name);
				return perr(ps, msg);
			}
			return json_to_pval(ps, out, v) ? ps->rc : 0;
		}
	}
	return perr(ps, "unexpected character");
}

static int p_term(pparse *ps, cf__pval *out)
{
	if (p_primary(ps, out))
		return ps->rc;
	for (;;) {
		cf__pval r;
		char op;
		skip_ws(ps);
		op = *ps->p;
		if (op != '*' && op != '/')
			return 0;
		ps->p++;
		if (p_primary(ps, &r))
			return ps->rc;
		if (out->kind == CF__PVAL_NUMBER && r.kind == CF__PVAL_NUMBER)
			out->number = op == '*' ? out->number * r.number : out->number / r.number;
		else if (out->kind == CF__PVAL_TIMEDELTA && r.kind == CF__PVAL_NUMBER)
			out->us = (int64_t)llround(op == '*' ? (double)out->us * r.number : (double)out->us / r.number);
		else if (op == '*' && out->kind == CF__PVAL_NUMBER && r.kind == CF__PVAL_TIMEDELTA) {
			out->kind = CF__PVAL_TIMEDELTA;
			out->us = (int64_t)llround((double)r.us * out->number);
		} else
			return perr(ps, "unsupported operands for * or /");
	}
}

static int p_expr(pparse *ps, cf__pval *out)
{
	if (p_term(ps, out))
		return ps->rc;
	for (;;) {
		cf__pval r;
		char op;
		skip_ws(ps);
		op = *ps->p;
		if (op != '+' && op != '-')
			return 0;
		ps->p++;
		if (p_term(ps, &r))
			return ps->rc;
		if (out->kind == CF__PVAL_NUMBER && r.kind == CF__PVAL_NUMBER)
			out->number = op == '+' ? out->number + r.number : out->number - r.number;
		else if (out->kind == CF__PVAL_DATETIME && r.kind == CF__PVAL_TIMEDELTA)
			out->us = op == '+' ? out->us + r.us : out->us - r.us;
		else if (op == '+' && out->kind == CF__PVAL_TIMEDELTA && r.kind == CF__PVAL_DATETIME) {
			out->kind = CF__PVAL_DATETIME;
			out->us += r.us;
		} else if (out->kind == CF__PVAL_TIMEDELTA && r.kind == CF__PVAL_TIMEDELTA)
			out->us = op == '+' ? out->us + r.us : out->us - r.us;
		else if (op == '-' && out->kind == CF__PVAL_DATETIME && r.kind == CF__PVAL_DATETIME) {
			out->kind = CF__PVAL_TIMEDELTA;
			out->us -= r.us;
		} else
			return perr(ps, "unsupported operands for + or -");
	}
}

int cf__param_eval(cf__pval *out, const char *expr, const json_t *params, int64_t now_us, const char *where)
{
	pparse ps = {expr, expr, params, now_us, where, 0};

	if (p_expr(&ps, out))
		return ps.rc;
	skip_ws(&ps);
	if (*ps.p != '\0')
		return perr(&ps, "unexpected trailing text");
	return 0;
}

json_t *cf__kwargs_resolve(const json_t *v, const json_t *params, int64_t now_us, const char *where)
{
	if (json_is_object(v)) {
		json_t *p = json_object_get(v, "$PARAMETER"), *out;
		const char *k;
		json_t *x;

		if (p != NULL) {
			cf__pval pv;
			char iso[40];
			if (!json_is_string(p)) {
				cf__error_set(CF_EINVAL, "%s: $PARAMETER must be a string", where);
				return NULL;
			}
			if (cf__param_eval(&pv, json_string_value(p), params, now_us, where) != 0)
				return NULL;
			switch (pv.kind) {
			case CF__PVAL_NUMBER:
				return json_real(pv.number);
			case CF__PVAL_DATETIME:
				cf__format_iso8601(iso, pv.us);
				return json_string(iso);
			case CF__PVAL_JSON:
				return json_deep_copy(pv.json);
			case CF__PVAL_TIMEDELTA:
				cf__error_set(CF_EINVAL, "%s: $PARAMETER \"%s\" is a timedelta, not a value", where,
					json_string_value(p));
				return NULL;
			}
		}
		out = json_object();
		json_object_foreach((json_t *)v, k, x) {
			json_t *r = cf__kwargs_resolve(x, params, now_us, where);
			if (r == NULL) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, r);
		}
		return out;
	}
	if (json_is_array(v)) {
		json_t *out = json_array(), *x;
		size_t i;
		json_array_foreach(v, i, x) {
			json_t *r = cf__kwargs_resolve(x, params, now_us, where);
			if (r == NULL) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, r);
		}
		return out;
	}
	return json_deep_copy(v);
}
