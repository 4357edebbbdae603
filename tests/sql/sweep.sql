-- sweep.sql — a sweep taken slice by slice (ocop_sweep_slice and ocop_sweep
-- in sql/logic/sync.sql): the slices cover every product once, in order,
-- each queues the jobs of its own products, only the first takes back
-- expired leases, and ocop_sweep is their sum. Run by tests/sql/run.sh on a
-- fresh, migrated database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(12);

-- Five certified products in one Shopee shop.
SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT 'P' || g, 'Sản phẩm thử ' || g, (SELECT id FROM producer), 'I.2.b'
  FROM generate_series(1, 5) g;
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product;
INSERT INTO shop (name, marketplace, mp_shop_id, policy) VALUES ('main', 'shopee', '2001', 'delist');
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;
SELECT ocop_sync(NULL, NULL) \g /dev/null

CREATE FUNCTION pg_temp.nth(n integer) RETURNS bigint LANGUAGE sql AS $$
  SELECT id FROM product ORDER BY id OFFSET n - 1 LIMIT 1
$$;
CREATE FUNCTION pg_temp.pending_of(lo integer, hi integer) RETURNS integer LANGUAGE sql AS $$
  SELECT count(*)::integer FROM outbox o JOIN listing l ON l.id = o.listing_id
   WHERE o.state = 'pending' AND l.product_id BETWEEN pg_temp.nth(lo) AND pg_temp.nth(hi)
$$;

-- Every job done as if sent: each slice queues the publishes of its own
-- products again, and no other.
UPDATE outbox SET state = 'done';
SELECT is((SELECT row(last_product, queued)::text FROM ocop_sweep_slice(0, 2)),
          row(pg_temp.nth(2), 2)::text, 'the first slice: products 1 and 2, two jobs');
SELECT is(pg_temp.pending_of(3, 5), 0, 'nothing queued beyond the slice');
SELECT is((SELECT row(last_product, queued)::text FROM ocop_sweep_slice(pg_temp.nth(2), 2)),
          row(pg_temp.nth(4), 2)::text, 'the next slice starts after the last product');
SELECT is(pg_temp.pending_of(1, 4), 4, 'products 1 to 4 have their jobs');
SELECT is((SELECT row(last_product, queued)::text FROM ocop_sweep_slice(pg_temp.nth(4), 2)),
          row(NULL::bigint, 1)::text, 'a short slice is the last');
SELECT is((SELECT row(last_product, queued)::text FROM ocop_sweep_slice(pg_temp.nth(5), 2)),
          row(NULL::bigint, 0)::text, 'a slice past the last product does nothing');
SELECT is((SELECT row(last_product, queued)::text FROM ocop_sweep_slice(0, 5)),
          row(pg_temp.nth(5), 0)::text, 'a full slice names its last product');

-- Only the first slice takes back a job whose lease ran out.
UPDATE outbox SET state = 'running', lease_owner = 'gone', lease_until = now() - interval '1 minute'
 WHERE state = 'pending' AND listing_id = (SELECT id FROM listing WHERE product_id = pg_temp.nth(1));
SELECT ocop_sweep_slice(pg_temp.nth(1), 10) \g /dev/null
SELECT is((SELECT state FROM outbox WHERE lease_owner = 'gone'), 'running',
          'a later slice leaves an expired lease alone');
SELECT ocop_sweep_slice(0, 10) \g /dev/null
SELECT is((SELECT state FROM outbox WHERE lease_owner IS NULL AND last_error = 'lease expired'),
          'pending', 'the first slice takes it back');

-- The whole sweep is the sum of its slices.
UPDATE outbox SET state = 'done';
SELECT is(ocop_sweep(), 5, 'ocop_sweep queues the five publishes');
SELECT is(ocop_sweep(), 0, 'and nothing the second time');
SELECT cmp_ok(ocop_sweep_slice_size(), '>=', 100, 'a daemon''s slice is not tiny');

SELECT * FROM finish();
ROLLBACK;
