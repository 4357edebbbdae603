/* hook_abuse.c — see hook_abuse.h. */
#include "hook_abuse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

enum slot_state { SLOT_IDLE, SLOT_CONNECTING, SLOT_OPEN };

struct slot {
  struct abuse_group *g;
  int fd;
  enum slot_state state;
  long t_open;   /* ms, when connect() was called */
  long t_next;   /* ms: the next byte (slow) or the next open (idle) */
  size_t sent;   /* bytes of the opening request sent */
  char resp[16]; /* forged: the start of the answer */
  size_t got;
  int used;      /* opened once already */
};

struct engine {
  struct abuse *a;
  struct slot *slots;
  int nslots;
  struct pollfd *pfd;
  int *pfd_slot;
  char forged[1024];
  size_t forged_len;
  long end_open, end_all;
};

static long now_ms(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* What a slow client sends at once; then one byte at a time, forever. */
static const char *opening(enum abuse_kind kind) {
  if (kind == ABUSE_SLOW_HEADERS)
    return "POST /hooks/shopee HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  return "POST /hooks/shopee HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: 60000\r\nAuthorization: "
         "00000000000000000000000000000000000000000000000000000000000000ff\r\n\r\n{";
}

/* A push as Shopee sends it, for an order ocopd never hears of, signed
 * with a key no shop has. */
static void make_forged(struct engine *e) {
  char body[256];
  long long t = (long long)time(NULL);
  int n;

  n = snprintf(body, sizeof body,
               "{\"code\":3,\"shop_id\":2001,\"timestamp\":%lld,\"data\":{\"ordersn\":"
               "\"FORGED0000001XX\",\"status\":\"READY_TO_SHIP\",\"update_time\":%lld}}",
               t, t);
  e->forged_len = (size_t)snprintf(
      e->forged, sizeof e->forged,
      "POST /hooks/shopee HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Authorization: 3b1f0c1e9a2d4c5b6a79880716253443b1f0c1e9a2d4c5b6a7988071625344ff\r\n"
      "Connection: close\r\nContent-Length: %d\r\n\r\n%s",
      n, body);
}

static void slot_open(struct engine *e, struct slot *s, long now) {
  struct sockaddr_in src, dst;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

  ASSERT(fd >= 0);
  memset(&src, 0, sizeof src);
  src.sin_family = AF_INET;
  ASSERT(inet_pton(AF_INET, s->g->addr, &src.sin_addr) == 1);
  ASSERT(bind(fd, (struct sockaddr *)&src, sizeof src) == 0);
  memset(&dst, 0, sizeof dst);
  dst.sin_family = AF_INET;
  dst.sin_port = htons((uint16_t)e->a->port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  s->fd = fd;
  s->t_open = now;
  s->sent = s->got = 0;
  s->used = 1;
  s->g->opened++;
  if (connect(fd, (struct sockaddr *)&dst, sizeof dst) == 0)
    s->state = SLOT_OPEN;
  else {
    ASSERT(errno == EINPROGRESS);
    s->state = SLOT_CONNECTING;
  }
}

/* The server ended the connection (or never answered a forged push whole). */
static void slot_closed(struct engine *e, struct slot *s, long now) {
  struct abuse_group *g = s->g;

  if (g->kind == ABUSE_FORGED) {
    if (s->got >= 12 && memcmp(s->resp, "HTTP/1.1 401", 12) == 0)
      g->answered_401++;
    else if (s->got >= 12 && memcmp(s->resp, "HTTP/1.", 7) == 0)
      g->answered_other++;
    else
      g->unanswered++;
  } else {
    long ms = now - s->t_open;

    if (ms >= e->a->held_ms)
      g->held++;
    if (ms > g->max_life_ms)
      g->max_life_ms = ms;
  }
  g->closed++;
  close(s->fd);
  s->fd = -1;
  s->state = SLOT_IDLE;
  s->t_next = now + (g->kind == ABUSE_FORGED ? 0 : e->a->reopen_ms);
}

/* Sends what is due: a forged push whole, a slow client's opening then
 * one byte per trickle_ms. -1 when the server has closed the socket. */
static int slot_send(struct engine *e, struct slot *s, long now) {
  const char *buf;
  size_t len;
  ssize_t n;

  if (s->g->kind == ABUSE_FORGED) {
    buf = e->forged;
    len = e->forged_len;
  } else {
    buf = opening(s->g->kind);
    len = strlen(buf);
  }
  if (s->sent < len) {
    n = send(s->fd, buf + s->sent, len - s->sent, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN ? 0 : -1;
    s->sent += (size_t)n;
    s->t_next = now + e->a->trickle_ms;
    return 0;
  }
  if (s->g->kind == ABUSE_FORGED || now < s->t_next)
    return 0;
  s->t_next = now + e->a->trickle_ms;
  n = send(s->fd, s->g->kind == ABUSE_SLOW_HEADERS ? "a" : " ", 1, MSG_NOSIGNAL);
  return n < 0 && errno != EAGAIN ? -1 : 0;
}

/* Reads what the server sent; -1 once it has closed the connection. */
static int slot_read(struct slot *s) {
  char buf[512];
  ssize_t n;

  for (;;) {
    n = recv(s->fd, buf, sizeof buf, 0);
    if (n == 0)
      return -1;
    if (n < 0)
      return errno == EAGAIN ? 0 : -1;
    if (s->got < sizeof s->resp) {
      size_t k = (size_t)n < sizeof s->resp - s->got ? (size_t)n : sizeof s->resp - s->got;

      memcpy(s->resp + s->got, buf, k);
      s->got += k;
    }
  }
}

static void on_event(struct engine *e, struct slot *s, short rev, long now) {
  if (s->state == SLOT_CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;

    if (!(rev & (POLLOUT | POLLERR | POLLHUP)))
      return;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) { /* refused outright: counts as closed by the server */
      slot_closed(e, s, now);
      return;
    }
    s->state = SLOT_OPEN;
  }
  if ((rev & (POLLIN | POLLHUP | POLLERR)) && slot_read(s) < 0) {
    slot_closed(e, s, now);
    return;
  }
  if (slot_send(e, s, now) < 0)
    slot_closed(e, s, now);
}

/* The poll set: every connection, waiting to connect, to write the
 * opening, or for the server's answer or close. */
static int gather(struct engine *e, long now, int *slow_open) {
  int i, n = 0;

  *slow_open = 0;
  for (i = 0; i < e->nslots; i++) {
    struct slot *s = &e->slots[i];

    if (s->state == SLOT_IDLE && (!s->used || s->g->reopen) && now < e->end_open &&
        now >= s->t_next)
      slot_open(e, s, now);
    if (s->state == SLOT_IDLE)
      continue;
    if (s->state == SLOT_OPEN && s->g->kind != ABUSE_FORGED)
      (*slow_open)++;
    e->pfd[n].fd = s->fd;
    e->pfd[n].events = POLLIN | (s->state == SLOT_CONNECTING ? POLLOUT : 0);
    e->pfd[n].revents = 0;
    e->pfd_slot[n++] = i;
  }
  return n;
}

static void engine_run(struct engine *e) {
  for (;;) {
    long now = now_ms();
    int slow_open, n = gather(e, now, &slow_open), i;

    if (slow_open > e->a->max_slow_open)
      e->a->max_slow_open = slow_open;
    if ((now >= e->end_open && n == 0) || now >= e->end_all)
      break;
    poll(e->pfd, (nfds_t)n, 20);
    now = now_ms();
    for (i = 0; i < n; i++) {
      struct slot *s = &e->slots[e->pfd_slot[i]];

      if (s->state == SLOT_OPEN && (e->pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        if (slot_send(e, s, now) < 0) /* a trickled byte due */
          slot_closed(e, s, now);
        continue;
      }
      on_event(e, s, e->pfd[i].revents, now);
    }
  }
}

static void *engine_main(void *arg) {
  struct abuse *a = arg;
  struct engine e;
  int i, j, k = 0;

  memset(&e, 0, sizeof e);
  e.a = a;
  for (i = 0; i < a->ngroups; i++)
    e.nslots += a->groups[i].count;
  e.slots = calloc((size_t)e.nslots, sizeof *e.slots);
  e.pfd = calloc((size_t)e.nslots, sizeof *e.pfd);
  e.pfd_slot = calloc((size_t)e.nslots, sizeof *e.pfd_slot);
  ASSERT(e.slots && e.pfd && e.pfd_slot);
  for (i = 0; i < a->ngroups; i++) {
    struct abuse_group *g = &a->groups[i];

    for (j = 0; j < g->count; j++) {
      e.slots[k].g = g;
      e.slots[k++].fd = -1;
    }
  }
  make_forged(&e);
  e.end_open = now_ms() + a->duration_ms;
  e.end_all = e.end_open + a->drain_ms;
  engine_run(&e);
  for (i = 0; i < e.nslots; i++)
    if (e.slots[i].state != SLOT_IDLE) {
      e.slots[i].g->left_open++;
      close(e.slots[i].fd);
    }
  free(e.slots);
  free(e.pfd);
  free(e.pfd_slot);
  return NULL;
}

void abuse_start(struct abuse *a) {
  a->max_slow_open = 0;
  ASSERT(pthread_create(&a->thread, NULL, engine_main, a) == 0);
}

void abuse_join(struct abuse *a) { ASSERT(pthread_join(a->thread, NULL) == 0); }
