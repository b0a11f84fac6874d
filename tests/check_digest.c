/* SHA-256 and hex encoding (include/cogniforge/digest.h), against FIPS 180-2 test vectors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

static void hex_of_sha(char hex[65], const void *data, size_t len)
{
	unsigned char d[CF_SHA256_SIZE];

	ck_assert_int_eq(cf_sha256(d, sizeof(d), data, len), CF_OK);
	ck_assert_int_eq(cf_hex_encode(hex, 65, d, sizeof(d)), CF_OK);
}

START_TEST(test_sha256_vectors)
{
	char hex[65];
	char *million;

	hex_of_sha(hex, "abc", 3);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of_sha(hex, "", 0);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of_sha(hex, NULL, 0);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of_sha(hex, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	million = malloc(1000000);
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	hex_of_sha(hex, million, 1000000);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}
END_TEST

START_TEST(test_sha256_bad_arguments)
{
	unsigned char d[CF_SHA256_SIZE];

	ck_assert_int_eq(cf_sha256(NULL, 32, "a", 1), CF_EINVAL);
	ck_assert_int_eq(cf_sha256(d, 31, "a", 1), CF_EINVAL);
	ck_assert_int_eq(cf_sha256(d, 32, NULL, 5), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "NULL"));
}
END_TEST

START_TEST(test_hex_encode)
{
	const unsigned char bytes[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[9];

	ck_assert_int_eq(cf_hex_encode(out, sizeof(out), bytes, 4), CF_OK);
	ck_assert_str_eq(out, "000fa5ff");
	ck_assert_int_eq(cf_hex_encode(out, 8, bytes, 4), CF_EINVAL); /* no room for the NUL */
	ck_assert_int_eq(cf_hex_encode(out, 0, bytes, 0), CF_EINVAL);
	ck_assert_int_eq(cf_hex_encode(out, 1, bytes, 0), CF_OK);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *digest_suite(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("SHA-256 and hex");

	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_sha256_bad_arguments);
	tcase_add_test(tc, test_hex_encode);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_check_run(digest_suite());
}
