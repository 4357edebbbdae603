-- update_settle.sql — an update whose answer was lost runs once more after
-- the settle window (sql/014_update_settle.sql, ocop_record_outcome and
-- ocop_settle_again in sql/logic/outbox.sql): a retry that succeeds before
-- then does not end the job, and the job's last send comes after any late
-- application of the lost one. Run by tests/sql/run.sh on a fresh, migrated
-- database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(31);

\ir one_product.psql

-- The listing is on the marketplace and in line (as a create would leave it).
UPDATE outbox SET state = 'done';
UPDATE listing SET item_id = 'I-1', state = 'listed', sent_name = t.name,
       sent_description = t.description, sent_stars = t.stars, sent_content = t.content_sig
  FROM listing_target t WHERE t.listing_id = listing.id;
UPDATE listing_variant lv SET remote_id = 'R-1', sent_price = t.price, sent_stock = t.stock
  FROM listing_variant_target t WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id;
SELECT ocop_sync(NULL, NULL) \g /dev/null
SELECT is((SELECT string_agg(kind, ',') FROM outbox WHERE state = 'pending'), NULL, 'in line: nothing queued');

CREATE TEMP TABLE claimed AS SELECT * FROM ocop_claim_jobs('w1', 10, 60, 3, '{}') LIMIT 0;
CREATE FUNCTION pg_temp.claim() RETURNS text LANGUAGE sql AS $$
  DELETE FROM claimed;
  INSERT INTO claimed SELECT * FROM ocop_claim_jobs('w1', 10, 60, 3, '{}');
  SELECT coalesce(string_agg(kind, ','), 'nothing') FROM claimed
$$;
-- As the daemon finishes a stock job: what it sent, and create_settle (60 s).
CREATE FUNCTION pg_temp.finish(p_outcome text, p_stock integer) RETURNS text LANGUAGE sql AS $$
  SELECT ocop_finish_job((SELECT job_id FROM claimed), 'w1', p_outcome, 'test', NULL, 0, 3,
                         NULL, NULL, NULL::smallint,
                         jsonb_build_array(jsonb_build_object('sku', 'ONE', 'stock', p_stock)),
                         NULL, 60000)
$$;
CREATE FUNCTION pg_temp.job() RETURNS text LANGUAGE sql AS $$
  SELECT state || ' attempts=' || attempts || ' settle=' ||
         coalesce(round(extract(epoch FROM settle_until - now()))::text, 'none') || ' next=' ||
         round(extract(epoch FROM next_at - now()))::text
    FROM outbox WHERE kind = 'stock' ORDER BY id DESC LIMIT 1
$$;

-- An order takes one: stock 9 goes out and its answer is lost.
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, -1, 'adjust' FROM variant;
SELECT is(pg_temp.claim(), 'stock', 'the new stock is claimed');
SELECT is(pg_temp.finish('unknown', 9), 'pending', 'a lost answer is retried');
SELECT is(pg_temp.job(), 'pending attempts=1 settle=60 next=0',
          'at once, and the job remembers that the lost send may land for another 60 s');
SELECT is((SELECT sent_stock FROM listing_variant), 10::bigint, 'what the marketplace shows is not taken as 9');

-- Another order takes one more; the retry sends 8 and is answered.
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, -1, 'adjust' FROM variant;
SELECT is(pg_temp.claim(), 'stock', 'the retry is claimed');
SELECT is(pg_temp.finish('ok', 8), 'pending', 'answered within the window: the job is not done');
SELECT is(pg_temp.job(), 'pending attempts=0 settle=none next=60',
          'it runs once more when the window ends, as a new job');
SELECT is((SELECT sent_stock FROM listing_variant), NULL::bigint,
          'and what it sent is forgotten, so that it sends again');
SELECT is(pg_temp.claim(), 'nothing', 'nothing runs before the window ends');
SELECT ocop_sync(NULL, NULL) \g /dev/null
SELECT is((SELECT count(*) FROM outbox WHERE kind = 'stock' AND state IN ('pending', 'running')), 1::bigint,
          'a sync meanwhile queues no second job');
SELECT is(pg_temp.job(), 'pending attempts=0 settle=none next=60', '... nor moves this one forward');

-- The window ends (the late send of 9 may have landed): 8 goes out again.
UPDATE outbox SET next_at = now() WHERE kind = 'stock' AND state = 'pending';
SELECT is(pg_temp.claim(), 'stock', 'claimed when the window ends');
SELECT is((SELECT (variants::jsonb -> 0 ->> 'stock')::integer FROM claimed), 8, 'to send what the listing should show now');
SELECT is(pg_temp.finish('ok', 8), 'done', 'answered after the window: done');
SELECT is((SELECT sent_stock FROM listing_variant), 8::bigint, 'and 8 is what the marketplace shows');

-- ---- a lease that lapsed while the call was out ----------------------------------
CREATE FUNCTION pg_temp.finish_as(p_owner text, p_job bigint, p_outcome text, p_stock integer)
RETURNS text LANGUAGE sql AS $$
  SELECT ocop_finish_job(p_job, p_owner, p_outcome, 'test', NULL, 0, 3, NULL, NULL, NULL::smallint,
                         jsonb_build_array(jsonb_build_object('sku', 'ONE', 'stock', p_stock)),
                         NULL, 60000)
$$;
CREATE FUNCTION pg_temp.lapse() RETURNS integer LANGUAGE sql AS $$
  UPDATE outbox SET lease_until = now() - interval '1 s' WHERE state = 'running';
  UPDATE listing SET lease_until = now() - interval '1 s' WHERE lease_until IS NOT NULL;
  SELECT ocop_reclaim_expired()
$$;
CREATE TEMP TABLE first_claim (job_id bigint);

-- The worker that runs a job keeps its lease; no other worker's renewal does.
INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, -1, 'adjust' FROM variant;
SELECT is(pg_temp.claim(), 'stock', 'a new stock is claimed by w1');
UPDATE outbox SET lease_until = now() + interval '1 s' WHERE state = 'running';
SELECT is(ocop_renew_leases('w2', 60), 0, 'w2 renews nothing of w1''s');
SELECT is(ocop_renew_leases('w1', 60), 1, 'w1 renews its running job');
SELECT is((SELECT round(extract(epoch FROM lease_until - now()))::integer FROM outbox
            WHERE state = 'running'), 60, '... for a whole lease');

-- Its lease lapses all the same (w1 lost the database); w2 takes the job,
-- sends 7 and is answered. Then w1's answer comes: its 9 was applied, after 7.
INSERT INTO first_claim SELECT job_id FROM claimed;
SELECT is(pg_temp.lapse(), 1, 'the lapsed job goes back to the queue');
SELECT is((SELECT count(*) FROM ocop_claim_jobs('w2', 10, 60, 3, '{}')), 1::bigint, 'w2 claims it');
SELECT is(pg_temp.finish_as('w2', (SELECT job_id FROM first_claim), 'ok', 7), 'done', 'w2''s 7 is answered');
SELECT is(pg_temp.finish_as('w1', (SELECT job_id FROM first_claim), 'ok', 9), 'stale',
          'w1''s answer comes after: stale');
SELECT is(pg_temp.job(), 'pending attempts=0 settle=none next=0',
          'its 9 may stand over the 7: the stock is sent again at once');
SELECT is((SELECT sent_stock FROM listing_variant), NULL::bigint, '... what was sent being forgotten');

-- Lost, not answered, while w2 still runs the job: w2's job runs once
-- more after the window, whatever w2 hears.
DELETE FROM first_claim;
SELECT is(pg_temp.claim(), 'stock', 'w1 claims the new job');
INSERT INTO first_claim SELECT job_id FROM claimed;
SELECT pg_temp.lapse() \g /dev/null
SELECT is((SELECT count(*) FROM ocop_claim_jobs('w2', 10, 60, 3, '{}')), 1::bigint, 'w2 takes it over');
SELECT is(pg_temp.finish_as('w1', (SELECT job_id FROM first_claim), 'unknown', 9), 'stale',
          'w1''s answer is lost: stale');
SELECT is(pg_temp.finish_as('w2', (SELECT job_id FROM first_claim), 'ok', 7), 'pending',
          'w2''s answer does not end the job');
SELECT is(pg_temp.job(), 'pending attempts=0 settle=none next=60', 'it runs again when w1''s send can no longer land');

SELECT * FROM finish();
ROLLBACK;
