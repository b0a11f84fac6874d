/* CSV options and field values: option checks, float64, bool and timestamp parsing, type inference, quoting
 * values for messages. The grammar is checked here, byte by byte, so a value is accepted the same way whatever
 * the locale. */
#define _GNU_SOURCE /* strtod_l, newlocale */
#include "csv_parse.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "table.h"

#define IS_DIGIT(c) ((unsigned)(c) - '0' < 10u)

int cf_csv_options_init(cf_csv_options *opts, unsigned int version)
{
	static const cf_csv_options defaults = CF_CSV_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_CSV_OPTIONS_VERSION, "cf_csv_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return CF_OK;
}

static int bad_char(char c)
{
	return c == '\n' || c == '\r' || c == '\0' || (unsigned char)c >= 0x80;
}

int cf__csv_options_check(const cf_csv_options *o, size_t max_columns)
{
	size_t i, j;
	int rc;

	if ((rc = cf__options_version_check(o->version, CF_CSV_OPTIONS_VERSION, "cf_csv_options")) < 0)
		return rc;
	if (bad_char(o->delimiter))
		return cf__error_set(CF_EINVAL, "cf_csv_options.delimiter: 0x%02x cannot separate fields (it must be an "
			"ASCII character other than NUL, CR and LF)", (unsigned)(unsigned char)o->delimiter);
	if (bad_char(o->quote))
		return cf__error_set(CF_EINVAL, "cf_csv_options.quote: 0x%02x cannot quote fields (it must be an ASCII "
			"character other than NUL, CR and LF)", (unsigned)(unsigned char)o->quote);
	if (o->delimiter == o->quote)
		return cf__error_set(CF_EINVAL, "cf_csv_options: the delimiter and the quote are both '%c'", o->delimiter);
	if (o->header != 0 && o->header != 1)
		return cf__error_set(CF_EINVAL, "cf_csv_options.header: %d is neither 0 nor 1", o->header);
	if (o->names == NULL && o->names_count > 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.names is NULL but names_count is %zu", o->names_count);
	if (o->names != NULL && o->names_count == 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.names is given but names_count is 0");
	if (!o->header && o->names == NULL)
		return cf__error_set(CF_EINVAL, "cf_csv_options: header is 0, so names must name the columns");
	if (o->names_count > max_columns)
		return cf__error_set(CF_EINVAL, "cf_csv_options.names_count: %zu columns is more than %zu",
			o->names_count, max_columns);
	for (i = 0; i < o->names_count; i++) {
		const char *name = o->names[i];
		if (name == NULL || name[0] == '\0')
			return cf__error_set(CF_EINVAL, "cf_csv_options.names[%zu] is %s", i, name ? "empty" : "NULL");
		if (cf__utf8_invalid_at(name, strlen(name)) != (size_t)-1)
			return cf__error_set(CF_EINVAL, "cf_csv_options.names[%zu] is not valid UTF-8", i);
		for (j = 0; j < i; j++)
			if (strcmp(o->names[j], name) == 0)
				return cf__error_set(CF_EINVAL, "cf_csv_options.names: '%.200s' appears twice (%zu and %zu)",
					name, j, i);
	}
	if (o->na_values == NULL && o->na_count > 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.na_values is NULL but na_count is %zu", o->na_count);
	for (i = 0; o->na_values != NULL && i < o->na_count; i++)
		if (o->na_values[i] == NULL)
			return cf__error_set(CF_EINVAL, "cf_csv_options.na_values[%zu] is NULL", i);
	if (o->types == NULL && o->types_count > 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.types is NULL but types_count is %zu", o->types_count);
	if (o->types != NULL && o->types_count == 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.types is given but types_count is 0");
	for (i = 0; i < o->types_count; i++)
		if (o->types[i] < CF_TYPE_FLOAT64 || o->types[i] > CF_TYPE_TIMESTAMP)
			return cf__error_set(CF_EINVAL, "cf_csv_options.types[%zu]: %d is not a column type", i,
				(int)o->types[i]);
	if (o->types != NULL && !o->header && o->types_count != o->names_count)
		return cf__error_set(CF_EINVAL, "cf_csv_options: %zu types for %zu names", o->types_count, o->names_count);
	if (o->chunk_rows == 0)
		return cf__error_set(CF_EINVAL, "cf_csv_options.chunk_rows must be at least 1");
	if (o->max_field_bytes == 0 || o->max_field_bytes > SIZE_MAX / 4)
		return cf__error_set(CF_EINVAL, "cf_csv_options.max_field_bytes: %zu is out of range",
			o->max_field_bytes);
	return CF_OK;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The C locale for strtod_l, made once: a host program's setlocale() must not change what "1.5" means. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* Compare s[0..n) to a lower-case word, ignoring ASCII case. */
static int word_is(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

int cf__csv_parse_float64(char *s, size_t n, double *out)
{
	/* Exact powers of ten: a mantissa below 2^53 times or over one of these is correctly rounded (Clinger's
	 * fast path), which covers nearly every value written by a program; the rest go to strtod_l. */
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	size_t i = 0, start;
	uint64_t w = 0;
	long e10 = 0, ex = 0;
	int neg = 0, any = 0, nd = 0, inexact = 0;

	while (i < n && is_blank(s[i]))
		i++;
	while (n > i && is_blank(s[n - 1]))
		n--;
	start = i;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i < n && !IS_DIGIT(s[i]) && s[i] != '.') {
		if (word_is(s + i, n - i, "inf") || word_is(s + i, n - i, "infinity")) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		if (word_is(s + i, n - i, "nan")) {
			*out = NAN;
			return 0;
		}
		return -1;
	}
	/* Up to 19 significant digits go into w; later integer digits scale it, later nonzero ones make it
	 * inexact. Leading zeros are not significant. */
	for (; i < n && IS_DIGIT(s[i]); i++) {
		any = 1;
		if (nd < 19) {
			w = w * 10 + (uint64_t)(s[i] - '0');
			nd += w != 0;
		} else {
			e10++;
			inexact |= s[i] != '0';
		}
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && IS_DIGIT(s[i]); i++) {
			any = 1;
			if (nd < 19) {
				w = w * 10 + (uint64_t)(s[i] - '0');
				nd += w != 0;
				e10--;
			} else {
				inexact |= s[i] != '0';
			}
		}
	}
	if (!any)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i == n || !IS_DIGIT(s[i]))
			return -1;
		for (; i < n && IS_DIGIT(s[i]); i++)
			if (ex < 100000) /* far past any double's range: saturate rather than overflow */
				ex = ex * 10 + (s[i] - '0');
		if (eneg)
			ex = -ex;
	}
	if (i != n)
		return -1;
	e10 += ex;
	if (!inexact && w <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
		double d = (double)w;
		d = e10 < 0 ? d / pow10[-e10] : d * pow10[e10];
		*out = neg ? -d : d;
		return 0;
	}
	{
		char *end, saved = s[n];
		double d;
		pthread_once(&c_locale_once, c_locale_init);
		s[n] = '\0';
		d = c_locale != (locale_t)0 ? strtod_l(s + start, &end, c_locale) : strtod(s + start, &end);
		s[n] = saved;
		if (end != s + n)
			return -1;
		*out = d;
	}
	return 0;
}

int cf__csv_parse_bool(const char *s, size_t n, uint8_t *out)
{
	if (n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "True", 4) == 0 || memcmp(s, "TRUE", 4) == 0)) {
		*out = 1;
		return 0;
	}
	if (n == 5 && (memcmp(s, "false", 5) == 0 || memcmp(s, "False", 5) == 0 || memcmp(s, "FALSE", 5) == 0)) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* `count` digits at s, as a number, or -1. */
static int digits(const char *s, int count)
{
	int v = 0, i;

	for (i = 0; i < count; i++) {
		if (!IS_DIGIT(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int cf__csv_parse_timestamp(const char *s, size_t n, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
	int64_t frac = 0;
	size_t i = 10;

	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return -1;
		i++;
		if (n - i < 5 || s[i + 2] != ':')
			return -1;
		h = digits(s + i, 2);
		mi = digits(s + i + 3, 2);
		if (h < 0 || h > 23 || mi < 0 || mi > 59)
			return -1;
		i += 5;
		if (i < n && s[i] == ':') {
			if (n - i < 3 || (sec = digits(s + i + 1, 2)) < 0 || sec > 59)
				return -1;
			i += 3;
			if (i < n && s[i] == '.') {
				int nf = 0;
				for (i++; i < n && IS_DIGIT(s[i]); i++, nf++) {
					if (nf >= 9)
						return -1;
					if (nf < 6)
						frac = frac * 10 + (s[i] - '0');
				}
				if (nf == 0)
					return -1;
				for (; nf < 6; nf++)
					frac *= 10;
			}
		}
		if (i < n) {
			if (s[i] == 'Z' || s[i] == 'z') {
				i++;
			} else if (s[i] == '+' || s[i] == '-') {
				int oh, om;
				if (n - i < 6 || s[i + 3] != ':')
					return -1;
				oh = digits(s + i + 1, 2);
				om = digits(s + i + 4, 2);
				if (oh < 0 || oh > 23 || om < 0 || om > 59)
					return -1;
				off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
				i += 6;
			}
		}
		if (i != n)
			return -1;
	}
	/* A local time at offset +HH:MM is that much ahead of UTC. */
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) - off) * INT64_C(1000000) + frac;
	return 0;
}

unsigned cf__csv_classify(char *s, size_t n, unsigned mask)
{
	union { int64_t i; double d; uint8_t b; } v;

	/* The kinds exclude each other (but for int within float), so the first match decides. */
	if ((mask & CF__CSV_CAN_INT) && cf__csv_parse_int64(s, n, &v.i) == 0)
		return CF__CSV_CAN_INT | CF__CSV_CAN_FLOAT;
	if ((mask & CF__CSV_CAN_FLOAT) && cf__csv_parse_float64(s, n, &v.d) == 0)
		return CF__CSV_CAN_FLOAT;
	if ((mask & CF__CSV_CAN_BOOL) && cf__csv_parse_bool(s, n, &v.b) == 0)
		return CF__CSV_CAN_BOOL;
	if ((mask & CF__CSV_CAN_TS) && cf__csv_parse_timestamp(s, n, &v.i) == 0)
		return CF__CSV_CAN_TS;
	return 0;
}

void cf__csv_quote_value(char *out, size_t out_len, const char *s, size_t n)
{
	size_t lim = n, i, o = 0;

	if (out_len == 0)
		return;
	if (lim > CF__CSV_QUOTE_MAX) {
		lim = CF__CSV_QUOTE_MAX;
		while (lim > 0 && ((unsigned char)s[lim] & 0xC0) == 0x80) /* do not split a character */
			lim--;
	}
	for (i = 0; i < lim && o + 5 < out_len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, out_len - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < n && o + 4 < out_len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
