/* Streaming input. One input layer reads the file descriptor (a file, a pipe or stdin) into a buffer; the
 * first block is sniffed for the format. gzip is inflated with zlib, which verifies the CRC-32 and length
 * trailer of every member (libarchive's gzip filter does not, and a silently corrupted dataset must never get
 * a digest). zstd, xz and bzip2 go through libarchive's raw format, whose decoders verify their own
 * checksums; plain data passes through it unchanged. */
#include "cogniforge/io.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <openssl/evp.h>

#include "context.h"
#include "cogniforge/digest.h"

#define CF__READ_BLOCK (64 * 1024)

struct cf_reader {
	cf_context *ctx;
	char *path;
	int fd;       /* the input; closed by cf_reader_free() unless it is stdin */
	int owns_fd;
	unsigned char *in; /* input buffer: CF__READ_BLOCK bytes, holding in_len, consumed up to in_pos */
	size_t in_len, in_pos;
	int in_eof;
	struct archive *ar; /* zstd, xz, bzip2, plain */
	z_stream *z;        /* gzip */
	cf_compression compression;
	int eof;
};

static cf_compression compression_of(struct archive *ar)
{
	switch (archive_filter_code(ar, 0)) {
	case ARCHIVE_FILTER_NONE: return CF_COMPRESSION_NONE;
	case ARCHIVE_FILTER_ZSTD: return CF_COMPRESSION_ZSTD;
	case ARCHIVE_FILTER_XZ: return CF_COMPRESSION_XZ;
	case ARCHIVE_FILTER_BZIP2: return CF_COMPRESSION_BZIP2;
	default: return CF_COMPRESSION_OTHER;
	}
}

const char *cf_compression_name(cf_compression c)
{
	switch (c) {
	case CF_COMPRESSION_NONE: return "none";
	case CF_COMPRESSION_GZIP: return "gzip";
	case CF_COMPRESSION_ZSTD: return "zstd";
	case CF_COMPRESSION_XZ: return "xz";
	case CF_COMPRESSION_BZIP2: return "bzip2";
	default: return "other";
	}
}

/* One read(2) into r->in at offset `at`, retried on EINTR: adds to in_len, or sets in_eof. */
static int read_more(cf_reader *r, size_t at)
{
	ssize_t n;

	do
		n = read(r->fd, r->in + at, CF__READ_BLOCK - at);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return cf__error_set(CF_EIO, "%s: read failed: %s", r->path, strerror(errno));
	r->in_len = at + (size_t)n;
	r->in_eof = n == 0;
	return CF_OK;
}

/* Refill the input buffer once it is consumed. Returns 0 (in_eof set at end of input) or CF_EIO. */
static int fill(cf_reader *r)
{
	if (r->in_pos < r->in_len || r->in_eof)
		return CF_OK;
	r->in_pos = 0;
	return read_more(r, 0);
}

/* libarchive pulls its input through the same buffer, so the sniffed first block is not lost. */
static la_ssize_t archive_read_cb(struct archive *ar, void *payload, const void **buf)
{
	cf_reader *r = payload;
	size_t n;

	if (fill(r) < 0) {
		archive_set_error(ar, EIO, "%s", cf_error_last()->message);
		return -1;
	}
	*buf = r->in + r->in_pos;
	n = r->in_len - r->in_pos;
	r->in_pos = r->in_len;
	return (la_ssize_t)n;
}

static int archive_fail(cf_reader *r, int code, const char *what)
{
	const char *msg = archive_error_string(r->ar);

	/* An operating-system read failure is I/O, not bad content. */
	if (archive_errno(r->ar) == EIO)
		code = CF_EIO;
	return cf__error_set(code, "%s: %s: %s", r->path, what, msg ? msg : "corrupt or truncated data");
}

static int open_archive(cf_reader *r)
{
	struct archive_entry *entry;
	int rc;

	if ((r->ar = archive_read_new()) == NULL)
		return cf__error_oom("cf_reader");
	/* An explicit list: filter_all would also enable filters that run external programs (lrzip, lzop). */
	archive_read_support_filter_zstd(r->ar);
	archive_read_support_filter_xz(r->ar);
	archive_read_support_filter_bzip2(r->ar);
	archive_read_support_format_raw(r->ar);
	archive_read_support_format_empty(r->ar); /* raw refuses input that decompresses to nothing */
	if (archive_read_open(r->ar, r, NULL, archive_read_cb, NULL) != ARCHIVE_OK)
		return archive_fail(r, CF_EFORMAT, "cannot read");
	rc = archive_read_next_header(r->ar, &entry);
	if (rc == ARCHIVE_EOF)
		r->eof = 1;
	else if (rc < ARCHIVE_WARN)
		return archive_fail(r, CF_EFORMAT, "cannot read");
	r->compression = compression_of(r->ar);
	return CF_OK;
}

static int open_gzip(cf_reader *r)
{
	r->z = cf__calloc(r->ctx, 1, sizeof(*r->z), "zlib stream");
	if (r->z == NULL)
		return CF_ENOMEM;
	/* 16 + MAX_WBITS: a gzip wrapper, whose CRC-32 and length trailer inflate() verifies. */
	if (inflateInit2(r->z, 16 + MAX_WBITS) != Z_OK) {
		cf__free(r->ctx, r->z);
		r->z = NULL;
		return cf__error_set(CF_ENOMEM, "%s: cannot start gzip decompression", r->path);
	}
	r->compression = CF_COMPRESSION_GZIP;
	return CF_OK;
}

static int gzip_read(size_t *nread_out, cf_reader *r, unsigned char *buf, size_t len)
{
	z_stream *z = r->z;
	int rc, zrc;

	z->next_out = buf;
	z->avail_out = len > (1u << 30) ? (1u << 30) : (uInt)len;
	while (z->avail_out > 0) {
		if ((rc = fill(r)) < 0)
			return rc;
		if (r->in_pos == r->in_len) {
			if (z->total_in == 0 && z->total_out == 0 && r->in_eof) {
				r->eof = 1; /* a member ended exactly at the end of input */
				break;
			}
			return cf__error_set(CF_EFORMAT, "%s: truncated gzip data (input ends inside a member)", r->path);
		}
		z->next_in = r->in + r->in_pos;
		z->avail_in = (uInt)(r->in_len - r->in_pos);
		zrc = inflate(z, Z_NO_FLUSH);
		r->in_pos = r->in_len - z->avail_in;
		if (zrc == Z_STREAM_END) {
			/* Concatenated members (as `cat a.gz b.gz` makes) continue; the end of input ends the stream. */
			inflateReset(z);
			if ((rc = fill(r)) < 0)
				return rc;
			if (r->in_pos == r->in_len && r->in_eof) {
				r->eof = 1;
				break;
			}
			continue;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return cf__error_set(zrc == Z_MEM_ERROR ? CF_ENOMEM : CF_EFORMAT, "%s: corrupt gzip data: %s",
				r->path, z->msg ? z->msg : zError(zrc));
	}
	*nread_out = (size_t)(z->next_out - buf);
	return CF_OK;
}

int cf_reader_open(cf_reader **out, cf_context *ctx, const char *path)
{
	cf_reader *r;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(path);

	r = cf__calloc(ctx, 1, sizeof(*r), "cf_reader");
	if (r == NULL)
		return CF_ENOMEM;
	r->ctx = ctx;
	r->fd = -1;
	r->path = cf__strdup(ctx, strcmp(path, "-") == 0 ? "<stdin>" : path);
	r->in = cf__malloc(ctx, CF__READ_BLOCK, "read buffer");
	if (r->path == NULL || r->in == NULL) {
		cf_reader_free(r);
		return CF_ENOMEM;
	}
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		struct stat st;
		/* Open it ourselves so a missing or unreadable file is told apart from malformed content. */
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			rc = cf__error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: cannot open: %s", path,
				strerror(errno));
			cf_reader_free(r);
			return rc;
		}
		r->owns_fd = 1;
		if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = cf__error_set(CF_EIO, "%s: is a directory, not a file", path);
			cf_reader_free(r);
			return rc;
		}
	}
	/* Sniff: the first read of a pipe may return a single byte, so top up to the 2-byte gzip magic. */
	rc = fill(r);
	while (rc == CF_OK && !r->in_eof && r->in_len < 2)
		rc = read_more(r, r->in_len);
	if (rc == CF_OK) {
		if (r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b)
			rc = open_gzip(r);
		else
			rc = open_archive(r);
	}
	if (rc < 0) {
		cf_reader_free(r);
		return rc;
	}
	*out = r;
	return CF_OK;
}

int cf_reader_read(size_t *nread_out, cf_reader *r, void *buf, size_t len)
{
	la_ssize_t n;

	CF__CHECK_ARG(nread_out);
	*nread_out = 0;
	CF__CHECK_ARG(r);
	if (len > 0)
		CF__CHECK_ARG(buf);
	if (r->eof || len == 0)
		return CF_OK;
	if (r->z != NULL)
		return gzip_read(nread_out, r, buf, len);
	n = archive_read_data(r->ar, buf, len);
	if (n < 0)
		return archive_fail(r, CF_EFORMAT, "corrupt or truncated data");
	if (n == 0)
		r->eof = 1;
	*nread_out = (size_t)n;
	return CF_OK;
}

cf_compression cf_reader_compression(const cf_reader *r)
{
	return r ? r->compression : CF_COMPRESSION_NONE;
}

void cf_reader_free(cf_reader *r)
{
	if (r == NULL)
		return;
	if (r->ar != NULL)
		archive_read_free(r->ar);
	if (r->z != NULL) {
		inflateEnd(r->z);
		cf__free(r->ctx, r->z);
	}
	if (r->owns_fd)
		close(r->fd);
	cf__free(r->ctx, r->in);
	cf__free(r->ctx, r->path);
	cf__free(r->ctx, r);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int cf_file_summarize(cf_file_summary *out, cf_context *ctx, const char *path)
{
	cf_reader *r = NULL;
	EVP_MD_CTX *md = NULL;
	unsigned char *buf = NULL;
	unsigned int mdlen = 0;
	int rc, in_line = 0, line_has_text = 0;

	CF__CHECK_ARG(out);
	memset(out, 0, sizeof(*out));
	if ((rc = cf_reader_open(&r, ctx, path)) < 0)
		return rc;
	out->compression = r->compression;
	buf = cf__malloc(ctx, CF__READ_BLOCK, "read buffer");
	md = EVP_MD_CTX_new();
	if (buf == NULL || md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		rc = buf == NULL ? CF_ENOMEM : cf__error_set(CF_ERROR, "libcrypto: cannot start SHA-256");
		goto done;
	}
	for (;;) {
		size_t n, i;
		if ((rc = cf_reader_read(&n, r, buf, CF__READ_BLOCK)) < 0)
			goto done;
		if (n == 0)
			break;
		if (EVP_DigestUpdate(md, buf, n) != 1) {
			rc = cf__error_set(CF_ERROR, "libcrypto: SHA-256 update failed");
			goto done;
		}
		out->bytes += n;
		/* memchr does the scanning: a line only needs inspecting until its first non-blank byte. */
		for (i = 0; i < n;) {
			const unsigned char *nl;
			if (!line_has_text) {
				while (i < n && is_space(buf[i]))
					i++, in_line = 1;
				if (i == n)
					break;
				if (buf[i] != '\n')
					line_has_text = in_line = 1;
			}
			nl = memchr(buf + i, '\n', n - i);
			if (nl == NULL) {
				in_line = 1;
				break;
			}
			out->lines++;
			if (!line_has_text)
				out->blank_lines++;
			in_line = line_has_text = 0;
			i = (size_t)(nl - buf) + 1;
		}
	}
	if (in_line) {
		out->lines++;
		if (!line_has_text)
			out->blank_lines++;
	}
	if (EVP_DigestFinal_ex(md, out->sha256, &mdlen) != 1 || mdlen != CF_SHA256_SIZE) {
		rc = cf__error_set(CF_ERROR, "libcrypto: SHA-256 finalisation failed");
		goto done;
	}
	rc = cf_hex_encode(out->sha256_hex, sizeof(out->sha256_hex), out->sha256, CF_SHA256_SIZE);
done:
	EVP_MD_CTX_free(md);
	cf__free(ctx, buf);
	cf_reader_free(r);
	return rc;
}
