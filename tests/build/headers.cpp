// Build-only test: the public headers compile as C++ (extern "C", no C-only constructs) and link.
#include <cogniforge/cogniforge.h>

#include <cstring>

int main()
{
	cf_context_options opts = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = nullptr;
	if (std::strcmp(cf_version(), CF_VERSION_STRING) != 0)
		return 1;
	int rc = cf_context_create(&ctx, &opts);
	cf_context_free(ctx);
	return rc == CF_OK ? 0 : 1;
}
