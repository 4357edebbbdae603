/*
 * fuzz_tiktok.c — connectors/tiktok/: every answer parser and push
 * verification, through the connector's table (tests/fuzz/fuzz_conn.h says
 * how an input is read). The fixture is tests/unit/test_tiktok.c's.
 */
#include "fuzz.h"
#include "fuzz_conn.h"

const oc_connector *fuzz_tiktok_entry(void);

static const oc_kv fz_opts[] = {{"shop_cipher", "ROW_cipher_abc"},
                                {"warehouse_id", "7068517275539719942"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fzc_fixture fx = {
      .shop = {"https://open-api.tiktokglobalshop.com", "29a39d", "tt_app_secret_123",
               "7494726673780148744", "tt_access_token_value", "tt_refresh_token_value",
               fz_opts, 2, "tt_auth_code_value_9", "https://example.com/cb"},
      .item_id = "1729592969712207321",
      .skus = {"HN-TRA-001", "HN-TRA-001-200", "HN-TRA-001-500"},
      .remote_ids = {"1729592969712272857", "1729592969712272858", "1729592969712272859"},
      .category_id = "600001",
  };

  fx.conn = fuzz_tiktok_entry();
  return fzc_run(&fx, data, size);
}
