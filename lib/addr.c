/* addr.c — see addr.h. */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int addr_parse_listen(const char *s, struct sockaddr_in *sa) {
  char host[64];
  const char *colon = strrchr(s, ':');
  char *end;
  unsigned long port;

  if (!colon || (size_t)(colon - s) >= sizeof host || colon[1] < '0' || colon[1] > '9')
    return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  port = strtoul(colon + 1, &end, 10);
  if (*end || port > 65535 || end - colon > 6)
    return -1;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (strcmp(host, "localhost") == 0)
    snprintf(host, sizeof host, "127.0.0.1");
  return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) == 1 ? 0 : -1;
}

int addr_is_loopback(const struct sockaddr_in *sa) {
  return (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
}

/* SO_REUSEADDR as the servers set it: a port left in TIME_WAIT by the last
 * run binds, one that something listens on does not. */
int addr_try_bind(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, rc = 0;

  if (fd < 0)
    return errno;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0)
    rc = errno;
  close(fd);
  return rc;
}
