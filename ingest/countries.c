/* countries.c — reads the iso-codes table of countries (iso_3166-1.json)
 * and hands each name and alpha-3 code with its alpha-2 code to the
 * caller. It must not normalise, intern or decide anything: the loader
 * builds its value map from what it is given. */
#include "countries.h"

#include <json-glib/json-glib.h>

#ifndef MQL_ISO_CODES_JSON
#define MQL_ISO_CODES_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#endif

static const char *member(JsonObject *o, const char *k)
{
	return json_object_has_member(o, k) ? json_object_get_string_member(o, k) : NULL;
}

int countries_each(const char *path, void (*fn)(void *ctx, const char *from, const char *alpha2),
		   void *ctx)
{
	JsonParser *p = json_parser_new();
	int n = -1;
	if (!json_parser_load_from_file(p, path ? path : MQL_ISO_CODES_JSON, NULL))
		goto done;
	JsonNode *root = json_parser_get_root(p);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root))
		goto done;
	JsonObject *top = json_node_get_object(root);
	if (!json_object_has_member(top, "3166-1"))
		goto done;
	JsonArray *a = json_object_get_array_member(top, "3166-1");
	n = 0;
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_OBJECT(e))
			continue;
		JsonObject *o = json_node_get_object(e);
		const char *a2 = member(o, "alpha_2");
		if (!a2)
			continue;
		static const char *const keys[] = {"alpha_3", "name", "official_name",
						   "common_name"};
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			const char *v = member(o, keys[k]);
			if (v)
				fn(ctx, v, a2);
		}
		n++;
	}
done:
	g_object_unref(p);
	return n;
}
