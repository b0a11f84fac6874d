/* Streaming input with transparent decompression and file summaries (include/cogniforge/io.h). */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#ifndef CF_TEST_DATA_DIR
#error "CF_TEST_DATA_DIR must name the embedded data directory"
#endif

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cf-check-io.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void tmp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

/* Write `data` through a libarchive filter ("gzip", "zstd", ...) or plain (filter NULL). */
static void write_file(const char *path, const char *filter, const void *data, size_t len)
{
	if (filter == NULL) {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(data, 1, len, f), len);
		fclose(f);
		return;
	}
	{
		struct archive *a = archive_write_new();
		struct archive_entry *e = archive_entry_new();
		ck_assert_int_eq(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_set_format_raw(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
		archive_entry_set_pathname(e, "data");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)len);
		ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
		if (len > 0)
			ck_assert_int_eq(archive_write_data(a, data, len), (la_ssize_t)len);
		ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
		archive_entry_free(e);
		archive_write_free(a);
	}
}

static void sha_hex(char hex[65], const void *data, size_t len)
{
	unsigned char d[CF_SHA256_SIZE];
	ck_assert_int_eq(cf_sha256(d, sizeof(d), data, len), CF_OK);
	ck_assert_int_eq(cf_hex_encode(hex, 65, d, sizeof(d)), CF_OK);
}

static const char sample[] = "age,workclass\n39, State-gov\n\n  \n50, Self-emp-not-inc\r\nlast line without newline";

START_TEST(test_summary_each_compression)
{
	static const struct {
		const char *filter;
		cf_compression expect;
	} cases[] = {
		{ NULL, CF_COMPRESSION_NONE }, { "gzip", CF_COMPRESSION_GZIP }, { "zstd", CF_COMPRESSION_ZSTD },
		{ "xz", CF_COMPRESSION_XZ }, { "bzip2", CF_COMPRESSION_BZIP2 },
	};
	char path[300], hex[65];
	size_t i, len = strlen(sample);

	sha_hex(hex, sample, len);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cf_file_summary s;
		tmp_path(path, sizeof(path), cases[i].filter ? cases[i].filter : "plain");
		write_file(path, cases[i].filter, sample, len);
		ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
		ck_assert_int_eq(s.compression, cases[i].expect);
		ck_assert_uint_eq(s.bytes, len);
		ck_assert_uint_eq(s.lines, 6);
		ck_assert_uint_eq(s.blank_lines, 2);
		ck_assert_str_eq(s.sha256_hex, hex);
	}
	ck_assert_str_eq(cf_compression_name(CF_COMPRESSION_ZSTD), "zstd");
	ck_assert_str_eq(cf_compression_name(CF_COMPRESSION_NONE), "none");
}
END_TEST

START_TEST(test_reader_small_chunks)
{
	char path[300], got[sizeof(sample)];
	size_t total = 0, n;
	cf_reader *r = NULL;

	tmp_path(path, sizeof(path), "chunks.zst");
	write_file(path, "zstd", sample, strlen(sample));
	ck_assert_int_eq(cf_reader_open(&r, NULL, path), CF_OK);
	ck_assert_int_eq(cf_reader_compression(r), CF_COMPRESSION_ZSTD);
	do {
		ck_assert_int_eq(cf_reader_read(&n, r, got + total, total + 7 < sizeof(got) ? 7 : sizeof(got) - total), CF_OK);
		total += n;
	} while (n > 0 && total < sizeof(got));
	ck_assert_uint_eq(total, strlen(sample));
	ck_assert_int_eq(memcmp(got, sample, total), 0);
	ck_assert_int_eq(cf_reader_read(&n, r, got, sizeof(got)), CF_OK);
	ck_assert_uint_eq(n, 0); /* stays at end of input */
	cf_reader_free(r);
}
END_TEST

/* Input that cannot be sniffed with a seek: a pipe delivering gzip one byte at a time, two members. */
START_TEST(test_pipe_concatenated_gzip)
{
	char path[300], hex[65], *both;
	size_t len = strlen(sample), glen, i;
	unsigned char gz[512];
	int fds[2];
	pid_t pid;
	cf_file_summary s;
	FILE *f;

	tmp_path(path, sizeof(path), "member.gz");
	write_file(path, "gzip", sample, len);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	glen = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	ck_assert_uint_gt(glen, 18);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < 2 * glen; i++)
			if (write(fds[1], gz + i % glen, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	both = malloc(2 * len);
	ck_assert_ptr_nonnull(both);
	memcpy(both, sample, len);
	memcpy(both + len, sample, len);
	sha_hex(hex, both, 2 * len);
	ck_assert_int_eq(s.compression, CF_COMPRESSION_GZIP);
	ck_assert_uint_eq(s.bytes, 2 * len);
	ck_assert_str_eq(s.sha256_hex, hex);
	free(both);
}
END_TEST

START_TEST(test_empty_and_edge_files)
{
	char path[300];
	cf_file_summary s;

	tmp_path(path, sizeof(path), "empty");
	write_file(path, NULL, "", 0);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	ck_assert_uint_eq(s.bytes, 0);
	ck_assert_uint_eq(s.lines, 0);
	ck_assert_str_eq(s.sha256_hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	tmp_path(path, sizeof(path), "empty.gz");
	write_file(path, "gzip", "", 0);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	ck_assert_uint_eq(s.bytes, 0);
	ck_assert_int_eq(s.compression, CF_COMPRESSION_GZIP);

	tmp_path(path, sizeof(path), "one");
	write_file(path, NULL, "x", 1);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	ck_assert_uint_eq(s.lines, 1);
	ck_assert_uint_eq(s.blank_lines, 0);

	tmp_path(path, sizeof(path), "newlines");
	write_file(path, NULL, "\n\n", 2);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	ck_assert_uint_eq(s.lines, 2);
	ck_assert_uint_eq(s.blank_lines, 2);
}
END_TEST

START_TEST(test_missing_and_directory)
{
	char path[300];
	cf_file_summary s;
	cf_reader *r = (cf_reader *)&s;

	tmp_path(path, sizeof(path), "does-not-exist.csv");
	ck_assert_int_eq(cf_reader_open(&r, NULL, path), CF_ENOTFOUND);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, path));
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_ENOTFOUND);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, tmpdir), CF_EIO);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "directory"));
	ck_assert_int_eq(cf_reader_open(&r, NULL, NULL), CF_EINVAL);
}
END_TEST

START_TEST(test_corrupt_and_truncated)
{
	char path[300], path2[300];
	size_t len = 1 << 20, i;
	unsigned char *big = malloc(len);
	struct stat st;
	cf_file_summary s;
	int rc;

	ck_assert_ptr_nonnull(big);
	for (i = 0; i < len; i++) /* poorly compressible, so the cut lands mid-stream */
		big[i] = (unsigned char)((i * 2654435761u) >> 13);
	tmp_path(path, sizeof(path), "big.gz");
	write_file(path, "gzip", big, len);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(truncate(path, st.st_size / 2), 0);
	rc = cf_file_summarize(&s, NULL, path);
	ck_assert_int_eq(rc, CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, path));

	/* gzip magic followed by garbage */
	tmp_path(path2, sizeof(path2), "garbage.gz");
	write_file(path2, NULL, "\x1f\x8b\x08\x00garbage-garbage-garbage", 27);
	rc = cf_file_summarize(&s, NULL, path2);
	ck_assert_int_eq(rc, CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, path2));

	/* A flipped byte in the CRC-32 trailer: the data inflates fine, only the check catches it. */
	tmp_path(path, sizeof(path), "crc.gz");
	write_file(path, "gzip", sample, strlen(sample));
	{
		FILE *f = fopen(path, "r+b");
		int c;
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fseek(f, -8, SEEK_END), 0);
		c = fgetc(f);
		ck_assert_int_eq(fseek(f, -8, SEEK_END), 0);
		fputc(c ^ 0xff, f);
		fclose(f);
	}
	rc = cf_file_summarize(&s, NULL, path);
	ck_assert_int_eq(rc, CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "crc.gz"));

	/* gzip magic alone, and a zstd frame cut after its header */
	tmp_path(path, sizeof(path), "magic.gz");
	write_file(path, NULL, "\x1f\x8b", 2);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_EFORMAT);
	tmp_path(path, sizeof(path), "cut.zst");
	write_file(path, "zstd", big, len);
	ck_assert_int_eq(truncate(path, 100), 0);
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_EFORMAT);
	free(big);
}
END_TEST

START_TEST(test_embedded_adult)
{
	cf_file_summary s;

	ck_assert_int_eq(cf_file_summarize(&s, NULL, CF_TEST_DATA_DIR "/adult/adult-train.csv.zst"), CF_OK);
	ck_assert_int_eq(s.compression, CF_COMPRESSION_ZSTD);
	ck_assert_uint_eq(s.bytes, 3974305);
	ck_assert_uint_eq(s.lines - s.blank_lines, 32561);
	ck_assert_str_eq(s.sha256_hex, "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d");

	ck_assert_int_eq(cf_file_summarize(&s, NULL, CF_TEST_DATA_DIR "/adult/adult-test.csv.zst"), CF_OK);
	ck_assert_uint_eq(s.bytes, 2003132);
	ck_assert_uint_eq(s.lines - s.blank_lines, 16281);
	ck_assert_uint_eq(s.blank_lines, 1);
	ck_assert_str_eq(s.sha256_hex, "72567b94f5c1a6f8501377dd80f93892c3848ff071cf91ba47e00b0785a28074");
}
END_TEST

static long max_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

START_TEST(test_streaming_memory_is_bounded)
{
	/* 256 MiB decompressed, written and read in a stream: peak RSS must not grow with the file. */
	const size_t chunk = 1 << 20, nchunks = 256;
	char path[300];
	char *line = malloc(chunk);
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	cf_file_summary s;
	long before, after;
	size_t i;

	ck_assert_ptr_nonnull(line);
	for (i = 0; i < chunk; i++)
		line[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
	tmp_path(path, sizeof(path), "huge.zst");
	ck_assert_int_eq(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_set_format_raw(a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	archive_entry_set_pathname(e, "data");
	archive_entry_set_filetype(e, AE_IFREG);
	ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
	for (i = 0; i < nchunks; i++)
		ck_assert_int_eq(archive_write_data(a, line, chunk), (la_ssize_t)chunk);
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_entry_free(e);
	archive_write_free(a);
	free(line);

	before = max_rss_kib();
	ck_assert_int_eq(cf_file_summarize(&s, NULL, path), CF_OK);
	after = max_rss_kib();
	ck_assert_uint_eq(s.bytes, (uint64_t)chunk * nchunks);
	ck_assert_uint_eq(s.lines, (uint64_t)chunk * nchunks / 64);
	ck_assert_int_lt(after - before, 32 * 1024); /* < 32 MiB growth for a 256 MiB input */
}
END_TEST

static Suite *io_suite(void)
{
	Suite *s = suite_create("io");
	TCase *read = tcase_create("Reader and summary");
	TCase *bad = tcase_create("Bad input");
	TCase *data = tcase_create("Embedded data");
	TCase *limits = tcase_create("Limits");

	tcase_add_checked_fixture(read, setup, teardown);
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(read, test_summary_each_compression);
	tcase_add_test(read, test_reader_small_chunks);
	tcase_add_test(read, test_empty_and_edge_files);
	tcase_add_test(read, test_pipe_concatenated_gzip);
	tcase_add_test(bad, test_missing_and_directory);
	tcase_add_test(bad, test_corrupt_and_truncated);
	tcase_add_test(data, test_embedded_adult);
	tcase_add_test(limits, test_streaming_memory_is_bounded);
	tcase_set_timeout(limits, 120);
	suite_add_tcase(s, read);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, data);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return cf_check_run(io_suite());
}
