/* Sloth `prometheus/v1` SLO specs (libyaml) and Prometheus rule generation in Sloth's shape (slo.h): SLI
 * recording rules per window, metadata rules and the multiwindow multi-burn-rate page and ticket alerts.
 * Formats: docs/slo.md; Sloth's output shapes: shared/reference/slo.md section 5. */
#include "cogniforge/slo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "common.h"
#include "context.h"

#include "cogniforge/version.h"

typedef struct slo_kv {
	char *key, *value;
} slo_kv;

typedef struct slo_kvs {
	slo_kv *items;
	size_t n;
} slo_kvs;

typedef struct slo_alert_part {
	int disable;
	slo_kvs labels, annotations;
} slo_alert_part;

typedef struct slo_item {
	char *name, *description, *objective_text;
	double objective_pct;
	char *error_query, *total_query, *raw_query;
	slo_kvs labels;
	char *alert_name;
	slo_kvs alert_labels, alert_annotations;
	slo_alert_part page, ticket;
} slo_item;

struct cf_slo_spec {
	cf_context *ctx;
	char *service;
	slo_kvs labels;
	slo_item *slos;
	size_t count;
};

/* ------------------------------------------------------------------------------------------------------------
 * Parsing.
 */
typedef struct parser {
	cf_slo_spec *spec;
	yaml_document_t *doc;
	const char *source;
} parser;

static int perr(const parser *p, const yaml_node_t *node, const char *field, const char *fmt, ...) CF__PRINTF(4, 5);

static int perr(const parser *p, const yaml_node_t *node, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (node == NULL)
		return cf__error_set(CF_EFORMAT, "%s: %s: %s", p->source, field, msg);
	return cf__error_set(CF_EFORMAT, "%s:%lu:%lu: %s: %s", p->source, (unsigned long)node->start_mark.line + 1,
		(unsigned long)node->start_mark.column + 1, field, msg);
}

/* "a.b" for messages (truncated if very long). */
static void path_join(char *out, size_t cap, const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, a, n);
	out[n] = '\0';
	if (n + 1 < cap) {
		out[n] = '.';
		out[n + 1] = '\0';
		strncat(out, b, cap - n - 2);
	}
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "empty";
	}
}

static int get_str(const parser *p, const yaml_node_t *n, const char *field, char **out)
{
	if (n->type != YAML_SCALAR_NODE)
		return perr(p, n, field, "must be a string, not %s", node_kind(n));
	cf__free(p->spec->ctx, *out);
	*out = cf__strdup(p->spec->ctx, (const char *)n->data.scalar.value);
	return *out ? CF_OK : CF_ENOMEM;
}

static int expect_map(const parser *p, const yaml_node_t *n, const char *field)
{
	if (n->type != YAML_MAPPING_NODE)
		return perr(p, n, field, "must be a mapping, not %s", node_kind(n));
	return CF_OK;
}

static int kvs_set(cf_context *ctx, slo_kvs *k, const char *key, const char *value)
{
	size_t i;
	char *v;
	slo_kv *grown;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->items[i].key, key) == 0) {
			if ((v = cf__strdup(ctx, value)) == NULL)
				return CF_ENOMEM;
			cf__free(ctx, k->items[i].value);
			k->items[i].value = v;
			return CF_OK;
		}
	if ((grown = cf__realloc(ctx, k->items, (k->n + 1) * sizeof *grown, "slo labels")) == NULL)
		return CF_ENOMEM;
	k->items = grown;
	k->items[k->n].key = cf__strdup(ctx, key);
	k->items[k->n].value = cf__strdup(ctx, value);
	k->n++;
	if (k->items[k->n - 1].key == NULL || k->items[k->n - 1].value == NULL)
		return cf__error_oom("slo labels");
	return CF_OK;
}

static void kvs_free(cf_context *ctx, slo_kvs *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		cf__free(ctx, k->items[i].key);
		cf__free(ctx, k->items[i].value);
	}
	cf__free(ctx, k->items);
	k->items = NULL;
	k->n = 0;
}

static int parse_kvs(const parser *p, const yaml_node_t *n, const char *field, slo_kvs *out)
{
	yaml_node_pair_t *pair;
	int rc;

	if ((rc = expect_map(p, n, field)) != 0)
		return rc;
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE)
			return perr(p, k->type != YAML_SCALAR_NODE ? k : v, field, "keys and values must be strings");
		if ((rc = kvs_set(p->spec->ctx, out, (const char *)k->data.scalar.value,
				 (const char *)v->data.scalar.value)) != 0)
			return rc;
	}
	return CF_OK;
}

/* Walk a mapping's pairs: `*key` and `*value` for pair i, or 0 at the end. */
static int map_pair(const parser *p, const yaml_node_t *map, size_t i, const char **key, yaml_node_t **knode,
	yaml_node_t **value)
{
	yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;

	if (pair >= map->data.mapping.pairs.top)
		return 0;
	*knode = yaml_document_get_node(p->doc, pair->key);
	*value = yaml_document_get_node(p->doc, pair->value);
	*key = (*knode)->type == YAML_SCALAR_NODE ? (const char *)(*knode)->data.scalar.value : "";
	return 1;
}

static int parse_alert_part(const parser *p, const yaml_node_t *n, const char *field, slo_alert_part *out)
{
	char sub[128];
	const char *key;
	yaml_node_t *kn, *v;
	size_t i;
	int rc;

	if ((rc = expect_map(p, n, field)) != 0)
		return rc;
	for (i = 0; map_pair(p, n, i, &key, &kn, &v); i++) {
		path_join(sub, sizeof sub, field, key);
		if (strcmp(key, "disable") == 0) {
			const char *s = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
			if (strcmp(s, "true") == 0)
				out->disable = 1;
			else if (strcmp(s, "false") == 0)
				out->disable = 0;
			else
				return perr(p, v, sub, "must be true or false");
		} else if (strcmp(key, "labels") == 0) {
			rc = parse_kvs(p, v, sub, &out->labels);
		} else if (strcmp(key, "annotations") == 0) {
			rc = parse_kvs(p, v, sub, &out->annotations);
		} else {
			return perr(p, kn, sub, "unknown field");
		}
		if (rc != 0)
			return rc;
	}
	return CF_OK;
}

static int parse_sli(const parser *p, const yaml_node_t *n, const char *field, slo_item *s)
{
	char sub[128], sub2[160];
	const char *key, *key2;
	yaml_node_t *kn, *v, *kn2, *v2;
	size_t i, j;
	int rc, kinds = 0;

	if ((rc = expect_map(p, n, field)) != 0)
		return rc;
	for (i = 0; map_pair(p, n, i, &key, &kn, &v); i++) {
		path_join(sub, sizeof sub, field, key);
		if (strcmp(key, "events") != 0 && strcmp(key, "raw") != 0)
			return perr(p, kn, sub, "unknown SLI kind (cogniforge reads events and raw; plugin is not supported)");
		kinds++;
		if ((rc = expect_map(p, v, sub)) != 0)
			return rc;
		for (j = 0; map_pair(p, v, j, &key2, &kn2, &v2); j++) {
			path_join(sub2, sizeof sub2, sub, key2);
			if (key[0] == 'e' && strcmp(key2, "error_query") == 0)
				rc = get_str(p, v2, sub2, &s->error_query);
			else if (key[0] == 'e' && strcmp(key2, "total_query") == 0)
				rc = get_str(p, v2, sub2, &s->total_query);
			else if (key[0] == 'r' && strcmp(key2, "error_ratio_query") == 0)
				rc = get_str(p, v2, sub2, &s->raw_query);
			else
				return perr(p, kn2, sub2, "unknown field");
			if (rc != 0)
				return rc;
		}
		if (key[0] == 'e' && (s->error_query == NULL || s->total_query == NULL))
			return perr(p, v, sub, "needs both error_query and total_query");
		if (key[0] == 'r' && s->raw_query == NULL)
			return perr(p, v, sub, "needs error_ratio_query");
	}
	if (kinds != 1)
		return perr(p, n, field, "needs exactly one of events and raw");
	return CF_OK;
}

static int parse_slo(const parser *p, const yaml_node_t *n, size_t idx, slo_item *s)
{
	char field[64], sub[128], sub2[160];
	const char *key, *key2;
	yaml_node_t *kn, *v, *kn2, *v2, *objective = NULL, *alerting = NULL;
	size_t i, j;
	int rc = 0;

	snprintf(field, sizeof field, "slos[%zu]", idx);
	if ((rc = expect_map(p, n, field)) != 0)
		return rc;
	for (i = 0; map_pair(p, n, i, &key, &kn, &v); i++) {
		path_join(sub, sizeof sub, field, key);
		if (strcmp(key, "name") == 0) {
			rc = get_str(p, v, sub, &s->name);
		} else if (strcmp(key, "objective") == 0) {
			char *end;
			if ((rc = get_str(p, v, sub, &s->objective_text)) != 0)
				return rc;
			s->objective_pct = strtod(s->objective_text, &end);
			if (end == s->objective_text || *end != '\0')
				return perr(p, v, sub, "'%s' is not a number", s->objective_text);
			if (!(s->objective_pct > 0 && s->objective_pct < 100))
				return perr(p, v, sub, "%s is outside (0, 100) (a percentage: 99.9 for 99.9%%)",
					s->objective_text);
			objective = v;
		} else if (strcmp(key, "description") == 0) {
			rc = get_str(p, v, sub, &s->description);
		} else if (strcmp(key, "labels") == 0) {
			rc = parse_kvs(p, v, sub, &s->labels);
		} else if (strcmp(key, "sli") == 0) {
			rc = parse_sli(p, v, sub, s);
		} else if (strcmp(key, "alerting") == 0) {
			alerting = v;
			if ((rc = expect_map(p, v, sub)) != 0)
				return rc;
			for (j = 0; map_pair(p, v, j, &key2, &kn2, &v2); j++) {
				path_join(sub2, sizeof sub2, sub, key2);
				if (strcmp(key2, "name") == 0)
					rc = get_str(p, v2, sub2, &s->alert_name);
				else if (strcmp(key2, "labels") == 0)
					rc = parse_kvs(p, v2, sub2, &s->alert_labels);
				else if (strcmp(key2, "annotations") == 0)
					rc = parse_kvs(p, v2, sub2, &s->alert_annotations);
				else if (strcmp(key2, "page_alert") == 0)
					rc = parse_alert_part(p, v2, sub2, &s->page);
				else if (strcmp(key2, "ticket_alert") == 0)
					rc = parse_alert_part(p, v2, sub2, &s->ticket);
				else
					return perr(p, kn2, sub2, "unknown field");
				if (rc != 0)
					return rc;
			}
		} else if (strcmp(key, "plugins") == 0) {
			return perr(p, kn, sub, "SLO plugins are not supported");
		} else {
			return perr(p, kn, sub, "unknown field");
		}
		if (rc != 0)
			return rc;
	}
	if (s->name == NULL || s->name[0] == '\0')
		return perr(p, n, field, "name is required");
	if (objective == NULL)
		return perr(p, n, field, "objective is required");
	if (s->error_query == NULL && s->raw_query == NULL)
		return perr(p, n, field, "sli is required");
	if (alerting == NULL || s->alert_name == NULL || s->alert_name[0] == '\0') {
		snprintf(sub, sizeof sub, "%s.alerting.name", field);
		return perr(p, alerting ? alerting : n, sub, "is required");
	}
	return CF_OK;
}

static int parse_root(parser *p, const yaml_node_t *root)
{
	const char *key;
	yaml_node_t *kn, *v, *slos = NULL;
	char *version = NULL;
	int have_version = 0;
	size_t i;
	int rc = 0;

	if (root == NULL)
		return perr(p, NULL, "document", "is empty");
	if ((rc = expect_map(p, root, "document")) != 0)
		return rc;
	for (i = 0; map_pair(p, root, i, &key, &kn, &v); i++) {
		if (strcmp(key, "version") == 0) {
			if ((rc = get_str(p, v, "version", &version)) != 0)
				return rc;
			if (strcmp(version, "prometheus/v1") != 0)
				rc = perr(p, v, "version", "'%s' is not supported (want prometheus/v1)", version);
			cf__free(p->spec->ctx, version);
			version = NULL;
			have_version = 1;
		} else if (strcmp(key, "service") == 0) {
			rc = get_str(p, v, "service", &p->spec->service);
		} else if (strcmp(key, "labels") == 0) {
			rc = parse_kvs(p, v, "labels", &p->spec->labels);
		} else if (strcmp(key, "slos") == 0) {
			slos = v;
		} else if (strcmp(key, "slo_plugins") == 0) {
			return perr(p, kn, "slo_plugins", "SLO plugins are not supported");
		} else {
			return perr(p, kn, key, "unknown field");
		}
		if (rc != 0)
			return rc;
	}
	if (!have_version)
		return perr(p, root, "version", "is required (prometheus/v1)");
	if (p->spec->service == NULL || p->spec->service[0] == '\0')
		return perr(p, root, "service", "is required");
	if (slos == NULL)
		return perr(p, root, "slos", "is required");
	if (slos->type != YAML_SEQUENCE_NODE || slos->data.sequence.items.top == slos->data.sequence.items.start)
		return perr(p, slos, "slos", "must be a non-empty list");
	p->spec->count = (size_t)(slos->data.sequence.items.top - slos->data.sequence.items.start);
	if ((p->spec->slos = cf__calloc(p->spec->ctx, p->spec->count, sizeof *p->spec->slos, "slo spec")) == NULL)
		return CF_ENOMEM;
	for (i = 0; i < p->spec->count; i++) {
		size_t j;
		const yaml_node_t *item = yaml_document_get_node(p->doc, slos->data.sequence.items.start[i]);
		if ((rc = parse_slo(p, item, i, &p->spec->slos[i])) != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(p->spec->slos[j].name, p->spec->slos[i].name) == 0)
				return perr(p, item, "slos", "name '%s' is used twice", p->spec->slos[i].name);
	}
	return CF_OK;
}

int cf_slo_spec_parse(cf_slo_spec **out, cf_context *ctx, const char *text, size_t len, const char *source)
{
	yaml_parser_t yp;
	yaml_document_t doc;
	parser p;
	cf_slo_spec *spec;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(text);
	if ((spec = cf__calloc(ctx, 1, sizeof *spec, "slo spec")) == NULL)
		return CF_ENOMEM;
	spec->ctx = ctx;
	p.spec = spec;
	p.doc = &doc;
	p.source = source ? source : "spec";
	if (!yaml_parser_initialize(&yp)) {
		cf__free(ctx, spec);
		return cf__error_oom("yaml parser");
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	if (!yaml_parser_load(&yp, &doc)) {
		rc = cf__error_set(CF_EFORMAT, "%s:%lu:%lu: YAML: %s%s%s", p.source,
			(unsigned long)yp.problem_mark.line + 1, (unsigned long)yp.problem_mark.column + 1,
			yp.problem ? yp.problem : "syntax error", yp.context ? " " : "", yp.context ? yp.context : "");
		yaml_parser_delete(&yp);
		cf_slo_spec_free(spec);
		return rc;
	}
	rc = parse_root(&p, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&yp);
	if (rc != 0) {
		cf_slo_spec_free(spec);
		return rc;
	}
	*out = spec;
	return CF_OK;
}

void cf_slo_spec_free(cf_slo_spec *spec)
{
	cf_context *ctx;
	size_t i;

	if (spec == NULL)
		return;
	ctx = spec->ctx;
	for (i = 0; spec->slos && i < spec->count; i++) {
		slo_item *s = &spec->slos[i];
		cf__free(ctx, s->name);
		cf__free(ctx, s->description);
		cf__free(ctx, s->objective_text);
		cf__free(ctx, s->error_query);
		cf__free(ctx, s->total_query);
		cf__free(ctx, s->raw_query);
		cf__free(ctx, s->alert_name);
		kvs_free(ctx, &s->labels);
		kvs_free(ctx, &s->alert_labels);
		kvs_free(ctx, &s->alert_annotations);
		kvs_free(ctx, &s->page.labels);
		kvs_free(ctx, &s->page.annotations);
		kvs_free(ctx, &s->ticket.labels);
		kvs_free(ctx, &s->ticket.annotations);
	}
	cf__free(ctx, spec->slos);
	cf__free(ctx, spec->service);
	kvs_free(ctx, &spec->labels);
	cf__free(ctx, spec);
}

const char *cf_slo_spec_service(const cf_slo_spec *spec)
{
	return spec ? spec->service : NULL;
}

size_t cf_slo_spec_count(const cf_slo_spec *spec)
{
	return spec ? spec->count : 0;
}

const char *cf_slo_spec_name(const cf_slo_spec *spec, size_t i)
{
	return spec && i < spec->count ? spec->slos[i].name : NULL;
}

double cf_slo_spec_objective(const cf_slo_spec *spec, size_t i)
{
	return spec && i < spec->count ? spec->slos[i].objective_pct / 100.0 : NAN;
}

/* ------------------------------------------------------------------------------------------------------------
 * Rule generation.
 */
int cf_slo_rules_options_init(cf_slo_rules_options *opts, unsigned int version)
{
	cf_slo_rules_options d = CF_SLO_RULES_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_SLO_RULES_OPTIONS_VERSION, "cf_slo_rules_options")) < 0)
		return rc;
	*opts = d;
	return CF_OK;
}

static int resolve(const cf_slo_rules_options *opts, cf_slo_policy *pol, double *period_s)
{
	cf_slo_rules_options o = CF_SLO_RULES_OPTIONS_INIT;
	int rc;

	if (opts) {
		if ((rc = cf__options_version_check(opts->version, CF_SLO_RULES_OPTIONS_VERSION,
			     "cf_slo_rules_options")) < 0)
			return rc;
		o = *opts;
	}
	if (o.preset == NULL)
		o.preset = "google-30d";
	if (o.policy)
		*pol = *o.policy;
	else if ((rc = cf_slo_policy_preset(pol, o.preset)) != 0)
		return rc;
	*period_s = o.period_s;
	if (*period_s == 0) {
		size_t n = strlen(o.preset);
		*period_s = (n >= 4 && strcmp(o.preset + n - 4, "-28d") == 0 && !o.policy ? 28 : 30) * 86400.0;
	}
	if (!(*period_s > 0) || isinf(*period_s))
		return cf__error_set(CF_EINVAL, "cf_slo_rules_options.period_s %g is not a positive finite number",
			*period_s);
	return CF_OK;
}

/* The policy pairs an SLO alerts on: those of a disabled page_alert / ticket_alert are dropped. */
static void slo_policy(const slo_item *s, const cf_slo_policy *pol, cf_slo_policy *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < pol->count; i++) {
		if ((pol->windows[i].severity == CF_SLO_PAGE && s->page.disable) ||
			(pol->windows[i].severity == CF_SLO_TICKET && s->ticket.disable))
			continue;
		out->windows[out->count++] = pol->windows[i];
	}
}

int cf_slo_spec_check(const cf_slo_spec *spec, const cf_slo_rules_options *opts)
{
	cf_slo_policy pol, own;
	double period;
	size_t i;
	int rc;

	CF__CHECK_ARG(spec);
	if ((rc = resolve(opts, &pol, &period)) != 0)
		return rc;
	for (i = 0; i < spec->count; i++) {
		slo_policy(&spec->slos[i], &pol, &own);
		if (own.count == 0)
			continue;
		if ((rc = cf_slo_policy_validate(&own, spec->slos[i].objective_pct / 100.0, period)) != 0) {
			char msg[1024];
			snprintf(msg, sizeof msg, "%s", cf_error_last()->message);
			return cf__error_set(rc, "SLO '%s' (objective %s%%): %s", spec->slos[i].name,
				spec->slos[i].objective_text, msg);
		}
	}
	return CF_OK;
}

/* Shortest decimal that reads back as the same double (as Go's strconv 'f' -1, which Sloth uses). */
static void fmt_num(char *out, size_t cap, double v)
{
	int prec;

	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, cap, "%.0f", v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, cap, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	if (strchr(out, 'e') == NULL)
		return;
	/* Plain decimals, as Sloth writes them: tiny budgets (99.9999%) come out as 0.000001. */
	for (prec = 1; prec <= 40; prec++) {
		snprintf(out, cap, "%.*f", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
}

/* Seconds as a Prometheus duration: the largest unit that divides it (d, h, m, s). */
static void fmt_dur(char *out, size_t cap, double s)
{
	long long v = (long long)s;

	if ((double)v != s || v <= 0)
		snprintf(out, cap, "%.0fms", s * 1000);
	else if (v % 86400 == 0)
		snprintf(out, cap, "%lldd", v / 86400);
	else if (v % 3600 == 0)
		snprintf(out, cap, "%lldh", v / 3600);
	else if (v % 60 == 0)
		snprintf(out, cap, "%lldm", v / 60);
	else
		snprintf(out, cap, "%llds", v);
}

/* A YAML scalar: plain when it is a simple word that YAML reads back as a string, else double-quoted. */
static int put_yaml_str(cf_buf *b, const char *s)
{
	const char *c;
	int plain = s[0] != '\0' && strcmp(s, "true") != 0 && strcmp(s, "false") != 0 && strcmp(s, "null") != 0 &&
		strcmp(s, "yes") != 0 && strcmp(s, "no") != 0 && strcmp(s, "on") != 0 && strcmp(s, "off") != 0 &&
		!(s[0] >= '0' && s[0] <= '9') && s[0] != '-' && s[0] != '.';
	int rc = 0;

	for (c = s; plain && *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
			    *c == '-' || *c == '.' || *c == '/'))
			plain = 0;
	if (plain)
		return cf__buf_puts(b, s);
	rc |= cf__buf_puts(b, "\"");
	for (c = s; *c && rc == 0; c++) {
		if (*c == '"' || *c == '\\')
			rc |= cf__buf_printf(b, "\\%c", *c);
		else if (*c == '\n')
			rc |= cf__buf_puts(b, "\\n");
		else if (*c == '\t')
			rc |= cf__buf_puts(b, "\\t");
		else if ((unsigned char)*c < 0x20)
			rc |= cf__buf_printf(b, "\\x%02x", (unsigned)(unsigned char)*c);
		else
			rc |= cf__buf_put(b, c, 1);
	}
	rc |= cf__buf_puts(b, "\"");
	return rc ? CF_ENOMEM : CF_OK;
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const slo_kv *)a)->key, ((const slo_kv *)b)->key);
}

/* `indent`labels: / annotations: block, sorted by key. */
static int put_map(cf_buf *b, const char *indent, const char *name, slo_kvs *k)
{
	size_t i;
	int rc = 0;

	if (k->n == 0)
		return CF_OK;
	qsort(k->items, k->n, sizeof *k->items, cmp_kv);
	rc |= cf__buf_printf(b, "%s%s:\n", indent, name);
	for (i = 0; i < k->n && rc == 0; i++) {
		rc |= cf__buf_printf(b, "%s  ", indent);
		rc |= put_yaml_str(b, k->items[i].key);
		rc |= cf__buf_puts(b, ": ");
		rc |= put_yaml_str(b, k->items[i].value);
		rc |= cf__buf_puts(b, "\n");
	}
	return rc ? CF_ENOMEM : CF_OK;
}

/* A PromQL string literal's body. */
static int put_promql_str(cf_buf *b, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++)
		rc |= (*s == '"' || *s == '\\') ? cf__buf_printf(b, "\\%c", *s) : cf__buf_put(b, s, 1);
	return rc;
}

/* Append `query` with the `{{.window}}` placeholder replaced; newlines continue at `indent`. */
static int put_query(cf_buf *b, const char *query, const char *window, const char *indent)
{
	const char *q = query;
	size_t end = strlen(query);
	int rc = 0;

	while (end > 0 && (query[end - 1] == '\n' || query[end - 1] == ' ' || query[end - 1] == '\r'))
		end--;
	while (q < query + end && rc == 0) {
		if (q[0] == '{' && q[1] == '{') {
			const char *t = q + 2;
			while (*t == ' ')
				t++;
			if (strncmp(t, ".window", 7) == 0) {
				t += 7;
				while (*t == ' ')
					t++;
				if (t[0] == '}' && t[1] == '}') {
					rc |= cf__buf_puts(b, window);
					q = t + 2;
					continue;
				}
			}
		}
		if (*q == '\n')
			rc |= cf__buf_printf(b, "\n%s", indent);
		else if (*q != '\r')
			rc |= cf__buf_put(b, q, 1);
		q++;
	}
	return rc;
}

typedef struct gen {
	cf_buf *b;
	const cf_slo_spec *spec;
	const slo_item *s;
	cf_context *ctx;
	char id[512];
	char sel[2048]; /* {sloth_id="...", sloth_service="...", sloth_slo="..."} */
} gen;

/* Labels of a recording rule: spec labels, SLO labels, sloth ids and (when window) sloth_window. */
static int rule_labels(const gen *g, slo_kvs *k, const char *window)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < g->spec->labels.n && rc == 0; i++)
		rc = kvs_set(g->ctx, k, g->spec->labels.items[i].key, g->spec->labels.items[i].value);
	for (i = 0; i < g->s->labels.n && rc == 0; i++)
		rc = kvs_set(g->ctx, k, g->s->labels.items[i].key, g->s->labels.items[i].value);
	if (rc == 0)
		rc = kvs_set(g->ctx, k, "sloth_id", g->id);
	if (rc == 0)
		rc = kvs_set(g->ctx, k, "sloth_service", g->spec->service);
	if (rc == 0)
		rc = kvs_set(g->ctx, k, "sloth_slo", g->s->name);
	if (rc == 0 && window)
		rc = kvs_set(g->ctx, k, "sloth_window", window);
	return rc;
}

/* One recording rule; expr is written by the caller between begin and end. */
static int record_begin(const gen *g, const char *record)
{
	return cf__buf_printf(g->b, "  - record: %s\n    expr: |\n      ", record);
}

static int record_end(const gen *g, const char *window, const slo_kvs *extra)
{
	slo_kvs k = { NULL, 0 };
	size_t i;
	int rc = cf__buf_puts(g->b, "\n");

	if (rc == 0)
		rc = rule_labels(g, &k, window);
	for (i = 0; extra && i < extra->n && rc == 0; i++)
		rc = kvs_set(g->ctx, &k, extra->items[i].key, extra->items[i].value);
	if (rc == 0)
		rc = put_map(g->b, "    ", "labels", &k);
	kvs_free(g->ctx, &k);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int gen_slo(gen *g, const cf_slo_policy *pol, double period_s, const cf_slo_rules_options *o)
{
	const slo_item *s = g->s;
	cf_buf *b = g->b;
	double windows[2 * CF_SLO_MAX_WINDOWS + 1];
	size_t nw = 0, i, j;
	char w[32], pw[32], num[64], budget[64], objective[64], factor[64];
	int rc = 0, sev;

	/* Sloth's ratios: objective = pct / 100, budget = (100 - pct) / 100. */
	fmt_num(objective, sizeof objective, s->objective_pct / 100.0);
	fmt_num(budget, sizeof budget, (100.0 - s->objective_pct) / 100.0);
	fmt_dur(pw, sizeof pw, period_s);

	windows[nw++] = 300;
	for (i = 0; i < pol->count; i++) {
		windows[nw++] = pol->windows[i].short_s;
		windows[nw++] = pol->windows[i].long_s;
	}
	qsort(windows, nw, sizeof *windows, cmp_double);
	for (i = j = 0; i < nw; i++)
		if (j == 0 || windows[i] != windows[j - 1])
			windows[j++] = windows[i];
	nw = j;

	if (!o->disable_recordings) {
		rc |= cf__buf_puts(b, "- name: sloth-slo-sli-recordings-");
		rc |= cf__buf_puts(b, g->id);
		rc |= cf__buf_puts(b, "\n  rules:\n");
		for (i = 0; i < nw && rc == 0; i++) {
			fmt_dur(w, sizeof w, windows[i]);
			snprintf(num, sizeof num, "slo:sli_error:ratio_rate%s", w);
			rc |= record_begin(g, num);
			if (s->raw_query) {
				rc |= cf__buf_puts(b, "(");
				rc |= put_query(b, s->raw_query, w, "      ");
				rc |= cf__buf_puts(b, ")");
			} else {
				rc |= cf__buf_puts(b, "(");
				rc |= put_query(b, s->error_query, w, "      ");
				rc |= cf__buf_puts(b, ")\n      /\n      (");
				rc |= put_query(b, s->total_query, w, "      ");
				rc |= cf__buf_puts(b, ")");
			}
			rc |= record_end(g, w, NULL);
		}
		/* The period: Sloth's "optimized" average of the 5m ratios. */
		snprintf(num, sizeof num, "slo:sli_error:ratio_rate%s", pw);
		rc |= record_begin(g, num);
		rc |= cf__buf_printf(b, "sum_over_time(slo:sli_error:ratio_rate5m%s[%s])\n      / ignoring (sloth_window)\n"
			"      count_over_time(slo:sli_error:ratio_rate5m%s[%s])", g->sel, pw, g->sel, pw);
		rc |= record_end(g, pw, NULL);

		rc |= cf__buf_puts(b, "- name: sloth-slo-meta-recordings-");
		rc |= cf__buf_puts(b, g->id);
		rc |= cf__buf_puts(b, "\n  rules:\n");
		rc |= record_begin(g, "slo:objective:ratio");
		rc |= cf__buf_printf(b, "vector(%s)", objective);
		rc |= record_end(g, NULL, NULL);
		rc |= record_begin(g, "slo:error_budget:ratio");
		rc |= cf__buf_printf(b, "vector(1-%s)", objective);
		rc |= record_end(g, NULL, NULL);
		rc |= record_begin(g, "slo:time_period:days");
		fmt_num(num, sizeof num, period_s / 86400.0);
		rc |= cf__buf_printf(b, "vector(%s)", num);
		rc |= record_end(g, NULL, NULL);
		rc |= record_begin(g, "slo:current_burn_rate:ratio");
		rc |= cf__buf_printf(b, "slo:sli_error:ratio_rate5m%s\n      / on(sloth_id, sloth_slo, sloth_service) "
			"group_left\n      slo:error_budget:ratio%s", g->sel, g->sel);
		rc |= record_end(g, NULL, NULL);
		rc |= record_begin(g, "slo:period_burn_rate:ratio");
		rc |= cf__buf_printf(b, "slo:sli_error:ratio_rate%s%s\n      / on(sloth_id, sloth_slo, sloth_service) "
			"group_left\n      slo:error_budget:ratio%s", pw, g->sel, g->sel);
		rc |= record_end(g, NULL, NULL);
		rc |= record_begin(g, "slo:period_error_budget_remaining:ratio");
		rc |= cf__buf_printf(b, "1 - slo:period_burn_rate:ratio%s", g->sel);
		rc |= record_end(g, NULL, NULL);
		if (rc == 0) {
			slo_kvs info = { NULL, 0 };
			rc |= kvs_set(g->ctx, &info, "sloth_mode", "cli-gen-prom");
			rc |= kvs_set(g->ctx, &info, "sloth_objective", s->objective_text);
			rc |= kvs_set(g->ctx, &info, "sloth_spec", "prometheus/v1");
			rc |= kvs_set(g->ctx, &info, "sloth_version", "cogniforge-" CF_VERSION_STRING);
			rc |= record_begin(g, "sloth_slo_info");
			rc |= cf__buf_puts(b, "vector(1)");
			rc |= record_end(g, NULL, &info);
			kvs_free(g->ctx, &info);
		}
	}
	if (rc != 0)
		return CF_ENOMEM;
	if (o->disable_alerts || (s->page.disable && s->ticket.disable))
		return CF_OK;

	rc |= cf__buf_puts(b, "- name: sloth-slo-alerts-");
	rc |= cf__buf_puts(b, g->id);
	rc |= cf__buf_puts(b, "\n  rules:\n");
	for (sev = CF_SLO_PAGE; sev <= CF_SLO_TICKET && rc == 0; sev++) {
		const slo_alert_part *part = sev == CF_SLO_PAGE ? &s->page : &s->ticket;
		const char *sevname = sev == CF_SLO_PAGE ? "page" : "ticket";
		slo_kvs labels = { NULL, 0 }, ann = { NULL, 0 };
		int first = 1;
		char text[256];

		if (part->disable)
			continue;
		rc |= cf__buf_printf(b, "  - alert: ");
		rc |= put_yaml_str(b, s->alert_name);
		rc |= cf__buf_puts(b, "\n    expr: |\n      ");
		for (i = 0; i < pol->count; i++) {
			char sw[32], lw[32];
			if ((int)pol->windows[i].severity != sev)
				continue;
			fmt_num(factor, sizeof factor, pol->windows[i].burn_rate);
			fmt_dur(sw, sizeof sw, pol->windows[i].short_s);
			fmt_dur(lw, sizeof lw, pol->windows[i].long_s);
			rc |= cf__buf_printf(b, "%s(\n          max(slo:sli_error:ratio_rate%s%s > (%s * %s)) without "
				"(sloth_window)\n          and\n          max(slo:sli_error:ratio_rate%s%s > (%s * %s)) without "
				"(sloth_window)\n      )", first ? "" : "\n      or\n      ", sw, g->sel, factor, budget, lw,
				g->sel, factor, budget);
			first = 0;
		}
		if (first)
			rc |= cf__buf_puts(b, "vector(0) == 1");
		rc |= cf__buf_puts(b, "\n");
		for (i = 0; i < s->alert_labels.n && rc == 0; i++)
			rc |= kvs_set(g->ctx, &labels, s->alert_labels.items[i].key, s->alert_labels.items[i].value);
		for (i = 0; i < part->labels.n && rc == 0; i++)
			rc |= kvs_set(g->ctx, &labels, part->labels.items[i].key, part->labels.items[i].value);
		rc |= kvs_set(g->ctx, &labels, "sloth_severity", sevname);
		rc |= kvs_set(g->ctx, &ann, "summary", "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error "
			"budget burn rate is over expected.");
		snprintf(text, sizeof text, "(%s) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget "
			"burn rate is too fast.", sevname);
		rc |= kvs_set(g->ctx, &ann, "title", text);
		for (i = 0; i < s->alert_annotations.n && rc == 0; i++)
			rc |= kvs_set(g->ctx, &ann, s->alert_annotations.items[i].key, s->alert_annotations.items[i].value);
		for (i = 0; i < part->annotations.n && rc == 0; i++)
			rc |= kvs_set(g->ctx, &ann, part->annotations.items[i].key, part->annotations.items[i].value);
		if (rc == 0)
			rc |= put_map(b, "    ", "labels", &labels);
		if (rc == 0)
			rc |= put_map(b, "    ", "annotations", &ann);
		kvs_free(g->ctx, &labels);
		kvs_free(g->ctx, &ann);
	}
	return rc ? CF_ENOMEM : CF_OK;
}

int cf_slo_rules_generate(cf_buf *out, const cf_slo_spec *spec, const cf_slo_rules_options *opts)
{
	cf_slo_rules_options o = CF_SLO_RULES_OPTIONS_INIT;
	cf_slo_policy pol;
	double period;
	size_t i;
	int rc;
	gen g;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(spec);
	if ((rc = cf_slo_spec_check(spec, opts)) != 0)
		return rc;
	if ((rc = resolve(opts, &pol, &period)) != 0)
		return rc;
	if (opts)
		o = *opts;
	memset(&g, 0, sizeof g);
	g.b = out;
	g.spec = spec;
	g.ctx = spec->ctx;
	rc = cf__buf_puts(out, "---\n# Code generated by cogniforge slo rules (Sloth prometheus/v1 shape).\n"
		"# DO NOT EDIT.\n\ngroups:\n");
	for (i = 0; i < spec->count && rc == 0; i++) {
		cf_buf sel = CF_BUF_INIT;
		g.s = &spec->slos[i];
		snprintf(g.id, sizeof g.id, "%s-%s", spec->service, g.s->name);
		rc |= cf__buf_puts(&sel, "{sloth_id=\"");
		rc |= put_promql_str(&sel, g.id);
		rc |= cf__buf_puts(&sel, "\", sloth_service=\"");
		rc |= put_promql_str(&sel, spec->service);
		rc |= cf__buf_puts(&sel, "\", sloth_slo=\"");
		rc |= put_promql_str(&sel, g.s->name);
		rc |= cf__buf_puts(&sel, "\"}");
		if (rc == 0 && sel.size >= sizeof g.sel)
			rc = cf__error_set(CF_EINVAL, "SLO '%s': service and SLO names are too long", g.s->name);
		else if (rc == 0)
			memcpy(g.sel, sel.ptr, sel.size + 1);
		cf_buf_dispose(&sel);
		if (rc == 0)
			rc = gen_slo(&g, &pol, period, &o);
	}
	if (rc == CF_OK || rc == CF_EINVAL || rc == CF_ENOMEM)
		return rc;
	return cf__error_oom("slo rules");
}
