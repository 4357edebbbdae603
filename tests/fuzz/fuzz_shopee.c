/*
 * fuzz_shopee.c — connectors/shopee/: every answer parser and push
 * verification, through the connector's table (tests/fuzz/fuzz_conn.h says
 * how an input is read). The fixture is tests/unit/test_shopee.c's.
 */
#include "fuzz.h"
#include "fuzz_conn.h"

const oc_connector *fuzz_shopee_entry(void);

static const oc_kv fz_opts[] = {
    {"category_id", "100644"}, {"logistic_id", "5000"}, {"ocop_attribute_id", "100999"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fzc_fixture fx = {
      .shop = {"https://partner.shopeemobile.com", "123456", "test_partner_key", "654321",
               "token_value", "refresh_value_xyz", fz_opts, 3, "auth_code_value_42",
               "https://example.com/cb?x=1"},
      .item_id = "2300069665",
      .skus = {"HN-TRA-001", "HN-TRA-001-500", "HN-TRA-001-1K"},
      .remote_ids = {"0", "20001", "20002"},
      .category_id = "100644",
      .signs_url = 1,
  };

  fx.conn = fuzz_shopee_entry();
  return fzc_run(&fx, data, size);
}
