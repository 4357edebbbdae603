-- outbox.sql — claiming and finishing outbox jobs (the jobs themselves are
-- derived in listing_jobs.sql and queued by sync.sql).
--
-- Each function is one statement for the daemon, so no transaction is ever
-- held open across a network call: claim (commit), call the marketplace,
-- finish (commit). A crash between the two leaves a leased job that expires
-- and is claimed again; a create of unknown outcome is then resolved by a
-- look-up by SKU (create_started_at), never re-sent blind.

-- A claimed job with everything its call needs. A composite type cannot be
-- replaced in place, and ocop_claim_jobs returns it, so both are dropped and
-- created again whenever the SQL logic is applied (sql/README.md).
DROP FUNCTION IF EXISTS ocop_claim_jobs(text, integer, integer, integer, bigint[]);
DROP TYPE IF EXISTS ocop_job;
CREATE TYPE ocop_job AS (
  job_id         bigint,
  kind           text,
  attempts       integer,
  listing_id     bigint,
  item_id        text,
  create_started boolean,  -- a previous create may have reached the marketplace
  create_age_ms  bigint,   -- since that create's marker was set; NULL none
  shop_id        bigint,
  shop_name      text,
  marketplace    text,
  mp_shop_id     text,
  base_url       text,
  app_key        text,
  options        text,
  access_token   text,
  token_ttl_s    integer,  -- seconds the access token has left; NULL unknown
  policy         text,
  sku            text,
  name           text,
  description    text,
  category       text,
  unit           text,
  stars          smallint,
  decision_no    text,
  variants       text,     -- listing_target.variants: a JSON array, job.c reads it
  content        text,     -- publish, update on a marketplace that takes content:
                           -- ocop_listing_content (content.sql), prepare.c reads it
  why            text      -- a withdrawal (delist, or an update stripping the OCOP
                           -- claims): why, for the operator's log line
);

-- Why a listing is withdrawn or loses its OCOP claims, in the operator's
-- words: the assortment, the certificate's state (with the revocation
-- decision), or no variant left on sale.
CREATE OR REPLACE FUNCTION ocop_withdrawal_why(t listing_target, ce certificate) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
           WHEN NOT t.carried THEN 'the shop no longer carries the product (assortment)'
           WHEN t.stars = 0 AND t.cert_state = 'revoked'
             THEN 'certificate revoked on ' || ce.revoked_on
                  || coalesce(' by decision ' || ce.revocation_decision_no, '')
           WHEN t.stars = 0 AND t.cert_state = 'expired'
             THEN 'certificate expired: valid until ' || ce.valid_until
           WHEN t.stars = 0 THEN 'certificate ' || replace(coalesce(t.cert_state, 'missing'), '_', ' ')
           ELSE 'no variant of the product is on sale'
         END
$$;

-- Claims up to p_limit due jobs, at most one per listing, for active shops,
-- skipping rows other workers hold. Jobs that are no longer needed (a
-- product that may not be shown any more, a create already done) are dropped
-- here: the check is made at dispatch time, not only when queued (fail closed).
CREATE OR REPLACE FUNCTION ocop_claim_jobs(p_owner text, p_limit integer, p_lease_s integer,
                                p_max_attempts integer, p_skip_shops bigint[])
RETURNS SETOF ocop_job
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  ids bigint[];
  lids bigint[];
  targets listing_target[];
  lease interval := make_interval(secs => p_lease_s);
BEGIN
  SELECT array_agg(d.id) INTO ids FROM (
    SELECT u.id FROM (
      SELECT DISTINCT ON (c.listing_id) c.id, c.priority, c.next_at
        -- The shop is asked per job, not joined: joined, a plan made while
        -- the statistics took the shop table for a large one (a table of a
        -- few shops is seldom analysed) scanned every listing once for each
        -- pending job (measured: 228 ms a claim at 3,000 listings, 10 ms
        -- this way). Asked, the jobs are read in queue order from the
        -- queue's index and each listing by its key.
        FROM (SELECT o.id, o.listing_id, o.priority, o.next_at
                FROM outbox o
                JOIN listing l ON l.id = o.listing_id
               WHERE o.state = 'pending' AND o.next_at <= now()
                 AND (l.lease_until IS NULL OR l.lease_until < now())
                 AND (SELECT s.status IN ('active', 'removing')
                             AND NOT (s.id = ANY (p_skip_shops)) -- over their rate limit now
                        FROM shop s WHERE s.id = l.shop_id)
               ORDER BY o.priority, o.next_at, o.id
               LIMIT p_limit * 4
               FOR NO KEY UPDATE OF o, l SKIP LOCKED) c
       ORDER BY c.listing_id, c.priority, c.id) u
    ORDER BY u.priority, u.next_at, u.id
    LIMIT p_limit) d;

  IF ids IS NULL THEN
    RETURN;
  END IF;
  -- Each statement below restricts the views to these listings directly: a
  -- join clause alone cannot reach into the views' lateral subqueries, and
  -- the planner would derive every listing of the catalogue (measured:
  -- 570 ms a claim at 20,000 listings, against 20 ms with this).
  lids := ARRAY(SELECT listing_id FROM outbox WHERE id = ANY (ids));

  -- The targets are computed once (their content and variants are most of
  -- a claim's cost) and serve the check below, the jobs' targets and the
  -- rows returned.
  targets := ARRAY(SELECT t FROM listing_target t WHERE t.listing_id = ANY (lids));

  -- Each job is checked against the state committed now, not the state of
  -- the moment it was queued: a sweep whose snapshot predates a finished
  -- create can queue a second create, and a product may have lapsed since.
  -- A job the listing no longer needs is dropped, never sent. This is
  -- listing_jobs (listing_jobs.sql) for these targets: its first part's
  -- delists are what ocop_target_jobs decides for a product not eligible.
  UPDATE outbox o SET state = 'skipped', last_error = 'no longer needed (checked at dispatch)',
                      updated_at = now()
   WHERE o.id = ANY (ids)
     AND NOT EXISTS (SELECT 1 FROM unnest(targets) t, LATERAL ocop_target_jobs(t) j
                      WHERE t.listing_id = o.listing_id AND j.kind = o.kind
                        AND NOT EXISTS (SELECT 1 FROM outbox x
                                         WHERE x.listing_id = t.listing_id AND x.kind = j.kind
                                           AND x.state IN ('dead', 'held')
                                           AND x.target = ocop_job_target(j.kind, t)));

  -- A job that keeps killing its worker would otherwise be retried forever.
  UPDATE outbox SET state = 'dead', updated_at = now(),
                    last_error = coalesce(last_error || '; ', '') || 'gave up after ' || attempts || ' attempts'
   WHERE id = ANY (ids) AND state = 'pending' AND attempts >= p_max_attempts;

  UPDATE outbox o SET state = 'running', attempts = attempts + 1, lease_until = now() + lease,
                      lease_owner = p_owner, updated_at = now(), target = ocop_job_target(o.kind, t)
    FROM unnest(targets) t
   WHERE o.id = ANY (ids) AND o.state = 'pending' AND t.listing_id = o.listing_id;

  -- create_started_at is committed by ocop_create_sending, just before a
  -- create is sent.
  UPDATE listing l SET lease_until = now() + lease
    FROM outbox o
   WHERE o.id = ANY (ids) AND o.state = 'running' AND l.id = o.listing_id;

  RETURN QUERY
  SELECT o.id, o.kind, o.attempts, t.listing_id, t.item_id,
         t.create_started_at IS NOT NULL,
         CASE WHEN t.create_started_at IS NOT NULL
              THEN (extract(epoch FROM now() - t.create_started_at) * 1000)::bigint END,
         s.id, s.name, s.marketplace, s.mp_shop_id, s.base_url, s.app_key, s.options::text,
         tk.access_token, extract(epoch FROM tk.access_expires_at - now())::integer, s.policy,
         t.sku, t.name, t.description, t.category_code, t.unit, t.stars, t.decision_no,
         t.variants::text,
         CASE WHEN o.kind IN ('publish', 'update') AND cc.content
              THEN ocop_listing_content(t.listing_id)::text END,
         CASE WHEN o.kind = 'delist' OR (o.kind = 'update' AND t.stars = 0 AND t.sent_stars > 0)
              THEN ocop_withdrawal_why(t, ce) END
    FROM outbox o
    JOIN unnest(targets) t ON t.listing_id = o.listing_id
    JOIN shop s ON s.id = t.shop_id
    LEFT JOIN connector_caps cc ON cc.marketplace = s.marketplace
    LEFT JOIN token tk ON tk.shop_id = s.id
    LEFT JOIN certificate ce ON ce.id = t.certificate_id
   WHERE o.id = ANY (ids) AND o.state = 'running'
   ORDER BY o.priority, o.id;
END $$;

-- The pending-create marker, committed just before a create goes out: a
-- crash, a timeout or a lost answer after it is settled by looking the SKU
-- up over create_settle from this moment (daemon/outbox.c), never by a
-- blind second create. NULL (send nothing) when the job is no longer this
-- owner's.
--
-- This and ocop_record_variants are PL/pgSQL, which keeps its plans for the
-- session: a SQL function that is not written into its caller is parsed and
-- planned again in every query that calls it (measured: 0.30 ms a call
-- against 0.06 ms for its one UPDATE), and both run once per job.
CREATE OR REPLACE FUNCTION ocop_create_sending(p_job bigint, p_owner text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  sending boolean;
BEGIN
  UPDATE listing l SET create_started_at = now()
    FROM outbox o
   WHERE o.id = p_job AND o.state = 'running' AND o.lease_owner = p_owner
     AND l.id = o.listing_id AND l.item_id IS NULL
  RETURNING true INTO sending;
  RETURN sending;
END $$;

-- What a job's answer says of its variants (p_variants, a JSON array of
-- {"sku", "remote_id", "gone", "price", "stock"}, each key optional but
-- sku): the ids the marketplace gave, the variants it took off the item, and
-- the prices and stock that were sent. A SKU the listing does not hold is
-- ignored.
CREATE OR REPLACE FUNCTION ocop_record_variants(p_listing bigint, p_variants jsonb,
                                                p_prices boolean, p_stock boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE listing_variant lv
     SET remote_id = CASE WHEN (r.e->>'gone')::boolean THEN NULL
                          ELSE coalesce(r.e->>'remote_id', lv.remote_id) END,
         sent_price = CASE WHEN (r.e->>'gone')::boolean THEN NULL
                           WHEN p_prices AND r.e ? 'price' THEN (r.e->>'price')::bigint
                           ELSE lv.sent_price END,
         sent_stock = CASE WHEN (r.e->>'gone')::boolean THEN NULL
                           WHEN p_stock AND r.e ? 'stock' THEN (r.e->>'stock')::bigint
                           ELSE lv.sent_stock END,
         updated_at = now()
    FROM jsonb_array_elements(coalesce(p_variants, '[]')) AS r(e), variant v
   WHERE lv.listing_id = p_listing AND v.id = lv.variant_id AND v.sku = r.e->>'sku';
END $$;

-- Forgets what a job of p_kind last sent to the listing, so that the next
-- sync sends it again.
CREATE OR REPLACE FUNCTION ocop_forget_sent(p_listing bigint, p_kind text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  CASE p_kind
    WHEN 'price' THEN UPDATE listing_variant SET sent_price = NULL WHERE listing_id = p_listing;
    WHEN 'stock' THEN UPDATE listing_variant SET sent_stock = NULL WHERE listing_id = p_listing;
    WHEN 'variants' THEN
      UPDATE listing_variant SET sent_price = NULL, sent_stock = NULL WHERE listing_id = p_listing;
    WHEN 'update' THEN
      -- Not sent_stars: whether a send strips or restores the claims reads it.
      UPDATE listing SET sent_name = NULL, sent_description = NULL, sent_content = NULL
       WHERE id = p_listing;
    ELSE NULL; -- delist, relist: the same act again
  END CASE;
END $$;

-- A job that succeeded while an earlier attempt of it may still be applied
-- late (settle_until): it runs once more at settle_until, as a new job
-- (attempts from 0), and the values it sent are forgotten so that it sends
-- again what the listing should show then. Returns when it runs.
CREATE OR REPLACE FUNCTION ocop_settle_again(j outbox, l listing) RETURNS timestamptz
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_forget_sent(l.id, j.kind);
  UPDATE outbox SET attempts = 0, settle_until = NULL WHERE id = j.id;
  RETURN j.settle_until;
END $$;

-- A worker keeps the leases of the jobs it is running for as long as it
-- runs them: a call can outlast job_lease (a slow answer, a look-up and
-- its follow-ups), and a lease that lapsed meanwhile would let a second
-- attempt go out beside the first. Only a worker that stopped renewing
-- (it died, or lost the database) loses its jobs. Returns how many.
CREATE OR REPLACE FUNCTION ocop_renew_leases(p_owner text, p_lease_s integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  lease timestamptz := now() + make_interval(secs => p_lease_s);
  lids bigint[];
BEGIN
  -- SKIP LOCKED: a job or listing locked now is being finished or synced
  -- by another transaction, which takes its locks in another order (job
  -- by job, then the listings): waiting for it could deadlock. What is
  -- skipped is renewed next time, a third of a lease later.
  WITH j AS (
    SELECT id FROM outbox
     WHERE state = 'running' AND lease_owner = p_owner AND lease_until < lease
     ORDER BY id FOR NO KEY UPDATE SKIP LOCKED),
  r AS (
    UPDATE outbox o SET lease_until = lease FROM j WHERE o.id = j.id
    RETURNING o.listing_id)
  SELECT array_agg(listing_id) INTO lids FROM r;
  IF lids IS NULL THEN
    RETURN 0;
  END IF;
  UPDATE listing l SET lease_until = lease
    FROM (SELECT id FROM listing WHERE id = ANY (lids) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED) k
   WHERE l.id = k.id;
  RETURN cardinality(lids);
END $$;

-- The answer to a write whose job another worker holds now (its lease
-- lapsed meanwhile). What it sent was applied ('ok') or may still be
-- ('unknown'), perhaps over something newer the other worker sent: the
-- listing's job of that kind runs once more after it, as the settle rule
-- of 'unknown' does.
CREATE OR REPLACE FUNCTION ocop_stale_write(p_listing bigint, p_kind text, p_outcome text,
                                            p_settle_ms integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  settle timestamptz := now() + make_interval(secs => greatest(p_settle_ms, 0) / 1000.0);
BEGIN
  IF p_kind NOT IN ('price', 'stock', 'variants', 'update') OR p_outcome NOT IN ('ok', 'unknown') THEN
    RETURN;
  END IF;
  -- Running: its send may have gone before this one landed.
  UPDATE outbox SET settle_until = greatest(settle_until, settle)
   WHERE listing_id = p_listing AND kind = p_kind AND state = 'running';
  IF FOUND THEN
    RETURN;
  END IF;
  -- Queued: it sends after this one landed, unless this one lands later.
  UPDATE outbox SET settle_until = greatest(settle_until, settle)
   WHERE listing_id = p_listing AND kind = p_kind AND state = 'pending' AND p_outcome = 'unknown';
  IF EXISTS (SELECT 1 FROM outbox WHERE listing_id = p_listing AND kind = p_kind
                                   AND state = 'pending') THEN
    RETURN;
  END IF;
  -- None: send again what the listing should show.
  PERFORM ocop_forget_sent(p_listing, p_kind);
  INSERT INTO outbox (listing_id, kind, priority, settle_until)
  VALUES (p_listing, p_kind, ocop_job_priority(p_kind),
          CASE WHEN p_outcome = 'unknown' THEN settle END)
  ON CONFLICT (listing_id, kind) WHERE state IN ('pending', 'running') DO NOTHING;
  PERFORM pg_notify('ocop_outbox', '');
END $$;

-- Records a job's outcome. p_outcome is one of:
--   ok         the marketplace applied it; p_* are the values that were sent,
--              p_variants what was sent and learnt per variant
--   adopted    a look-up found the listing a previous create made (p_item_id)
--   retry      transient failure: try again in p_retry_ms, or give up after
--              p_max_attempts
--   unknown    a call went out and its answer was lost (a timeout, a
--              dropped connection, a 5xx): as retry. For a create, its
--              marker is set to now, so that the look-ups that follow wait
--              create_settle from the end of this attempt; for any other
--              job, the marketplace may still apply what it sent after a
--              retry has sent something newer, so the job is marked to run
--              once more when that can no longer happen (settle_until)
--   create_lost  look-ups over the whole settle window found no listing
--              from the create of unknown outcome: the marker is cleared and
--              the job runs again at once, the attempt not counted (the one
--              that sends the create again counts); a new marker is set
--              before that create goes out
--   defer      the shop is over its rate limit: try again in p_retry_ms; the
--              attempt does not count (a throttled shop slows, never fails)
--   defer_unsent  as defer, for a create that was held back (rate limit,
--              token) after ocop_create_sending marked it and that no
--              earlier attempt sent: the marker is withdrawn
--   rejected   the marketplace refused it: dead-letter now
--   not_found  the marketplace has no such listing any more: forget the item id
--   held       the listing lacks what its category requires (p_error says
--              what): the job waits for the catalogue to change, and a
--              strip that cannot be sent withdraws the listing instead
--   refused    the marketplace refused the listing's content: read the
--              category's rules again and retry once, then hold
-- p_content is the content signature the send carried (ocop_content_sig).
-- Returns the job's new state, or 'stale' when the lease was lost meanwhile
-- (another worker owns the job now; it will redo the idempotent part), and
-- the event the outcome makes, if any (kind NULL: none). The event is
-- written by ocop_record_events, which names the product's certificate.
-- ocop_record_outcome records the outcome; ocop_finish_job then writes its
-- event and queues what changed meanwhile, and ocop_finish_jobs does all
-- of it for a batch.
-- p_settle_ms is create_settle: how long an update whose answer was lost
-- may still be applied (see 'unknown' above and 014_update_settle.sql).
DROP FUNCTION IF EXISTS ocop_record_outcome(bigint, text, text, text, text, integer, integer, text,
                                            text, smallint, jsonb, text);
-- It returned the state alone before its event was written by the caller.
DROP FUNCTION IF EXISTS ocop_record_outcome(bigint, text, text, text, text, integer, integer, text,
                                            text, smallint, jsonb, text, integer);
CREATE FUNCTION ocop_record_outcome(p_job bigint, p_owner text, p_outcome text, p_error text,
                                p_item_id text, p_retry_ms integer, p_max_attempts integer,
                                p_name text, p_description text, p_stars smallint,
                                p_variants jsonb, p_content text, p_settle_ms integer DEFAULT 0,
                                OUT new_state text, OUT ev event)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  j outbox;
  l listing;
  action text;
  next_run timestamptz; -- a pending job's next run, when not p_retry_ms from now
BEGIN
  -- FOR NO KEY UPDATE, here and wherever a job's rows are locked: it
  -- excludes every other worker as FOR UPDATE would, and lets a catalogue
  -- change insert rows that refer to the listing meanwhile (their foreign
  -- keys take FOR KEY SHARE). With FOR UPDATE, a sync that had checked
  -- one listing's key and waited on another's deadlocked with an outcome
  -- batch locking the two the other way round.
  SELECT * INTO j FROM outbox WHERE id = p_job FOR NO KEY UPDATE;
  IF NOT FOUND OR j.state <> 'running' OR j.lease_owner IS DISTINCT FROM p_owner THEN
    IF FOUND THEN
      PERFORM ocop_stale_write(j.listing_id, j.kind, p_outcome, p_settle_ms);
    END IF;
    new_state := 'stale';
    RETURN;
  END IF;
  SELECT * INTO l FROM listing WHERE id = j.listing_id FOR NO KEY UPDATE;

  IF p_outcome = 'ok' THEN
    action := j.kind;
    CASE j.kind
      WHEN 'publish' THEN
        UPDATE listing SET item_id = p_item_id, state = 'listed', create_started_at = NULL,
               sent_name = p_name, sent_description = p_description, sent_stars = p_stars,
               sent_content = p_content, problem = NULL, problem_kind = NULL, problem_at = NULL
         WHERE id = l.id;
        PERFORM ocop_record_variants(l.id, p_variants, true, true);
      WHEN 'update' THEN
        IF coalesce(l.sent_stars, 0) > 0 AND p_stars = 0 THEN action := 'strip';
        ELSIF coalesce(l.sent_stars, 0) = 0 AND p_stars > 0 AND l.sent_stars IS NOT NULL THEN action := 'restore';
        END IF;
        UPDATE listing SET sent_name = p_name, sent_description = p_description, sent_stars = p_stars,
               sent_content = p_content, problem = NULL, problem_kind = NULL, problem_at = NULL
         WHERE id = l.id;
      WHEN 'price' THEN PERFORM ocop_record_variants(l.id, p_variants, true, false);
      WHEN 'stock' THEN PERFORM ocop_record_variants(l.id, p_variants, false, true);
      WHEN 'variants' THEN PERFORM ocop_record_variants(l.id, p_variants, true, true);
      WHEN 'delist' THEN
        UPDATE listing SET state = 'delisted', create_started_at = NULL,
               item_id = coalesce(p_item_id, item_id)
         WHERE id = l.id;
      WHEN 'relist' THEN UPDATE listing SET state = 'listed' WHERE id = l.id;
    END CASE;
    new_state := 'done';
    IF j.settle_until > now() THEN
      next_run := ocop_settle_again(j, l);
      new_state := 'pending';
    END IF;
  ELSIF p_outcome = 'adopted' THEN
    -- The listing exists but what it shows is unknown: clear sent_* so the
    -- sync pushes every field again (absolute values, harmless to repeat).
    UPDATE listing SET item_id = p_item_id, state = 'listed', create_started_at = NULL,
           sent_name = NULL, sent_description = NULL, sent_stars = NULL, sent_content = NULL
     WHERE id = l.id;
    UPDATE listing_variant SET sent_price = NULL, sent_stock = NULL WHERE listing_id = l.id;
    PERFORM ocop_record_variants(l.id, p_variants, false, false);
    action := 'adopt';
    new_state := CASE WHEN j.kind = 'delist' THEN 'pending' ELSE 'done' END;
  ELSIF p_outcome = 'not_found' THEN
    UPDATE listing SET item_id = NULL, state = 'new', create_started_at = NULL,
           sent_name = NULL, sent_description = NULL, sent_stars = NULL, sent_content = NULL
     WHERE id = l.id;
    UPDATE listing_variant SET remote_id = NULL, sent_price = NULL, sent_stock = NULL
     WHERE listing_id = l.id;
    action := 'forget';
    new_state := 'done';
  ELSIF p_outcome IN ('unknown', 'create_lost') AND j.kind = 'publish' AND l.item_id IS NULL THEN
    UPDATE listing
       SET create_started_at = CASE WHEN p_outcome = 'unknown' THEN now() END
     WHERE id = l.id;
    new_state := CASE WHEN j.attempts < p_max_attempts THEN 'pending' ELSE 'dead' END;
    IF p_outcome = 'create_lost' THEN
      -- Not a failure: the attempt that sends the create again counts.
      new_state := 'pending';
      UPDATE outbox SET attempts = greatest(attempts - 1, 0) WHERE id = j.id;
      p_retry_ms := 0;
      -- What the lost create was answered, for the operator.
      p_error := p_error || coalesce(' (the create was answered: ' || j.last_error || ')', '');
    END IF;
  ELSIF p_outcome IN ('retry', 'unknown', 'create_lost') AND j.attempts < p_max_attempts THEN
    new_state := 'pending';
    IF p_outcome = 'unknown' AND j.kind <> 'publish' AND p_settle_ms > 0 THEN
      UPDATE outbox SET settle_until = greatest(settle_until, now() + make_interval(secs => p_settle_ms / 1000.0))
       WHERE id = j.id;
    END IF;
  ELSIF p_outcome IN ('defer', 'defer_unsent') THEN
    new_state := 'pending';
    IF p_outcome = 'defer_unsent' AND j.kind = 'publish' AND l.item_id IS NULL THEN
      UPDATE listing SET create_started_at = NULL WHERE id = l.id;
    END IF;
    UPDATE outbox SET attempts = greatest(attempts - 1, 0) WHERE id = j.id;
  ELSIF p_outcome = 'refused' AND EXISTS (
          SELECT 1 FROM category_rules r
           WHERE r.shop_id = l.shop_id AND NOT r.stale AND r.fetched_at < now() - interval '1 hour'
             AND r.remote_category = ocop_remote_category(l.product_id,
                                       (SELECT marketplace FROM shop WHERE id = l.shop_id))) THEN
    -- Rules read an hour ago or more may be out of date: read them again
    -- and retry. Rules read since are trusted, and the refusal holds.
    UPDATE category_rules r SET stale = true
     WHERE r.shop_id = l.shop_id
       AND r.remote_category = ocop_remote_category(l.product_id,
                                 (SELECT marketplace FROM shop WHERE id = l.shop_id));
    new_state := 'pending';
  ELSIF p_outcome IN ('held', 'refused') THEN
    new_state := 'held';
    UPDATE listing SET problem = p_error, problem_at = now(),
           problem_kind = CASE WHEN j.kind = 'update' AND p_stars = 0 THEN 'strip' ELSE 'content' END
     WHERE id = l.id;
  ELSIF p_outcome IN ('retry', 'unknown', 'create_lost', 'rejected') THEN
    new_state := 'dead';
  ELSE
    RAISE EXCEPTION 'ocop_finish_job: unknown outcome %', p_outcome;
  END IF;

  UPDATE listing SET lease_until = NULL, synced_at = CASE WHEN new_state = 'done' THEN now() ELSE synced_at END,
                     updated_at = now()
   WHERE id = l.id;

  UPDATE outbox SET state = new_state, lease_until = NULL, updated_at = now(),
                    last_error = CASE WHEN p_outcome IN ('ok', 'adopted') OR p_error IS NULL
                                      THEN last_error ELSE p_error END,
                    next_at = CASE WHEN new_state <> 'pending' THEN next_at
                                   WHEN next_run IS NOT NULL THEN next_run
                                   ELSE now() + make_interval(secs => greatest(p_retry_ms, 0) / 1000.0) END
   WHERE id = j.id;

  ev.product_id := l.product_id;
  ev.shop_id := l.shop_id;
  ev.listing_id := l.id;
  IF action IS NOT NULL THEN
    ev.kind := 'listing';
    ev.action := action;
    ev.detail := jsonb_build_object('job', j.id, 'item_id', coalesce(p_item_id, l.item_id),
                                    'stars', p_stars, 'variants', p_variants);
  ELSIF new_state = 'held' THEN
    ev.kind := 'listing_held';
    ev.action := j.kind;
    ev.reason := p_error;
    ev.detail := jsonb_build_object('job', j.id);
  ELSIF new_state = 'dead' THEN
    ev.kind := 'job_dead';
    ev.action := j.kind;
    ev.reason := p_error;
    ev.detail := jsonb_build_object('job', j.id, 'attempts', j.attempts);
  END IF;
END $$;

-- Writes the events of job outcomes (ocop_record_outcome), in order, in one
-- statement. Each names the product's certificate, and a listing event
-- the certificate's state as its reason, read from product_eligibility
-- alone: the whole listing_target would compute the listing's content and
-- variants again. One statement for a batch, not one a job: deriving the
-- certificate was most of the 0.16 ms each cost.
CREATE OR REPLACE FUNCTION ocop_record_events(p_events event[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event (kind, product_id, certificate_id, shop_id, listing_id, action, reason, detail)
  SELECT v.kind, v.product_id, e.certificate_id, v.shop_id, v.listing_id, v.action,
         CASE WHEN v.kind = 'listing' THEN e.state ELSE v.reason END, v.detail
    FROM unnest(p_events) WITH ORDINALITY AS v
    JOIN product_eligibility e ON e.product_id = v.product_id
   WHERE v.kind IS NOT NULL
   ORDER BY v.ordinality;
END $$;

DROP FUNCTION IF EXISTS ocop_finish_job(bigint, text, text, text, text, integer, integer, text,
                                        text, smallint, jsonb, text);
CREATE OR REPLACE FUNCTION ocop_finish_job(p_job bigint, p_owner text, p_outcome text, p_error text,
                                p_item_id text, p_retry_ms integer, p_max_attempts integer,
                                p_name text, p_description text, p_stars smallint,
                                p_variants jsonb, p_content text, p_settle_ms integer DEFAULT 0)
RETURNS text
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  r record;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(ocop_sweep_lock_key());
  SELECT * INTO r
    FROM ocop_record_outcome(p_job, p_owner, p_outcome, p_error, p_item_id, p_retry_ms,
                             p_max_attempts, p_name, p_description, p_stars, p_variants,
                             p_content, p_settle_ms);
  IF r.new_state <> 'stale' THEN
    PERFORM ocop_record_events(ARRAY[r.ev]);
    -- Whatever changed while this job ran is queued now.
    PERFORM ocop_sync_listings(ARRAY(SELECT o.listing_id FROM outbox o WHERE o.id = p_job));
  END IF;
  RETURN r.new_state;
END $$;

-- Many outcomes in one statement and one transaction (daemon/outcomes.c):
-- p_batch is a JSON array of arrays, each ocop_finish_job's thirteen
-- arguments in order (text or null). They are recorded in job order, so
-- two batches lock their rows in the same order; then their events are
-- written, and one sync of their listings queues what changed while they
-- ran. Returns each job's new state.
CREATE OR REPLACE FUNCTION ocop_finish_jobs(p_batch jsonb)
RETURNS TABLE (r_job bigint, r_state text)
LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  r record;
  events event[] := '{}';
  finished bigint[] := '{}';
BEGIN
  -- Never beside a sweep (ocop_sweep_lock_key, sync.sql).
  PERFORM pg_advisory_xact_lock_shared(ocop_sweep_lock_key());
  FOR e IN SELECT x FROM jsonb_array_elements(p_batch) x ORDER BY (x->>0)::bigint LOOP
    r_job := (e->>0)::bigint;
    SELECT * INTO r
      FROM ocop_record_outcome(r_job, e->>1, e->>2, e->>3, e->>4, (e->>5)::integer,
                               (e->>6)::integer, e->>7, e->>8, (e->>9)::smallint,
                               (e->>10)::jsonb, e->>11, coalesce((e->>12)::integer, 0));
    r_state := r.new_state;
    IF r_state <> 'stale' THEN
      finished := finished || r_job;
      events := events || r.ev;
    END IF;
    RETURN NEXT;
  END LOOP;
  PERFORM ocop_record_events(events);
  PERFORM ocop_sync_listings(ARRAY(SELECT DISTINCT o.listing_id FROM outbox o
                                     WHERE o.id = ANY (finished) ORDER BY 1));
END $$;
