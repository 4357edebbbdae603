-- variants.sql — a product's variants on its listings (sql/logic/listing_jobs.sql,
-- outbox.sql): which jobs a variant added to or withdrawn from a live item
-- takes, what a finished job records per variant, and that every variant
-- follows its product's certificate.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(14);

CREATE FUNCTION pg_temp.lid() RETURNS bigint LANGUAGE sql AS $$
  SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id WHERE p.code = 'TEA'
$$;

CREATE FUNCTION pg_temp.jobs() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(kind, ',' ORDER BY kind), '') FROM listing_jobs
   WHERE listing_id = pg_temp.lid()
$$;

-- As if every job had succeeded, each variant on the item with an id.
CREATE PROCEDURE pg_temp.synced() LANGUAGE sql AS $$
  UPDATE listing l SET state = 'listed', item_id = 'item-1', create_started_at = NULL,
         sent_name = t.name, sent_description = t.description, sent_stars = t.stars
    FROM listing_target t WHERE t.listing_id = l.id AND l.id = pg_temp.lid();
  UPDATE listing_variant lv SET remote_id = CASE WHEN v.active THEN 'm-' || v.id END,
         sent_price = CASE WHEN v.active THEN v.price_vnd END,
         sent_stock = CASE WHEN v.active THEN 5 END
    FROM variant v WHERE v.id = lv.variant_id AND lv.listing_id = pg_temp.lid()
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Chè', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
VALUES ('TEA', 'Trà xanh', (SELECT id FROM producer), 'I.5.a');
INSERT INTO variant (product_id, sku, label, position, price_vnd)
SELECT p.id, 'TEA-' || s.g, s.g || ' g', s.n, s.g * 1000
  FROM product p, unnest(ARRAY[100, 250]) WITH ORDINALITY AS s (g, n);
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 5, 'import' FROM variant;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ 1', '2025-01-10' FROM product;
INSERT INTO shop (name, marketplace, mp_shop_id, owner_producer_id)
VALUES ('htx-che', 'tiktok', '7001', (SELECT id FROM producer));

SELECT is((SELECT count(*)::int FROM listing_variant WHERE listing_id = pg_temp.lid()), 2,
          'a producer''s shop lists its product, with a row per variant');
SELECT is(pg_temp.jobs(), 'publish', 'a new listing is one publish for all its variants');
SELECT is((SELECT json_array_length(variants) FROM listing_target WHERE listing_id = pg_temp.lid()),
          2, 'the publish carries both variants');

CALL pg_temp.synced();
SELECT is(pg_temp.jobs(), '', 'an item showing every variant needs nothing');

INSERT INTO variant (product_id, sku, label, position, price_vnd)
SELECT id, 'TEA-500', '500 g', 3, 450000 FROM product;
SELECT is(pg_temp.jobs(), 'variants', 'a variant added to a live product is a variants job');
SELECT is((SELECT o.kind || ' ' || o.state FROM outbox o
            WHERE o.listing_id = pg_temp.lid() AND o.kind = 'variants'),
          'variants pending', 'queued in the same transaction');
SELECT is((SELECT variants -> 2 ->> 'sku' || ' ' || coalesce(variants -> 2 ->> 'remote_id', 'none')
             FROM listing_target WHERE listing_id = pg_temp.lid()),
          'TEA-500 none', 'the job sends the new variant, not on the item yet');

SELECT lives_ok($$ SELECT ocop_record_variants(pg_temp.lid(),
            '[{"sku": "TEA-500", "remote_id": "m-new", "price": 450000, "stock": 0}]', true, true) $$,
          'a finished variants job records the new id');
SELECT is(pg_temp.jobs(), '', 'and the item is in line again');

UPDATE variant SET active = false WHERE sku = 'TEA-250';
SELECT is(pg_temp.jobs(), 'variants', 'a variant withdrawn from the catalogue is taken off the item');
SELECT is((SELECT string_agg(e ->> 'sku' || ':' || (e ->> 'removed'), ' ')
             FROM listing_target, json_array_elements(variants) e WHERE listing_id = pg_temp.lid()),
          'TEA-100:false TEA-500:false TEA-250:true', 'withdrawn variants come last, marked removed');
SELECT ocop_record_variants(pg_temp.lid(), '[{"sku": "TEA-250", "gone": true}]', true, true);
SELECT is(pg_temp.jobs(), '', 'once gone from the item, nothing more');

UPDATE variant SET price_vnd = 120000 WHERE sku = 'TEA-100';
SELECT is((SELECT price_sig FROM listing_target WHERE listing_id = pg_temp.lid()),
          'TEA-100=120000 TEA-500=450000', 'a price job sends every variant on the item');

UPDATE certificate SET revoked_on = '2026-11-25';
SELECT is(pg_temp.jobs(), 'delist', 'a revoked certificate withdraws the item with all its variants');

SELECT * FROM finish();
ROLLBACK;
