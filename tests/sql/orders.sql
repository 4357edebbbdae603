-- orders.sql — ingesting marketplace orders (sql/logic/orders.sql) and
-- webhook pushes (sql/logic/webhook.sql). Run by tests/sql/run.sh on a
-- fresh, migrated database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(37);

-- ---- helpers ---------------------------------------------------------------

-- A canonical order document (connectors/connector.h, "Orders (ABI 3)") of
-- one order; lines as 'SKU:QTY,SKU:QTY'.
CREATE FUNCTION pg_temp.doc(p_id text, p_status text, p_effect text, p_time bigint, p_lines text)
RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('orders', jsonb_build_array(jsonb_build_object(
           'id', p_id, 'status', p_status, 'effect', p_effect, 'update_time', p_time,
           'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object('sku', split_part(l, ':', 1),
                                                                  'qty', split_part(l, ':', 2)::int)),
                                     '[]')
                       FROM unnest(string_to_array(p_lines, ',')) l))))
$$;

-- What ocop_ingest_orders says: "new updated unchanged failed dead".
CREATE FUNCTION pg_temp.ingest(p_doc jsonb, p_asked text[] DEFAULT NULL,
                               p_cursor timestamptz DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
  SELECT concat_ws(' ', new_orders, updated, unchanged, failed, dead)
    FROM ocop_ingest_orders((SELECT id FROM shop WHERE name = 'main'), p_doc, p_asked, p_cursor, 3)
$$;

CREATE FUNCTION pg_temp.ledger(p_order text, p_reason text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(l.delta::text, ',' ORDER BY l.id), '')
    FROM stock_ledger l
    JOIN "order" o ON l.ref LIKE 'order:' || o.id || ':%'
   WHERE o.mp_order_id = p_order AND l.reason = p_reason
$$;

CREATE FUNCTION pg_temp.p1() RETURNS text LANGUAGE sql AS $$
  SELECT 'on_hand ' || on_hand || ' reserved ' || reserved
    FROM stock_level sl JOIN variant v ON v.id = sl.variant_id WHERE v.sku = 'P1'
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['P1', 'P2']) AS c;
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product;
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 10, 'import' FROM variant;
INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('main', 'shopee', '2001');

-- ---- one order, its life, and its stock ---------------------------------------

SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'UNPAID', 'reserved', 1000, 'P1:2')), '1 0 0 0 0',
          'a new unpaid order is ingested');
SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'UNPAID', 'reserved', 1000, 'P1:2')), '0 0 1 0 0',
          'the same batch again changes nothing');
SELECT is((SELECT count(*)::int FROM "order" WHERE mp_order_id = 'A1'), 1, 'one order row');
SELECT is(pg_temp.p1(), 'on_hand 10 reserved 2', 'an unpaid order reserves its quantity, sells nothing');

SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'READY_TO_SHIP', 'sold', 2000, 'P1:2')), '0 1 0 0 0',
          'a newer update of the order is an update');
SELECT is(pg_temp.ledger('A1', 'sale'), '-2', 'the sale is one ledger row');
SELECT is(pg_temp.p1(), 'on_hand 8 reserved 0', 'the sale takes the stock and frees the reservation');
SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'READY_TO_SHIP', 'sold', 2000, 'P1:2')), '0 0 1 0 0',
          'the same sale again is unchanged');
SELECT is(pg_temp.ledger('A1', 'sale'), '-2', 'and sells nothing twice');

SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'UNPAID', 'reserved', 1500, 'P1:2')), '0 0 1 0 0',
          'an older update is ignored');
SELECT is((SELECT status || ' ' || stock_effect || ' ' || extract(epoch FROM mp_update_time)::bigint
             FROM "order" WHERE mp_order_id = 'A1'),
          'READY_TO_SHIP sold 2000', 'status and stock effect stay those of the newest update');
SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'UNPAID', 'reserved', 2500, 'P1:2')), '0 1 0 0 0',
          'a newer update saying "reserved" after a sale is recorded');
SELECT is((SELECT status || ' ' || stock_effect FROM "order" WHERE mp_order_id = 'A1'),
          'UNPAID sold', 'its status moves but the stock effect never goes back');
SELECT is(pg_temp.p1(), 'on_hand 8 reserved 0', 'and nothing is reserved again');

SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'CANCELLED', 'cancelled', 3000, 'P1:2')), '0 1 0 0 0',
          'a cancellation is an update');
SELECT is(pg_temp.ledger('A1', 'cancel'), '2', 'a cancelled sale puts its stock back');
SELECT is(pg_temp.ingest(pg_temp.doc('A1', 'CANCELLED_REFUNDED', 'cancelled', 4000, 'P1:2')),
          '0 1 0 0 0', 'a later update of the cancelled order');
SELECT is(pg_temp.ledger('A1', 'cancel'), '2', 'restocks nothing twice');
SELECT is(pg_temp.p1(), 'on_hand 10 reserved 0', 'the stock is back where it was');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'order_restock'), 1, 'one restock event');

-- ---- cancellations without a sale ------------------------------------------------

SELECT is(pg_temp.ingest(jsonb_build_object('orders',
            (pg_temp.doc('C1', 'UNPAID', 'reserved', 100, 'P1:1') -> 'orders')
            || (pg_temp.doc('C1', 'CANCELLED', 'cancelled', 200, 'P1:1') -> 'orders'))),
          '1 1 0 0 0', 'a batch may hold two updates of one order: each is applied in turn');
SELECT is(pg_temp.p1(), 'on_hand 10 reserved 0', 'a reservation cancelled is freed');
SELECT is(pg_temp.ingest(pg_temp.doc('B1', 'CANCELLED', 'cancelled', 100, 'P1:1')), '1 0 0 0 0',
          'an order first seen cancelled is kept');
SELECT is(pg_temp.ledger('B1', 'cancel') || pg_temp.ledger('C1', 'cancel'), '',
          'what was never sold is never put back');

-- ---- unknown SKUs and unreadable orders --------------------------------------------

SELECT is(pg_temp.ingest(pg_temp.doc('U1', 'READY_TO_SHIP', 'sold', 100, 'P2:1,NOPE:3')), '1 0 0 0 0',
          'an order naming an unknown SKU is ingested');
SELECT is((SELECT flags FROM "order" WHERE mp_order_id = 'U1'), ARRAY['unknown_sku'],
          'and flagged');
SELECT is((SELECT string_agg(sku || ' ' || coalesce(product_id::text, 'unknown'), ',' ORDER BY line_no)
             FROM order_line l JOIN "order" o ON o.id = l.order_id WHERE o.mp_order_id = 'U1'),
          'P2 ' || (SELECT id FROM product WHERE code = 'P2') || ',NOPE unknown',
          'every line is kept, the unknown one without a product');
SELECT is(pg_temp.ledger('U1', 'sale'), '-1', 'the known line is sold');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'order_unknown_sku'), 1,
          'the unknown SKU is an event');

SELECT is(pg_temp.ingest(pg_temp.doc('X1', 'READY_TO_SHIP', 'sold', 100, '')), '0 0 0 1 0',
          'an order without lines is a failure');
SELECT is((SELECT state || ' ' || attempts || ' ' || last_error FROM order_fetch WHERE mp_order_id = 'X1'),
          'pending 1 no lines', 'to be read again, with the reason');
SELECT is(pg_temp.ingest('{"orders": []}', ARRAY['Z9']) || ' / ' || pg_temp.ingest('{"orders": []}', ARRAY['Z9'])
          || ' / ' || pg_temp.ingest('{"orders": []}', ARRAY['Z9']),
          '0 0 0 1 0 / 0 0 0 1 0 / 0 0 0 1 1',
          'an order asked for and never answered is given up after the last attempt');

-- ---- the cursor and webhooks ---------------------------------------------------------

SELECT is(pg_temp.ingest('{"orders": []}', NULL, '2026-11-25 10:00+07') || ' / '
          || pg_temp.ingest('{"orders": []}', NULL, '2026-11-24 10:00+07'), '0 0 0 0 0 / 0 0 0 0 0',
          'batches may carry the shop''s polling cursor');
SELECT is((SELECT polled_to FROM order_cursor), '2026-11-25 10:00+07'::timestamptz,
          'the polling cursor never moves back');

SELECT is(ocop_webhook_receive('shopee', 'push-1', (SELECT id FROM shop), 'W1'), 'new',
          'a verified push is new');
SELECT is(ocop_webhook_receive('shopee', 'push-1', (SELECT id FROM shop), 'W1'), 'duplicate',
          'its replay is a duplicate');
SELECT is((SELECT count(*)::int FROM order_fetch WHERE mp_order_id = 'W1' AND state = 'pending'), 1,
          'the order it names is read again once, from the marketplace');

SELECT * FROM finish();
ROLLBACK;
