/* Private to the CSV reader (csv.c): parsing one field's text as a typed value, and type inference. */
#ifndef CF_SRC_CSV_PARSE_H
#define CF_SRC_CSV_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/csv.h"

/* Check options (CF_EINVAL / CF_EVERSION naming the field); at most max_columns names. */
int cf__csv_options_check(const cf_csv_options *o, size_t max_columns);

/* Types a column may still take during inference (bits of a mask). */
#define CF__CSV_CAN_INT 1u
#define CF__CSV_CAN_FLOAT 2u
#define CF__CSV_CAN_BOOL 4u
#define CF__CSV_CAN_TS 8u
#define CF__CSV_CAN_ALL 15u

/* Longest value quoted in an error message, in bytes (cut at a character boundary, then "..."). */
#define CF__CSV_QUOTE_MAX 40

/* int64: optional sign, decimal digits, no overflow; surrounding spaces and tabs are allowed (as pandas).
 * Inline: it is the hot path of numeric columns. Returns 0, or -1 when `s` is not an int64. */
static inline int cf__csv_parse_int64(const char *s, size_t n, int64_t *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	uint64_t v = 0;
	int neg = 0, digits = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	while (p < e && *p == '0')
		p++, digits = 1;
	/* At most 19 significant digits: below 10^19 < 2^64, so the loop cannot wrap. */
	if (e - p > 19)
		return -1;
	for (; p < e; p++) {
		unsigned d = (unsigned)*p - '0';
		if (d > 9)
			return -1;
		v = v * 10 + d;
		digits = 1;
	}
	if (!digits || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
	return 0;
}

/* float64: [sign] digits [. digits] [e [sign] digits], or "inf", "infinity", "nan" (any case, signed);
 * surrounding spaces and tabs are allowed. s[n] must be writable: the rare slow path (strtod_l, in the C
 * locale) NUL-terminates the text in place for the call and restores the byte. */
int cf__csv_parse_float64(char *s, size_t n, double *out);

/* bool: true/false, True/False, TRUE/FALSE. */
int cf__csv_parse_bool(const char *s, size_t n, uint8_t *out);

/* ISO 8601: YYYY-MM-DD, or YYYY-MM-DD[T or space]HH:MM[:SS[.fraction]] with an optional Z or +-HH:MM.
 * Microseconds since the epoch, UTC (no zone means UTC); digits past the sixth fractional one are dropped. */
int cf__csv_parse_timestamp(const char *s, size_t n, int64_t *out);

/* Which of the types in `mask` the text parses as (an int also counts as a float). */
unsigned cf__csv_classify(char *s, size_t n, unsigned mask);

/* Write `s` for an error message: at most CF__CSV_QUOTE_MAX bytes, control characters and quotes escaped. */
void cf__csv_quote_value(char *out, size_t out_len, const char *s, size_t n);

#endif
