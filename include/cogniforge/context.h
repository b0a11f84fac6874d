/**
 * @file cogniforge/context.h
 * @brief The library context: per-context allocator hooks, an optional log sink, and the compute device.
 *
 * A context is not thread-safe; create one per thread. There is no global init: CUDA is initialised lazily
 * when a context asks for it.
 */
#ifndef COGNIFORGE_CONTEXT_H
#define COGNIFORGE_CONTEXT_H

#include "cogniforge/types.h"

CF_BEGIN_DECL

/**
 * Allocator hooks (zstd's ZSTD_customMem shape, plus realloc). All NULL selects the C library allocator;
 * otherwise all three functions must be set. `opaque` is passed back unchanged.
 */
typedef struct cf_allocator {
	void *(*alloc)(void *opaque, size_t size);
	void *(*realloc)(void *opaque, void *ptr, size_t size);
	void (*free)(void *opaque, void *ptr);
	void *opaque;
} cf_allocator;

/** Log severities, most severe first. */
typedef enum cf_log_level {
	CF_LOG_ERROR = 0,
	CF_LOG_WARN = 1,
	CF_LOG_INFO = 2,
	CF_LOG_DEBUG = 3
} cf_log_level;

/** A log sink. The library never prints; messages reach this callback only. */
typedef void (*cf_log_fn)(cf_log_level level, const char *message, void *payload);

/** Which compute device a context uses. */
typedef enum cf_device {
	CF_DEVICE_AUTO = 0, /**< a CUDA device when one is usable, else the CPU; decided on first use */
	CF_DEVICE_CPU = 1,
	CF_DEVICE_CUDA = 2  /**< fail with CF_EUNSUPPORTED when no CUDA device is usable */
} cf_device;

/** Options for cf_context_create(). Fields are only ever appended. */
typedef struct cf_context_options {
	unsigned int version;   /**< CF_CONTEXT_OPTIONS_VERSION */
	cf_device device;       /**< default CF_DEVICE_AUTO */
	int device_index;       /**< CUDA device ordinal, default 0 */
	int threads;            /**< CPU worker threads; 0 = the number of online cores */
	cf_allocator allocator; /**< all NULL = malloc/realloc/free */
	cf_log_level log_level; /**< messages above this level are dropped; default CF_LOG_WARN */
	cf_log_fn log;          /**< NULL = no logging */
	void *log_payload;
} cf_context_options;

#define CF_CONTEXT_OPTIONS_VERSION 1
#define CF_CONTEXT_OPTIONS_INIT { CF_CONTEXT_OPTIONS_VERSION, CF_DEVICE_AUTO, 0, 0, { 0, 0, 0, 0 }, CF_LOG_WARN, 0, 0 }

/**
 * Initialise an options struct to its defaults (for bindings that cannot expand CF_CONTEXT_OPTIONS_INIT).
 * @param[out] opts the struct to fill
 * @param version CF_CONTEXT_OPTIONS_VERSION
 * @return 0, CF_EINVAL for a NULL opts, or CF_EVERSION for an unknown version
 */
CF_API int cf_context_options_init(cf_context_options *opts, unsigned int version);

/**
 * Create a context.
 * @param[out] out the new context, owned by the caller; free it with cf_context_free()
 * @param opts options, or NULL for the defaults
 * @return 0, CF_EINVAL (bad options), CF_EVERSION, CF_ENOMEM, or CF_EUNSUPPORTED (CUDA asked for, none usable)
 */
CF_API int cf_context_create(cf_context **out, const cf_context_options *opts);

/** Free a context. NULL is a no-op. */
CF_API void cf_context_free(cf_context *ctx);

/**
 * The device the context uses: CF_DEVICE_CPU or CF_DEVICE_CUDA, never CF_DEVICE_AUTO.
 * A context created with CF_DEVICE_AUTO resolves on the first call to this function (or the first compute
 * call), loading the CUDA backend only then, so data-only work never pays for it. Not thread-safe, like
 * every other use of a context.
 */
CF_API cf_device cf_context_device(cf_context *ctx);

/** The number of CPU worker threads the context uses (at least 1). */
CF_API int cf_context_threads(const cf_context *ctx);

CF_END_DECL

#endif /* COGNIFORGE_CONTEXT_H */
