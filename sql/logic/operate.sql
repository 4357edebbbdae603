-- operate.sql — what the operator does to jobs and shops with ocopctl
-- (docs/operate.md): see the jobs that failed, retry the dead ones, resync a
-- shop, remove a shop, and resume a shop once its tokens are stored. Each
-- function is one call from ocopctl, safe while ocopd runs: rows the daemon
-- holds are locked or skipped, never overwritten, and the daemon is woken on
-- the outbox channel it listens on (daemon/outbox.h, OUTBOX_CHANNEL).

-- Every outbox job with what the operator needs to judge it. A dead job
-- counts only while it is the last job of its listing and kind: once a
-- later job of the same listing and kind exists, the dead one is history
-- (a later job dropped unsent, 'skipped', does not count: it did nothing).
--   dead     gave up (refused, or out of attempts)
--   failing  pending or running after at least one failed attempt (a
--            running job counts its own attempt: attempts > 1)
--   held     the listing lacks what its marketplace requires
--   pending  waiting, never tried
--   running  on its first attempt now
CREATE OR REPLACE VIEW operator_job AS
SELECT o.id AS job_id, s.id AS shop_id, s.name AS shop, s.marketplace, o.kind,
       p.code AS product, l.item_id,
       CASE WHEN o.state = 'dead' THEN 'dead'
            WHEN o.state = 'pending' AND o.attempts > 0 THEN 'failing'
            WHEN o.state = 'running' AND o.attempts > 1 THEN 'failing'
            ELSE o.state END AS class,
       o.state, o.attempts, o.next_at, o.created_at, o.updated_at,
       now() - o.created_at AS age, o.last_error
  FROM outbox o
  JOIN listing l ON l.id = o.listing_id
  JOIN shop s ON s.id = l.shop_id
  JOIN product p ON p.id = l.product_id
 WHERE o.state IN ('pending', 'running', 'held')
    OR (o.state = 'dead'
        AND NOT EXISTS (SELECT 1 FROM outbox n
                         WHERE n.listing_id = o.listing_id AND n.kind = o.kind AND n.id > o.id
                           AND n.state <> 'skipped'));

-- Puts dead jobs back to pending, due now, with their attempts reset: job
-- p_job, else every dead job of shop p_shop, else (both NULL) every dead
-- job; with p_died_after, only those that died after it. Only a job
-- operator_job counts as dead is taken, and not while a job
-- of the same listing and kind is pending or running (that one already
-- does the work: the dead one is left as it is, outcome 'superseded').
-- p_dry: nothing changes; the outcomes say what would happen. One event
-- 'job_retry' per job retried. Returns one row per dead job considered.
CREATE OR REPLACE FUNCTION ocop_retry_dead(p_job bigint, p_shop bigint,
                                           p_died_after timestamptz, p_dry boolean)
RETURNS TABLE (job_id bigint, shop text, kind text, product text, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  tries integer := 0;
BEGIN
  LOOP
    BEGIN
      RETURN QUERY
      WITH cand AS (
        SELECT j.job_id, j.shop, j.kind, j.product, o.listing_id,
               EXISTS (SELECT 1 FROM outbox x
                        WHERE x.listing_id = o.listing_id AND x.kind = o.kind
                          AND x.state IN ('pending', 'running')) AS busy
          FROM operator_job j
          JOIN outbox o ON o.id = j.job_id
         WHERE j.class = 'dead'
           AND (p_job IS NULL OR j.job_id = p_job)
           AND (p_shop IS NULL OR j.shop_id = p_shop)
           AND (p_died_after IS NULL OR j.updated_at > p_died_after)
      ), upd AS (
        UPDATE outbox o SET state = 'pending', attempts = 0, next_at = now(), lease_until = NULL,
                            lease_owner = NULL, updated_at = now()
          FROM cand c
         WHERE o.id = c.job_id AND NOT c.busy AND NOT p_dry AND o.state = 'dead'
        RETURNING o.id, o.listing_id, o.kind, o.last_error
      ), ev AS (
        INSERT INTO event (kind, product_id, shop_id, listing_id, action, reason, detail)
        SELECT 'job_retry', l.product_id, l.shop_id, l.id, u.kind, u.last_error,
               jsonb_build_object('job', u.id) || ocop_actor()
          FROM upd u JOIN listing l ON l.id = u.listing_id
        RETURNING 1
      )
      SELECT c.job_id, c.shop, c.kind, c.product,
             CASE WHEN c.busy THEN 'superseded'
                  WHEN p_dry THEN 'would retry'
                  WHEN EXISTS (SELECT 1 FROM upd u WHERE u.id = c.job_id) THEN 'retried'
                  ELSE 'changed meanwhile' END
        FROM cand c
       ORDER BY c.job_id;
      IF NOT p_dry THEN
        PERFORM pg_notify('ocop_outbox', '');
      END IF;
      RETURN;
    EXCEPTION WHEN unique_violation THEN
      -- ocopd queued a job of the same listing and kind between our read
      -- and our write: read again (that job is then 'superseded').
      tries := tries + 1;
      IF tries >= 3 THEN
        RAISE;
      END IF;
    END;
  END LOOP;
END $$;

-- Resync: forgets what ocopd believes shop p_shop's live listings show, so
-- that the next sync (run here, at once) queues an update (name,
-- description, stars, content), a price and a stock job for every one of
-- them: absolute values, which put back whatever was changed on the
-- marketplace behind ocopd's back. Their stock read-back is made due now
-- too (sql/logic/reconcile.sql), so it checks them first once the pushes
-- are done. Listings that are not live (new, delisted) are left as they
-- are. p_dry: nothing changes. Returns the listings concerned and the jobs
-- queued.
CREATE OR REPLACE FUNCTION ocop_resync_shop(p_shop bigint, p_dry boolean)
RETURNS TABLE (listings integer, queued integer)
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  n integer;
BEGIN
  ids := ARRAY(SELECT l.id FROM listing l
                WHERE l.shop_id = p_shop AND l.state = 'listed' AND l.item_id IS NOT NULL
                ORDER BY l.id);
  listings := cardinality(ids);
  queued := 0;
  IF p_dry OR listings = 0 THEN
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE listing SET sent_name = NULL, sent_description = NULL, sent_stars = NULL,
                     sent_content = NULL, reconciled_at = NULL, updated_at = now()
   WHERE id = ANY (ids);
  UPDATE listing_variant SET sent_price = NULL, sent_stock = NULL, updated_at = now()
   WHERE listing_id = ANY (ids) AND remote_id IS NOT NULL;
  INSERT INTO event (kind, shop_id, action, reason, detail)
  VALUES ('shop', p_shop, 'resync', 'operator asked for a resync',
          jsonb_build_object('listings', listings) || ocop_actor());
  n := ocop_sync(NULL, ARRAY[p_shop]);
  queued := n;
  PERFORM pg_notify('ocop_outbox', '');
  RETURN NEXT;
END $$;

-- Removing shop p_shop, one step per call (`ocopctl shop remove`):
--   1. an active, paused or needs_reauth shop becomes 'removing': it carries
--      nothing (assortment.sql), so ocop_sync queues the withdrawal of each
--      live listing and drops its other jobs; ocopd sends withdrawals for a
--      removing shop (outbox.sql) and nothing else;
--   2. while a listing is live (listed, or a create of unknown outcome) or
--      a job is pending or running, it stays 'removing';
--   3. then it becomes 'removed': its token is erased, and the row stays,
--      because the audit trail, its orders and the stock ledger name it.
-- p_force: step 3 at once although listings are still live (the account is
-- closed, say): pending jobs are dropped, and the listings are left as
-- they are on the marketplace; refused while a job is running.
-- Returns the status reached, the live listings and the jobs left.
CREATE OR REPLACE FUNCTION ocop_shop_remove(p_shop bigint, p_force boolean)
RETURNS TABLE (status text, live integer, pending integer, running integer, started boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  s shop;
BEGIN
  SELECT * INTO s FROM shop WHERE id = p_shop FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such shop' USING ERRCODE = 'no_data_found';
  END IF;
  started := false;
  IF s.status = 'removed' THEN
    status := 'removed';
    live := 0; pending := 0; running := 0;
    RETURN NEXT;
    RETURN;
  END IF;
  IF s.status <> 'removing' THEN
    -- The UPDATE's trigger (sync.sql, shop_sync_upd) queues the withdrawals.
    UPDATE shop SET status = 'removing', updated_at = now() WHERE id = p_shop;
    INSERT INTO event (kind, shop_id, action, reason, detail)
    VALUES ('shop', p_shop, 'removing', 'operator removes the shop: its listings are withdrawn',
            jsonb_build_object('was', s.status) || ocop_actor());
    started := true;
  END IF;
  SELECT count(*) FILTER (WHERE l.state = 'listed'
                             OR (l.state = 'new' AND l.create_started_at IS NOT NULL))
    INTO live FROM listing l WHERE l.shop_id = p_shop;
  SELECT count(*) FILTER (WHERE o.state = 'pending'), count(*) FILTER (WHERE o.state = 'running')
    INTO pending, running
    FROM outbox o JOIN listing l ON l.id = o.listing_id
   WHERE l.shop_id = p_shop AND o.state IN ('pending', 'running');
  IF running > 0 OR ((live > 0 OR pending > 0) AND NOT p_force) THEN
    status := 'removing';
    PERFORM pg_notify('ocop_outbox', '');
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE outbox o SET state = 'skipped', last_error = 'shop removed', updated_at = now()
    FROM listing l
   WHERE l.id = o.listing_id AND l.shop_id = p_shop AND o.state = 'pending';
  DELETE FROM token WHERE shop_id = p_shop;
  UPDATE shop SET status = 'removed', updated_at = now() WHERE id = p_shop;
  INSERT INTO event (kind, shop_id, action, reason, detail)
  VALUES ('shop', p_shop, 'removed',
          CASE WHEN live > 0 THEN 'removed by force with listings still live'
               ELSE 'every listing withdrawn' END,
          jsonb_build_object('live', live, 'force', p_force) || ocop_actor());
  status := 'removed';
  RETURN NEXT;
END $$;

-- New tokens were stored for shop p_shop (`ocopctl shop token`): a shop
-- that waited for them (needs_reauth, token.sql) is active again, its
-- pending jobs are due now with their attempts reset, and the jobs that
-- died since its last good token (refused for a token that no longer
-- worked, most likely) go back to pending like `ocopctl retry`. Returns
-- whether the shop was resumed and how many dead jobs were put back.
CREATE OR REPLACE FUNCTION ocop_shop_tokens_stored(p_shop bigint)
RETURNS TABLE (resumed boolean, revived integer)
LANGUAGE plpgsql AS $$
DECLARE
  good timestamptz;
BEGIN
  UPDATE shop SET status = 'active', updated_at = now()
   WHERE id = p_shop AND status = 'needs_reauth';
  resumed := FOUND;
  revived := 0;
  INSERT INTO event (kind, shop_id, action, reason, detail)
  VALUES ('token', p_shop, 'stored', CASE WHEN resumed THEN 'shop resumed' END, ocop_actor());
  IF resumed THEN
    SELECT max(e.at) INTO good FROM event e
     WHERE e.kind = 'token' AND e.shop_id = p_shop AND e.action IN ('refreshed', 'stored')
       AND e.at < now();
    UPDATE outbox o SET next_at = now(), attempts = 0, updated_at = now()
      FROM listing l
     WHERE l.id = o.listing_id AND l.shop_id = p_shop AND o.state = 'pending';
    SELECT count(*) INTO revived
      FROM ocop_retry_dead(NULL, p_shop, good, false) r
     WHERE r.outcome = 'retried';
    PERFORM pg_notify('ocop_outbox', '');
  END IF;
  RETURN NEXT;
END $$;
