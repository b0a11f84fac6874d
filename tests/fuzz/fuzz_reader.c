/* libFuzzer target: arbitrary bytes through the streaming reader (format sniffing, gzip via zlib, and
 * libarchive's zstd/xz/bzip2/raw paths). Any crash, leak, hang or sanitizer report is a bug; errors are fine. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	cf_file_summary s;
	int fd = memfd_create("cf-fuzz", 0);

	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (cf_file_summarize(&s, NULL, path) == CF_OK && s.bytes != size && s.compression == CF_COMPRESSION_NONE)
		__builtin_trap(); /* plain input must come back whole */
	close(fd);
	return 0;
}
