/* cogniforge: the command-line face of the library. Subcommands live in cmd_*.c; this file dispatches. */
#include <string.h>

#include "cli.h"

const char *cli_prog = "cogniforge";

static const cli_command commands[] = {
	{ "version", "print version, build features and CUDA devices", cmd_version, cmd_version_help },
	{ "data", "dataset commands: summarize (size, rows, lineage digest)", cmd_data, cmd_data_help },
	{ "validate", "run a Great Expectations suite over a CSV file or merged statistics", cmd_validate,
	  cmd_validate_help },
	{ "profile", "infer an expectation suite from a reference dataset", cmd_profile, cmd_profile_help },
	{ "stats", "mergeable column statistics of a shard: compute, merge, show", cmd_stats, cmd_stats_help },
	{ "evaluate", "classification metrics and group fairness of predictions in a CSV file", cmd_evaluate,
	  cmd_evaluate_help },
	{ "slo", "SLOs: Prometheus rules from a Sloth spec, spec checks, burn-rate evaluation", cmd_slo, cmd_slo_help },
	{ "drift", "data drift of a CSV against a reference (CSV or profile); drift profile", cmd_drift,
	  cmd_drift_help },
	{ "rollout", "rollout decisions: decide (rollback rules), analyze (Argo analysis run)", cmd_rollout,
	  cmd_rollout_help },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void main_help(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: %s [--version] [--help] <command> [options] [args]\n"
		"\n"
		"The quality core of an ML CI/CT/CD platform.\n"
		"\n"
		"Commands:\n",
		cli_prog);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"  %-10s show help for a command\n"
		"\n"
		"Every command accepts --help, and --json for machine-readable output where it prints results.\n"
		"\n"
		"Exit codes:\n"
		"  0  ok\n"
		"  1  a check failed (gate, validation, test)\n"
		"  2  usage error\n"
		"  3  bad input (missing, unreadable or malformed file; unavailable device)\n"
		"  4  internal error\n",
		"help");
}

static const cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const cli_command *cmd;
	const char *name;

	if (argc < 2) {
		main_help(stderr);
		return CLI_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
		main_help(stdout);
		return CLI_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("cogniforge %s\n", cf_version());
		return CLI_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			main_help(stdout);
			return CLI_OK;
		}
		if ((cmd = find_command(argv[2])) == NULL)
			return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
		cmd->help(stdout);
		return CLI_OK;
	}
	if (name[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", name);
	if ((cmd = find_command(name)) == NULL)
		return cli_usage_error(NULL, "unknown command '%s'", name);
	return cmd->run(argc - 1, argv + 1);
}
