/**
 * @file cogniforge/digest.h
 * @brief SHA-256 digests (OpenSSL libcrypto) for dataset lineage and artifact manifests.
 */
#ifndef COGNIFORGE_DIGEST_H
#define COGNIFORGE_DIGEST_H

#include "cogniforge/common.h"

CF_BEGIN_DECL

/** Bytes in a SHA-256 digest. */
#define CF_SHA256_SIZE 32

/**
 * SHA-256 of a buffer.
 * @param[out] out receives CF_SHA256_SIZE bytes
 * @param out_len the size of `out`; must be at least CF_SHA256_SIZE
 * @param data the bytes to hash (may be NULL when len is 0)
 * @param len number of bytes
 * @return 0, CF_EINVAL, or CF_ERROR if libcrypto fails
 */
CF_API int cf_sha256(unsigned char *out, size_t out_len, const void *data, size_t len);

/**
 * Lower-case hex of a byte string.
 * @param[out] out receives 2*len characters and a NUL
 * @param out_len the size of `out`; must be at least 2*len+1
 * @return 0 or CF_EINVAL
 */
CF_API int cf_hex_encode(char *out, size_t out_len, const unsigned char *data, size_t len);

CF_END_DECL

#endif /* COGNIFORGE_DIGEST_H */
