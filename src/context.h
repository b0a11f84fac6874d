/* Private view of cf_context: allocation and logging helpers every module uses. */
#ifndef CF_SRC_CONTEXT_H
#define CF_SRC_CONTEXT_H

#include "cogniforge/context.h"
#include "common.h"

struct cf_context {
	cf_allocator alloc;
	cf_log_fn log;
	void *log_payload;
	cf_log_level log_level;
	cf_device device;
	int device_index;
	int threads;
};

/* Allocation through the context's hooks. A NULL ctx means the C library allocator, so helpers can be used
 * before a context exists. On failure they return NULL and record CF_ENOMEM naming `what`. */
void *cf__malloc(cf_context *ctx, size_t size, const char *what);
void *cf__calloc(cf_context *ctx, size_t n, size_t size, const char *what);
void *cf__realloc(cf_context *ctx, void *ptr, size_t size, const char *what);
void cf__free(cf_context *ctx, void *ptr);
char *cf__strdup(cf_context *ctx, const char *s);

/* Send a message to the context's log sink, if any and if the level passes. */
void cf__log(const cf_context *ctx, cf_log_level level, const char *fmt, ...) CF__PRINTF(3, 4);

#endif
