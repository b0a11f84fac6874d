/* SHA-256 through OpenSSL's EVP interface (one-shot). */
#include "cogniforge/digest.h"

#include <openssl/evp.h>

#include "common.h"

int cf_sha256(unsigned char *out, size_t out_len, const void *data, size_t len)
{
	unsigned int mdlen = 0;
	static const unsigned char empty = 0;

	CF__CHECK_ARG(out);
	if (out_len < CF_SHA256_SIZE)
		return cf__error_set(CF_EINVAL, "cf_sha256: output buffer holds %zu bytes, needs %d", out_len,
			CF_SHA256_SIZE);
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_sha256: data is NULL but len is %zu", len);
	if (EVP_Digest(data ? data : &empty, len, out, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != CF_SHA256_SIZE)
		return cf__error_set(CF_ERROR, "cf_sha256: libcrypto failed");
	return CF_OK;
}

int cf_hex_encode(char *out, size_t out_len, const unsigned char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	CF__CHECK_ARG(out);
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_hex_encode: data is NULL but len is %zu", len);
	if (out_len == 0 || len > (out_len - 1) / 2)
		return cf__error_set(CF_EINVAL, "cf_hex_encode: output buffer holds %zu bytes, needs %zu", out_len,
			2 * len + 1);
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
	return CF_OK;
}
