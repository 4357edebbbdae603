-- stock.sql — one stock ledger (sql/logic/stock.sql, append_only.sql), what
-- orders do to it (sql/logic/orders.sql), oversells, and the stock pushes
-- every change queues (sql/logic/listing_jobs.sql). Run by
-- tests/sql/run.sh on a fresh, migrated database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(33);

-- ---- helpers ---------------------------------------------------------------

-- Ingests one order of one line into a shop; returns "new updated unchanged
-- failed dead".
CREATE FUNCTION pg_temp.order(p_shop text, p_id text, p_effect text, p_time bigint, p_sku text,
                              p_qty int) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' ', new_orders, updated, unchanged, failed, dead)
    FROM ocop_ingest_orders((SELECT id FROM shop WHERE name = p_shop),
                            jsonb_build_object('orders', jsonb_build_array(jsonb_build_object(
                              'id', p_id, 'status', upper(p_effect), 'effect', p_effect,
                              'update_time', p_time,
                              'lines', jsonb_build_array(jsonb_build_object('sku', p_sku, 'qty', p_qty))))),
                            NULL, NULL, 3)
$$;

-- Variants whose stock_level differs from the sum of their ledger rows, or
-- whose reservation differs from the lines of their reserved orders.
CREATE FUNCTION pg_temp.drift() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(v.sku, ',' ORDER BY v.sku), '')
    FROM variant v
    LEFT JOIN stock_level sl ON sl.variant_id = v.id
   WHERE coalesce(sl.on_hand, 0) <> coalesce((SELECT sum(delta) FROM stock_ledger l
                                               WHERE l.variant_id = v.id), 0)
      OR coalesce(sl.reserved, 0) <> coalesce((SELECT sum(ol.quantity) FROM order_line ol
                                                 JOIN "order" o ON o.id = ol.order_id
                                                WHERE ol.variant_id = v.id
                                                  AND o.stock_effect = 'reserved'), 0)
$$;

CREATE FUNCTION pg_temp.stock(p_sku text) RETURNS text LANGUAGE sql AS $$
  SELECT on_hand || ' ' || reserved FROM stock_level sl JOIN variant v ON v.id = sl.variant_id
   WHERE v.sku = p_sku
$$;

-- What a variant's listing in a shop shows and which jobs the listing needs.
CREATE FUNCTION pg_temp.shown(p_sku text, p_shop text) RETURNS text LANGUAGE sql AS $$
  SELECT t.stock || ' ' || coalesce((SELECT string_agg(j.kind, ',' ORDER BY j.kind) FROM listing_jobs j
                                      WHERE j.listing_id = t.listing_id), '')
    FROM listing_variant_target t JOIN listing l ON l.id = t.listing_id
    JOIN shop s ON s.id = l.shop_id
   WHERE t.sku = p_sku AND s.name = p_shop
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['S1', 'LAST']) AS c;
-- S1 comes in two pack sizes: S1 (500 g) and S1-1K (1 kg).
INSERT INTO variant (product_id, sku, label, position, price_vnd)
SELECT id, code, CASE code WHEN 'S1' THEN '500 g' ELSE '' END, 1, 50000 FROM product;
INSERT INTO variant (product_id, sku, label, position, price_vnd)
SELECT id, 'S1-1K', '1 kg', 2, 90000 FROM product WHERE code = 'S1';
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product;
INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('main', 'shopee', '2001');
INSERT INTO shop (name, marketplace, mp_shop_id, stock_buffer) VALUES ('second', 'lazada', '3001', 1);
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;
SELECT ocop_sync(NULL, NULL) \g /dev/null

-- ---- the ledger and its cache ----------------------------------------------------

INSERT INTO stock_ledger (variant_id, delta, reason)
SELECT id, d, r FROM variant, (VALUES (20, 'import'), (-3, 'adjust'), (1, 'correction')) v (d, r)
 WHERE sku = 'S1';
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 1, 'import' FROM variant WHERE sku = 'LAST';
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 7, 'import' FROM variant WHERE sku = 'S1-1K';
SELECT is(pg_temp.stock('S1'), '18 0', 'stock_level holds the sum of the ledger');
SELECT is(pg_temp.drift(), '', 'for every product');

SELECT throws_ok($$ UPDATE stock_ledger SET delta = 100 $$, '42501', 'stock_ledger is append-only',
                 'a ledger row cannot be changed');
SELECT throws_ok($$ DELETE FROM stock_ledger $$, '42501', 'stock_ledger is append-only',
                 'nor removed');
SELECT throws_ok($$ INSERT INTO stock_ledger (variant_id, delta, reason)
                    SELECT id, 0, 'adjust' FROM variant WHERE sku = 'S1' $$, '23514', NULL,
                 'a ledger row moves stock');
SELECT throws_ok($$ INSERT INTO stock_ledger (variant_id, delta, reason)
                    SELECT id, 1, 'gift' FROM variant WHERE sku = 'S1' $$, '23514', NULL,
                 'for a known reason');
SELECT throws_ok($$ INSERT INTO stock_ledger (variant_id, product_id, delta, reason)
                    SELECT v.id, p.id, 1, 'adjust' FROM variant v, product p
                     WHERE v.sku = 'S1' AND p.code = 'LAST' $$, '23503', NULL,
                 'and for the product its variant belongs to');
SELECT throws_ok($$ DELETE FROM event $$, '42501', 'event is append-only',
                 'the audit trail is append-only too');

-- ---- every change reaches every listing ------------------------------------------

UPDATE listing l SET state = 'listed', item_id = 'item-' || l.id, sent_name = t.name,
       sent_description = t.description, sent_stars = t.stars
  FROM listing_target t WHERE t.listing_id = l.id;
UPDATE listing_variant lv SET remote_id = 'm-' || lv.variant_id, sent_price = t.price,
       sent_stock = t.stock
  FROM listing_variant_target t WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id;
SELECT is(pg_temp.shown('S1', 'main') || ' / ' || pg_temp.shown('S1', 'second'), '18  / 17 ',
          'each shop shows the ledger''s stock less its buffer, and needs nothing');

SELECT is(pg_temp.order('main', 'A1', 'sold', 100, 'S1', 2), '1 0 0 0 0', 'a sale on one channel');
SELECT is(pg_temp.stock('S1'), '16 0', 'comes off the ledger');
SELECT is(pg_temp.stock('S1-1K'), '7 0', 'of that variant alone: the other pack size keeps its stock');
SELECT is((SELECT string_agg(t.sku || '=' || t.stock, ' ' ORDER BY t.sku)
             FROM listing_variant_target t JOIN listing l ON l.id = t.listing_id
             JOIN shop s ON s.id = l.shop_id WHERE s.name = 'second' AND t.product_id =
               (SELECT id FROM product WHERE code = 'S1')),
          'S1=15 S1-1K=6', 'and each channel shows each variant''s own stock');
SELECT is(pg_temp.shown('S1', 'main') || ' / ' || pg_temp.shown('S1', 'second'), '16 stock / 15 stock',
          'and every channel of the product needs a stock push');
SELECT is((SELECT count(*)::int FROM outbox o JOIN listing l ON l.id = o.listing_id
            JOIN product p ON p.id = l.product_id
            WHERE p.code = 'S1' AND o.kind = 'stock' AND o.state = 'pending'), 2,
          'queued in the same transaction as the sale');

SELECT is(pg_temp.order('second', 'B1', 'reserved', 100, 'S1', 4), '1 0 0 0 0', 'an unpaid order');
SELECT is(pg_temp.shown('S1', 'main'), '12 stock', 'holds its quantity back from every channel');

SELECT is(pg_temp.order('main', 'A1', 'returned', 200, 'S1', 2), '0 1 0 0 0', 'a return');
SELECT is(pg_temp.stock('S1'), '18 4', 'puts the sold quantity back');
SELECT is(pg_temp.order('main', 'A1', 'returned', 300, 'S1', 2) || ' ' || pg_temp.stock('S1'),
          '0 1 0 0 0 18 4', 'once');

-- ---- oversells -------------------------------------------------------------------

SELECT is(pg_temp.order('main', 'L1', 'sold', 100, 'LAST', 1), '1 0 0 0 0', 'the last unit sold');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'oversell'), 0, 'is no oversell');
SELECT is(pg_temp.order('second', 'L2', 'sold', 100, 'LAST', 1) || ' ' || pg_temp.stock('LAST'),
          '1 0 0 0 0 -1 0', 'a second channel sold it before it heard of the first');
SELECT is((SELECT s.name || ' ' || (e.detail ->> 'order') || ' ' || (e.detail ->> 'on_hand')
             FROM event e JOIN shop s ON s.id = e.shop_id WHERE e.kind = 'oversell'),
          'second L2 -1', 'the oversell is recorded once, with the order that made it');

-- ---- a batch of many orders (ocop_ingest_orders, one round per update) ------------

-- Ingests into a shop the orders given as 'ID:EFFECT:TIME:SKU:QTY', in order.
CREATE FUNCTION pg_temp.batch(p_shop text, p_orders text[]) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' ', new_orders, updated, unchanged, failed, dead)
    FROM ocop_ingest_orders((SELECT id FROM shop WHERE name = p_shop),
                            jsonb_build_object('orders', (
                              SELECT jsonb_agg(jsonb_build_object(
                                       'id', f[1], 'status', upper(f[2]), 'effect', f[2],
                                       'update_time', f[3]::bigint,
                                       'lines', jsonb_build_array(jsonb_build_object('sku', f[4], 'qty', f[5]::int)))
                                     ORDER BY n)
                                FROM unnest(p_orders) WITH ORDINALITY AS o (t, n),
                                     string_to_array(o.t, ':') AS f)),
                            NULL, NULL, 3)
$$;

SELECT is(pg_temp.batch('main', ARRAY['M1:sold:100:S1-1K:4', 'M2:reserved:100:S1-1K:3',
                                      'M3:sold:100:S1-1K:2', 'M1:cancelled:200:S1-1K:4']),
          '3 1 0 0 0', 'a batch of three new orders and a later update of one of them');
SELECT is(pg_temp.stock('S1-1K'), '5 3', 'moves the stock as the orders would one by one');
SELECT is((SELECT string_agg((e.detail ->> 'order') || ' ' || (e.detail ->> 'on_hand') || ' '
                             || (e.detail ->> 'reserved'), ', ' ORDER BY e.id)
             FROM event e WHERE e.kind = 'oversell' AND e.detail ->> 'sku' = 'S1-1K'),
          'M3 1 3', 'an oversell names the order after which the stock was gone, as it stood then');
SELECT is((SELECT string_agg(o.mp_order_id || ' ' || e.action, ', ' ORDER BY o.mp_order_id)
             FROM event e JOIN "order" o ON e.dedupe_key = 'order:' || o.id
            WHERE e.kind = 'order_restock' AND o.mp_order_id LIKE 'M%'),
          'M1 cancel', 'the sale cancelled in the same batch is put back');
SELECT is(pg_temp.batch('main', ARRAY['M1:sold:100:S1-1K:4', 'M2:reserved:100:S1-1K:3',
                                      'M3:sold:100:S1-1K:2', 'M1:cancelled:200:S1-1K:4'])
          || ' ' || pg_temp.stock('S1-1K'), '0 0 4 0 0 5 3', 'the same batch again changes nothing');

-- ---- a batch syncs once, at its end (ocop_ingest_orders) ---------------------------

CREATE FUNCTION pg_temp.stock_jobs(p_code text) RETURNS int LANGUAGE sql AS $$
  SELECT count(*)::int FROM outbox o JOIN listing l ON l.id = o.listing_id
    JOIN product p ON p.id = l.product_id
   WHERE p.code = p_code AND o.kind = 'stock' AND o.state = 'pending'
$$;
UPDATE outbox SET state = 'done' WHERE state = 'pending';
SELECT ocop_sync_defer();
INSERT INTO stock_ledger (variant_id, delta, reason)
SELECT id, 1, 'adjust' FROM variant WHERE sku = 'S1';
SELECT is(pg_temp.stock_jobs('S1'), 0, 'while a batch defers its syncs, a stock move queues nothing yet');
SELECT ocop_sync_deferred();
SELECT is(pg_temp.stock_jobs('S1'), 2, 'at the batch''s end every channel of the product gets its push');
UPDATE outbox SET state = 'done' WHERE state = 'pending';
INSERT INTO stock_ledger (variant_id, delta, reason)
SELECT id, 1, 'adjust' FROM variant WHERE sku = 'S1';
SELECT is(pg_temp.stock_jobs('S1'), 2, 'and after it, a stock move syncs at once again');

SELECT is(pg_temp.drift(), '', 'after all of it, stock_level still holds the ledger''s sums');

SELECT * FROM finish();
ROLLBACK;
