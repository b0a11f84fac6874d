/**
 * @file cogniforge/types.h
 * @brief Every opaque handle of the public API, declared in one place.
 */
#ifndef COGNIFORGE_TYPES_H
#define COGNIFORGE_TYPES_H

#include "cogniforge/common.h"

CF_BEGIN_DECL

/** A library context: allocator, log sink and compute device. See context.h. */
typedef struct cf_context cf_context;

/** A streaming reader over a file, decompressing gzip/zstd/xz/bzip2 transparently. See io.h. */
typedef struct cf_reader cf_reader;

CF_END_DECL

#endif /* COGNIFORGE_TYPES_H */
