/* Private interface of the CSV reader (csv.c) for other library modules. */
#ifndef CF_SRC_CSV_H
#define CF_SRC_CSV_H

#include "cogniforge/csv.h"

/* Hand a chunk the caller is done with (from cf_csv_next()) back to the reader, which takes ownership of it:
 * its column buffers (values, validity, dictionary pointers and arena) build the next chunks instead of new
 * allocations, so a streaming loop does not return memory to the system and fault it in again for every
 * chunk. What the reader cannot reuse is freed, the table shell included. A chunk on another context, with
 * another schema (column names and types) or borrowed values, one offered while the reader still holds an
 * earlier chunk's buffers, or after it failed or read its last row, is just cf_table_free()d: safe, only
 * not reused. NULL chunk: a no-op; NULL reader: the chunk is freed. */
void cf__csv_recycle(cf_csv_reader *reader, cf_table *chunk);

#endif
