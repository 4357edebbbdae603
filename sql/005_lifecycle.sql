-- 005_lifecycle.sql — the certificate lifecycle: the OCOP calendar date,
-- clear refusals of contradictory certificates, the strip fallback for
-- connectors that cannot strip, and expiry warnings that fire once.

-- The calendar date in Asia/Ho_Chi_Minh of an instant. Vietnam has kept
-- UTC+7 without daylight saving since 1975, so a fixed offset gives exactly
-- the zone's answer and, unlike a zone name, cannot change when the tz
-- database is updated: the function is truly IMMUTABLE and may be indexed.
-- Neither the session TimeZone nor the machine's clock zone plays any part.
CREATE FUNCTION ocop_date_at(ts timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (ts AT TIME ZONE INTERVAL '+07:00')::date
$$;

-- Same contract as in 003 (tests pin the date with ocop.today), now on the
-- one definition of the OCOP date.
CREATE OR REPLACE FUNCTION ocop_today() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('ocop.today', true), '')::date,
                  ocop_date_at(now()))
$$;

-- Contradictory certificate rows are refused with a message an operator can
-- act on (which product, which decision, what is wrong) instead of a bare
-- constraint name. It runs after certificate_defaults (triggers fire in name
-- order), so the defaulted dates are the ones checked; the CHECK constraints
-- in 001 stay as the backstop for anything this misses.
CREATE FUNCTION certificate_validate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  what text;
  problem text;
BEGIN
  SELECT 'certificate ' || coalesce(NEW.decision_no, '(no decision)') || ' of '
         || coalesce((SELECT code FROM product WHERE id = NEW.product_id),
                     'product #' || NEW.product_id)
    INTO what;

  IF NEW.stars IS NULL OR NEW.stars NOT BETWEEN 1 AND 5 THEN
    problem := format('stars %s is outside 1–5', coalesce(NEW.stars::text, 'NULL'));
  ELSIF NEW.stars >= 3 AND (NEW.decision_no IS NULL OR NEW.decision_date IS NULL) THEN
    problem := format('a %s-star recognition needs a decision number and a decision date', NEW.stars);
  ELSIF NEW.stars < 3 AND (NEW.valid_from IS NOT NULL OR NEW.valid_until IS NOT NULL
                           OR NEW.revoked_on IS NOT NULL) THEN
    problem := format('a %s-star rating certifies nothing, so it has no validity or revocation dates',
                      NEW.stars);
  ELSIF NEW.valid_until < NEW.valid_from THEN
    problem := format('valid_until %s is before valid_from %s', NEW.valid_until, NEW.valid_from);
  ELSIF NEW.revoked_on < NEW.decision_date THEN
    problem := format('revoked_on %s is before the decision date %s', NEW.revoked_on, NEW.decision_date);
  ELSIF NEW.grace_until NOT BETWEEN NEW.valid_until AND NEW.valid_until + 180 THEN
    problem := format('grace_until %s is outside %s … %s (at most 180 days after valid_until)',
                      NEW.grace_until, NEW.valid_until, NEW.valid_until + 180);
  END IF;

  IF problem IS NOT NULL THEN
    RAISE EXCEPTION '%: %', what, problem USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER certificate_validate BEFORE INSERT OR UPDATE ON certificate
  FOR EACH ROW EXECUTE FUNCTION certificate_validate();

-- What each loaded connector can do, upserted by ocopd at start. A shop's
-- `strip` policy needs a connector that can remove OCOP claims from a live
-- listing; where it cannot, withdrawing the listing is the only way to stop
-- showing a claim the product lost. A marketplace with no row yet (no
-- daemon has started with its connector) counts as able to strip: nothing
-- can be sent to it before its connector is loaded, and the daemon's first
-- upsert re-derives the jobs (trigger below).
CREATE TABLE connector_caps (
  marketplace text PRIMARY KEY CHECK (marketplace ~ '^[a-z0-9_-]{1,32}$'),
  can_strip   boolean NOT NULL,
  updated_at  timestamptz DEFAULT now()
);

-- listing_target as in 003, with effective_policy appended (CREATE OR
-- REPLACE VIEW may only add columns at the end).
CREATE OR REPLACE VIEW listing_target AS
SELECT l.id AS listing_id, l.shop_id, l.product_id, l.state, l.item_id,
       l.create_started_at, l.lease_until,
       s.policy, s.status = 'active' AS shop_active,
       (e.eligible AND NOT c.service) AS mirror,
       CASE WHEN e.eligible THEN e.stars ELSE 0 END::smallint AS stars,
       CASE WHEN e.eligible THEN e.decision_no END AS decision_no,
       e.certificate_id, e.state AS cert_state,
       p.code AS sku, p.name_vi AS name, p.description_vi AS description,
       p.category_code, p.unit, coalesce(p.weight_g, 0) AS weight_g,
       p.price_vnd AS price,
       greatest(0, coalesce(sl.on_hand, 0) - coalesce(sl.reserved, 0) - s.stock_buffer) AS stock,
       l.sent_name, l.sent_description, l.sent_stars, l.sent_price, l.sent_stock,
       CASE WHEN s.policy = 'strip' AND cc.can_strip IS FALSE THEN 'delist'
            ELSE s.policy END AS effective_policy
  FROM listing l
  JOIN shop s ON s.id = l.shop_id
  JOIN product p ON p.id = l.product_id
  JOIN category c ON c.code = p.category_code
  JOIN product_eligibility e ON e.product_id = p.id
  LEFT JOIN stock_level sl ON sl.product_id = p.id
  LEFT JOIN connector_caps cc ON cc.marketplace = s.marketplace;

-- listing_jobs as in 003, deciding on the effective policy.
CREATE OR REPLACE VIEW listing_jobs AS
SELECT t.listing_id, t.shop_id, t.product_id, j.kind
  FROM listing_target t,
       LATERAL (SELECT t.sent_name IS DISTINCT FROM t.name
                    OR t.sent_description IS DISTINCT FROM t.description
                    OR t.sent_stars IS DISTINCT FROM t.stars AS stale,
                       t.state = 'listed' AND (t.mirror OR t.effective_policy = 'strip') AS live) d,
       LATERAL (VALUES
         ('publish', t.mirror AND t.state = 'new'),
         ('delist',  NOT t.mirror AND t.effective_policy = 'delist'
                     AND (t.state = 'listed' OR (t.state = 'new' AND t.create_started_at IS NOT NULL))),
         ('update',  (d.live OR (t.mirror AND t.state = 'delisted')) AND d.stale),
         ('relist',  t.mirror AND t.state = 'delisted' AND NOT d.stale),
         ('price',   d.live AND t.sent_price IS DISTINCT FROM t.price),
         ('stock',   d.live AND t.sent_stock IS DISTINCT FROM t.stock)
       ) AS j(kind, needed)
 WHERE t.shop_active AND j.needed
   AND NOT EXISTS (SELECT 1 FROM outbox x
                    WHERE x.listing_id = t.listing_id AND x.kind = j.kind AND x.state = 'dead'
                      AND x.target = ocop_job_target(j.kind, t));

-- A change of capability changes the jobs of that marketplace's shops at
-- once. Only rows whose can_strip really changed count, so the daemon's
-- upsert at every start costs nothing when nothing changed. (Transition
-- tables allow one event per trigger, hence two.)
CREATE FUNCTION connector_caps_sync_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT s.id FROM shop s JOIN changed n ON n.marketplace = s.marketplace
                                 WHERE NOT n.can_strip));
  RETURN NULL;
END $$;

CREATE FUNCTION connector_caps_sync_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT s.id FROM shop s
                                  JOIN changed n ON n.marketplace = s.marketplace
                                  JOIN previous o ON o.marketplace = n.marketplace
                                 WHERE o.can_strip IS DISTINCT FROM n.can_strip));
  RETURN NULL;
END $$;

CREATE TRIGGER connector_caps_sync_ins AFTER INSERT ON connector_caps
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION connector_caps_sync_ins();
CREATE TRIGGER connector_caps_sync_upd AFTER UPDATE ON connector_caps
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION connector_caps_sync_upd();

-- What to do, for a certificate with p_days_left days to go (domain §4.3,
-- §11.3): the dossier may be filed from 180 to 120 days before valid_until.
CREATE FUNCTION ocop_expiry_advice(p_valid_until date, p_days_left integer, p_reeval_filed_on date)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
           WHEN p_reeval_filed_on IS NOT NULL THEN
             format('re-evaluation dossier filed on %s; check whether a new decision has been issued; '
                    'listings will be withdrawn on %s without one', p_reeval_filed_on, p_valid_until + 1)
           WHEN p_days_left > 180 THEN
             format('prepare the dossier; the filing window opens %s', p_valid_until - 180)
           WHEN p_days_left >= 120 THEN
             format('file the re-evaluation dossier with the commune People''s Committee now '
                    '(window closes %s)', p_valid_until - 120)
           WHEN p_days_left > 7 THEN
             format('filing window closed on %s; check whether a new decision has been issued; '
                    'listings will be withdrawn on %s', p_valid_until - 120, p_valid_until + 1)
           ELSE
             format('URGENT: listings will be withdrawn on %s unless a new decision (or grace) is '
                    'recorded; filing window closed on %s', p_valid_until + 1, p_valid_until - 120)
         END
$$;

-- Expiry warnings due today. A certificate warns at the smallest tier not
-- below its days left (imported 95 days before expiry it warns at 120, not
-- at 210/180/135 all at once), and each (certificate, tier) warns once ever:
-- the event's dedupe key makes a second call, a restart or another daemon
-- insert nothing, and only rows actually inserted are returned, so the
-- caller can alert on exactly what it gets. Only products eligible today
-- and not yet past valid_until warn: revoked, expired or never-certified
-- products have nothing to renew, and grace is reviewed by ops on its own.
CREATE FUNCTION ocop_expiry_warnings(p_tiers integer[])
RETURNS TABLE (product_code text, product_name text, producer text, certificate_id bigint,
               decision_no text, valid_until date, days_left integer, tier integer, advice text)
LANGUAGE sql VOLATILE AS $$
  WITH due AS (
    SELECT p.id AS product_id, p.code, p.name_vi, pr.name AS producer_name,
           e.certificate_id AS cert_id, e.decision_no AS decision, e.valid_until AS until,
           e.days_left AS left_days,
           (SELECT min(t) FROM unnest(p_tiers) AS t WHERE t >= e.days_left) AS due_tier,
           ocop_expiry_advice(e.valid_until, e.days_left, c.reeval_filed_on) AS what_to_do
      FROM product_eligibility e
      JOIN product p ON p.id = e.product_id
      JOIN producer pr ON pr.id = p.producer_id
      JOIN certificate c ON c.id = e.certificate_id
     WHERE e.eligible AND e.days_left >= 0
  ), inserted AS (
    INSERT INTO event (kind, product_id, certificate_id, action, reason, detail, dedupe_key)
    SELECT 'expiry_warning', d.product_id, d.cert_id, 'warn', 'tier ' || d.due_tier,
           jsonb_build_object('days_left', d.left_days, 'valid_until', d.until, 'tier', d.due_tier,
                              'decision_no', d.decision, 'advice', d.what_to_do),
           d.cert_id || ':' || d.due_tier
      FROM due d
     WHERE d.due_tier IS NOT NULL
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING event.certificate_id AS cert_id, (event.detail ->> 'tier')::integer AS due_tier
  )
  SELECT d.code, d.name_vi, d.producer_name, d.cert_id, d.decision, d.until, d.left_days,
         d.due_tier, d.what_to_do
    FROM due d
    JOIN inserted i ON i.cert_id = d.cert_id AND i.due_tier = d.due_tier
   ORDER BY d.left_days, d.code
$$;
