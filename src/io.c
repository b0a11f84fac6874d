/* Streaming input. libarchive's raw format reads plain, zstd, xz and bzip2 files through one code path (each
 * of those verifies its own checksums). gzip goes through zlib instead, because libarchive's gzip filter does
 * not check the CRC-32 and length trailer, and a silently corrupted dataset must never get a digest. */
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
	struct archive *ar; /* plain, zstd, xz, bzip2 and stdin */
	gzFile gz;          /* gzip files */
	int fd;             /* owned, -1 when none (stdin is not ours to close) */
	char *path;
	cf_compression compression;
	int eof;
};

static cf_compression compression_of(struct archive *ar)
{
	switch (archive_filter_code(ar, 0)) {
	case ARCHIVE_FILTER_NONE: return CF_COMPRESSION_NONE;
	case ARCHIVE_FILTER_GZIP: return CF_COMPRESSION_GZIP;
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

static int archive_fail(cf_reader *r, int code, const char *what)
{
	const char *msg = r->ar ? archive_error_string(r->ar) : NULL;
	int err = r->ar ? archive_errno(r->ar) : 0;

	/* An operating-system read failure is I/O, not bad content. */
	if (err == EIO || err == EACCES || err == ENOSPC || err == ESTALE)
		code = CF_EIO;
	if (msg == NULL)
		msg = "corrupt or truncated data";
	return cf__error_set(code, "%s: %s: %s", r->path, what, msg);
}

static int is_gzip(int fd)
{
	unsigned char magic[2];
	return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

static int open_gzip(cf_reader *r)
{
	int dupfd = dup(r->fd); /* gzclose closes the descriptor it was given */

	if (dupfd < 0 || (r->gz = gzdopen(dupfd, "rb")) == NULL) {
		if (dupfd >= 0)
			close(dupfd);
		return cf__error_set(CF_ENOMEM, "%s: cannot start gzip decompression", r->path);
	}
	gzbuffer(r->gz, CF__READ_BLOCK);
	r->compression = CF_COMPRESSION_GZIP;
	return CF_OK;
}

static int open_archive(cf_reader *r, int fd)
{
	struct archive_entry *entry;
	int rc;

	if ((r->ar = archive_read_new()) == NULL)
		return cf__error_oom("cf_reader");
	/* An explicit list: filter_all would also enable filters that run external programs (lrzip, lzop). */
	archive_read_support_filter_gzip(r->ar); /* stdin only; files take the zlib path */
	archive_read_support_filter_zstd(r->ar);
	archive_read_support_filter_xz(r->ar);
	archive_read_support_filter_bzip2(r->ar);
	archive_read_support_format_raw(r->ar);
	archive_read_support_format_empty(r->ar); /* raw refuses input that decompresses to nothing */
	if (archive_read_open_fd(r->ar, fd, CF__READ_BLOCK) != ARCHIVE_OK)
		return archive_fail(r, CF_EFORMAT, "cannot read");
	rc = archive_read_next_header(r->ar, &entry);
	if (rc == ARCHIVE_EOF)
		r->eof = 1;
	else if (rc < ARCHIVE_WARN)
		return archive_fail(r, CF_EFORMAT, "cannot read");
	r->compression = compression_of(r->ar);
	return CF_OK;
}

int cf_reader_open(cf_reader **out, cf_context *ctx, const char *path)
{
	cf_reader *r;
	int stdin_input, rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(path);
	stdin_input = strcmp(path, "-") == 0;

	r = cf__calloc(ctx, 1, sizeof(*r), "cf_reader");
	if (r == NULL)
		return CF_ENOMEM;
	r->ctx = ctx;
	r->fd = -1;
	r->path = cf__strdup(ctx, stdin_input ? "<stdin>" : path);
	if (r->path == NULL) {
		cf_reader_free(r);
		return CF_ENOMEM;
	}
	if (stdin_input) {
		rc = open_archive(r, STDIN_FILENO);
	} else {
		struct stat st;
		/* Open it ourselves so a missing or unreadable file is told apart from malformed content. */
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			rc = cf__error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: cannot open: %s", path,
				strerror(errno));
		else if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode))
			rc = cf__error_set(CF_EIO, "%s: is a directory, not a file", path);
		else
			rc = is_gzip(r->fd) ? open_gzip(r) : open_archive(r, r->fd);
	}
	if (rc < 0) {
		cf_reader_free(r);
		return rc;
	}
	*out = r;
	return CF_OK;
}

/* gzerror() prefixes its message with "<fd:N>: "; our message names the file instead. */
static const char *gz_message(gzFile gz, int *zerr)
{
	const char *msg = gzerror(gz, zerr), *colon;

	if (msg != NULL && msg[0] == '<' && (colon = strstr(msg, ">: ")) != NULL)
		msg = colon + 3;
	return msg && msg[0] ? msg : "unknown zlib error";
}

static int gzip_read(size_t *nread_out, cf_reader *r, void *buf, size_t len)
{
	unsigned int want = len > (1u << 30) ? (1u << 30) : (unsigned int)len;
	int n = gzread(r->gz, buf, want), zerr = Z_OK;
	const char *msg;

	if (n < 0 || (n == 0 && !gzeof(r->gz))) {
		msg = gz_message(r->gz, &zerr);
		return cf__error_set(zerr == Z_ERRNO ? CF_EIO : CF_EFORMAT, "%s: corrupt or truncated gzip data: %s",
			r->path, zerr == Z_ERRNO ? strerror(errno) : msg);
	}
	if (n == 0) {
		/* zlib reports a stream cut short as a clean end with Z_BUF_ERROR pending. */
		msg = gz_message(r->gz, &zerr);
		if (zerr != Z_OK)
			return cf__error_set(CF_EFORMAT, "%s: corrupt or truncated gzip data: %s", r->path, msg);
		r->eof = 1;
	}
	*nread_out = (size_t)n;
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
	if (r->gz != NULL)
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
	if (r->gz != NULL)
		gzclose(r->gz);
	if (r->fd >= 0)
		close(r->fd);
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
