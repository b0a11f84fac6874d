/* drift module tests: in progress (issue 7). */
#include <check.h>
#include "cogniforge/cogniforge.h"
#include "check_runner.h"

START_TEST(test_placeholder)
{
	ck_assert_str_eq(cf_type_name(CF_TYPE_INT64), "int64");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("drift");
	TCase *tc = tcase_create("drift");
	tcase_add_test(tc, test_placeholder);
	suite_add_tcase(s, tc);
	return cf_check_run(s);
}
