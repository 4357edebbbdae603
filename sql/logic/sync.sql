-- sync.sql — bringing listings and the outbox in line with the catalogue.
-- Triggers call ocop_sync() in the same transaction as every catalogue
-- change and NOTIFY the daemon; ocopd's periodic sweep calls it for
-- everything, which is the guarantee when a NOTIFY is lost. What each
-- listing needs is decided in listing_jobs.sql.

-- Brings listings and the outbox in line with the catalogue, for the given
-- products and shops (NULL: all). Idempotent; returns the jobs it queued.
-- NULL is expanded to the full list first so that every statement below is
-- a plain "= ANY (array)": an "IS NULL OR" filter would give PL/pgSQL a
-- cached generic plan that scans every listing on every call.
--
-- Its statements read large views; planning them costs more than running
-- them for one product, and PL/pgSQL's plan cache kept re-planning them on
-- every call (measured: 10 ms of a 10.5 ms call), hence generic plans.
-- A generic plan is made once per connection: one made while the tables
-- were small filters a 100,000-listing array row by row, element by
-- element (measured: a 17.8 s insert). A sync that writes many rows
-- analyses what it wrote (ocop_analyze_after), which makes the plans
-- again. (Plans made for each call's arrays cost more than that: the lapse
-- sweep took 8.2-8.7 s with them, 3.7 s without.)
CREATE OR REPLACE FUNCTION ocop_sync(p_products bigint[], p_shops bigint[]) RETURNS integer
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  n integer;
  listings bigint[];
BEGIN
  IF p_products IS NULL THEN
    p_products := ARRAY(SELECT id FROM product);
  END IF;
  IF p_shops IS NULL THEN
    p_shops := ARRAY(SELECT id FROM shop);
  END IF;

  -- Eligibility first: left to itself the planner asks every shop's rules
  -- about every product before it, and the day many certificates lapse
  -- most of those products need no asking.
  WITH eligible AS MATERIALIZED (
    SELECT e.product_id FROM product_eligibility e
     WHERE e.eligible AND e.product_id = ANY (p_products)
  )
  INSERT INTO listing (shop_id, product_id)
  SELECT s.id, e.product_id
    FROM shop s
    JOIN eligible e ON true
    JOIN product p ON p.id = e.product_id
    JOIN category c ON c.code = p.category_code AND NOT c.service
   WHERE s.status = 'active' AND s.id = ANY (p_shops)
     AND EXISTS (SELECT 1 FROM ocop_carried(s.id, e.product_id) a WHERE a.carried)
  ON CONFLICT (shop_id, product_id) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM ocop_analyze_after(n, 'listing');

  -- Every statement below starts from these listings, never from the whole
  -- queue: right after a bulk change the planner's statistics may still say
  -- the queue is empty when it holds tens of thousands of rows.
  listings := ARRAY(SELECT id FROM listing WHERE product_id = ANY (p_products)
                                             AND shop_id = ANY (p_shops));

  -- Every variant of the product has a row on each of its listings, not on
  -- the item yet (remote_id NULL) until a publish or a variants job puts it
  -- there.
  INSERT INTO listing_variant (listing_id, variant_id)
  SELECT l.id, v.id
    FROM listing l
    JOIN variant v ON v.product_id = l.product_id AND v.active
   WHERE l.id = ANY (listings)
  ON CONFLICT (listing_id, variant_id) DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM ocop_analyze_after(n, 'listing_variant');

  RETURN ocop_sync_listings(listings);
END $$;

-- The jobs of these listings, queued or dropped as they need (the last part
-- of ocop_sync). Job outcomes call it alone (ocop_finish_jobs, outbox.sql):
-- an outcome changes what was sent, never which listings and variant rows
-- exist. Returns the jobs it queued.
CREATE OR REPLACE FUNCTION ocop_sync_listings(p_listings bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  queued integer := 0;
  n integer;
  raced bigint[];
  listings bigint[] := p_listings;
BEGIN
  -- Normally one pass. A pass that raced with a job's end (ocop_sync_queue)
  -- takes its queued rows of those listings back and derives them again
  -- from what is committed now; after three passes the dispatch check
  -- (ocop_claim_jobs) is the last word.
  FOR pass IN 1..3 LOOP
    SELECT q.queued, q.raced, q.raced_listings INTO n, raced, listings
      FROM ocop_sync_queue(listings) q;
    queued := queued + n;
    EXIT WHEN raced IS NULL OR pass = 3;
    DELETE FROM outbox WHERE id = ANY (raced);
    queued := queued - cardinality(raced);
  END LOOP;

  PERFORM ocop_analyze_after(queued, 'outbox');
  IF queued > 0 THEN
    PERFORM pg_notify('ocop_outbox', '');
  END IF;
  RETURN queued;
END $$;

-- One pass of a sync's queueing, for the given listings: derives their jobs
-- once (deriving is most of a sync's cost) and serves two ends with it. A
-- job of the same kind already pending or running is enough (a running one
-- syncs again when it finishes); a queued job that is no longer needed is
-- dropped, not sent. The two touch different (listing, kind) pairs, so one
-- snapshot serves both.
--
-- ON CONFLICT judges "already pending or running" as the jobs are when the
-- row goes in; the derivation saw them as they were in the statement's
-- snapshot. A job queued although the snapshot had one of its kind live
-- raced with that job's end: the derivation may be older than what the
-- finished job committed (a sweep that waited on a finishing transaction
-- queued a second variants job that way), or it may hold this
-- transaction's catalogue change that the finished job's own sync could
-- not see. Those rows and their listings are returned as raced.
CREATE OR REPLACE FUNCTION ocop_sync_queue(p_listings bigint[], OUT queued integer,
                                           OUT raced bigint[], OUT raced_listings bigint[])
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  WITH due AS MATERIALIZED (
    SELECT j.listing_id, j.kind FROM listing_jobs j WHERE j.listing_id = ANY (p_listings)
  ), dropped AS (
    UPDATE outbox o SET state = 'skipped', last_error = 'no longer needed', updated_at = now()
     WHERE o.listing_id = ANY (p_listings) AND o.state = 'pending'
       AND NOT EXISTS (SELECT 1 FROM due j WHERE j.listing_id = o.listing_id AND j.kind = o.kind)
  ), queued_now AS (
    INSERT INTO outbox (listing_id, kind, priority)
    SELECT d.listing_id, d.kind, ocop_job_priority(d.kind) FROM due d
    ON CONFLICT (listing_id, kind) WHERE state IN ('pending', 'running') DO NOTHING
    RETURNING id, listing_id, kind
  )
  SELECT count(*)::integer, array_agg(q.id) FILTER (WHERE r.live),
         array_agg(DISTINCT q.listing_id) FILTER (WHERE r.live)
    INTO queued, raced, raced_listings
    FROM queued_now q,
         LATERAL (SELECT EXISTS (SELECT 1 FROM outbox x
                                  WHERE x.listing_id = q.listing_id AND x.kind = q.kind
                                    AND x.state IN ('pending', 'running')) AS live) r;
END $$;

-- After a bulk write the planner's statistics of a table still describe
-- it as it was: a queue analysed while every job was done says a pending
-- job is rare when 100,000 are pending, and the next sync's plan compares
-- every pending job with every derived one (measured: a sync of 694 s, and
-- a sweep stopped after 10 minutes). Autovacuum analyses such a table
-- later; a sync that wrote this many rows analyses it at once (the rows of
-- its own transaction count). A role that does not own the table gets a
-- warning and the old statistics.
--
-- "This many": over 10,000 rows, or over 1,000 that are more than a fifth of
-- what the statistics say the table holds (a catalogue of 5,000 products
-- listed at once left the daemon's plans reading every listing of the shop
-- to find a claim's dozen: 11 ms a sync of a batch, against 3 ms).
CREATE OR REPLACE FUNCTION ocop_analyze_after(p_rows integer, p_table regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_rows > 10000
     OR (p_rows > 1000
         AND p_rows > 0.2 * (SELECT greatest(c.reltuples, 0) FROM pg_class c WHERE c.oid = p_table))
  THEN
    EXECUTE format('ANALYZE %s', p_table);
  END IF;
END $$;

-- Jobs whose worker died (lease expired) go back to the queue.
CREATE OR REPLACE FUNCTION ocop_reclaim_expired() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  UPDATE outbox SET state = 'pending', lease_until = NULL, lease_owner = NULL,
                    last_error = coalesce(last_error, 'lease expired'), updated_at = now()
   WHERE state = 'running' AND lease_until < now();
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE listing SET lease_until = NULL WHERE lease_until < now();
  RETURN n;
END $$;

-- The advisory lock a sweep holds alone and a batch of job outcomes shares
-- (ocop_finish_jobs, outbox.sql), taken before any row. A sweep takes back
-- expired jobs and inserts jobs for every listing; an outcome batch
-- updates its jobs and listings and then inserts the jobs they need next.
-- Each waited on the other's uncommitted rows at a unique index, in no
-- common order, and deadlocked (seen under .ci/run's 2031 clock, where
-- PostgreSQL's deadlock check never fires). Outcome batches still run
-- side by side; one waits for a sweep, at most a sweep's length.
CREATE OR REPLACE FUNCTION ocop_sweep_lock_key() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT 7231007001::bigint
$$;

-- The periodic guarantee: reclaim dead leases and re-derive every job.
CREATE OR REPLACE FUNCTION ocop_sweep() RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(ocop_sweep_lock_key());
  PERFORM ocop_reclaim_expired();
  RETURN ocop_sync(NULL, NULL);
END $$;

-- ---- catalogue triggers ------------------------------------------------------
-- Statement-level with transition tables, so importing 20,000 rows syncs
-- once, not 20,000 times.

-- A batch that changes stock many times (a page of orders) puts the syncs
-- off to its end: ocop_sync_defer at its start, ocop_sync_deferred at its
-- end, so fifty orders sync once, not fifty times. The products waiting
-- are kept in a setting local to the transaction ('' when not deferring).
CREATE OR REPLACE FUNCTION ocop_sync_defer() RETURNS void
LANGUAGE sql AS $$
  SELECT set_config('ocop.sync_deferred', '{}', true)
$$;

-- A bulk change that knows which products it changed (the catalogue
-- import, import.sql) holds the syncs instead: the triggers do nothing
-- until ocop_sync_release, and the caller syncs its products itself, so
-- no list of them is kept here.
CREATE OR REPLACE FUNCTION ocop_sync_hold() RETURNS void
LANGUAGE sql AS $$
  SELECT set_config('ocop.sync_deferred', 'held', true)
$$;

CREATE OR REPLACE FUNCTION ocop_sync_release() RETURNS void
LANGUAGE sql AS $$
  SELECT set_config('ocop.sync_deferred', '', true)
$$;

-- True when the sync is put off (the products are remembered, unless
-- held).
CREATE OR REPLACE FUNCTION ocop_sync_later(p_products bigint[]) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  waiting text := current_setting('ocop.sync_deferred', true);
BEGIN
  IF coalesce(waiting, '') = '' THEN
    RETURN false;
  END IF;
  IF waiting = 'held' THEN
    RETURN true;
  END IF;
  PERFORM set_config('ocop.sync_deferred', (waiting::bigint[] || p_products)::text, true);
  RETURN true;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_deferred() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  waiting text := current_setting('ocop.sync_deferred', true);
BEGIN
  PERFORM set_config('ocop.sync_deferred', '', true);
  IF coalesce(waiting, '') IN ('', '{}', 'held') THEN
    RETURN 0;
  END IF;
  RETURN ocop_sync(ARRAY(SELECT DISTINCT p FROM unnest(waiting::bigint[]) p ORDER BY p), NULL);
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_changed_products() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  products bigint[] := ARRAY(SELECT DISTINCT product_id FROM changed);
BEGIN
  IF NOT ocop_sync_later(products) THEN
    PERFORM ocop_sync(products, NULL);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_changed_product_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  products bigint[] := ARRAY(SELECT DISTINCT id FROM changed);
BEGIN
  IF NOT ocop_sync_later(products) THEN
    PERFORM ocop_sync(products, NULL);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_changed_shops() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT DISTINCT id FROM changed));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER product_sync_ins AFTER INSERT ON product
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_product_rows();
CREATE OR REPLACE TRIGGER product_sync_upd AFTER UPDATE ON product
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_product_rows();
CREATE OR REPLACE TRIGGER certificate_sync_ins AFTER INSERT ON certificate
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER certificate_sync_upd AFTER UPDATE ON certificate
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER certificate_sync_del AFTER DELETE ON certificate
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER variant_sync_ins AFTER INSERT ON variant
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER variant_sync_upd AFTER UPDATE ON variant
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER stock_level_sync_ins AFTER INSERT ON stock_level
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER stock_level_sync_upd AFTER UPDATE ON stock_level
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE OR REPLACE TRIGGER shop_sync_ins AFTER INSERT ON shop
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_shops();
CREATE OR REPLACE TRIGGER shop_sync_upd AFTER UPDATE ON shop
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_shops();

-- ---- connector capabilities ------------------------------------------------
-- A change of capability (connector_caps.can_strip and content, read by
-- listing_target) changes the jobs of that marketplace's shops at once.
-- Only rows whose capabilities really changed count, so the daemon's upsert at every start
-- costs nothing when nothing changed. (Transition tables allow one event
-- per trigger, hence two.)

CREATE OR REPLACE FUNCTION connector_caps_sync_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT s.id FROM shop s JOIN changed n ON n.marketplace = s.marketplace
                                 WHERE NOT n.can_strip OR n.content));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION connector_caps_sync_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT s.id FROM shop s
                                  JOIN changed n ON n.marketplace = s.marketplace
                                  JOIN previous o ON o.marketplace = n.marketplace
                                 WHERE o.can_strip IS DISTINCT FROM n.can_strip
                                    OR o.content IS DISTINCT FROM n.content));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER connector_caps_sync_ins AFTER INSERT ON connector_caps
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION connector_caps_sync_ins();
CREATE OR REPLACE TRIGGER connector_caps_sync_upd AFTER UPDATE ON connector_caps
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION connector_caps_sync_upd();
