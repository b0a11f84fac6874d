/**
 * @file cogniforge/io.h
 * @brief Streaming file input with transparent decompression (gzip, zstd, xz, bzip2 or plain).
 *
 * Readers use bounded memory whatever the file size, so parsers built on them (csv, registry) stream too.
 * Compression is detected from the content. gzip goes through zlib, which verifies the CRC-32 and length
 * trailer; zstd, xz and bzip2 go through libarchive, whose decoders verify their own checksums. Corrupt or
 * truncated input is CF_EFORMAT naming the file, never silently shortened data.
 *
 * A `ctx` argument may be NULL (the C library allocator is used). A reader allocates through its context, so
 * free the reader before the context.
 */
#ifndef COGNIFORGE_IO_H
#define COGNIFORGE_IO_H

#include <stdint.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/** Compression detected on a file (from its content, not its name). */
typedef enum cf_compression {
	CF_COMPRESSION_NONE = 0,
	CF_COMPRESSION_GZIP = 1,
	CF_COMPRESSION_ZSTD = 2,
	CF_COMPRESSION_XZ = 3,
	CF_COMPRESSION_BZIP2 = 4,
	CF_COMPRESSION_OTHER = 5
} cf_compression;

/**
 * Open a file for streaming reads; compressed input is decompressed on the fly.
 * @param[out] out the reader, owned by the caller; free it with cf_reader_free()
 * @param ctx the context whose allocator is used
 * @param path the file; "-" is standard input
 * @return 0, CF_ENOTFOUND, CF_EIO, CF_EFORMAT (corrupt compressed header) or CF_ENOMEM
 */
CF_API int cf_reader_open(cf_reader **out, cf_context *ctx, const char *path);

/**
 * Read up to `len` decompressed bytes.
 * @param[out] nread_out bytes placed in buf; 0 at end of input
 * @return 0, CF_EIO, or CF_EFORMAT for corrupt or truncated compressed data (the message names the file)
 */
CF_API int cf_reader_read(size_t *nread_out, cf_reader *reader, void *buf, size_t len);

/** The compression found on the reader's file. */
CF_API cf_compression cf_reader_compression(const cf_reader *reader);

/** Free a reader and close its file. NULL is a no-op. */
CF_API void cf_reader_free(cf_reader *reader);

/** The lower-case name of a compression ("none", "gzip", "zstd", ...). */
CF_API const char *cf_compression_name(cf_compression compression);

/** What cf_file_summarize() found in one pass over a (possibly compressed) text file. */
typedef struct cf_file_summary {
	uint64_t bytes;            /**< decompressed size */
	uint64_t lines;            /**< newline-terminated lines, plus a final unterminated one */
	uint64_t blank_lines;      /**< lines with nothing but whitespace (e.g. the Adult test file's last line) */
	cf_compression compression;
	unsigned char sha256[32];  /**< SHA-256 of the decompressed bytes: the dataset's lineage digest */
	char sha256_hex[65];       /**< the same, as lower-case hex with a terminating NUL */
} cf_file_summary;

/**
 * Stream a file once, counting bytes and lines and hashing its decompressed content.
 * @param[out] out the summary
 * @return 0 or an error from cf_reader_open() / cf_reader_read()
 */
CF_API int cf_file_summarize(cf_file_summary *out, cf_context *ctx, const char *path);

CF_END_DECL

#endif /* COGNIFORGE_IO_H */
