/*
 * addr.h — the listen addresses of the config (webhook_listen,
 * admin_listen): "IPv4-address:port", "localhost:port" or ":port" (every
 * address). One parser, so that --check-config refuses exactly what the
 * servers could not bind.
 */
#ifndef OCOP_ADDR_H
#define OCOP_ADDR_H

#include <netinet/in.h>

/* Fills *sa from s; -1 when s is not one of the forms above (port 0..65535,
 * 0 meaning any free port). */
int addr_parse_listen(const char *s, struct sockaddr_in *sa);

/* Binds a socket to *sa and closes it at once: 0, or the errno of the
 * failure (EADDRINUSE: something listens there already; EADDRNOTAVAIL: no
 * interface of this machine has that address). Nothing is left bound. */
int addr_try_bind(const struct sockaddr_in *sa);

/* 1 when the address is on the loopback network 127.0.0.0/8. */
int addr_is_loopback(const struct sockaddr_in *sa);

#endif
