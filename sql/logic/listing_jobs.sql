-- listing_jobs.sql — what every listing should show now (listing_target),
-- and the outbox jobs that takes (listing_jobs). All decisions about what a
-- marketplace should show are made here: ocopd only claims jobs, sends what
-- the job row says, and reports the outcome (outbox.sql).
--
-- ocop_job_target takes a listing_target row and listing_jobs calls it, so
-- the three live in this one file, in this order: a view whose columns
-- change must be dropped (DROP VIEW listing_target CASCADE), which drops the
-- other two, and they are created again below it.

-- What each listing should show now, next to what was last sent. A shop's
-- `strip` policy needs a connector that can remove OCOP claims from a live
-- listing (connector_caps, upserted by ocopd at start); where it cannot,
-- withdrawing the listing is the only way to stop showing a claim the
-- product lost. A marketplace with no row yet counts as able to strip:
-- nothing can be sent to it before its connector is loaded, and the
-- daemon's first upsert re-derives the jobs (sync.sql).
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

-- What a job of this kind would send for this listing now, as text. A
-- withdrawal's target is the OCOP date, so a dead delist is tried again the
-- next day (and alerts every time) rather than never.
CREATE OR REPLACE FUNCTION ocop_job_target(p_kind text, t listing_target) RETURNS text
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

-- The jobs each listing needs, deciding on the effective policy. A hidden
-- listing is corrected before it is shown again (update, then relist), so it
-- never reappears with stale claims; a listing that may not be shown is
-- withdrawn before anything else. A job that died with the same target is
-- not derived again.
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

-- Withdrawals before everything, then corrections, then the rest.
CREATE OR REPLACE FUNCTION ocop_job_priority(p_kind text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_kind WHEN 'delist' THEN 0 WHEN 'update' THEN 1 WHEN 'relist' THEN 2
                     WHEN 'price' THEN 3 WHEN 'stock' THEN 3 ELSE 5 END::smallint
$$;
