/**
 * @file cogniforge/common.h
 * @brief Export macros, error codes, the thread-local error record, version and feature queries.
 *
 * Every function that can fail returns an int: 0 (CF_OK) on success or a negative cf_error_code.
 * Detail is in cf_error_last(), which is thread-local: read it on the thread that made the failing call.
 * Unless a header says otherwise, objects are not thread-safe: use one per thread (docs/conventions.md).
 */
#ifndef COGNIFORGE_COMMON_H
#define COGNIFORGE_COMMON_H

#include <stddef.h>

#include "cogniforge/version.h"

#if defined(_WIN32) && !defined(CF_STATIC)
#  if defined(CF_BUILDING)
#    define CF_API __declspec(dllexport)
#  else
#    define CF_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define CF_API __attribute__((visibility("default")))
#else
#  define CF_API
#endif

#ifdef __cplusplus
#  define CF_BEGIN_DECL extern "C" {
#  define CF_END_DECL }
#else
#  define CF_BEGIN_DECL
#  define CF_END_DECL
#endif

CF_BEGIN_DECL

/**
 * Return codes. Only failures a caller can act on get their own code (libgit2 style);
 * everything else is CF_ERROR with a message. Values are stable: bindings mirror them.
 */
typedef enum cf_error_code {
	CF_OK = 0,           /**< success */
	CF_ERROR = -1,       /**< generic or internal failure */
	CF_EINVAL = -2,      /**< invalid argument or options (a caller bug) */
	CF_ENOMEM = -3,      /**< an allocation failed */
	CF_EIO = -4,         /**< reading or writing a file failed */
	CF_EFORMAT = -5,     /**< malformed input data; the message names file, line, column or field */
	CF_ENOTFOUND = -6,   /**< a named file, object or key does not exist */
	CF_EUNSUPPORTED = -7,/**< the feature is not built in or not available (e.g. CUDA) */
	CF_EVERSION = -8     /**< an options struct or file has a version this library does not know */
} cf_error_code;

/** The last error on the calling thread. */
typedef struct cf_error {
	const char *message; /**< never NULL; "" after cf_error_clear() */
	int code;            /**< the cf_error_code that was returned, CF_OK when none */
} cf_error;

/**
 * The last error recorded on this thread.
 * @return a borrowed pointer, never NULL, valid until the next cogniforge call on this thread.
 */
CF_API const cf_error *cf_error_last(void);

/** Forget the last error on this thread. */
CF_API void cf_error_clear(void);

/** A short, constant name for an error code ("CF_EINVAL"); "CF_UNKNOWN" for unknown codes. */
CF_API const char *cf_error_code_name(int code);

/** The library's version string (e.g. "0.1.0"); compare with CF_VERSION_STRING. */
CF_API const char *cf_version(void);

/** The library's version as CF_VERSION_NUMBER computes it. */
CF_API int cf_version_number(void);

/** Bits returned by cf_features(). */
typedef enum cf_feature {
	CF_FEATURE_THREADS = (1u << 0), /**< thread-local error records (always set) */
	CF_FEATURE_CUDA = (1u << 1),    /**< built with the CUDA backend (a device may still be absent) */
	CF_FEATURE_ZSTD = (1u << 2),    /**< zstd-compressed input and artifacts */
	CF_FEATURE_GZIP = (1u << 3)     /**< gzip-compressed input */
} cf_feature;

/** A bitmask of cf_feature values describing how the library was built. */
CF_API unsigned int cf_features(void);

/**
 * The number of CUDA devices usable by this process.
 * @return 0 when the library was built without CUDA, or there is no driver or device; never fails.
 */
CF_API int cf_cuda_device_count(void);

/**
 * Why the CUDA backend is unavailable. The backend (libcogniforge-cuda.so) is loaded on first use; calling
 * this loads it.
 * @return "" when the backend loaded (a device may still be absent: see cf_cuda_device_count()), otherwise
 *         a borrowed one-line reason (built without CUDA, backend or toolkit library not found, ...).
 */
CF_API const char *cf_cuda_backend_error(void);

/** A CUDA device's description. */
typedef struct cf_cuda_device_info {
	char name[256];       /**< e.g. "NVIDIA H100 80GB HBM3" */
	size_t total_memory;  /**< bytes of device memory */
	int compute_major;    /**< compute capability, e.g. 9 */
	int compute_minor;    /**< e.g. 0 */
	int multiprocessors;  /**< streaming multiprocessors */
} cf_cuda_device_info;

/**
 * Describe one CUDA device.
 * @param[out] out the description
 * @param ordinal 0 .. cf_cuda_device_count()-1
 * @return 0, CF_EUNSUPPORTED (built without CUDA), CF_ENOTFOUND (no such device) or CF_ERROR (driver failure)
 */
CF_API int cf_cuda_device_info_get(cf_cuda_device_info *out, int ordinal);

/**
 * A byte buffer the library fills and the caller owns (serialised output: JSON, XML, msgpack). It is allocated
 * with the C library allocator; release it with cf_buf_dispose(), never free(). `ptr` is NUL-terminated, so
 * text output can be used as a C string; `size` excludes that terminator.
 */
typedef struct cf_buf {
	char *ptr;
	size_t size;
} cf_buf;

#define CF_BUF_INIT { NULL, 0 }

/** Free a buffer's memory and reset it to empty. NULL, or an empty buffer, is a no-op. */
CF_API void cf_buf_dispose(cf_buf *buf);

CF_END_DECL

#endif /* COGNIFORGE_COMMON_H */
