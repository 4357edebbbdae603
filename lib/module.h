/*
 * module.h — one connector shared object, loaded once per version of its
 * file and shared by every registry generation that lists it (prefix
 * module_).
 *
 * A module is dlclose'd only when its last holder releases it, so a call
 * that started with an old generation keeps running the code it started
 * with while a reload brings in the new one.
 *
 * dlopen() of a path that is already open returns the open object (with a
 * reference), even when the file at that path has been replaced since. So a
 * module is identified by its file (device, inode, size, mtime): the same
 * file is shared as it is, and a new file is really read, under another name
 * when an old version of it is still in use. A file must be replaced
 * (install, mv), not rewritten in place: the loader would take a rewritten
 * file (same inode) for the object it has open, and the running code is a
 * mapping of that file.
 */
#ifndef OCOP_MODULE_H
#define OCOP_MODULE_H

#include "connector.h"

struct module;

/* The module of the connector file at path: another reference to it when
 * this very file is loaded already, else newly opened and checked (entry
 * symbol, ABI, required functions). NULL, logged, when it is not a usable
 * connector. */
struct module *module_open(const char *path);
const oc_connector *module_connector(const struct module *m);
/* Ends a reference (NULL is ignored); the last one closes the object. */
void module_release(struct module *m);

#endif
