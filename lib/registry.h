/*
 * registry.h — one generation of connector modules (prefix registry_).
 *
 * Every *.so in connector_dir is loaded as a module (module.h): it must
 * export OC_ENTRY_SYMBOL returning a table whose abi equals OC_ABI_VERSION
 * and whose name is unique. A module that fails any check is reported and
 * left out; the others stay usable, so one broken file cannot take every
 * marketplace down.
 *
 * A generation is reference-counted. SIGHUP loads a new one and swaps it in;
 * each call in flight holds the generation it started with, so the
 * connector it uses is never unloaded under it. The modules of the old
 * generation are released when its last holder lets go (and closed when no
 * newer generation shares them).
 */
#ifndef OCOP_REGISTRY_H
#define OCOP_REGISTRY_H

#include <stddef.h>

#include "connector.h"

struct registry;

/* Loads every module in dir into a new generation holding one reference;
 * NULL only when out of memory. Problems with single modules are logged and
 * counted in *bad (may be NULL). */
struct registry *registry_load(const char *dir, int *bad);
/* Another reference to reg (returned); NULL stays NULL. */
struct registry *registry_ref(struct registry *reg);
/* Ends a reference (NULL is ignored); the last one releases the modules. */
void registry_unref(struct registry *reg);

/* Connectors stay valid while the caller holds a reference to reg. */
const oc_connector *registry_find(const struct registry *reg, const char *name);
size_t registry_count(const struct registry *reg);
/* The i-th connector, for listing in logs and /status. */
const oc_connector *registry_at(const struct registry *reg, size_t i);

#endif
