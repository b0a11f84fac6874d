/* Private helpers shared by every module: error recording and small utilities. Never installed. */
#ifndef CF_SRC_COMMON_H
#define CF_SRC_COMMON_H

#include "cogniforge/common.h"
#include "cf_config.h"

#if defined(__GNUC__)
#  define CF__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define CF__PRINTF(f, a)
/* Grow-on-demand text/byte buffer for cf_buf outputs (C library allocator, always NUL-terminated).
 * Functions return 0 or CF_ENOMEM (recorded). */
int cf__buf_grow(cf_buf *buf, size_t extra);
int cf__buf_put(cf_buf *buf, const void *data, size_t len);
int cf__buf_puts(cf_buf *buf, const char *s);
int cf__buf_printf(cf_buf *buf, const char *fmt, ...) CF__PRINTF(2, 3);

#endif

#define CF__STR2(x) #x
#define CF__STR(x) CF__STR2(x)

/* Record `code` and a formatted message in the thread-local error; returns `code` so callers can
 * `return cf__error_set(CF_EINVAL, "...")`. */
int cf__error_set(int code, const char *fmt, ...) CF__PRINTF(2, 3);

/* Record CF_ENOMEM with what was being allocated. */
int cf__error_oom(const char *what);

/* Require a non-NULL argument; records CF_EINVAL naming the function and argument. */
#define CF__CHECK_ARG(arg) \
	do { \
		if ((arg) == NULL) \
			return cf__error_set(CF_EINVAL, "%s: argument '%s' must not be NULL", __func__, #arg); \
	} while (0)

/* Validate the version field of a public options struct (V1). */
int cf__options_version_check(unsigned int version, unsigned int max_version, const char *type_name);

/* Grow-on-demand text/byte buffer for cf_buf outputs (C library allocator, always NUL-terminated).
 * Functions return 0 or CF_ENOMEM (recorded). */
int cf__buf_grow(cf_buf *buf, size_t extra);
int cf__buf_put(cf_buf *buf, const void *data, size_t len);
int cf__buf_puts(cf_buf *buf, const char *s);
int cf__buf_printf(cf_buf *buf, const char *fmt, ...) CF__PRINTF(2, 3);

#endif
