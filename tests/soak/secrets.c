/* secrets.c — see secrets.h. */
#include "secrets.h"

#include <curl/curl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECRETS 256

static char *found[MAX_SECRETS];
static int nfound;

static void keep(const char *s) {
  int i;

  if (!s || strlen(s) < 8) /* too short to be a secret worth the name */
    return;
  for (i = 0; i < nfound; i++)
    if (strcmp(found[i], s) == 0)
      return;
  if (nfound < MAX_SECRETS)
    found[nfound++] = strdup(s);
}

/* Each credentials file's first line: the partner key or app secret. */
static void collect_files(struct world *w) {
  char dir[700], path[1024], line[512];
  struct dirent *e;
  DIR *d;
  FILE *f;

  snprintf(dir, sizeof dir, "%s/credentials", w->workdir[0]);
  d = opendir(dir);
  ASSERT_NOT_NULL(d);
  while ((e = readdir(d)) != NULL) {
    if (!strstr(e->d_name, ".secret"))
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if ((f = fopen(path, "r")) != NULL && fgets(line, sizeof line, f)) {
      line[strcspn(line, "\r\n")] = '\0';
      keep(line);
    }
    if (f)
      fclose(f);
  }
  closedir(d);
}

void secrets_collect(struct world *w) {
  static const char *const lists[][2] = {{"/_sim/shopee/shops", "shops"},
                                         {"/_sim/lazada/sellers", "sellers"},
                                         {"/_sim/tiktok/shops", "shops"}};
  static const char *const keys[] = {"access_token", "refresh_token", "previous_access_token"};
  size_t i, k;
  cJSON *r, *s;

  collect_files(w);
  for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    r = itest_sim_call(&w->sim, "GET", lists[i][0], NULL);
    s = cJSON_IsArray(r) ? r : cJSON_GetObjectItem(r, lists[i][1]);
    cJSON *one;

    cJSON_ArrayForEach(one, s)
      for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const cJSON *v = cJSON_GetObjectItem(one, keys[k]);

        if (cJSON_IsString(v))
          keep(v->valuestring);
      }
    cJSON_Delete(r);
  }
}

/* Secrets found in text; each one found is named (its first 4 bytes). */
static int count_in(const char *text, const char *where) {
  int i, n = 0;

  for (i = 0; text && i < nfound; i++)
    if (strstr(text, found[i])) {
      printf("# a secret (%.4s...) is in %s\n", found[i], where);
      n++;
    }
  return n;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg) {
  char **buf = arg;
  size_t old = *buf ? strlen(*buf) : 0, add = size * n;
  char *nb = realloc(*buf, old + add + 1);

  if (!nb)
    return 0;
  memcpy(nb + old, p, add);
  nb[old + add] = '\0';
  *buf = nb;
  return add;
}

static char *admin_get(struct world *w, const char *path) {
  char url[128], *body = NULL;
  CURL *c = curl_easy_init();

  snprintf(url, sizeof url, "http://127.0.0.1:%d%s", w->admin_port, path);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  ASSERT_EQ(curl_easy_perform(c), CURLE_OK);
  curl_easy_cleanup(c);
  return body;
}

/* pg_dump of the soak's database, as an operator's backup would be. */
static char *dump(struct world *w) {
  char cmd[1600], *out = NULL;
  const char *argv[] = {"/bin/sh", "-c", cmd, NULL};

  snprintf(cmd, sizeof cmd,
           "bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); "
           "\"$bin/pg_dump\" -d '%s'", w->db_conninfo);
  ASSERT_EQ(itest_run(argv, &out, NULL), 0);
  return out;
}

int secrets_search(struct world *w, struct secrets_found *f) {
  char *text;
  int i;

  memset(f, 0, sizeof *f);
  secrets_collect(w);
  f->secrets = nfound;
  for (i = 0; i < WORLD_DAEMONS; i++) {
    text = itest_read_file(w->daemon[i].log);
    f->in_logs += count_in(text, i ? "the second daemon's log" : "the log");
    free(text);
  }
  text = dump(w);
  f->in_dump = count_in(text, "the database dump");
  free(text);
  text = admin_get(w, "/metrics");
  f->in_admin = count_in(text, "/metrics");
  free(text);
  text = admin_get(w, "/status");
  f->in_admin += count_in(text, "/status");
  free(text);
  return f->in_logs + f->in_dump + f->in_admin;
}
