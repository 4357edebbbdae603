/*
 * fuzz_lazada.c — connectors/lazada/: every answer parser and push
 * verification, through the connector's table (tests/fuzz/fuzz_conn.h says
 * how an input is read). The fixture is tests/unit/test_lazada.c's.
 */
#include "fuzz.h"
#include "fuzz_conn.h"

const oc_connector *fuzz_lazada_entry(void);

static const oc_kv fz_opts[] = {{"auth_url", "http://127.0.0.1:8090"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fzc_fixture fx = {
      .shop = {"http://127.0.0.1:8089", "123456", "lazada_secret_value", "200001",
               "access_token_value", "refresh_token_value", fz_opts, 1,
               "0_123456_auth_code_value", "https://example.com/cb"},
      .item_id = "2300069665",
      .skus = {"HN-TRA-001", "HN-TRA-001-500", "HN-TRA-001-1K"},
      .remote_ids = {"", "15000002", "15000003"},
      .category_id = "10001",
  };

  fx.conn = fuzz_lazada_entry();
  return fzc_run(&fx, data, size);
}
