-- outcomes.sql — what a batch of job outcomes writes to the audit trail
-- (ocop_finish_jobs, ocop_record_outcome and ocop_record_events in
-- sql/logic/outbox.sql), and that a claim checks its jobs against the
-- listings' targets as listing_jobs does (ocop_claim_jobs,
-- ocop_target_jobs in sql/logic/listing_jobs.sql). Run by
-- tests/sql/run.sh on a fresh, migrated database; everything is rolled
-- back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(21);

-- Three certified products in one Shopee shop that withdraws what lapses;
-- TWO's certificate is the newer of its two.
SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm thử ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['ONE', 'TWO', 'THREE']) AS c;
INSERT INTO variant (product_id, sku, price_vnd) SELECT id, code, 50000 FROM product;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 3, 'QĐ cũ ' || code, '2024-01-10' FROM product WHERE code = 'TWO';
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product;
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 10, 'import' FROM variant;
INSERT INTO shop (name, marketplace, mp_shop_id, policy) VALUES ('main', 'shopee', '2001', 'delist');
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;
SELECT ocop_sync(NULL, NULL) \g /dev/null

CREATE FUNCTION pg_temp.job(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT o.id FROM outbox o JOIN listing l ON l.id = o.listing_id JOIN product p ON p.id = l.product_id
   WHERE p.code = p_code AND o.state = 'running'
$$;
CREATE FUNCTION pg_temp.job_max(p_kind text) RETURNS bigint LANGUAGE sql AS $$
  SELECT max(id) FROM outbox WHERE kind = p_kind
$$;
CREATE FUNCTION pg_temp.cert(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT e.certificate_id FROM product_eligibility e JOIN product p ON p.id = e.product_id
   WHERE p.code = p_code
$$;
-- One outcome as daemon/outcomes.c sends it, ocop_finish_job's arguments:
-- what the listing should show was sent.
CREATE FUNCTION pg_temp.outcome(p_code text, p_outcome text, p_error text) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_array(pg_temp.job(p_code), 'w1', p_outcome, p_error, 'I-' || p_code, 0, 1,
                           t.name, t.description, t.stars,
                           jsonb_build_array(jsonb_build_object('sku', p_code, 'remote_id', 'R-' || p_code,
                                                                'price', 50000, 'stock', 10)),
                           t.content_sig, 0)
    FROM listing_target t JOIN product p ON p.id = t.product_id WHERE p.code = p_code
$$;

SELECT is((SELECT count(*)::integer FROM ocop_claim_jobs('w1', 10, 60, 1, '{}')), 3,
          'the three publishes are claimed');

-- ---- one batch: a create, a refusal, a failure ------------------------------

SELECT is((SELECT string_agg(r_state, ',' ORDER BY r_job)
             FROM ocop_finish_jobs(jsonb_build_array(
                    pg_temp.outcome('THREE', 'held', 'no category'),
                    pg_temp.outcome('ONE', 'ok', NULL),
                    pg_temp.outcome('TWO', 'rejected', 'refused by the marketplace')))),
          'done,dead,held', 'each outcome gives its state, in job order');
SELECT is((SELECT string_agg(e.kind || ':' || p.code, ',' ORDER BY e.id)
             FROM event e JOIN product p ON p.id = e.product_id
            WHERE e.kind IN ('listing', 'listing_held', 'job_dead')),
          'listing:ONE,job_dead:TWO,listing_held:THREE',
          'one event an outcome, written in job order');
SELECT is((SELECT action || ' ' || reason FROM event WHERE kind = 'listing'), 'publish certified',
          'a listing event names the act and the certificate''s state');
SELECT is((SELECT certificate_id FROM event WHERE kind = 'listing'), pg_temp.cert('ONE'),
          'and the product''s certificate');
SELECT is((SELECT detail->>'item_id' FROM event WHERE kind = 'listing'), 'I-ONE',
          'and the item the marketplace gave');
SELECT is((SELECT reason FROM event WHERE kind = 'job_dead'), 'refused by the marketplace',
          'a dead job''s event says why');
SELECT is((SELECT certificate_id FROM event WHERE kind = 'job_dead'), pg_temp.cert('TWO'),
          'and names the newer of two certificates');
SELECT is((SELECT action || ' ' || reason FROM event WHERE kind = 'listing_held'),
          'publish no category', 'a held job''s event says what is missing');

-- ---- a stale outcome writes nothing; one outcome alone writes its event ----

INSERT INTO stock_ledger (variant_id, delta, reason)
SELECT v.id, -1, 'adjust' FROM variant v WHERE v.sku = 'ONE';
SELECT is((SELECT string_agg(kind, ',') FROM ocop_claim_jobs('w1', 10, 60, 1, '{}')), 'stock',
          'a sale queues the listed product''s stock');
SELECT is((SELECT string_agg(r_state, ',') FROM ocop_finish_jobs(jsonb_build_array(
             jsonb_set(pg_temp.outcome('ONE', 'ok', NULL), '{1}', '"w2"')))),
          'stale', 'an outcome from a worker that lost the lease is stale');
SELECT is((SELECT count(*)::integer FROM event WHERE kind = 'listing'), 1, 'and writes no event');
SELECT is(ocop_finish_job(pg_temp.job('ONE'), 'w1', 'ok', NULL, NULL, 0, 1, NULL, NULL, NULL::smallint,
                          '[{"sku": "ONE", "stock": 9}]', NULL, 0),
          'done', 'one outcome alone is recorded');
SELECT is((SELECT action || ' ' || reason FROM event WHERE kind = 'listing' ORDER BY id DESC LIMIT 1),
          'stock certified', 'and writes its event too');

-- ---- a claim checks each job against the listing's target ----------------

-- As a sweep racing with those outcomes could queue them again.
INSERT INTO outbox (listing_id, kind, priority)
SELECT l.id, 'publish', 5 FROM listing l JOIN product p ON p.id = l.product_id
 WHERE p.code IN ('TWO', 'THREE');
SELECT is((SELECT count(*)::integer FROM ocop_claim_jobs('w1', 10, 60, 1, '{}')), 0,
          'a create that died, or was held, with the same target is not claimed again');
SELECT is((SELECT string_agg(state || ': ' || last_error, ',') FROM outbox
            WHERE kind = 'publish' AND id > pg_temp.job_max('publish') - 2),
          'skipped: no longer needed (checked at dispatch),skipped: no longer needed (checked at dispatch)',
          'both are dropped at dispatch');

-- A sale queues ONE's stock; the certificates lapse before it is claimed,
-- with no sync in between.
INSERT INTO stock_ledger (variant_id, delta, reason)
SELECT v.id, -1, 'adjust' FROM variant v WHERE v.sku = 'ONE';
SELECT is((SELECT string_agg(kind, ',') FROM outbox WHERE state = 'pending'), 'stock',
          'a sale queues the stock');
SELECT ocop_clock_pin('2028-06-01', 'pgtap') \g /dev/null
SELECT is((SELECT count(*)::integer FROM ocop_claim_jobs('w1', 10, 60, 1, '{}')), 0,
          'the stock of a lapsed product is not sent');
SELECT is((SELECT state FROM outbox WHERE kind = 'stock' ORDER BY id DESC LIMIT 1), 'skipped',
          'it is dropped at dispatch');
SELECT ocop_sync(NULL, NULL) \g /dev/null
SELECT is((SELECT kind || ' ' || sku FROM ocop_claim_jobs('w1', 10, 60, 1, '{}')), 'delist ONE',
          'the withdrawal the sync queues is claimed, as listing_jobs derives it');
SELECT is((SELECT string_agg(j.kind, ',') FROM listing_jobs j), 'delist',
          'and listing_jobs asks for nothing else');

SELECT * FROM finish();
ROLLBACK;
