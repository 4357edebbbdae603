-- operate.sql — the operator's SQL (sql/logic/operate.sql): which jobs
-- count as dead, retrying them without a second live job, a resync, a
-- shop's removal and the resumption of a shop whose tokens are stored.
-- Run by tests/sql/run.sh on a fresh, migrated database; rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(29);

CREATE FUNCTION pg_temp.listing(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id WHERE p.code = p_code
$$;

-- As if every job had succeeded: the listing is live and shows its target.
CREATE PROCEDURE pg_temp.synced(p_code text) LANGUAGE sql AS $$
  UPDATE outbox SET state = 'done' WHERE listing_id = pg_temp.listing(p_code)
                                     AND state IN ('pending', 'running');
  UPDATE listing l SET state = 'listed', item_id = 'item-' || l.id, create_started_at = NULL,
         sent_name = t.name, sent_description = t.description, sent_stars = t.stars,
         sent_content = t.content_sig
    FROM listing_target t
   WHERE t.listing_id = l.id AND l.id = pg_temp.listing(p_code);
  UPDATE listing_variant lv SET remote_id = 'm-' || lv.variant_id, sent_price = t.price,
         sent_stock = t.stock
    FROM listing_variant_target t
   WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id
     AND lv.listing_id = pg_temp.listing(p_code)
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['A', 'B', 'C']) AS c;
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product;
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 10, 'import' FROM variant;
INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('main', 'shopee', '2001');
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;

-- ---- dead jobs and retry ------------------------------------------------------

-- A's publish dies twice (its content changed in between); B's dies once.
UPDATE outbox SET state = 'dead', attempts = 5, last_error = 'HTTP 503', target = 'old'
 WHERE listing_id = pg_temp.listing('A');
INSERT INTO outbox (listing_id, kind, state, attempts, last_error)
VALUES (pg_temp.listing('A'), 'publish', 'dead', 5, 'HTTP 500'),
       (pg_temp.listing('A'), 'publish', 'skipped', 0, 'no longer needed');
UPDATE outbox SET state = 'dead', attempts = 2, last_error = 'refused'
 WHERE listing_id = pg_temp.listing('B');

SELECT is((SELECT count(*)::int FROM operator_job WHERE class = 'dead'), 2,
          'only the last dead job of a listing and kind counts; a skipped one after it does not');
SELECT is((SELECT last_error FROM operator_job WHERE class = 'dead' AND product = 'A'), 'HTTP 500',
          'the dead job shown is the last one, with its reason');
SELECT is((SELECT class FROM operator_job WHERE product = 'C'), 'pending',
          'a job never tried is pending');
UPDATE outbox SET state = 'running', attempts = 1, lease_until = now() + interval '1 minute'
 WHERE listing_id = pg_temp.listing('C');
SELECT is((SELECT class FROM operator_job WHERE product = 'C'), 'running',
          'a job on its first attempt is running, not failing');
UPDATE outbox SET attempts = 2 WHERE listing_id = pg_temp.listing('C');
SELECT is((SELECT class FROM operator_job WHERE product = 'C'), 'failing',
          'a job on a later attempt is failing');
UPDATE outbox SET state = 'pending', attempts = 0, lease_until = NULL
 WHERE listing_id = pg_temp.listing('C');

SELECT is((SELECT string_agg(outcome, ',' ORDER BY job_id)
             FROM ocop_retry_dead(NULL, NULL, NULL, true)), 'would retry,would retry',
          'a dry run says what it would retry');
SELECT is((SELECT count(*)::int FROM outbox WHERE state = 'dead'), 3, '... and changes nothing');

-- B gets a newer live job (ocopd queued one meanwhile): its dead one is
-- left as it is.
UPDATE outbox SET state = 'skipped' WHERE listing_id = pg_temp.listing('B');
INSERT INTO outbox (listing_id, kind, state, attempts, last_error)
VALUES (pg_temp.listing('B'), 'publish', 'dead', 2, 'refused'),
       (pg_temp.listing('B'), 'update', 'pending', 0, NULL);
SELECT is((SELECT string_agg(kind || ':' || outcome, ',' ORDER BY job_id)
             FROM ocop_retry_dead(NULL, NULL, NULL, false)), 'publish:retried,publish:retried',
          'every dead job is retried');
SELECT is((SELECT count(*)::int FROM outbox WHERE state = 'pending' AND kind = 'publish'
                                              AND attempts = 0 AND next_at <= now()), 3,
          'retried jobs are pending, attempts reset, due now (with C''s)');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'job_retry'), 2, 'one event per retry');
SELECT is((SELECT count(*)::int FROM ocop_retry_dead(NULL, NULL, NULL, false)), 0,
          'nothing dead is left to retry');

-- A dead job whose listing already has a live job of its kind is superseded.
UPDATE outbox SET state = 'dead' WHERE listing_id = pg_temp.listing('B') AND kind = 'publish';
INSERT INTO outbox (listing_id, kind, state) VALUES (pg_temp.listing('C'), 'stock', 'dead');
INSERT INTO outbox (listing_id, kind, state) VALUES (pg_temp.listing('C'), 'stock', 'pending');
UPDATE outbox SET state = 'dead'
 WHERE id = (SELECT min(id) FROM outbox WHERE listing_id = pg_temp.listing('C') AND kind = 'stock');
SELECT is((SELECT count(*)::int FROM operator_job WHERE class = 'dead' AND product = 'C'), 0,
          'a dead job followed by a pending one of its kind is history');
SELECT lives_ok($$SELECT * FROM ocop_retry_dead(NULL, NULL, NULL, false)$$,
                'retrying never makes a second live job of a listing and kind');
SELECT is((SELECT count(*)::int FROM outbox WHERE listing_id = pg_temp.listing('C')
                                              AND kind = 'stock' AND state = 'pending'), 1,
          '... one stock job of C is live');

-- ---- resync ------------------------------------------------------------------------

CALL pg_temp.synced('A');
CALL pg_temp.synced('B');
CALL pg_temp.synced('C');
SELECT is(ocop_sync(NULL, NULL), 0, 'a synced shop needs nothing');
SELECT is((SELECT row(listings, queued)::text FROM ocop_resync_shop((SELECT id FROM shop), true)),
          '(3,0)', 'resync dry run counts the live listings');
SELECT is((SELECT count(*)::int FROM outbox WHERE state = 'pending'), 0, '... and queues nothing');
SELECT is((SELECT row(listings, queued)::text FROM ocop_resync_shop((SELECT id FROM shop), false)),
          '(3,9)', 'resync queues an update, a price and a stock job for each live listing');
SELECT is((SELECT count(*)::int FROM listing WHERE reconciled_at IS NULL), 3,
          '... and makes their stock read-back due');

-- ---- removal --------------------------------------------------------------------------

UPDATE outbox SET state = 'done' WHERE state = 'pending';
CALL pg_temp.synced('A');
CALL pg_temp.synced('B');
CALL pg_temp.synced('C');
INSERT INTO token (shop_id, access_token, refresh_token) SELECT id, 'a', 'r' FROM shop;
INSERT INTO "order" (shop_id, mp_order_id, status, mp_update_time)
SELECT id, 'O1', 'COMPLETED', now() FROM shop;
SELECT is((SELECT row(status, live, pending, started)::text
             FROM ocop_shop_remove((SELECT id FROM shop), false)),
          '(removing,3,3,t)', 'removal starts: three live listings, three withdrawals queued');
SELECT is((SELECT string_agg(DISTINCT kind, ',') FROM outbox WHERE state = 'pending'), 'delist',
          'a removing shop gets withdrawals only');
SELECT is((SELECT count(*)::int FROM shop_assortment), 0, 'a removing shop carries nothing');
INSERT INTO product (code, name_vi, producer_id, category_code)
VALUES ('D', 'Sản phẩm D', (SELECT id FROM producer), 'I.2.b');
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product WHERE code = 'D';
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ D', '2025-01-10' FROM product WHERE code = 'D';
SELECT is(pg_temp.listing('D'), NULL, 'a new product gets no listing on a removing shop');
SELECT is((SELECT row(status, live)::text FROM ocop_shop_remove((SELECT id FROM shop), false)),
          '(removing,3)', 'removal waits while listings are live');
UPDATE outbox SET state = 'done' WHERE state = 'pending';
UPDATE listing SET state = 'delisted';
SELECT is((SELECT status FROM ocop_shop_remove((SELECT id FROM shop), false)), 'removed',
          'once nothing is live the shop is removed');
SELECT is((SELECT count(*)::int FROM token), 0, '... its token erased');
SELECT is((SELECT count(*)::int FROM "order"), 1, '... its orders kept');

-- ---- tokens stored ---------------------------------------------------------------------

INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('other', 'shopee', '2002');
SELECT ocop_shop_needs_reauth((SELECT id FROM shop WHERE name = 'other'), 'refused') \g /dev/null
SELECT is((SELECT row(resumed, revived)::text
             FROM ocop_shop_tokens_stored((SELECT id FROM shop WHERE name = 'other'))),
          '(t,0)', 'storing tokens resumes a shop waiting for them');
SELECT is((SELECT status FROM shop WHERE name = 'other'), 'active', '... which is active again');

SELECT * FROM finish();
ROLLBACK;
