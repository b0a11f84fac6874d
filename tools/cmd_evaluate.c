/* cogniforge evaluate: classification metrics (metrics.h) and group fairness (fairness.h) of predictions in a
 * CSV file. Metrics are informational: the exit status is 0 whatever they are. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SENSITIVE 16

void cmd_evaluate_help(FILE *out)
{
	fprintf(out,
		"Usage: %s evaluate --data FILE --label COL (--score COL | --pred COL) [options]\n"
		"\n"
		"Classification metrics of predictions in a CSV file and, with --sensitive, the per-group table\n"
		"(count, selection rate, TPR, FPR, PPV, accuracy, ROC AUC) and disparities (demographic parity,\n"
		"equalized odds, equal opportunity, predictive parity, four-fifths rule) for each sensitive column and\n"
		"for their intersection. Undefined values (a group without positives...) print as '-' (null in JSON)\n"
		"with the reason, never as 0.\n"
		"\n"
		"Options:\n"
		"  --data FILE             the predictions ('-' for stdin)\n"
		"  --label COL             the true label column\n"
		"  --score COL             a score column (higher = positive); adds ROC AUC, average precision, log\n"
		"                          loss and Brier score (the last two need scores in [0, 1])\n"
		"  --pred COL              a predicted label column (default: score >= --threshold)\n"
		"  --threshold T           decision threshold on the score (default 0.5)\n"
		"  --pos-label V           the positive class of the label and prediction columns (default 1; for a\n"
		"                          bool column true)\n"
		"  --sensitive A,B,...     sensitive feature columns\n"
		"  --min-group-size N      groups with fewer rows are shown but left out of the disparities\n"
		"  --json                  print JSON instead of tables\n"
		"  -h, --help              show this help\n"
		"\n"
		CLI_CSV_HELP
		"\n"
		"Exit codes: 0 evaluated (the metrics do not gate), 2 usage error, 3 bad input (file, column, values),\n"
		"4 internal error.\n",
		cli_prog);
}

typedef struct ev_col {
	const char *name;
	cf_column_view v;
} ev_col;

static int find_col(ev_col *c, const cf_table *t, const char *name)
{
	size_t i;
	c->name = name;
	if (cf_table_column_index(&i, t, name) != CF_OK) {
		fprintf(stderr, "%s evaluate: error: no column '%s' in the data\n", cli_prog, name);
		return -1;
	}
	return cf_table_column(&c->v, t, i) == CF_OK ? 0 : -1;
}

static int null_error(const ev_col *c, size_t row)
{
	fprintf(stderr, "%s evaluate: error: column '%s' is empty (null) at data row %zu\n", cli_prog, c->name, row + 1);
	return -1;
}

/* 0/1 per row: value == pos_label (numbers compared as numbers, strings as text, bools as true/1). */
static int binarize(uint8_t *out, const ev_col *c, const char *pos)
{
	const cf_column_view *v = &c->v;
	char *end;
	double pd = strtod(pos, &end);
	int pos_num = *pos != '\0' && *end == '\0';
	int pos_true = strcmp(pos, "1") == 0 || strcmp(pos, "true") == 0 || strcmp(pos, "True") == 0;

	if ((v->type == CF_TYPE_INT64 || v->type == CF_TYPE_FLOAT64) && !pos_num) {
		fprintf(stderr, "%s evaluate: error: --pos-label '%s' is not a number but column '%s' is %s\n", cli_prog,
			pos, c->name, cf_type_name(v->type));
		return -1;
	}
	for (size_t i = 0; i < v->length; i++) {
		if (!CF_VALID(v->validity, i))
			return null_error(c, i);
		switch (v->type) {
		case CF_TYPE_BOOL: out[i] = (((const uint8_t *)v->values)[i] != 0) == pos_true; break;
		case CF_TYPE_INT64:
		case CF_TYPE_TIMESTAMP: out[i] = (double)((const int64_t *)v->values)[i] == pd; break;
		case CF_TYPE_FLOAT64: {
			double d = ((const double *)v->values)[i];
			if (d != d)
				return null_error(c, i);
			out[i] = d == pd;
			break;
		}
		case CF_TYPE_STRING: {
			int32_t code = ((const int32_t *)v->values)[i];
			if (code < 0)
				return null_error(c, i);
			out[i] = strcmp(v->dict[code], pos) == 0;
			break;
		}
		}
	}
	return 0;
}

static int scores_of(double *out, const ev_col *c)
{
	const cf_column_view *v = &c->v;
	if (v->type != CF_TYPE_FLOAT64 && v->type != CF_TYPE_INT64 && v->type != CF_TYPE_BOOL) {
		fprintf(stderr, "%s evaluate: error: score column '%s' is %s, not numeric\n", cli_prog, c->name,
			cf_type_name(v->type));
		return -1;
	}
	for (size_t i = 0; i < v->length; i++) {
		if (!CF_VALID(v->validity, i))
			return null_error(c, i);
		out[i] = v->type == CF_TYPE_FLOAT64 ? ((const double *)v->values)[i] :
			v->type == CF_TYPE_INT64 ? (double)((const int64_t *)v->values)[i] : ((const uint8_t *)v->values)[i];
		if (out[i] != out[i])
			return null_error(c, i);
	}
	return 0;
}

/* A sensitive column as codes + labels: string columns as they are, others rendered as text. */
typedef struct ev_feature {
	int32_t *codes;      /* owned unless borrowed */
	char **labels;       /* owned when rendered */
	size_t nlab;
	int owned;
} ev_feature;

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int feature_of(ev_feature *f, cf_fairness_feature *ff, const ev_col *c)
{
	const cf_column_view *v = &c->v;
	size_t n = v->length, i, k = 0;
	int is_f = v->type == CF_TYPE_FLOAT64;
	int64_t *iv = NULL;
	double *dv = NULL;

	memset(f, 0, sizeof *f);
	ff->name = c->name;
	for (i = 0; i < n; i++)
		if (!CF_VALID(v->validity, i) || (v->type == CF_TYPE_STRING && ((const int32_t *)v->values)[i] < 0) ||
			(is_f && ((const double *)v->values)[i] != ((const double *)v->values)[i]))
			return null_error(c, i);
	if (v->type == CF_TYPE_STRING) {
		ff->codes = v->values;
		ff->labels = v->dict;
		ff->num_labels = v->dict_size;
		return 0;
	}
	/* numbers: sorted distinct values, then codes by binary search */
	f->owned = 1;
	f->codes = malloc((n ? n : 1) * sizeof *f->codes);
	if (is_f)
		dv = malloc((n ? n : 1) * sizeof *dv);
	else
		iv = malloc((n ? n : 1) * sizeof *iv);
	if (f->codes == NULL || (is_f ? (void *)dv : (void *)iv) == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		if (is_f)
			dv[i] = ((const double *)v->values)[i];
		else
			iv[i] = v->type == CF_TYPE_BOOL ? ((const uint8_t *)v->values)[i] : ((const int64_t *)v->values)[i];
	}
	if (is_f)
		qsort(dv, n, sizeof *dv, dbl_cmp);
	else
		qsort(iv, n, sizeof *iv, i64_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || (is_f ? dv[i] != dv[k - 1] : iv[i] != iv[k - 1])) {
			if (is_f)
				dv[k++] = dv[i];
			else
				iv[k++] = iv[i];
		}
	f->nlab = k;
	if ((f->labels = calloc(k ? k : 1, sizeof *f->labels)) == NULL)
		goto oom;
	for (i = 0; i < k; i++) {
		char buf[64];
		if (is_f)
			snprintf(buf, sizeof buf, "%.17g", dv[i]);
		else if (v->type == CF_TYPE_BOOL)
			snprintf(buf, sizeof buf, "%s", iv[i] ? "true" : "false");
		else
			snprintf(buf, sizeof buf, "%lld", (long long)iv[i]);
		if ((f->labels[i] = strdup(buf)) == NULL)
			goto oom;
	}
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = k;
		if (is_f) {
			double x = ((const double *)v->values)[i];
			while (hi - lo > 1) {
				size_t mid = (lo + hi) / 2;
				if (dv[mid] <= x) lo = mid; else hi = mid;
			}
		} else {
			int64_t x = v->type == CF_TYPE_BOOL ? ((const uint8_t *)v->values)[i] : ((const int64_t *)v->values)[i];
			while (hi - lo > 1) {
				size_t mid = (lo + hi) / 2;
				if (iv[mid] <= x) lo = mid; else hi = mid;
			}
		}
		f->codes[i] = (int32_t)lo;
	}
	free(dv);
	free(iv);
	ff->codes = f->codes;
	ff->labels = (const char *const *)f->labels;
	ff->num_labels = k;
	return 0;
oom:
	free(dv);
	free(iv);
	fprintf(stderr, "%s evaluate: error: out of memory\n", cli_prog);
	return -2;
}

static void feature_free(ev_feature *f)
{
	if (!f->owned)
		return;
	for (size_t i = 0; f->labels && i < f->nlab; i++)
		free(f->labels[i]);
	free(f->labels);
	free(f->codes);
}

/* ---- metrics -------------------------------------------------------------------------------------------- */

static void metric_put(json_t *m, const char *name, int rc, double v)
{
	json_object_set_new(m, name, rc == CF_OK && isfinite(v) ? json_real(v) : json_null());
	if (rc != CF_OK)
		cf_error_clear();
}

static json_t *metrics_json(const uint8_t *yt, const uint8_t *yp, const double *score, size_t n)
{
	json_t *m = json_object();
	int64_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
	double v = NAN, p = NAN, r = NAN, f1 = NAN;
	unsigned int flags;
	int rc;

	if (m == NULL || a == NULL || b == NULL) {
		free(a);
		free(b);
		json_decref(m);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		a[i] = yt[i];
		b[i] = yp[i];
	}
	rc = cf_accuracy_score(&v, a, b, NULL, n, NULL);
	metric_put(m, "accuracy", rc, v);
	rc = cf_balanced_accuracy_score(&v, &flags, a, b, NULL, n, NULL);
	metric_put(m, "balanced_accuracy", rc, v);
	rc = cf_precision_recall_fscore(&p, &r, &f1, &flags, a, b, NULL, n, NULL);
	metric_put(m, "precision", rc, p);
	metric_put(m, "recall", rc, r);
	metric_put(m, "f1", rc, f1);
	rc = cf_matthews_corrcoef(&v, &flags, a, b, NULL, n);
	metric_put(m, "mcc", rc, v);
	if (score) {
		rc = cf_roc_auc_score(&v, &flags, a, score, CF_SCORE_FLOAT64, NULL, n, NULL);
		metric_put(m, "roc_auc", rc, v);
		rc = cf_average_precision_score(&v, &flags, a, score, CF_SCORE_FLOAT64, NULL, n, NULL);
		metric_put(m, "average_precision", rc, v);
		rc = cf_log_loss(&v, &flags, a, score, 1, NULL, n, NULL);
		metric_put(m, "log_loss", rc, v);
		rc = cf_brier_score_loss(&v, a, score, NULL, n, NULL);
		metric_put(m, "brier", rc, v);
	}
	free(a);
	free(b);
	return m;
}

/* ---- text output ---------------------------------------------------------------------------------------- */

static void print_num(json_t *v, int width)
{
	if (json_is_number(v))
		printf(" %*.4f", width, json_number_value(v));
	else
		printf(" %*s", width, "-");
}

static void print_report(const char *title, json_t *rep)
{
	static const char *const cols[] = { "selection_rate", "true_positive_rate", "false_positive_rate",
		"positive_predictive_value", "accuracy", "roc_auc" };
	static const char *const heads[] = { "sel_rate", "TPR", "FPR", "PPV", "accuracy", "AUC" };
	json_t *groups = json_object_get(rep, "groups"), *g, *d = json_object_get(rep, "disparities");
	size_t i;

	printf("\nby %s:\n  %-24s %8s", title, "group", "count");
	for (i = 0; i < 6; i++)
		printf(" %9s", heads[i]);
	printf("\n");
	json_array_foreach(groups, i, g) {
		json_t *labels = json_object_get(g, "labels"), *l, *und = json_object_get(g, "undefined");
		const char *key;
		char name[256] = "";
		size_t len = 0;
		json_object_foreach(labels, key, l) {
			if (len < sizeof name)
				len += (size_t)snprintf(name + len, sizeof name - len, "%s%s", len ? "," : "",
					json_string_value(l));
		}
		printf("  %-24.24s %8lld", name, (long long)json_integer_value(json_object_get(g, "count")));
		for (size_t k = 0; k < 6; k++)
			print_num(json_object_get(g, cols[k]), 9);
		if (json_is_true(json_object_get(g, "excluded")))
			printf("  (below --min-group-size)");
		if (json_integer_value(json_object_get(g, "count")) == 0) {
			printf("  [empty group]");
		} else if (und) {
			const char *m;
			json_t *why;
			int first = 1;
			json_object_foreach(und, m, why) {
				if (strcmp(m, "roc_auc") == 0 && strcmp(json_string_value(why), "no scores") == 0)
					continue;
				printf("%s%s: %s", first ? "  [" : "; ", m, json_string_value(why));
				first = 0;
			}
			if (!first)
				printf("]");
		}
		printf("\n");
	}
	{
		static const char *const names[][2] = {
			{ "demographic_parity_difference", "demographic parity difference" },
			{ "demographic_parity_ratio", "demographic parity ratio" },
			{ "equalized_odds_difference", "equalized odds difference" },
			{ "equal_opportunity_difference", "equal opportunity difference" },
			{ "predictive_parity_difference", "predictive parity difference" },
		};
		json_t *ff = json_object_get(d, "four_fifths_rule"), *pass = json_object_get(ff, "passes");
		printf("  disparities (between groups / to overall):\n");
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			json_t *x = json_object_get(d, names[i][0]);
			printf("    %-32s", names[i][1]);
			print_num(json_object_get(x, "between_groups"), 8);
			printf(" /");
			print_num(json_object_get(x, "to_overall"), 8);
			printf("\n");
		}
		printf("    %-32s", "four-fifths rule (DI >= 0.8)");
		print_num(json_object_get(ff, "disparate_impact"), 8);
		printf("   %s\n", json_is_true(pass) ? "pass" : json_is_false(pass) ? "FAIL" : "undefined");
	}
}

/* ---- the command ---------------------------------------------------------------------------------------- */

static json_t *fair_report(cf_context *ctx, const uint8_t *yt, const uint8_t *yp, const double *score, size_t n,
	const cf_fairness_feature *ff, size_t nf, uint64_t min_group, double threshold, int *rc_out)
{
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness_data d = { n, yt, yp, score, NULL, ff, nf };
	cf_fairness_report *rep = NULL;
	cf_buf b = CF_BUF_INIT;
	json_t *j = NULL;

	o.min_group_size = min_group;
	o.threshold = threshold;
	*rc_out = cf_fairness_evaluate(&rep, ctx, &d, &o);
	if (*rc_out == CF_OK)
		*rc_out = cf_fairness_report_to_json(&b, rep);
	if (*rc_out == CF_OK)
		j = json_loadb(b.ptr, b.size, 0, NULL);
	cf_buf_dispose(&b);
	cf_fairness_report_free(rep);
	return j;
}

int cmd_evaluate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "label", required_argument, NULL, 'l' },
		{ "score", required_argument, NULL, 's' },
		{ "pred", required_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' },
		{ "pos-label", required_argument, NULL, 'P' },
		{ "sensitive", required_argument, NULL, 'S' },
		{ "min-group-size", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_CSV_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *label = NULL, *score_col = NULL, *pred_col = NULL, *pos = "1";
	char *sens_buf = NULL, *sens[MAX_SENSITIVE];
	size_t nsens = 0, n = 0, k;
	double threshold = 0.5;
	unsigned long long min_group = 0;
	int json = 0, c, code = CLI_OK, rc;
	cf_context *ctx = NULL;
	cf_table *t = NULL;
	uint8_t *yt = NULL, *yp = NULL;
	double *score = NULL;
	ev_feature feats[MAX_SENSITIVE];
	cf_fairness_feature ff[MAX_SENSITIVE];
	size_t nfeats = 0;
	json_t *root = NULL, *fair = NULL;
	cli_csv csv;

	cli_csv_init(&csv);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int h = cli_csv_option(&csv, "evaluate", c, optarg);
		char *end;
		if (h < 0) {
			code = CLI_USAGE;
			goto done;
		}
		if (h)
			continue;
		switch (c) {
		case 'd': data = optarg; break;
		case 'l': label = optarg; break;
		case 's': score_col = optarg; break;
		case 'p': pred_col = optarg; break;
		case 'P': pos = optarg; break;
		case 'j': json = 1; break;
		case 't':
			threshold = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || threshold != threshold)
				code = cli_usage_error("evaluate", "--threshold takes a number, not '%s'", optarg);
			break;
		case 'm':
			min_group = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *optarg == '-' || *end != '\0')
				code = cli_usage_error("evaluate", "--min-group-size takes a count, not '%s'", optarg);
			break;
		case 'S': {
			char *p;
			free(sens_buf);
			if ((sens_buf = strdup(optarg)) == NULL) {
				code = CLI_INTERNAL;
				break;
			}
			nsens = 0;
			for (p = strtok(sens_buf, ","); p && code == CLI_OK; p = strtok(NULL, ",")) {
				if (nsens == MAX_SENSITIVE)
					code = cli_usage_error("evaluate", "--sensitive takes at most %d columns", MAX_SENSITIVE);
				else
					sens[nsens++] = p;
			}
			if (nsens == 0 && code == CLI_OK)
				code = cli_usage_error("evaluate", "--sensitive needs column names");
			break;
		}
		case 'h': cmd_evaluate_help(stdout); goto done;
		case ':': code = cli_usage_error("evaluate", "option '%s' needs a value", argv[optind - 1]); break;
		default: code = cli_usage_error("evaluate", "unknown option '%s'", argv[optind - 1]); break;
		}
		if (code != CLI_OK)
			goto done;
	}
	if (optind < argc)
		code = cli_usage_error("evaluate", "unexpected argument '%s'", argv[optind]);
	else if (data == NULL)
		code = cli_usage_error("evaluate", "--data is required");
	else if (label == NULL)
		code = cli_usage_error("evaluate", "--label is required");
	else if (score_col == NULL && pred_col == NULL)
		code = cli_usage_error("evaluate", "give --score or --pred (or both)");
	else if (cli_csv_finish(&csv, "evaluate") != 0)
		code = CLI_USAGE;
	if (code != CLI_OK)
		goto done;

	if ((rc = cf_context_create(&ctx, NULL)) != CF_OK) {
		code = cli_lib_error("evaluate", rc);
		goto done;
	}
	if ((rc = cf_csv_read_all(&t, ctx, data, &csv.opts)) != CF_OK) {
		code = cli_input_error("evaluate", rc);
		goto done;
	}
	n = cf_table_num_rows(t);
	if (n == 0) {
		fprintf(stderr, "%s evaluate: error: '%s' has no data rows\n", cli_prog, data);
		code = CLI_BAD_INPUT;
		goto done;
	}
	yt = malloc(n);
	yp = malloc(n);
	if (score_col)
		score = malloc(n * sizeof *score);
	if (yt == NULL || yp == NULL || (score_col && score == NULL)) {
		code = CLI_INTERNAL;
		goto done;
	}
	{
		ev_col lc, sc, pc;
		code = CLI_BAD_INPUT;
		if (find_col(&lc, t, label) || binarize(yt, &lc, pos))
			goto done;
		if (score_col && (find_col(&sc, t, score_col) || scores_of(score, &sc)))
			goto done;
		if (pred_col) {
			if (find_col(&pc, t, pred_col) || binarize(yp, &pc, pos))
				goto done;
		} else {
			for (size_t i = 0; i < n; i++)
				yp[i] = score[i] >= threshold;
		}
		for (k = 0; k < nsens; k++) {
			ev_col fc;
			int r;
			if (find_col(&fc, t, sens[k]))
				goto done;
			r = feature_of(&feats[nfeats], &ff[nfeats], &fc);
			if (r == 0)
				nfeats++;
			if (r < 0) {
				code = r == -2 ? CLI_INTERNAL : CLI_BAD_INPUT;
				goto done;
			}
		}
		code = CLI_OK;
	}

	root = json_object();
	json_object_set_new(root, "rows", json_integer((json_int_t)n));
	json_object_set_new(root, "label", json_string(label));
	if (score_col)
		json_object_set_new(root, "score", json_string(score_col));
	if (pred_col)
		json_object_set_new(root, "pred", json_string(pred_col));
	else
		json_object_set_new(root, "threshold", json_real(threshold));
	json_object_set_new(root, "metrics", metrics_json(yt, yp, score, n));
	fair = json_object();
	for (k = 0; k <= nfeats; k++) {
		size_t first = k < nfeats ? k : 0, count = k < nfeats ? 1 : nfeats;
		char key[1024] = "";
		json_t *rep;
		if (k == nfeats && nfeats < 2)
			break;
		for (size_t j = 0; j < count; j++)
			snprintf(key + strlen(key), sizeof key - strlen(key), "%s%s", j ? "," : "", ff[first + j].name);
		rep = fair_report(ctx, yt, pred_col ? yp : NULL, score, n, &ff[first], count, min_group, threshold, &rc);
		if (rc != CF_OK) {
			code = cli_input_error("evaluate", rc);
			goto done;
		}
		if (rep == NULL) {
			code = CLI_INTERNAL;
			goto done;
		}
		json_object_set_new(fair, key, rep);
	}
	json_object_set_new(root, "fairness", fair);
	fair = NULL;
	if (json) {
		code = cli_print_json(root);
		root = NULL;
	} else {
		json_t *m = json_object_get(root, "metrics"), *v, *reps = json_object_get(root, "fairness");
		const char *key;
		printf("evaluate: %zu rows, label '%s', %s '%s'", n, label, pred_col ? "prediction" : "score",
			pred_col ? pred_col : score_col);
		if (!pred_col)
			printf(" (predicted positive at >= %g)", threshold);
		printf("\nmetrics:\n");
		json_object_foreach(m, key, v) {
			printf("  %-20s", key);
			print_num(v, 8);
			printf("\n");
		}
		json_object_foreach(reps, key, v) {
			print_report(key, v);
		}
	}
done:
	json_decref(root);
	json_decref(fair);
	for (k = 0; k < nfeats; k++)
		feature_free(&feats[k]);
	free(yt);
	free(yp);
	free(score);
	free(sens_buf);
	cf_table_free(t);
	cf_context_free(ctx);
	cli_csv_free(&csv);
	return code;
}
