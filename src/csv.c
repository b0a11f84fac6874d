/* Streaming CSV reader (RFC 4180) building cf_table chunks in bounded memory.
 *
 * Input flows through one buffer (1 MiB; it grows only for a row that does not fit). A row is first tokenized
 * into field spans; only once it is complete are its fields converted into the chunk's column builders, so a
 * row cut by the end of the buffer is simply tokenized again after its bytes are carried to the front and the
 * buffer refilled. A '\n' sentinel after the data stops every scan loop without a bounds check.
 *
 * Type inference reads a sample of rows and keeps its bytes in the buffer, so the sample is then parsed again
 * as the first rows of the first chunk; with infer_rows 0 the whole input is read twice instead.
 *
 * Strings are dictionary-encoded per chunk through an open-addressing hash map per column.
 *
 * A chunk's buffers go to its table. A caller done with a chunk may hand it back (cf__csv_recycle), and its
 * buffers then build the next chunk: the values become the builders' own again, the validity bitmap and the
 * dictionary's pointer array wait in per-column spare slots until a chunk needs them, and the dictionary
 * arena goes back to the dictionary builder. */
#include "csv.h"
#include "csv_parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cogniforge/csv.h"
#include "cogniforge/io.h"
#include "table.h"

#define CSV_BUF_SIZE ((size_t)1 << 20)
#define CSV_BUF_MIN ((size_t)256)
#define CSV_PAD 16                          /* after the sentinel: hashing and comparing read whole words
                                               past a field (and past a dictionary entry) */
#define CSV_MAX_COLUMNS ((size_t)1 << 20)   /* a header row wider than this is taken for garbage */
#define CSV_FIRST_ROWS ((size_t)1024)       /* initial chunk capacity before the chunk size is known to fill */

/* Token flags: doubled quotes to undo, bytes >= 0x80 to validate as UTF-8. */
enum { TOK_ESCAPED = 1, TOK_HIGH = 2 };

/* Results of tokenizing a row, besides errors (< 0). */
enum { ROW_OK = 1, ROW_MORE = 2, ROW_END = 3 };

typedef struct csv_token {
	size_t off, len;  /* the field's content in buf, quotes excluded */
	uint32_t flags;
	uint32_t nl;      /* newlines in the row before the field: its line is row_line + nl */
} csv_token;

typedef struct csv_slot {
	uint32_t tag;     /* hash bits; the slot index comes from them too */
	int32_t code;     /* -1: empty */
} csv_slot;

typedef struct csv_entry {
	size_t off, len;  /* in the arena, NUL-terminated there */
} csv_entry;

/* A string column's dictionary for the chunk being built. The arena goes to the chunk; the map stays. */
typedef struct csv_dict {
	csv_slot *slots;
	size_t mask;
	csv_entry *entries;
	size_t n, entries_cap;
	char *arena;
	size_t arena_len, arena_cap;
} csv_dict;

typedef struct csv_column {
	char *name;
	cf_type type;
	unsigned can;      /* inference: CF__CSV_CAN_* still possible */
	size_t nonnull;    /* inference: non-null values sampled */
	void *values;      /* the chunk being built: rows_cap values */
	uint8_t *validity; /* NULL until the chunk has a null */
	size_t null_count;
	csv_dict dict;
	void *spare_validity;      /* from a recycled chunk, for the next chunk with a null (NULL: none) */
	size_t spare_validity_bytes;
	void *spare_dict;          /* from a recycled chunk, for the next chunk's dictionary pointers */
	size_t spare_dict_bytes;
} csv_column;

struct cf_csv_reader {
	cf_context *ctx;
	char *source;           /* name in messages */
	char *path;             /* to read a file again (infer_rows 0); NULL for memory */
	cf_reader *in;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	int in_eof;             /* the source has nothing more */

	unsigned char *buf;     /* cap bytes of data + sentinel + CSV_PAD */
	size_t cap, len, pos;   /* valid bytes; start of the next row */
	uint64_t line;          /* physical line of buf[pos] */
	uint64_t row_line;      /* line where the last tokenized row starts */
	int keep;               /* sampling: bytes from keep_from on stay in the buffer */
	size_t keep_from;

	csv_token *tok;
	size_t tok_cap, nf;     /* nf: fields of the last row (only the first tok_cap are stored) */
	char *scratch;          /* unescaped copy of a field while sampling (the buffer must stay as read) */
	size_t scratch_cap;

	unsigned char delim, quote;
	int skip_space;
	size_t chunk_rows, max_field, infer_rows;
	char **na;
	size_t *na_len, na_count, na_maxlen;
	uint8_t ucls[256], qcls[256]; /* nonzero: bytes that stop an unquoted / quoted scan */

	size_t ncols;
	csv_column *cols;
	int inferred;
	size_t sample_rows;

	size_t nrows, rows_cap, last_rows; /* the chunk being built; rows_cap: rows its values buffers hold (a
	                                      recycled chunk's, between chunks) */
	size_t rows_read;
	int done;
	int failed;             /* the error that made the reader unusable, replayed by later calls */
	char errmsg[1024];
};

/* ---- errors ---- */

/* Keep the error so that later calls return it again. */
static int reader_broken(cf_csv_reader *r, int code)
{
	if (code < 0 && !r->failed) {
		r->failed = code;
		snprintf(r->errmsg, sizeof(r->errmsg), "%s", cf_error_last()->message);
	}
	return code;
}

static int reader_replay(const cf_csv_reader *r)
{
	return cf__error_set(r->failed, "%s", r->errmsg);
}

/* Record an error at `line` (0: none) and field `field` (1-based; 0: none), naming the column when known. */
static int csv_fail(cf_csv_reader *r, int code, uint64_t line, size_t field, const char *fmt, ...) CF__PRINTF(5, 6);

static int csv_fail(cf_csv_reader *r, int code, uint64_t line, size_t field, const char *fmt, ...)
{
	char msg[700], where[200] = "", at[32] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field > 0 && field <= r->ncols && r->cols != NULL && r->cols[field - 1].name != NULL)
		snprintf(where, sizeof(where), "column %zu '%.150s': ", field, r->cols[field - 1].name);
	else if (field > 0)
		snprintf(where, sizeof(where), "field %zu: ", field);
	if (line > 0)
		snprintf(at, sizeof(at), ":%llu", (unsigned long long)line);
	cf__error_set(code, "%.200s%s: %s%s", r->source, at, where, msg);
	return reader_broken(r, code);
}

/* ---- input ---- */

static int source_read(cf_csv_reader *r, size_t *got)
{
	size_t room = r->cap - r->len;

	if (r->in != NULL)
		return cf_reader_read(got, r->in, r->buf + r->len, room);
	*got = r->mem_len - r->mem_pos < room ? r->mem_len - r->mem_pos : room;
	if (*got > 0)
		memcpy(r->buf + r->len, r->mem + r->mem_pos, *got);
	r->mem_pos += *got;
	return CF_OK;
}

static void buffer_seal(cf_csv_reader *r)
{
	r->buf[r->len] = '\n';
	memset(r->buf + r->len + 1, 0, CSV_PAD);
}

/* Called when the row at pos runs past the data: carry it to the front, grow the buffer if the row fills
 * it, and read until the buffer is full or the input ends. Always makes progress (data or in_eof). */
static int refill(cf_csv_reader *r)
{
	size_t keep = r->keep ? r->keep_from : r->pos;
	int rc;

	if (keep > 0) {
		memmove(r->buf, r->buf + keep, r->len - keep);
		r->len -= keep;
		r->pos -= keep;
		r->keep_from -= r->keep ? keep : 0;
	}
	if (r->len == r->cap) {
		size_t cap = r->cap * 2;
		unsigned char *b;
		if (cap < r->cap || cap > SIZE_MAX - CSV_PAD - 1)
			return reader_broken(r, cf__error_oom("CSV buffer"));
		b = cf__realloc(r->ctx, r->buf, cap + 1 + CSV_PAD, "CSV buffer");
		if (b == NULL)
			return reader_broken(r, CF_ENOMEM);
		r->buf = b;
		r->cap = cap;
	}
	while (r->len < r->cap && !r->in_eof) {
		size_t got = 0;
		if ((rc = source_read(r, &got)) < 0)
			return reader_broken(r, rc);
		if (got == 0)
			r->in_eof = 1;
		r->len += got;
	}
	buffer_seal(r);
	return CF_OK;
}

/* ---- tokenizer ---- */

static int tokens_grow(cf_csv_reader *r)
{
	size_t cap = r->tok_cap ? 2 * r->tok_cap : 64;
	csv_token *t;

	if (r->tok_cap >= CSV_MAX_COLUMNS)
		return csv_fail(r, CF_EFORMAT, r->row_line, 0, "more than %zu fields in a row", CSV_MAX_COLUMNS);
	t = cf__realloc(r->ctx, r->tok, cap * sizeof(*t), "CSV fields");
	if (t == NULL)
		return reader_broken(r, CF_ENOMEM);
	r->tok = t;
	r->tok_cap = cap;
	return CF_OK;
}

/* Split the row at pos into fields (r->tok, r->nf), skipping blank lines before it. ROW_MORE: the row runs
 * past the data read so far (pos still at its start); ROW_END: no row left; or an error. */
static int tokenize_row(cf_csv_reader *r)
{
	unsigned char *const buf = r->buf;
	const unsigned char *const end = buf + r->len;
	const unsigned char *p = buf + r->pos, *fs, *begin = p;
	const uint8_t *const ucls = r->ucls, *const qcls = r->qcls;
	const unsigned delim = r->delim, quote = r->quote;
	const int eof = r->in_eof;
	size_t nf = 0, len;
	uint32_t nl = 0, flags, fnl = 0;
	unsigned c;

	/* Blank lines: empty or a lone "\r". */
	for (;;) {
		if (p == end) {
			r->pos = (size_t)(p - buf);
			return eof ? ROW_END : ROW_MORE;
		}
		if (*p == '\n') {
			p++;
			r->line++;
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !eof) {
				r->pos = (size_t)(p - buf);
				return ROW_MORE;
			}
			if (p + 1 == end) {
				p++;
				continue;
			}
			if (p[1] == '\n') {
				p += 2;
				r->line++;
				continue;
			}
		}
		break;
	}
	r->pos = (size_t)(p - buf);
	r->row_line = r->line;
	for (;;) {
		begin = p;
		flags = 0;
		fnl = nl;
		if (r->skip_space)
			while (*p == ' ')
				p++;
		if (*p == quote) {
			fs = ++p;
			for (;;) {
				while (!qcls[*p])
					p++;
				c = *p;
				if (c == quote) {
					if (p + 1 == end && !eof)
						goto more; /* a doubled quote or the closing one? */
					if (p[1] != quote)
						break;
					flags |= TOK_ESCAPED;
					p += 2;
				} else if (c == '\n') {
					if (p == end) {
						if (!eof)
							goto more;
						return csv_fail(r, CF_EFORMAT, r->row_line + fnl, nf + 1,
							"unterminated quoted field: the quote opened on line %llu is never closed",
							(unsigned long long)(r->row_line + fnl));
					}
					nl++;
					p++;
				} else if (c == 0) {
					return csv_fail(r, CF_EFORMAT, r->row_line + nl, nf + 1, "NUL byte in the data");
				} else {
					flags |= TOK_HIGH;
					p++;
				}
			}
			len = (size_t)(p - fs);
			c = *++p;
			if (c == '\r') {
				if (p + 1 == end && !eof)
					goto more;
				if (p + 1 == end || p[1] == '\n')
					c = *++p;
			}
			if (c != delim && c != '\n') {
				char shown[8];
				if (c >= 0x20 && c < 0x7f)
					snprintf(shown, sizeof(shown), "'%c'", (char)c);
				else
					snprintf(shown, sizeof(shown), "0x%02x", c);
				return csv_fail(r, CF_EFORMAT, r->row_line + nl, nf + 1,
					"unexpected character %s after the closing quote (expected the delimiter or the end of the "
					"line)", shown);
			}
			if (c == '\n' && p == end && !eof)
				goto more;
		} else {
			fs = p;
			for (;;) {
				while (!ucls[*p])
					p++;
				c = *p;
				if (c < 0x80)
					break;
				flags |= TOK_HIGH;
				p++;
			}
			if (c == 0)
				return csv_fail(r, CF_EFORMAT, r->row_line + nl, nf + 1, "NUL byte in the data");
			len = (size_t)(p - fs);
			if (c == '\n') {
				if (p == end && !eof)
					goto more;
				if (len > 0 && p[-1] == '\r')
					len--;
			}
		}
		if (len > r->max_field)
			return csv_fail(r, CF_EFORMAT, r->row_line + fnl, nf + 1,
				"field of %zu bytes is longer than max_field_bytes (%zu)", len, r->max_field);
		if (nf >= r->tok_cap && r->ncols == 0) {
			int rc = tokens_grow(r);
			if (rc < 0)
				return rc;
		}
		if (nf < r->tok_cap) {
			csv_token *t = &r->tok[nf];
			t->off = (size_t)(fs - buf);
			t->len = len;
			t->flags = flags;
			t->nl = fnl;
		}
		nf++;
		if (c != delim)
			break;
		p++;
	}
	/* p is at the row's '\n', or at the end of the input. */
	if (p != end) {
		p++;
		nl++;
	}
	r->line += nl;
	r->pos = (size_t)(p - buf);
	r->nf = nf;
	return ROW_OK;
more:
	/* Bounds the buffer: neither a row with too many fields nor one huge field may grow it forever. */
	if (r->ncols > 0 && nf > r->ncols)
		return csv_fail(r, CF_EFORMAT, r->row_line, 0, "expected %zu fields, found at least %zu", r->ncols, nf + 1);
	if ((size_t)(p - begin) > r->max_field + 2)
		return csv_fail(r, CF_EFORMAT, r->row_line + fnl, nf + 1,
			"field is longer than max_field_bytes (%zu)", r->max_field);
	return ROW_MORE;
}

/* The next row, refilling as needed: ROW_OK, ROW_END or an error. */
static int next_row(cf_csv_reader *r)
{
	for (;;) {
		int rc = tokenize_row(r);
		if (rc != ROW_MORE)
			return rc;
		if ((rc = refill(r)) < 0)
			return rc;
	}
}

/* A data row: as next_row(), with exactly ncols fields. */
static int next_data_row(cf_csv_reader *r)
{
	int rc = next_row(r);

	if (rc == ROW_OK && r->nf != r->ncols)
		return csv_fail(r, CF_EFORMAT, r->row_line, 0, "expected %zu fields, found %zu", r->ncols, r->nf);
	return rc;
}

/* Check field `c` of the current row as UTF-8 and undo doubled quotes, writing the content to `dst` (which
 * may be the field itself). Sets *n to the content's length. */
static int field_prepare(cf_csv_reader *r, size_t c, char *dst, size_t *n)
{
	const csv_token *t = &r->tok[c];
	const char *s = (const char *)r->buf + t->off;
	size_t i, o;

	if (t->flags & TOK_HIGH) {
		size_t bad = cf__utf8_invalid_at(s, t->len);
		if (bad != (size_t)-1) {
			uint64_t line = r->row_line + t->nl;
			for (i = 0; i < bad; i++)
				line += s[i] == '\n';
			return csv_fail(r, CF_EFORMAT, line, c + 1, "invalid UTF-8 at byte %zu of the field (0x%02x)",
				bad + 1, (unsigned)(unsigned char)s[bad]);
		}
	}
	if (!(t->flags & TOK_ESCAPED)) {
		if (dst != s)
			memcpy(dst, s, t->len);
		*n = t->len;
		return CF_OK;
	}
	for (i = o = 0; i < t->len; i++, o++) {
		dst[o] = s[i];
		if (s[i] == (char)r->quote)
			i++; /* the tokenizer saw it doubled */
	}
	*n = o;
	return CF_OK;
}

static inline int is_na(const cf_csv_reader *r, const char *s, size_t n)
{
	size_t i;

	if (n > r->na_maxlen)
		return 0;
	/* Fields this short are compared byte by byte: a library call per field costs more than the compare. */
	for (i = 0; i < r->na_count; i++) {
		const char *na = r->na[i];
		size_t k;
		if (r->na_len[i] != n)
			continue;
		for (k = 0; k < n && na[k] == s[k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

/* ---- string dictionaries ---- */

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* The low n bytes of a word loaded from memory (n < 8). */
static inline uint64_t word_head(uint64_t v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v >> (64 - 8 * n);
#else
	return v & ((~0ull) >> (64 - 8 * n));
#endif
}

/* a[0..n) == b[0..n), reading whole words: both must be readable 7 bytes past n. */
static inline int words_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (; n >= 8; a += 8, b += 8, n -= 8)
		if (load64(a) != load64(b))
			return 0;
	return n == 0 || word_head(load64(a) ^ load64(b), n) == 0;
}

/* A word-at-a-time hash. The last partial word is read whole and masked, which is why the buffer has
 * CSV_PAD bytes after its sentinel. */
static inline uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull), v;

	for (; n >= 8; p += 8, n -= 8) {
		h = (h ^ load64(p)) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 29;
	}
	if (n > 0) {
		v = word_head(load64(p), n);
		h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 29;
	return h;
}

static void dict_free(cf_context *ctx, csv_dict *d)
{
	cf__free(ctx, d->slots);
	cf__free(ctx, d->entries);
	cf__free(ctx, d->arena);
	memset(d, 0, sizeof(*d));
}

/* Forget the entries for a new chunk (the arena has gone to the finished one). */
static void dict_reset(csv_dict *d)
{
	if (d->slots != NULL)
		memset(d->slots, 0xff, (d->mask + 1) * sizeof(*d->slots));
	d->n = 0;
	d->arena = NULL;
	d->arena_len = d->arena_cap = 0;
}

static int dict_rehash(cf_context *ctx, csv_dict *d, size_t cap)
{
	csv_slot *slots = cf__malloc(ctx, cap * sizeof(*slots), "string dictionary");
	size_t i, j;

	if (slots == NULL)
		return CF_ENOMEM;
	memset(slots, 0xff, cap * sizeof(*slots));
	if (d->slots != NULL) {
		for (i = 0; i <= d->mask; i++) {
			if (d->slots[i].code < 0)
				continue;
			for (j = d->slots[i].tag & (cap - 1); slots[j].code >= 0; j = (j + 1) & (cap - 1))
				;
			slots[j] = d->slots[i];
		}
	}
	cf__free(ctx, d->slots);
	d->slots = slots;
	d->mask = cap - 1;
	return CF_OK;
}

/* Add s[0..n) as a new entry at slot `k`; returns its code or an error. */
static int32_t dict_insert(cf_csv_reader *r, csv_dict *d, size_t k, uint32_t tag, const char *s, size_t n)
{
	int32_t code;

	if (d->n >= (size_t)INT32_MAX)
		return csv_fail(r, CF_EFORMAT, r->row_line, 0, "more than %d distinct strings in one column",
			(int)INT32_MAX);
	if (d->n == d->entries_cap) {
		size_t cap = d->entries_cap ? 2 * d->entries_cap : 64;
		csv_entry *e = cf__realloc(r->ctx, d->entries, cap * sizeof(*e), "string dictionary");
		if (e == NULL)
			return reader_broken(r, CF_ENOMEM);
		d->entries = e;
		d->entries_cap = cap;
	}
	/* CSV_PAD spare bytes at the end: words_equal() reads past the last entry. */
	if (d->arena_cap - d->arena_len < n + 1 + CSV_PAD) {
		size_t cap = d->arena_cap ? d->arena_cap : 4096;
		char *a;
		while (cap - d->arena_len < n + 1 + CSV_PAD)
			cap *= 2;
		a = cf__realloc(r->ctx, d->arena, cap, "string dictionary");
		if (a == NULL)
			return reader_broken(r, CF_ENOMEM);
		d->arena = a;
		d->arena_cap = cap;
	}
	memcpy(d->arena + d->arena_len, s, n);
	d->arena[d->arena_len + n] = '\0';
	code = (int32_t)d->n;
	d->entries[d->n].off = d->arena_len;
	d->entries[d->n].len = n;
	d->arena_len += n + 1;
	d->n++;
	d->slots[k].tag = tag;
	d->slots[k].code = code;
	/* At most half full, so probe runs stay short. */
	if (2 * d->n > d->mask + 1 && dict_rehash(r->ctx, d, 2 * (d->mask + 1)) < 0)
		return reader_broken(r, CF_ENOMEM);
	return code;
}

/* The code of s[0..n) in the chunk's dictionary, adding it if new; or an error (< 0). */
static inline int32_t dict_code(cf_csv_reader *r, csv_dict *d, const char *s, size_t n)
{
	uint32_t tag = (uint32_t)hash_bytes((const unsigned char *)s, n);
	size_t k;

	for (k = tag & d->mask;; k = (k + 1) & d->mask) {
		const csv_slot *slot = &d->slots[k];
		if (slot->code < 0)
			break;
		if (slot->tag == tag) {
			const csv_entry *e = &d->entries[slot->code];
			if (e->len == n && words_equal((const unsigned char *)d->arena + e->off, (const unsigned char *)s, n))
				return slot->code;
		}
	}
	return dict_insert(r, d, k, tag, s, n);
}

/* ---- chunk building ---- */

/* A buffer of `need` bytes for the chunk being built: the spare one from a recycled chunk when it is large
 * enough, else a new one (a spare too small is freed). The slot is empty afterwards. */
static void *take_spare(cf_context *ctx, void **spare, size_t *spare_bytes, size_t need, const char *what)
{
	void *p = *spare;

	if (p == NULL || *spare_bytes < need) {
		cf__free(ctx, p);
		p = cf__malloc(ctx, need, what);
	}
	*spare = NULL;
	*spare_bytes = 0;
	return p;
}

static size_t type_width(cf_type type)
{
	switch (type) {
	case CF_TYPE_BOOL: return 1;
	case CF_TYPE_STRING: return 4;
	default: return 8;
	}
}

/* Room for one more row in every column of the chunk. */
static int chunk_reserve(cf_csv_reader *r)
{
	size_t cap, c;

	if (r->nrows < r->rows_cap)
		return CF_OK;
	if (r->rows_cap == 0)
		cap = r->last_rows > CSV_FIRST_ROWS ? r->last_rows : CSV_FIRST_ROWS;
	else
		cap = r->rows_cap > SIZE_MAX / 32 ? SIZE_MAX / 16 : 2 * r->rows_cap;
	if (cap > r->chunk_rows)
		cap = r->chunk_rows;
	if (cap > SIZE_MAX / 16)
		return reader_broken(r, cf__error_oom("CSV chunk"));
	for (c = 0; c < r->ncols; c++) {
		csv_column *col = &r->cols[c];
		void *v = cf__realloc(r->ctx, col->values, cap * type_width(col->type), "CSV chunk");
		if (v == NULL)
			return reader_broken(r, CF_ENOMEM);
		col->values = v;
		if (col->validity != NULL) {
			size_t old = CF_BITMAP_BYTES(r->rows_cap), now = CF_BITMAP_BYTES(cap);
			uint8_t *b = cf__realloc(r->ctx, col->validity, now, "validity bitmap");
			if (b == NULL)
				return reader_broken(r, CF_ENOMEM);
			memset(b + old, 0xff, now - old);
			col->validity = b;
		}
	}
	r->rows_cap = cap;
	return CF_OK;
}

static int set_null(cf_csv_reader *r, csv_column *col, size_t row)
{
	if (col->validity == NULL) {
		col->validity = take_spare(r->ctx, &col->spare_validity, &col->spare_validity_bytes,
			CF_BITMAP_BYTES(r->rows_cap), "validity bitmap");
		if (col->validity == NULL)
			return reader_broken(r, CF_ENOMEM);
		memset(col->validity, 0xff, CF_BITMAP_BYTES(r->rows_cap));
	}
	col->validity[row >> 3] &= (uint8_t)~(1u << (row & 7));
	col->null_count++;
	/* A defined value under the null, and the one readers that skip the bitmap understand. */
	switch (col->type) {
	case CF_TYPE_FLOAT64: ((double *)col->values)[row] = NAN; break;
	case CF_TYPE_STRING: ((int32_t *)col->values)[row] = -1; break;
	case CF_TYPE_BOOL: ((uint8_t *)col->values)[row] = 0; break;
	default: ((int64_t *)col->values)[row] = 0; break;
	}
	return CF_OK;
}

static int type_fail(cf_csv_reader *r, size_t c, const char *s, size_t n)
{
	char shown[4 * CF__CSV_QUOTE_MAX + 8];

	cf__csv_quote_value(shown, sizeof(shown), s, n);
	if (r->inferred)
		return csv_fail(r, CF_EFORMAT, r->row_line + r->tok[c].nl, c + 1,
			"\"%s\" is not a valid %s (type inferred from the first %zu rows; pass an explicit schema or a larger "
			"sample)", shown, cf_type_name(r->cols[c].type), r->sample_rows);
	return csv_fail(r, CF_EFORMAT, r->row_line + r->tok[c].nl, c + 1, "\"%s\" is not a valid %s", shown,
		cf_type_name(r->cols[c].type));
}

/* Convert the tokenized row into row nrows of the chunk. */
static int convert_row(cf_csv_reader *r)
{
	const size_t row = r->nrows;
	size_t c;
	int rc;

	for (c = 0; c < r->ncols; c++) {
		const csv_token *t = &r->tok[c];
		csv_column *col = &r->cols[c];
		char *s = (char *)r->buf + t->off;
		size_t n = t->len;

		/* Unescaping in place is safe: a converted row is never tokenized again. */
		if (t->flags && (rc = field_prepare(r, c, s, &n)) < 0)
			return rc;
		if (n <= r->na_maxlen && is_na(r, s, n)) {
			if ((rc = set_null(r, col, row)) < 0)
				return rc;
			continue;
		}
		switch (col->type) {
		case CF_TYPE_INT64:
			if (cf__csv_parse_int64(s, n, &((int64_t *)col->values)[row]) < 0)
				return type_fail(r, c, s, n);
			break;
		case CF_TYPE_FLOAT64: {
			double *v = &((double *)col->values)[row];
			if (cf__csv_parse_float64(s, n, v) < 0)
				return type_fail(r, c, s, n);
			col->null_count += *v != *v; /* a table counts a NaN as missing */
			break;
		}
		case CF_TYPE_BOOL:
			if (cf__csv_parse_bool(s, n, &((uint8_t *)col->values)[row]) < 0)
				return type_fail(r, c, s, n);
			break;
		case CF_TYPE_TIMESTAMP:
			if (cf__csv_parse_timestamp(s, n, &((int64_t *)col->values)[row]) < 0)
				return type_fail(r, c, s, n);
			break;
		case CF_TYPE_STRING: {
			int32_t code = dict_code(r, &col->dict, s, n);
			if (code < 0)
				return code;
			((int32_t *)col->values)[row] = code;
			break;
		}
		}
	}
	r->nrows++;
	return CF_OK;
}

/* Hand the chunk's buffers to a new table; the builders start over empty. */
static int chunk_finish(cf_csv_reader *r, cf_table **out)
{
	cf_table *t = NULL;
	size_t c, i;
	int rc;

	if ((rc = cf_table_create(&t, r->ctx)) < 0)
		return reader_broken(r, rc);
	for (c = 0; c < r->ncols; c++) {
		csv_column *col = &r->cols[c];
		const char **dict = NULL;
		char *arena = NULL;
		size_t ndict = 0;

		/* A chunk without strings in this column keeps no arena: the builder keeps a recycled one. */
		if (col->type == CF_TYPE_STRING && col->dict.n > 0) {
			ndict = col->dict.n;
			dict = take_spare(r->ctx, &col->spare_dict, &col->spare_dict_bytes, ndict * sizeof(*dict),
				"string dictionary");
			if (dict == NULL) {
				cf_table_free(t);
				return reader_broken(r, CF_ENOMEM);
			}
			for (i = 0; i < ndict; i++)
				dict[i] = col->dict.arena + col->dict.entries[i].off;
			arena = col->dict.arena;
			dict_reset(&col->dict);
		}
		/* The table owns the buffers from here, even when this fails. */
		rc = cf__table_add_owned(t, col->name, col->type, r->nrows, col->values, col->validity, col->null_count,
			dict, ndict, arena);
		col->values = NULL;
		col->validity = NULL;
		col->null_count = 0;
		if (rc < 0) {
			cf_table_free(t);
			return reader_broken(r, rc);
		}
	}
	r->rows_read += r->nrows;
	r->last_rows = r->nrows;
	r->nrows = r->rows_cap = 0;
	*out = t;
	return CF_OK;
}

/* Read up to chunk_rows rows into a table. With `always`, a table is made even for zero rows. */
static int read_chunk(cf_csv_reader *r, cf_table **out, int always)
{
	int rc;

	*out = NULL;
	if (r->failed)
		return reader_replay(r);
	while (!r->done && r->nrows < r->chunk_rows) {
		if ((rc = next_data_row(r)) < 0)
			return rc;
		if (rc == ROW_END) {
			r->done = 1;
			break;
		}
		if ((rc = chunk_reserve(r)) < 0 || (rc = convert_row(r)) < 0)
			return rc;
	}
	if (r->nrows == 0 && !always)
		return CF_OK;
	return chunk_finish(r, out);
}

/* ---- recycling ---- */

/* Of a held spare buffer and an offered one, keep the larger and free the other; returns the one kept. */
static void *keep_larger(cf_context *ctx, void *have, size_t *have_bytes, void *offered, size_t offered_bytes)
{
	if (offered_bytes <= *have_bytes) {
		cf__free(ctx, offered);
		return have;
	}
	cf__free(ctx, have);
	*have_bytes = offered_bytes;
	return offered;
}

/* Bytes of a string column's arena known to be allocated: through the end of its furthest entry (every
 * entry points into the arena). 0 when unknown. */
static size_t arena_known_bytes(const cf__column *tc)
{
	const uintptr_t base = (uintptr_t)tc->dict_arena;
	const char *last = NULL;
	size_t i;

	if (tc->dict_arena == NULL || tc->dict == NULL)
		return 0;
	for (i = 0; i < tc->dict_size; i++) {
		if ((uintptr_t)tc->dict[i] < base)
			return 0;
		if (last == NULL || (uintptr_t)tc->dict[i] > (uintptr_t)last)
			last = tc->dict[i];
	}
	return last ? (size_t)((uintptr_t)last - base) + strlen(last) + 1 : 0;
}

/* The reader is between chunks with more to read and nothing to reuse yet, and the chunk has its context and
 * schema, and owned values. Only sizes the table proves are trusted: `length` values, a bitmap of that many
 * rows, dict_size pointers, and the arena through its furthest entry. */
static int recyclable(const cf_csv_reader *r, const cf_table *t)
{
	size_t c;

	if (r->failed || r->done || r->nrows != 0 || r->rows_cap != 0 || t->ctx != r->ctx || t->ncols != r->ncols ||
		t->num_rows == 0)
		return 0;
	for (c = 0; c < t->ncols; c++) {
		const cf__column *tc = &t->cols[c];
		if (tc->type != r->cols[c].type || strcmp(tc->name, r->cols[c].name) != 0 || tc->length != t->num_rows ||
			tc->owned_values == NULL || tc->owned_values != tc->values)
			return 0;
	}
	return 1;
}

void cf__csv_recycle(cf_csv_reader *r, cf_table *t)
{
	size_t c;

	if (t == NULL)
		return;
	if (r == NULL || !recyclable(r, t)) {
		cf_table_free(t);
		return;
	}
	for (c = 0; c < r->ncols; c++) {
		csv_column *col = &r->cols[c];
		cf__column *tc = &t->cols[c];

		/* Taken buffers leave the table, so that cf_table_free() below frees only the rest. */
		col->values = tc->owned_values;
		tc->owned_values = NULL;
		if (tc->owned_validity != NULL && tc->owned_validity == tc->validity) {
			col->spare_validity = keep_larger(r->ctx, col->spare_validity, &col->spare_validity_bytes,
				tc->owned_validity, CF_BITMAP_BYTES(t->num_rows));
			tc->owned_validity = NULL;
		}
		if (col->type == CF_TYPE_STRING) {
			size_t arena_bytes = arena_known_bytes(tc);
			if (arena_bytes > 0) {
				col->dict.arena = keep_larger(r->ctx, col->dict.arena, &col->dict.arena_cap, tc->dict_arena,
					arena_bytes);
				tc->dict_arena = NULL;
			}
			col->spare_dict = keep_larger(r->ctx, col->spare_dict, &col->spare_dict_bytes, (void *)tc->dict,
				tc->dict_size * sizeof(*tc->dict));
			tc->dict = NULL;
		}
	}
	/* Every column's values hold num_rows rows: the next chunk starts there without allocating. */
	r->rows_cap = t->num_rows;
	cf_table_free(t);
}

/* ---- header, schema, inference ---- */

static int name_taken(const cf_csv_reader *r, size_t upto, const char *name)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (strcmp(r->cols[i].name, name) == 0)
			return 1;
	return 0;
}

/* Column names from the header row: empty ones become "Unnamed: i" and repeats "a.1", "a.2" (as pandas). */
static int names_from_header(cf_csv_reader *r)
{
	size_t c;
	int rc;

	for (c = 0; c < r->ncols; c++) {
		char *s = (char *)r->buf + r->tok[c].off, *name;
		size_t n, k;

		if ((rc = field_prepare(r, c, s, &n)) < 0)
			return rc;
		if (n == 0) {
			char tmp[40];
			snprintf(tmp, sizeof(tmp), "Unnamed: %zu", c);
			name = cf__strdup(r->ctx, tmp);
			n = strlen(tmp);
		} else {
			name = cf__malloc(r->ctx, n + 1, "column name");
			if (name != NULL) {
				memcpy(name, s, n);
				name[n] = '\0';
			}
		}
		if (name == NULL)
			return reader_broken(r, CF_ENOMEM);
		for (k = 1; name_taken(r, c, name); k++) {
			char *alt = cf__malloc(r->ctx, n + 24, "column name");
			if (alt == NULL) {
				cf__free(r->ctx, name);
				return reader_broken(r, CF_ENOMEM);
			}
			snprintf(alt, n + 24, "%s.%zu", name, k);
			if (!name_taken(r, c, alt)) {
				cf__free(r->ctx, name);
				name = alt;
				break;
			}
			cf__free(r->ctx, alt);
		}
		r->cols[c].name = name;
	}
	return CF_OK;
}

static int columns_alloc(cf_csv_reader *r, size_t ncols)
{
	r->cols = cf__calloc(r->ctx, ncols, sizeof(*r->cols), "CSV columns");
	if (r->cols == NULL)
		return reader_broken(r, CF_ENOMEM);
	if (r->tok_cap < ncols) {
		csv_token *t = cf__realloc(r->ctx, r->tok, ncols * sizeof(*t), "CSV fields");
		if (t == NULL)
			return reader_broken(r, CF_ENOMEM);
		r->tok = t;
		r->tok_cap = ncols;
	}
	r->ncols = ncols;
	return CF_OK;
}

static int read_header(cf_csv_reader *r, const cf_csv_options *o)
{
	size_t c, nf;
	int rc;

	if (!o->header) {
		if ((rc = columns_alloc(r, o->names_count)) < 0)
			return rc;
		for (c = 0; c < r->ncols; c++)
			if ((r->cols[c].name = cf__strdup(r->ctx, o->names[c])) == NULL)
				return reader_broken(r, CF_ENOMEM);
		return CF_OK;
	}
	if ((rc = next_row(r)) < 0)
		return rc;
	if (rc == ROW_END)
		return csv_fail(r, CF_EFORMAT, 0, 0, "empty file: no header row");
	nf = r->nf;
	if (o->names != NULL && o->names_count != nf)
		return csv_fail(r, CF_EINVAL, r->row_line, 0, "the header has %zu fields but %zu names were given", nf,
			o->names_count);
	/* ncols is set only now: while it is 0 the tokenizer grows the token array for the header. */
	if ((rc = columns_alloc(r, nf)) < 0)
		return rc;
	if (o->names == NULL)
		return names_from_header(r);
	for (c = 0; c < nf; c++)
		if ((r->cols[c].name = cf__strdup(r->ctx, o->names[c])) == NULL)
			return reader_broken(r, CF_ENOMEM);
	return CF_OK;
}

static int scratch_reserve(cf_csv_reader *r, size_t n)
{
	char *s;

	if (n <= r->scratch_cap)
		return CF_OK;
	s = cf__realloc(r->ctx, r->scratch, n, "CSV field");
	if (s == NULL)
		return reader_broken(r, CF_ENOMEM);
	r->scratch = s;
	r->scratch_cap = n;
	return CF_OK;
}

/* Read the whole input from the start again, skipping the header (inference over all rows). */
static int rewind_input(cf_csv_reader *r, int header)
{
	int rc;

	if (r->path != NULL) {
		cf_reader_free(r->in);
		r->in = NULL;
		if ((rc = cf_reader_open(&r->in, r->ctx, r->path)) < 0)
			return reader_broken(r, rc);
	}
	r->mem_pos = 0;
	r->in_eof = 0;
	r->len = r->pos = 0;
	r->line = 1;
	buffer_seal(r);
	if (header && (rc = next_row(r)) < 0)
		return rc;
	return CF_OK;
}

static cf_type type_of(const csv_column *col)
{
	if (col->nonnull == 0 || (col->can & CF__CSV_CAN_FLOAT && !(col->can & CF__CSV_CAN_INT)))
		return CF_TYPE_FLOAT64;
	if (col->can & CF__CSV_CAN_INT)
		return CF_TYPE_INT64;
	if (col->can & CF__CSV_CAN_BOOL)
		return CF_TYPE_BOOL;
	if (col->can & CF__CSV_CAN_TS)
		return CF_TYPE_TIMESTAMP;
	return CF_TYPE_STRING;
}

/* Sample rows to settle the column types, then rewind to the first data row. */
static int infer_types(cf_csv_reader *r, int header)
{
	size_t rows = 0, c;
	uint64_t data_line = r->line;
	int rc;

	for (c = 0; c < r->ncols; c++)
		r->cols[c].can = CF__CSV_CAN_ALL;
	r->keep = r->infer_rows != 0;
	r->keep_from = r->pos;
	while (r->infer_rows == 0 || rows < r->infer_rows) {
		if ((rc = next_data_row(r)) < 0)
			return rc;
		if (rc == ROW_END)
			break;
		rows++;
		for (c = 0; c < r->ncols; c++) {
			const csv_token *t = &r->tok[c];
			csv_column *col = &r->cols[c];
			char *s = (char *)r->buf + t->off;
			size_t n = t->len;
			if (t->flags) {
				/* The sample is parsed again later, so its bytes must stay as read. The +1: parsing may
				 * NUL-terminate in place. */
				if ((rc = scratch_reserve(r, n + 1)) < 0 || (rc = field_prepare(r, c, r->scratch, &n)) < 0)
					return rc;
				s = r->scratch;
			}
			if (is_na(r, s, n))
				continue;
			col->nonnull++;
			if (col->can != 0)
				col->can &= cf__csv_classify(s, n, col->can);
		}
	}
	r->sample_rows = rows;
	r->inferred = 1;
	for (c = 0; c < r->ncols; c++)
		r->cols[c].type = type_of(&r->cols[c]);
	if (r->infer_rows == 0)
		return rewind_input(r, header);
	r->pos = r->keep_from;
	r->line = data_line;
	r->keep = 0;
	return CF_OK;
}

/* ---- opening ---- */

/* Copy what the reader needs from the options (the caller's arrays are not kept). */
static int reader_new(cf_csv_reader **out, cf_context *ctx, const cf_csv_options *o, const char *source)
{
	static const char *const default_na[] = {"", "NA", "?"};
	const char *const *na = o->na_values ? o->na_values : default_na;
	size_t na_count = o->na_values ? o->na_count : 3, i;
	cf_csv_reader *r = cf__calloc(ctx, 1, sizeof(*r), "CSV reader");

	*out = r;
	if (r == NULL)
		return CF_ENOMEM;
	r->ctx = ctx;
	r->line = 1;
	r->delim = (unsigned char)o->delimiter;
	r->quote = (unsigned char)o->quote;
	r->skip_space = o->skip_initial_space != 0;
	r->chunk_rows = o->chunk_rows;
	r->max_field = o->max_field_bytes;
	r->infer_rows = o->infer_rows;
	r->source = cf__strdup(ctx, o->source_name ? o->source_name : source);
	if (r->source == NULL)
		return CF_ENOMEM;
	if (na_count > 0) {
		r->na = cf__calloc(ctx, na_count, sizeof(*r->na), "NA tokens");
		r->na_len = cf__calloc(ctx, na_count, sizeof(*r->na_len), "NA tokens");
		if (r->na == NULL || r->na_len == NULL)
			return CF_ENOMEM;
		r->na_count = na_count;
		for (i = 0; i < na_count; i++) {
			if ((r->na[i] = cf__strdup(ctx, na[i])) == NULL)
				return CF_ENOMEM;
			r->na_len[i] = strlen(na[i]);
			if (r->na_len[i] > r->na_maxlen)
				r->na_maxlen = r->na_len[i];
		}
	}
	/* Bytes that stop a scan: the sentinel '\n', NUL (an error), and bytes >= 0x80 (to be validated). */
	for (i = 0x80; i < 256; i++)
		r->ucls[i] = r->qcls[i] = 1;
	r->ucls['\n'] = r->qcls['\n'] = 1;
	r->ucls[0] = r->qcls[0] = 1;
	r->ucls[r->delim] = 1;
	r->qcls[r->quote] = 1;
	return CF_OK;
}

/* Hash maps for the string columns, once the types are settled. */
static int dicts_alloc(cf_csv_reader *r)
{
	size_t c;

	for (c = 0; c < r->ncols; c++)
		if (r->cols[c].type == CF_TYPE_STRING && dict_rehash(r->ctx, &r->cols[c].dict, 64) < 0)
			return reader_broken(r, CF_ENOMEM);
	return CF_OK;
}

/* Read the header and settle the schema; the reader is then positioned at the first data row. */
static int reader_start(cf_csv_reader *r, const cf_csv_options *o, size_t buf_size)
{
	size_t c;
	int rc;

	r->cap = buf_size;
	r->buf = cf__malloc(r->ctx, r->cap + 1 + CSV_PAD, "CSV buffer");
	if (r->buf == NULL)
		return reader_broken(r, CF_ENOMEM);
	buffer_seal(r);
	if ((rc = read_header(r, o)) < 0)
		return rc;
	if (o->types != NULL) {
		if (o->types_count != r->ncols)
			return csv_fail(r, CF_EINVAL, 0, 0, "%zu types were given for %zu columns", o->types_count,
				r->ncols);
		for (c = 0; c < r->ncols; c++)
			r->cols[c].type = o->types[c];
	} else if ((rc = infer_types(r, o->header)) < 0) {
		return rc;
	}
	return dicts_alloc(r);
}

static int open_common(cf_csv_reader **out, cf_csv_reader *r, int rc, const cf_csv_options *o, size_t buf_size)
{
	if (rc == CF_OK)
		rc = reader_start(r, o, buf_size);
	if (rc < 0) {
		cf_csv_free(r);
		return rc;
	}
	*out = r;
	return CF_OK;
}

int cf_csv_open(cf_csv_reader **out, cf_context *ctx, const char *path, const cf_csv_options *opts)
{
	static const cf_csv_options defaults = CF_CSV_OPTIONS_INIT;
	const cf_csv_options *o = opts ? opts : &defaults;
	int is_stdin, rc;
	cf_csv_reader *r = NULL;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(path);
	if ((rc = cf__csv_options_check(o, CSV_MAX_COLUMNS)) < 0)
		return rc;
	is_stdin = strcmp(path, "-") == 0;
	if (is_stdin && o->infer_rows == 0 && o->types == NULL)
		return cf__error_set(CF_EINVAL, "cf_csv_options.infer_rows: 0 (the whole input) needs a file read twice, "
			"not standard input; give a sample size or the types");
	rc = reader_new(&r, ctx, o, is_stdin ? "<stdin>" : path);
	if (rc == CF_OK && (r->path = cf__strdup(ctx, path)) == NULL)
		rc = CF_ENOMEM;
	if (rc == CF_OK)
		rc = cf_reader_open(&r->in, ctx, path);
	if (r == NULL)
		return rc;
	return open_common(out, r, rc, o, CSV_BUF_SIZE);
}

int cf_csv_open_memory(cf_csv_reader **out, cf_context *ctx, const void *data, size_t len,
	const cf_csv_options *opts)
{
	static const cf_csv_options defaults = CF_CSV_OPTIONS_INIT;
	const cf_csv_options *o = opts ? opts : &defaults;
	size_t buf_size = len / 4;
	cf_csv_reader *r = NULL;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (len > 0)
		CF__CHECK_ARG(data);
	if ((rc = cf__csv_options_check(o, CSV_MAX_COLUMNS)) < 0)
		return rc;
	rc = reader_new(&r, ctx, o, "<memory>");
	if (r == NULL)
		return rc;
	r->mem = data;
	r->mem_len = len;
	/* Small input, small buffer. A quarter of it, so that carrying a partial row over to the next fill is
	 * exercised by small inputs too (tests, fuzzing), at the cost of a few refills. */
	buf_size = buf_size < CSV_BUF_MIN ? CSV_BUF_MIN : buf_size > CSV_BUF_SIZE ? CSV_BUF_SIZE : buf_size;
	return open_common(out, r, rc, o, buf_size);
}

/* ---- accessors ---- */

size_t cf_csv_num_columns(const cf_csv_reader *r)
{
	return r ? r->ncols : 0;
}

const char *cf_csv_column_name(const cf_csv_reader *r, size_t index)
{
	return r && index < r->ncols ? r->cols[index].name : NULL;
}

cf_type cf_csv_column_type(const cf_csv_reader *r, size_t index)
{
	return r && index < r->ncols ? r->cols[index].type : (cf_type)0;
}

size_t cf_csv_rows_read(const cf_csv_reader *r)
{
	return r ? r->rows_read : 0;
}

int cf_csv_next(cf_table **out, cf_csv_reader *r)
{
	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(r);
	return read_chunk(r, out, 0);
}

void cf_csv_free(cf_csv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->cols != NULL && i < r->ncols; i++) {
		cf__free(r->ctx, r->cols[i].name);
		cf__free(r->ctx, r->cols[i].values);
		cf__free(r->ctx, r->cols[i].validity);
		cf__free(r->ctx, r->cols[i].spare_validity);
		cf__free(r->ctx, r->cols[i].spare_dict);
		dict_free(r->ctx, &r->cols[i].dict);
	}
	cf__free(r->ctx, r->cols);
	for (i = 0; i < r->na_count; i++)
		cf__free(r->ctx, r->na[i]);
	cf__free(r->ctx, r->na);
	cf__free(r->ctx, r->na_len);
	cf__free(r->ctx, r->tok);
	cf__free(r->ctx, r->scratch);
	cf__free(r->ctx, r->buf);
	cf__free(r->ctx, r->source);
	cf__free(r->ctx, r->path);
	cf_reader_free(r->in);
	cf__free(r->ctx, r);
}

int cf_csv_read_all(cf_table **out, cf_context *ctx, const char *path, const cf_csv_options *opts)
{
	cf_csv_options o;
	cf_csv_reader *r = NULL;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts != NULL)
		o = *opts;
	else
		cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION);
	o.chunk_rows = SIZE_MAX; /* one chunk: its dictionaries span the file */
	if ((rc = cf_csv_open(&r, ctx, path, &o)) < 0)
		return rc;
	rc = read_chunk(r, out, 1);
	cf_csv_free(r);
	return rc;
}
