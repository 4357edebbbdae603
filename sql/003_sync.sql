-- 003_sync.sql — the eligibility rule, desired listings, and the outbox.
--
-- All decisions about what a marketplace should show are made here, in one
-- place: ocopd only claims jobs, sends what the job row says, and reports the
-- outcome. Triggers call ocop_sync() in the same transaction as a catalogue
-- change; ocopd's periodic sweep calls it for everything, which is the
-- guarantee when a NOTIFY is lost.

-- Today's calendar date in Asia/Ho_Chi_Minh (UTC+7, no DST). Tests pin it per
-- session or per database with the setting ocop.today; ocopd warns loudly
-- when it is set, and its production config has no way to set it.
CREATE FUNCTION ocop_today() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('ocop.today', true), '')::date,
                  (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
$$;

-- The product's current certificate: the most recent recognition (3–5 stars)
-- already in force. An older certificate never speaks for the product once a
-- newer one exists, so stars are never shown from a superseded decision.
CREATE FUNCTION ocop_current_certificate(p_product bigint, p_today date)
RETURNS SETOF certificate
LANGUAGE sql STABLE AS $$
  SELECT * FROM certificate c
   WHERE c.product_id = p_product AND c.stars >= 3 AND c.valid_from <= p_today
   ORDER BY c.valid_from DESC, c.decision_date DESC, c.id DESC
   LIMIT 1
$$;

-- Eligibility (domain §5 and §11.1) and the certificate state, on ocop_today().
-- Precedence: revoked, then no certificate, then expired, then grace, then
-- the alert tiers. Grace counts only when a re-evaluation dossier is recorded.
CREATE VIEW product_eligibility AS
SELECT p.id AS product_id,
       c.id AS certificate_id,
       c.stars,
       c.decision_no,
       c.valid_from,
       c.valid_until,
       c.revoked_on,
       CASE WHEN c.reeval_filed_on IS NOT NULL THEN c.grace_until END AS grace_until,
       t.today,
       (c.valid_until - t.today) AS days_left,
       CASE
         WHEN c.id IS NULL THEN
           CASE WHEN EXISTS (SELECT 1 FROM certificate r WHERE r.product_id = p.id AND r.stars < 3)
                THEN 'rated_below_3' ELSE 'never_eligible' END
         WHEN c.revoked_on <= t.today THEN 'revoked'
         WHEN t.today > c.valid_until AND c.reeval_filed_on IS NOT NULL
              AND t.today <= c.grace_until THEN 'grace'
         WHEN t.today > c.valid_until THEN 'expired'
         WHEN c.reeval_filed_on IS NOT NULL THEN 'renewal_pending'
         WHEN c.valid_until - t.today < 120 THEN 'expiring_soon'
         WHEN c.valid_until - t.today <= 180 THEN 'renewal_window'
         ELSE 'certified'
       END AS state,
       (c.id IS NOT NULL
        AND (c.revoked_on IS NULL OR c.revoked_on > t.today)
        AND t.today <= CASE WHEN c.reeval_filed_on IS NOT NULL
                            THEN greatest(c.valid_until, c.grace_until)
                            ELSE c.valid_until END) AS eligible
  FROM product p
 CROSS JOIN (SELECT ocop_today() AS today) t
  LEFT JOIN LATERAL ocop_current_certificate(p.id, t.today) c ON true;

-- What each listing should show now, next to what was last sent.
CREATE VIEW listing_target AS
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
       l.sent_name, l.sent_description, l.sent_stars, l.sent_price, l.sent_stock
  FROM listing l
  JOIN shop s ON s.id = l.shop_id
  JOIN product p ON p.id = l.product_id
  JOIN category c ON c.code = p.category_code
  JOIN product_eligibility e ON e.product_id = p.id
  LEFT JOIN stock_level sl ON sl.product_id = p.id;

-- What a job of this kind would send for this listing now, as text. A
-- withdrawal's target is the OCOP date, so a dead delist is tried again the
-- next day (and alerts every time) rather than never.
CREATE FUNCTION ocop_job_target(p_kind text, t listing_target) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE p_kind
           WHEN 'price' THEN t.price::text
           WHEN 'stock' THEN t.stock::text
           WHEN 'update' THEN md5(concat_ws('|', t.name, t.description, t.stars))
           WHEN 'publish' THEN md5(concat_ws('|', t.name, t.description, t.stars, t.price, t.stock,
                                             t.category_code, t.weight_g))
           ELSE p_kind || ':' || ocop_today()::text
         END
$$;

-- The jobs each listing needs. A hidden listing is corrected before it is
-- shown again (update, then relist), so it never reappears with stale claims;
-- a listing that may not be shown is withdrawn before anything else.
CREATE VIEW listing_jobs AS
SELECT t.listing_id, t.shop_id, t.product_id, j.kind
  FROM listing_target t,
       LATERAL (SELECT t.sent_name IS DISTINCT FROM t.name
                    OR t.sent_description IS DISTINCT FROM t.description
                    OR t.sent_stars IS DISTINCT FROM t.stars AS stale,
                       t.state = 'listed' AND (t.mirror OR t.policy = 'strip') AS live) d,
       LATERAL (VALUES
         ('publish', t.mirror AND t.state = 'new'),
         ('delist',  NOT t.mirror AND t.policy = 'delist'
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

CREATE FUNCTION ocop_job_priority(p_kind text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_kind WHEN 'delist' THEN 0 WHEN 'update' THEN 1 WHEN 'relist' THEN 2
                     WHEN 'price' THEN 3 WHEN 'stock' THEN 3 ELSE 5 END::smallint
$$;

-- Brings listings and the outbox in line with the catalogue, for the given
-- products and shops (NULL: all). Idempotent; returns the jobs it queued.
-- NULL is expanded to the full list first so that every statement below is
-- a plain "= ANY (array)": an "IS NULL OR" filter would give PL/pgSQL a
-- cached generic plan that scans every listing on every call.
--
-- Its statements read large views; planning them costs more than running
-- them for one product, and PL/pgSQL's plan cache kept re-planning them on
-- every call (measured: 10 ms of a 10.5 ms call), hence generic plans.
CREATE FUNCTION ocop_sync(p_products bigint[], p_shops bigint[]) RETURNS integer
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  queued integer;
  listings bigint[];
BEGIN
  IF p_products IS NULL THEN
    p_products := ARRAY(SELECT id FROM product);
  END IF;
  IF p_shops IS NULL THEN
    p_shops := ARRAY(SELECT id FROM shop);
  END IF;

  INSERT INTO listing (shop_id, product_id)
  SELECT s.id, e.product_id
    FROM shop s
    JOIN product_eligibility e ON e.eligible
    JOIN product p ON p.id = e.product_id
    JOIN category c ON c.code = p.category_code AND NOT c.service
   WHERE s.status = 'active' AND e.product_id = ANY (p_products) AND s.id = ANY (p_shops)
  ON CONFLICT (shop_id, product_id) DO NOTHING;

  -- Every statement below starts from these listings, never from the whole
  -- queue: right after a bulk change the planner's statistics may still say
  -- the queue is empty when it holds tens of thousands of rows.
  listings := ARRAY(SELECT id FROM listing WHERE product_id = ANY (p_products)
                                             AND shop_id = ANY (p_shops));

  -- A job of the same kind already pending or running is enough: a running
  -- one syncs again when it finishes.
  INSERT INTO outbox (listing_id, kind, priority)
  SELECT j.listing_id, j.kind, ocop_job_priority(j.kind)
    FROM listing_jobs j
   WHERE j.listing_id = ANY (listings)
  ON CONFLICT (listing_id, kind) WHERE state IN ('pending', 'running') DO NOTHING;
  GET DIAGNOSTICS queued = ROW_COUNT;

  -- A queued job that is no longer needed is dropped, not sent.
  UPDATE outbox o SET state = 'skipped', last_error = 'no longer needed', updated_at = now()
   WHERE o.listing_id = ANY (listings) AND o.state = 'pending'
     AND NOT EXISTS (SELECT 1 FROM listing_jobs j WHERE j.listing_id = o.listing_id AND j.kind = o.kind);

  IF queued > 0 THEN
    PERFORM pg_notify('ocop_outbox', '');
  END IF;
  RETURN queued;
END $$;

-- Catalogue triggers: statement-level with transition tables, so importing
-- 20,000 rows syncs once, not 20,000 times.
CREATE FUNCTION ocop_sync_changed_products() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(ARRAY(SELECT DISTINCT product_id FROM changed), NULL);
  RETURN NULL;
END $$;

CREATE FUNCTION ocop_sync_changed_product_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(ARRAY(SELECT DISTINCT id FROM changed), NULL);
  RETURN NULL;
END $$;

CREATE FUNCTION ocop_sync_changed_shops() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT DISTINCT id FROM changed));
  RETURN NULL;
END $$;

CREATE TRIGGER product_sync_ins AFTER INSERT ON product
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_product_rows();
CREATE TRIGGER product_sync_upd AFTER UPDATE ON product
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_product_rows();
CREATE TRIGGER certificate_sync_ins AFTER INSERT ON certificate
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE TRIGGER certificate_sync_upd AFTER UPDATE ON certificate
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE TRIGGER certificate_sync_del AFTER DELETE ON certificate
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE TRIGGER stock_level_sync_ins AFTER INSERT ON stock_level
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE TRIGGER stock_level_sync_upd AFTER UPDATE ON stock_level
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_products();
CREATE TRIGGER shop_sync_ins AFTER INSERT ON shop
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_shops();
CREATE TRIGGER shop_sync_upd AFTER UPDATE ON shop
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_changed_shops();

-- Jobs whose worker died (lease expired) go back to the queue.
CREATE FUNCTION ocop_reclaim_expired() RETURNS integer
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

-- The periodic guarantee: reclaim dead leases and re-derive every job.
CREATE FUNCTION ocop_sweep() RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_reclaim_expired();
  RETURN ocop_sync(NULL, NULL);
END $$;
