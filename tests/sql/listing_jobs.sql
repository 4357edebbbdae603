-- listing_jobs.sql — what each listing should show and which jobs that takes
-- (sql/logic/listing_jobs.sql), and how ocop_sync queues them
-- (sql/logic/sync.sql). Run by tests/sql/run.sh on a fresh, migrated
-- database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(32);

-- ---- helpers ---------------------------------------------------------------

-- The jobs listing_jobs derives for a product's listing in a shop, sorted.
CREATE FUNCTION pg_temp.jobs(p_code text, p_shop text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(j.kind, ',' ORDER BY j.kind), '')
    FROM listing_jobs j
    JOIN product p ON p.id = j.product_id
    JOIN shop s ON s.id = j.shop_id
   WHERE p.code = p_code AND s.name = p_shop
$$;

CREATE FUNCTION pg_temp.listing(p_code text, p_shop text) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id JOIN shop s ON s.id = l.shop_id
   WHERE p.code = p_code AND s.name = p_shop
$$;

-- As if every job had succeeded: the listing is live (or in p_state) and
-- shows exactly its target.
CREATE PROCEDURE pg_temp.synced(p_code text, p_shop text, p_state text DEFAULT 'listed')
LANGUAGE sql AS $$
  UPDATE listing l SET state = p_state, item_id = 'item-' || l.id, create_started_at = NULL,
         sent_name = t.name, sent_description = t.description, sent_stars = t.stars
    FROM listing_target t
   WHERE t.listing_id = l.id AND l.id = pg_temp.listing(p_code, p_shop);
  UPDATE listing_variant lv SET remote_id = 'm-' || lv.variant_id, sent_price = t.price,
         sent_stock = t.stock
    FROM listing_variant_target t
   WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id
     AND lv.listing_id = pg_temp.listing(p_code, p_shop)
$$;

CREATE PROCEDURE pg_temp.revoke(p_code text) LANGUAGE sql AS $$
  UPDATE certificate c SET revoked_on = '2026-11-25'
    FROM product p WHERE p.id = c.product_id AND p.code = p_code
$$;

-- ---- a catalogue and two shops ---------------------------------------------

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm ' || c, (SELECT id FROM producer), CASE c WHEN 'SVC' THEN 'VI.1' ELSE 'I.2.b' END
  FROM unnest(ARRAY['NEW', 'LIVE', 'LAPSE', 'STRIP', 'CANNOT', 'BACK', 'GONE', 'DEAD', 'LATE',
                    'SVC', 'NEVER']) AS c;
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product WHERE code <> 'NEVER';
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 10, 'import' FROM variant;

INSERT INTO shop (name, marketplace, mp_shop_id, policy) VALUES ('main', 'shopee', '2001', 'delist');
INSERT INTO shop (name, marketplace, mp_shop_id, policy, stock_buffer)
VALUES ('strip', 'lazada', '3001', 'strip', 3);
-- Operators' shops carrying every product (assortment.sql).
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;
SELECT ocop_sync(NULL, NULL) \g /dev/null

-- ---- new listings --------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM listing l JOIN shop s ON s.id = l.shop_id WHERE s.name = 'main'), 9,
          'a new shop gets a listing for every eligible product that is shipped');
SELECT is(pg_temp.listing('NEVER', 'main'), NULL, 'a product never certified gets no listing');
SELECT is(pg_temp.listing('SVC', 'main'), NULL, 'a tourism service (sector VI) is not mirrored');
SELECT is(pg_temp.jobs('NEW', 'main'), 'publish', 'a new listing of an eligible product is published');
SELECT is((SELECT o.kind || ' ' || o.state || ' ' || o.priority FROM outbox o
            WHERE o.listing_id = pg_temp.listing('NEW', 'main')),
          'publish pending 5', 'the shop''s insertion queued the publish in the same transaction');
SELECT is(ocop_sync(NULL, NULL), 0, 'syncing again queues nothing: a pending job is enough');

-- ---- a live listing follows the catalogue ---------------------------------------

CALL pg_temp.synced('LIVE', 'main');
SELECT is(pg_temp.jobs('LIVE', 'main'), '', 'a live listing showing its target needs nothing');
UPDATE variant SET price_vnd = 55000 WHERE sku = 'LIVE';
SELECT is(pg_temp.jobs('LIVE', 'main'), 'price', 'a new price is a price job');
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, -4, 'adjust' FROM variant WHERE sku = 'LIVE';
SELECT is(pg_temp.jobs('LIVE', 'main'), 'price,stock', 'a stock change is a stock job');
UPDATE product SET name_vi = 'Tên mới' WHERE code = 'LIVE';
SELECT is(pg_temp.jobs('LIVE', 'main'), 'price,stock,update', 'a new name is an update');
SELECT is((SELECT stock FROM listing_variant_target WHERE listing_id = pg_temp.listing('LIVE', 'main')), 6::bigint,
          'a shop shows the ledger''s stock (10 - 4)');
SELECT is((SELECT stock FROM listing_variant_target WHERE listing_id = pg_temp.listing('LIVE', 'strip')), 3::bigint,
          'less the shop''s buffer');
UPDATE shop SET stock_buffer = 20 WHERE name = 'strip';
SELECT is((SELECT stock FROM listing_variant_target WHERE listing_id = pg_temp.listing('LIVE', 'strip')), 0::bigint,
          'and never below zero');

-- ---- a product that lost its certificate -----------------------------------------

CALL pg_temp.synced('LAPSE', 'main');
CALL pg_temp.revoke('LAPSE');
SELECT is(pg_temp.jobs('LAPSE', 'main'), 'delist',
          'a live listing whose product lost its certificate is delisted, and only that');
SELECT is((SELECT stars || ' ' || coalesce(decision_no, '-') || ' ' || mirror FROM listing_target
            WHERE listing_id = pg_temp.listing('LAPSE', 'main')),
          '0 - false', 'its target claims no stars and no decision');
SELECT is((SELECT priority FROM outbox WHERE listing_id = pg_temp.listing('LAPSE', 'main') AND kind = 'delist'),
          0::smallint, 'the delist was queued at once, before every other kind of job');
UPDATE outbox o SET state = 'dead', target = ocop_job_target('delist', t)
  FROM listing_target t
 WHERE t.listing_id = o.listing_id AND o.listing_id = pg_temp.listing('LAPSE', 'main') AND o.kind = 'delist';
SELECT is(pg_temp.jobs('LAPSE', 'main'), '', 'a delist the marketplace refused is not tried again that day');
SELECT ocop_clock_pin('2026-11-26', 'pgtap') \g /dev/null
SELECT is(pg_temp.jobs('LAPSE', 'main'), 'delist', 'it is tried again the next day');
SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null

CALL pg_temp.synced('STRIP', 'strip');
CALL pg_temp.revoke('STRIP');
SELECT is(pg_temp.jobs('STRIP', 'strip'), 'update',
          'under the strip policy the listing stays and loses its OCOP claims');
UPDATE listing SET sent_stars = 0 WHERE id = pg_temp.listing('STRIP', 'strip');
SELECT is(pg_temp.jobs('STRIP', 'strip'), '', 'a stripped listing needs nothing more');
UPDATE variant SET price_vnd = 60000 WHERE sku = 'STRIP';
SELECT is(pg_temp.jobs('STRIP', 'strip'), 'price', 'a stripped listing is still live: its price follows');

CALL pg_temp.synced('CANNOT', 'strip');
INSERT INTO connector_caps (marketplace, can_strip) VALUES ('lazada', false);
CALL pg_temp.revoke('CANNOT');
SELECT is(pg_temp.jobs('CANNOT', 'strip'), 'delist',
          'a connector that cannot strip falls back to delisting');

-- ---- hidden listings come back corrected --------------------------------------------

CALL pg_temp.synced('BACK', 'main', 'delisted');
SELECT is(pg_temp.jobs('BACK', 'main'), 'relist', 'a hidden listing of an eligible product is relisted');
UPDATE product SET description_vi = 'Mô tả mới' WHERE code = 'BACK';
SELECT is(pg_temp.jobs('BACK', 'main'), 'update',
          'a hidden listing with stale text is updated first, never relisted stale');

-- ---- a create of unknown outcome ------------------------------------------------------

CALL pg_temp.revoke('GONE');
SELECT is(pg_temp.jobs('GONE', 'main'), '', 'a listing never created needs nothing when its product lapses');
UPDATE listing SET create_started_at = now() - interval '1 minute'
 WHERE id = pg_temp.listing('LATE', 'main');
CALL pg_temp.revoke('LATE');
SELECT is(pg_temp.jobs('LATE', 'main'), 'delist',
          'a create that may have reached the marketplace is withdrawn');
SELECT is((SELECT string_agg(kind || ' ' || state, ',' ORDER BY kind) FROM outbox
            WHERE listing_id = pg_temp.listing('GONE', 'main')),
          'publish skipped', 'a queued publish no longer needed is skipped, not sent');

-- ---- dead jobs, paused shops ---------------------------------------------------------

CALL pg_temp.synced('DEAD', 'main');
UPDATE variant SET price_vnd = 70000 WHERE sku = 'DEAD';
UPDATE outbox o SET state = 'dead', target = ocop_job_target('price', t)
  FROM listing_target t
 WHERE t.listing_id = o.listing_id AND o.listing_id = pg_temp.listing('DEAD', 'main') AND o.kind = 'price';
SELECT is(pg_temp.jobs('DEAD', 'main'), '', 'a price the marketplace refused is not retried as it is');
UPDATE variant SET price_vnd = 71000 WHERE sku = 'DEAD';
SELECT is(pg_temp.jobs('DEAD', 'main'), 'price', 'a different price is tried');

UPDATE shop SET status = 'paused' WHERE name = 'main';
SELECT is((SELECT count(*)::int FROM listing_jobs j JOIN shop s ON s.id = j.shop_id WHERE s.name = 'main'), 0,
          'a paused shop needs no jobs');

-- ---- priorities --------------------------------------------------------------------

SELECT is(ARRAY(SELECT k FROM unnest(ARRAY['publish', 'stock', 'relist', 'delist', 'update']) k
                 ORDER BY ocop_job_priority(k), k),
          ARRAY['delist', 'update', 'relist', 'stock', 'publish'],
          'withdrawals first, then corrections, relists, stock and prices, publishing last');
SELECT is(ocop_job_priority('price'), ocop_job_priority('stock'), 'price and stock rank alike');

SELECT * FROM finish();
ROLLBACK;
