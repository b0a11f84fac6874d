/* cogniforge version: library version, build features and CUDA devices. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

void cmd_version_help(FILE *out)
{
	fprintf(out,
		"Usage: %s version [--json]\n"
		"\n"
		"Print the library version, the features it was built with and the CUDA devices it can use.\n"
		"\n"
		"Options:\n"
		"  --json      machine-readable output\n"
		"  -h, --help  show this help\n",
		cli_prog);
}

static const struct {
	unsigned int bit;
	const char *name;
} feature_names[] = {
	{ CF_FEATURE_THREADS, "threads" },
	{ CF_FEATURE_CUDA, "cuda" },
	{ CF_FEATURE_ZSTD, "zstd" },
	{ CF_FEATURE_GZIP, "gzip" },
};

int cmd_version(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c, ndev, i;
	const char *backend_error;
	unsigned int features = cf_features();
	size_t k;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': cmd_version_help(stdout); return CLI_OK;
		default: return cli_usage_error("version", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("version", "unexpected argument '%s'", argv[optind]);

	ndev = cf_cuda_device_count();
	backend_error = cf_cuda_backend_error();
	if (json) {
		json_t *root = json_object(), *feats = json_array(), *devs = json_array();
		for (k = 0; k < sizeof(feature_names) / sizeof(feature_names[0]); k++)
			if (features & feature_names[k].bit)
				json_array_append_new(feats, json_string(feature_names[k].name));
		for (i = 0; i < ndev; i++) {
			cf_cuda_device_info info;
			if (cf_cuda_device_info_get(&info, i) < 0)
				continue;
			json_array_append_new(devs, json_pack("{s:i, s:s, s:I, s:o, s:i}", "index", i, "name", info.name,
				"memory_bytes", (json_int_t)info.total_memory, "compute_capability",
				json_sprintf("%d.%d", info.compute_major, info.compute_minor), "multiprocessors",
				info.multiprocessors));
		}
		json_object_set_new(root, "version", json_string(cf_version()));
		json_object_set_new(root, "version_number", json_integer(cf_version_number()));
		json_object_set_new(root, "features", feats);
		json_object_set_new(root, "cuda_backend", json_pack("{s:b, s:s}", "loaded", backend_error[0] == '\0',
			"error", backend_error));
		json_object_set_new(root, "cuda_device_count", json_integer(ndev));
		json_object_set_new(root, "cuda_devices", devs);
		return cli_print_json(root);
	}

	printf("cogniforge %s\n", cf_version());
	printf("features:");
	for (k = 0; k < sizeof(feature_names) / sizeof(feature_names[0]); k++)
		if (features & feature_names[k].bit)
			printf(" %s", feature_names[k].name);
	printf("\ncuda backend: %s%s\n", backend_error[0] ? "unavailable: " : "loaded", backend_error);
	printf("cuda devices: %d\n", ndev);
	for (i = 0; i < ndev; i++) {
		cf_cuda_device_info info;
		if (cf_cuda_device_info_get(&info, i) == 0)
			printf("  [%d] %s, %.1f GiB, compute %d.%d, %d SMs\n", i, info.name,
				(double)info.total_memory / (1024.0 * 1024.0 * 1024.0), info.compute_major,
				info.compute_minor, info.multiprocessors);
	}
	return CLI_OK;
}
