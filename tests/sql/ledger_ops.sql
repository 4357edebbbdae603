-- ledger_ops.sql — the operator's stocktakes, corrections, revocations and
-- recognition decisions (sql/logic/ledger_ops.sql): what they write, what
-- they refuse and with which code, and that the ledger stays append-only
-- and consistent. Run by tests/sql/run.sh on a fresh, migrated database;
-- everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(30);

CREATE FUNCTION pg_temp.stock(p_sku text) RETURNS text LANGUAGE sql AS $$
  SELECT sl.on_hand || ' ' || sl.reserved FROM stock_level sl JOIN variant v ON v.id = sl.variant_id
   WHERE v.sku = p_sku
$$;

CREATE FUNCTION pg_temp.state(p_code text) RETURNS text LANGUAGE sql AS $$
  SELECT e.state || ' ' || coalesce(e.decision_no, '-') FROM product_eligibility e
    JOIN product p ON p.id = e.product_id WHERE p.code = p_code
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind, province) VALUES ('HTX Thử', 'cooperative', 'Hà Nội');
INSERT INTO product (code, name_vi, producer_id, category_code)
VALUES ('P1', 'Sản phẩm 1', (SELECT id FROM producer), 'I.2.b');
INSERT INTO variant (product_id, sku, label, position, price_vnd)
VALUES ((SELECT id FROM product), 'P1', '', 1, 50000);
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
VALUES ((SELECT id FROM product), 4, '10/QĐ', '2025-01-10');
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 20, 'import' FROM variant;
INSERT INTO shop (name, marketplace) VALUES ('s1', 'shopee');

-- ---- stock -------------------------------------------------------------------

SELECT is((SELECT on_hand || ' ' || reserved || ' ' || delta FROM ocop_stock_set('P1', 30, ' shelf count ')),
          '30 0 10', 'a stocktake moves on hand to the count');
SELECT is((SELECT reason || ' ' || delta || ' ' || note FROM stock_ledger ORDER BY id DESC LIMIT 1),
          'stocktake 10 shelf count', 'one stocktake row, its note trimmed');
SELECT is((SELECT delta FROM ocop_stock_set('P1', 30, 'again')), 0::bigint,
          'the same count again writes nothing');
SELECT is((SELECT count(*) FROM stock_ledger WHERE reason = 'stocktake'), 1::bigint,
          'still one stocktake row');
SELECT is((SELECT on_hand FROM ocop_stock_adjust('P1', -4, 'four broken')), 26::bigint,
          'a correction moves on hand by its delta');
SELECT is((SELECT reason || ' ' || note FROM stock_ledger ORDER BY id DESC LIMIT 1),
          'correction four broken', 'as a correction row with its note');

-- An unpaid order holds 6.
SELECT ocop_ingest_orders((SELECT id FROM shop), '{"orders": [{"id": "O1", "status": "UNPAID",
  "effect": "reserved", "update_time": 1764000000, "lines": [{"sku": "P1", "qty": 6}]}]}',
  NULL, NULL, 3) \g /dev/null
SELECT is(pg_temp.stock('P1'), '26 6', 'the order reserves 6');
SELECT throws_ok($$SELECT * FROM ocop_stock_adjust('P1', -21, 'x')$$, '23514',
                 'P1: on hand would be 5, below the 6 reserved by unpaid orders',
                 'a correction below reserved is refused');
SELECT throws_ok($$SELECT * FROM ocop_stock_set('P1', 5, 'x')$$, '23514',
                 'P1: on hand would be 5, below the 6 reserved by unpaid orders',
                 'a stocktake below reserved is refused');
SELECT throws_ok($$SELECT * FROM ocop_stock_set('P1', -1, 'x')$$, '23514',
                 'P1: a count cannot be negative (-1)', 'a negative count is refused');
SELECT throws_ok($$SELECT * FROM ocop_stock_adjust('P1', 0, 'x')$$, '22023',
                 'P1: an adjustment of 0 changes nothing', 'a zero correction is refused');
SELECT throws_ok($$SELECT * FROM ocop_stock_adjust('P1', 1, '   ')$$, '22023',
                 'the reason must say why, in 1 to 500 characters', 'an empty note is refused');
SELECT throws_ok($$SELECT * FROM ocop_stock_adjust('NOPE', 1, 'x')$$, 'P0002',
                 'unknown SKU "NOPE" (see ocopctl stock show --product CODE)',
                 'an unknown SKU is refused');
SELECT is(pg_temp.stock('P1'), '26 6', 'refusals wrote nothing');
SELECT is((SELECT sum(delta) FROM stock_ledger)::text, '26', 'on hand is the ledger''s sum');
SELECT throws_ok($$INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 1, 'stocktake' FROM variant$$,
                 '23514', NULL, 'a stocktake row without a note is refused');
SELECT throws_ok($$UPDATE stock_ledger SET note = 'rewritten'$$, '42501', NULL,
                 'notes, like the ledger, are never rewritten');

-- ---- certificates ---------------------------------------------------------------

SELECT is(pg_temp.state('P1'), 'certified 10/QĐ', 'P1 starts certified');
SELECT throws_ok($$SELECT ocop_cert_revoke('P1', '20/QĐ', '2024-12-31', NULL)$$, 'P0002',
                 'P1: no recognition decided on or before 2024-12-31 to revoke',
                 'no recognition to revoke before the decision');
SELECT throws_ok($$SELECT ocop_cert_revoke('P1', '  ', '2026-11-25', NULL)$$, '22023',
                 'the revocation decision number must have 1 to 100 characters',
                 'a revocation needs its decision number');
SELECT ok(ocop_cert_revoke('P1', '20/QĐ', '2026-11-25', 'false claims') IS NOT NULL,
          'revoked from the OCOP date');
SELECT is(pg_temp.state('P1'), 'revoked 10/QĐ', 'revoked on its first day');
SELECT is((SELECT revocation_decision_no || ' ' || revocation_reason FROM certificate),
          '20/QĐ false claims', 'the decision number and reason are kept');
SELECT is(ocop_cert_revoke('P1', '20/QĐ', '2026-11-25', 'false claims'),
          (SELECT id FROM certificate), 'the same revocation again changes nothing');
SELECT throws_ok($$SELECT ocop_cert_revoke('P1', '21/QĐ', '2026-11-26', NULL)$$, '23514',
                 'P1: certificate 10/QĐ is already revoked from 2026-11-25 by decision 20/QĐ',
                 'another revocation of a revoked certificate is refused');
SELECT is((SELECT count(*) FROM event WHERE kind = 'certificate_revoked'), 1::bigint,
          'one revocation event');

SELECT throws_ok($$SELECT ocop_cert_decide('P1', 2, '30/QĐ', '2026-11-25', NULL)$$, '22023',
                 'stars must be 3, 4 or 5 for a recognition decision (not 2)',
                 'a decision below 3 stars is refused');
SELECT throws_ok($$SELECT ocop_cert_decide('P1', 4, '30/QĐ', '2026-11-25', '2026-01-01')$$,
                 '23514', 'P1: valid until 2026-01-01 is before the decision date 2026-11-25',
                 'a validity ending before the decision is refused');
SELECT ocop_cert_decide('P1', 5, '30/QĐ', '2026-11-25', NULL) \g /dev/null
SELECT is((SELECT c.valid_until || ' ' || c.province_at_cert || ' ' || c.source FROM certificate c
            WHERE c.decision_no = '30/QĐ'),
          '2029-11-25 Hà Nội ocopctl', 'a re-certification runs 36 months, with the producer''s province');
SELECT is(pg_temp.state('P1'), 'certified 30/QĐ', 'the new decision speaks for the product');

SELECT * FROM finish();
ROLLBACK;
