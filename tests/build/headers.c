/* Build-only test: the public headers compile under strict C (c99 -pedantic -Werror, gnu90) and link. */
#include <cogniforge/cogniforge.h>

int main(void)
{
	cf_context_options opts = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = 0;
	int rc;

	if (cf_version_number() != CF_VERSION_NUMBER)
		return 1;
	rc = cf_context_create(&ctx, &opts);
	cf_context_free(ctx);
	return rc == CF_OK ? 0 : 1;
}
