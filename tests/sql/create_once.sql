-- create_once.sql — the pending-create marker (sql/logic/outbox.sql): it is
-- committed by ocop_create_sending just before a create goes out, moved to
-- the end of an attempt that lost the create's answer ('unknown'), cleared
-- once look-ups over the settle window found nothing ('create_lost'), and
-- withdrawn when the create was held back before it went out
-- ('defer_unsent'). The claim tells the daemon how old it is. Run by
-- tests/sql/run.sh on a fresh, migrated database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(23);

\ir one_product.psql

-- One claim by worker w1: the job's id, create_started, create_age_ms.
CREATE TEMP TABLE claimed AS SELECT * FROM ocop_claim_jobs('w1', 10, 60, 3, '{}') LIMIT 0;
CREATE FUNCTION pg_temp.claim() RETURNS text LANGUAGE sql AS $$
  DELETE FROM claimed;
  INSERT INTO claimed SELECT * FROM ocop_claim_jobs('w1', 10, 60, 3, '{}');
  SELECT kind || ' started=' || create_started || ' aged=' || (create_age_ms IS NOT NULL)
    FROM claimed
$$;
CREATE FUNCTION pg_temp.finish(p_outcome text) RETURNS text LANGUAGE sql AS $$
  SELECT ocop_finish_job((SELECT job_id FROM claimed), 'w1', p_outcome, 'test', NULL, 0, 3,
                         NULL, NULL, NULL::smallint, NULL, NULL)
$$;
CREATE FUNCTION pg_temp.marker() RETURNS timestamptz LANGUAGE sql AS $$
  SELECT create_started_at FROM listing
$$;

SELECT is(pg_temp.claim(), 'publish started=false aged=false', 'a first claim: no create was ever sent');
SELECT is(pg_temp.marker(), NULL, 'the claim itself sets no marker');
SELECT is(ocop_create_sending((SELECT job_id FROM claimed), 'w2'), NULL,
          'a worker that does not hold the job may not send its create');
SELECT is(pg_temp.marker(), NULL, '... and marks nothing');
SELECT is(ocop_create_sending((SELECT job_id FROM claimed), 'w1'), true, 'the holder marks its create');
SELECT is(pg_temp.marker(), now(), 'the marker is committed before the send');

-- The create's answer was lost.
UPDATE listing SET create_started_at = now() - interval '5 minutes';
SELECT is(pg_temp.finish('unknown'), 'pending', 'a lost answer is retried');
SELECT is(pg_temp.marker(), now(), 'the marker moves to the end of the attempt that lost the answer');
SELECT is(pg_temp.claim(), 'publish started=true aged=true', 'the next claim says a create may be out, and how long ago');
SELECT is((SELECT create_age_ms FROM claimed), 0::bigint, 'its age counts from the marker');

-- Look-ups within the window found nothing: defer keeps the marker.
SELECT is(pg_temp.finish('defer'), 'pending', 'waiting for the create to show');
SELECT is(pg_temp.marker(), now(), 'the marker stays while the create may still land');
SELECT is((SELECT attempts FROM outbox), 1, 'waiting spends no attempt');

-- The window passed and the create never showed.
SELECT is(pg_temp.claim(), 'publish started=true aged=true', 'claimed again to look again');
SELECT is(pg_temp.finish('create_lost'), 'pending', 'a lost create is sent again ...');
SELECT is(pg_temp.marker(), NULL, '... under a new marker, not the old one');
SELECT is((SELECT attempts FROM outbox), 1, 'looking for it spent no attempt: the create that follows will');
SELECT is(pg_temp.claim(), 'publish started=false aged=false', 'so the next claim creates at once');

-- The create was held back by the rate limit after it was marked.
SELECT is(ocop_create_sending((SELECT job_id FROM claimed), 'w1'), true, 'marked again');
SELECT is(pg_temp.finish('defer_unsent'), 'pending', 'a create held back waits ...');
SELECT is(pg_temp.marker(), NULL, '... and its marker is withdrawn: it never went out');

-- Attempts run out on lost answers: dead, and the marker stays for the
-- look-up that must come before any create.
SELECT pg_temp.claim() \g /dev/null
SELECT ocop_create_sending((SELECT job_id FROM claimed), 'w1') \g /dev/null
SELECT pg_temp.finish('unknown') \g /dev/null
SELECT pg_temp.claim() \g /dev/null
SELECT ocop_create_sending((SELECT job_id FROM claimed), 'w1') \g /dev/null
SELECT is(pg_temp.finish('unknown'), 'dead', 'the last attempt''s lost answer dead-letters the job');
SELECT isnt(pg_temp.marker(), NULL, 'a dead create keeps its marker');

SELECT * FROM finish();
ROLLBACK;
