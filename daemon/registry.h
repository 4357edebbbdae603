/*
 * registry.h — the connector modules ocopd has loaded.
 *
 * Every *.so in connector_dir is opened with dlopen(RTLD_NOW | RTLD_LOCAL)
 * and must export OC_ENTRY_SYMBOL returning a table whose abi equals
 * OC_ABI_VERSION and whose name is unique. A module that fails any check is
 * closed again and reported; the others stay usable, so one broken file
 * cannot take every marketplace down.
 */
#ifndef OCOP_REGISTRY_H
#define OCOP_REGISTRY_H

#include <stddef.h>

#include "connector.h"

struct registry;

/* Loads every module in dir; returns NULL only when out of memory. Problems
 * with single modules are logged and counted in *bad (may be NULL). */
struct registry *registry_load(const char *dir, int *bad);
const oc_connector *registry_find(const struct registry *reg, const char *name);
size_t registry_count(const struct registry *reg);
/* The i-th connector, for listing in logs and /status. */
const oc_connector *registry_at(const struct registry *reg, size_t i);
void registry_free(struct registry *reg);

#endif
