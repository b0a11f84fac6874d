/* Streaming input through libarchive's raw format: one code path for plain, gzip, zstd, xz and bzip2 files. */
#include "cogniforge/io.h"

#include <archive.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "context.h"
#include "cogniforge/digest.h"

#define CF__READ_BLOCK (64 * 1024)

struct cf_reader {
	cf_context *ctx;
	struct archive *ar;
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
	const char *msg = archive_error_string(r->ar);
	return cf__error_set(code, "%s: %s: %s", r->path, what, msg ? msg : "unknown libarchive error");
}

int cf_reader_open(cf_reader **out, cf_context *ctx, const char *path)
{
	cf_reader *r;
	struct archive_entry *entry;
	int stdin_input, rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(path);
	stdin_input = strcmp(path, "-") == 0;
	if (!stdin_input) {
		struct stat st;
		if (stat(path, &st) != 0)
			return cf__error_set(errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: cannot open: %s", path,
				strerror(errno));
		if (S_ISDIR(st.st_mode))
			return cf__error_set(CF_EIO, "%s: is a directory, not a file", path);
	}

	r = cf__calloc(ctx, 1, sizeof(*r), "cf_reader");
	if (r == NULL)
		return CF_ENOMEM;
	r->ctx = ctx;
	r->path = cf__strdup(ctx, stdin_input ? "<stdin>" : path);
	r->ar = archive_read_new();
	if (r->path == NULL || r->ar == NULL) {
		cf_reader_free(r);
		return cf__error_oom("cf_reader");
	}
	archive_read_support_filter_all(r->ar);
	archive_read_support_format_raw(r->ar);
	rc = stdin_input ? archive_read_open_fd(r->ar, STDIN_FILENO, CF__READ_BLOCK)
			 : archive_read_open_filename(r->ar, path, CF__READ_BLOCK);
	if (rc != ARCHIVE_OK) {
		rc = archive_fail(r, CF_EIO, "cannot open");
		cf_reader_free(r);
		return rc;
	}
	rc = archive_read_next_header(r->ar, &entry);
	if (rc == ARCHIVE_EOF) {
		r->eof = 1; /* an empty file */
	} else if (rc < ARCHIVE_WARN) {
		rc = archive_fail(r, CF_EFORMAT, "cannot read");
		cf_reader_free(r);
		return rc;
	}
	r->compression = compression_of(r->ar);
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
		for (i = 0; i < n; i++) {
			unsigned char c = buf[i];
			if (c == '\n') {
				out->lines++;
				if (!line_has_text)
					out->blank_lines++;
				in_line = line_has_text = 0;
			} else {
				in_line = 1;
				if (!is_space(c))
					line_has_text = 1;
			}
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
