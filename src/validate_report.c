/* Validation results: the GX result JSON, JUnit XML and the per-expectation records. */
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/version.h"

int cf__validation_build_results(cf_validation *v)
{
	size_t i;

	v->results = cf__calloc(v->ctx, v->n ? v->n : 1, sizeof *v->results, "validation results");
	if (v->results == NULL)
		return CF_ENOMEM;
	memset(&v->summary, 0, sizeof v->summary);
	v->summary.rows = v->rows;
	for (i = 0; i < v->n; i++) {
		cf__exp_summary(v->exps[i], &v->results[i]);
		if (v->results[i].skipped) {
			v->summary.skipped++;
			continue;
		}
		v->summary.evaluated++;
		if (v->results[i].success)
			v->summary.successful++;
		else
			v->summary.unsuccessful++;
	}
	v->summary.success = v->summary.unsuccessful == 0 && v->summary.skipped == 0;
	return CF_OK;
}

int cf_validation_get_summary(cf_validation_summary *out, const cf_validation *v)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(v);
	if (!v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_get_summary: call cf_validation_finish() first");
	*out = v->summary;
	return CF_OK;
}

size_t cf_validation_result_count(const cf_validation *v)
{
	return v ? v->n : 0;
}

int cf_validation_result(cf_expectation_result *out, const cf_validation *v, size_t index)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(v);
	if (!v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_result: call cf_validation_finish() first");
	if (index >= v->n)
		return cf__error_set(CF_EINVAL, "cf_validation_result: index %zu out of range (%zu results)", index, v->n);
	*out = v->results[index];
	return CF_OK;
}

static json_t *result_doc(const cf_validation *v, int with_config)
{
	json_t *doc = json_object(), *results = json_array(), *stats, *meta, *runid;
	char now[40];
	size_t i;
	int v0 = v->opts.spelling == CF_GE_SPELLING_V0;

	cf__format_iso8601(now, v->opts.now_us);
	for (i = 0; i < v->n; i++) {
		json_t *r = json_object(), *exc = NULL;
		int success = 0;
		json_t *res = cf__exp_result_json(v->exps[i], &success, &exc);
		json_object_set_new(r, "success", json_boolean(success));
		if (with_config)
			json_object_set_new(r, "expectation_config", cf__exp_config_json(v, i));
		json_object_set_new(r, "result", res);
		json_object_set_new(r, "meta", json_object());
		json_object_set_new(r, "exception_info", exc);
		json_array_append_new(results, r);
	}
	stats = json_object();
	json_object_set_new(stats, "evaluated_expectations", json_integer((json_int_t)v->summary.evaluated));
	json_object_set_new(stats, "successful_expectations", json_integer((json_int_t)v->summary.successful));
	json_object_set_new(stats, "unsuccessful_expectations", json_integer((json_int_t)v->summary.unsuccessful));
	json_object_set_new(stats, "success_percent", v->summary.evaluated ?
		json_real(100.0 * (double)v->summary.successful / (double)v->summary.evaluated) : json_null());
	if (v->summary.skipped)
		json_object_set_new(stats, "skipped_expectations", json_integer((json_int_t)v->summary.skipped));
	meta = json_object();
	json_object_set_new(meta, "cogniforge_version", json_string(CF_VERSION_STRING));
	json_object_set_new(meta, "validation_time", json_string(now));
	json_object_set_new(meta, "rows", json_integer((json_int_t)v->rows));
	runid = json_object();
	json_object_set_new(runid, "run_name", json_null());
	json_object_set_new(runid, "run_time", json_string(now));
	json_object_set_new(meta, "run_id", runid);
	json_object_set_new(meta, v0 ? "expectation_suite_name" : "suite_name", json_string(v->suite->name));
	json_object_set_new(doc, "success", json_boolean(v->summary.success));
	json_object_set_new(doc, "results", results);
	if (v0) {
		json_object_set(doc, "evaluation_parameters", v->params);
	} else {
		json_object_set_new(doc, "suite_name", json_string(v->suite->name));
		json_object_set(doc, "suite_parameters", v->params);
	}
	json_object_set_new(doc, "statistics", stats);
	json_object_set_new(doc, "meta", meta);
	return doc;
}

int cf_validation_to_json(cf_buf *out, const cf_validation *v)
{
	json_t *doc;
	char *text;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(v);
	if (!v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_to_json: call cf_validation_finish() first");
	doc = result_doc(v, 1);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(doc);
	if (text == NULL)
		return cf__error_oom("result JSON");
	rc = cf__buf_puts(out, text);
	if (rc == CF_OK)
		rc = cf__buf_puts(out, "\n");
	free(text);
	return rc;
}

static int xml_escape(cf_buf *b, const char *s)
{
	int rc = 0;
	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = cf__buf_puts(b, "&amp;"); break;
		case '<': rc = cf__buf_puts(b, "&lt;"); break;
		case '>': rc = cf__buf_puts(b, "&gt;"); break;
		case '"': rc = cf__buf_puts(b, "&quot;"); break;
		case '\'': rc = cf__buf_puts(b, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters even escaped. */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
				rc = cf__buf_puts(b, "?");
			else
				rc = cf__buf_put(b, s, 1);
		}
	}
	return rc;
}

int cf_validation_to_junit(cf_buf *out, const cf_validation *v)
{
	size_t i;
	int rc = 0;
	char now[40];

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(v);
	if (!v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_to_junit: call cf_validation_finish() first");
	cf__format_iso8601(now, v->opts.now_us);
	rc |= cf__buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"");
	rc |= xml_escape(out, v->suite->name);
	rc |= cf__buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" timestamp=\"%s\">\n",
		v->n, v->summary.unsuccessful, v->summary.skipped, now);
	for (i = 0; i < v->n && rc == 0; i++) {
		const cf_expectation_result *r = &v->results[i];
		json_t *exc = NULL, *res;
		int success;
		char *detail;
		char name[64];

		snprintf(name, sizeof name, "%zu ", i);
		rc |= cf__buf_puts(out, "    <testcase classname=\"");
		rc |= xml_escape(out, v->suite->name);
		rc |= cf__buf_puts(out, "\" name=\"");
		rc |= xml_escape(out, name);
		rc |= xml_escape(out, r->type);
		if (r->column) {
			rc |= cf__buf_puts(out, " ");
			rc |= xml_escape(out, r->column);
		}
		rc |= cf__buf_puts(out, "\"");
		if (r->success) {
			rc |= cf__buf_puts(out, "/>\n");
			continue;
		}
		rc |= cf__buf_puts(out, ">\n");
		res = cf__exp_result_json(v->exps[i], &success, &exc);
		detail = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (r->skipped) {
			rc |= cf__buf_puts(out, "      <skipped message=\"");
			rc |= xml_escape(out, r->exception_message);
			rc |= cf__buf_puts(out, "\"/>\n");
		} else {
			rc |= cf__buf_puts(out, "      <failure type=\"");
			rc |= xml_escape(out, r->raised_exception ? "exception" : "expectation_failed");
			rc |= cf__buf_puts(out, "\" message=\"");
			if (r->raised_exception)
				rc |= xml_escape(out, r->exception_message);
			else if (r->has_observed_value)
				rc |= xml_escape(out, "observed value outside the expected range");
			else
				rc |= cf__buf_printf(out, "%llu unexpected of %llu values", (unsigned long long)r->unexpected_count,
					(unsigned long long)(r->element_count - r->missing_count));
			rc |= cf__buf_puts(out, "\">");
			if (detail)
				rc |= xml_escape(out, detail);
			rc |= cf__buf_puts(out, "</failure>\n");
		}
		free(detail);
		json_decref(res);
		json_decref(exc);
		rc |= cf__buf_puts(out, "    </testcase>\n");
	}
	rc |= cf__buf_puts(out, "  </testsuite>\n</testsuites>\n");
	return rc ? CF_ENOMEM : CF_OK;
}

int cf_validate_options_init(cf_validate_options *opts, unsigned int version)
{
	static const cf_validate_options defaults = CF_VALIDATE_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_VALIDATE_OPTIONS_VERSION, "cf_validate_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return CF_OK;
}

int cf_profile_options_init(cf_profile_options *opts, unsigned int version)
{
	static const cf_profile_options defaults = CF_PROFILE_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_PROFILE_OPTIONS_VERSION, "cf_profile_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return CF_OK;
}
