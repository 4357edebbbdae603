-- listing_jobs.sql — what every listing should show now (listing_target),
-- and the outbox jobs that takes (listing_jobs). All decisions about what a
-- marketplace should show are made here: ocopd only claims jobs, sends what
-- the job row says, and reports the outcome (outbox.sql).
--
-- ocop_job_target takes a listing_target row and listing_jobs calls it, so
-- they live in this one file, in this order: a view whose columns change
-- must be dropped (DROP VIEW ... CASCADE), which drops what is built on it,
-- and everything is created again below it. listing_variant_target is
-- dropped first for that reason: the rest of this file and every later
-- logic file are applied again after it.

-- Each variant of each listing: what it should show (price, stock for this
-- shop) next to what was last sent and its id on the marketplace. A variant
-- is "on the item" when remote_id is not NULL. Withdrawn variants
-- (variant.active false) stay here while they are still on the item.
DROP VIEW IF EXISTS listing_variant_target CASCADE;
CREATE VIEW listing_variant_target AS
SELECT lv.listing_id, v.id AS variant_id, v.product_id, v.sku, v.label, v.position, v.active,
       v.price_vnd AS price,
       greatest(0, coalesce(sl.on_hand, 0) - coalesce(sl.reserved, 0) - s.stock_buffer) AS stock,
       coalesce(v.weight_g, 0) AS weight_g, v.gtin, v.length_mm, v.width_mm, v.height_mm,
       lv.remote_id, lv.sent_price, lv.sent_stock
  FROM listing_variant lv
  JOIN listing l ON l.id = lv.listing_id
  JOIN shop s ON s.id = l.shop_id
  JOIN variant v ON v.id = lv.variant_id
  LEFT JOIN stock_level sl ON sl.variant_id = v.id
 WHERE v.active OR lv.remote_id IS NOT NULL;

-- What each listing should show now, next to what was last sent. A shop's
-- `strip` policy needs a connector that can remove OCOP claims from a live
-- listing (connector_caps, upserted by ocopd at start); where it cannot,
-- withdrawing the listing is the only way to stop showing a claim the
-- product lost. A marketplace with no row yet counts as able to strip:
-- nothing can be sent to it before its connector is loaded, and the
-- daemon's first upsert re-derives the jobs (sync.sql). A product the shop
-- no longer carries (assortment.sql) is withdrawn whatever the policy.
--
-- The variant columns sum up listing_variant_target: `variants` is what a
-- job sends (job.c reads it), the *_stale flags say which jobs are due.
-- `variants` is json, not jsonb: it is built for every listing derived and
-- only ever read as text, and building jsonb cost twice as much (1.76 s
-- against 1.07 s over 66,667 listings). A publish's target reads it as
-- jsonb text, as it always has, so a held or dead publish keeps its target.
CREATE OR REPLACE VIEW listing_target AS
SELECT l.id AS listing_id, l.shop_id, l.product_id, l.state, l.item_id,
       l.create_started_at, l.lease_until,
       s.policy, s.status IN ('active', 'removing') AS shop_active,
       a.carried,
       (e.eligible AND NOT c.service AND a.carried AND vs.live > 0) AS mirror,
       CASE WHEN e.eligible THEN e.stars ELSE 0 END::smallint AS stars,
       CASE WHEN e.eligible THEN e.decision_no END AS decision_no,
       e.certificate_id, e.state AS cert_state,
       p.code AS sku, p.name_vi AS name, p.description_vi AS description,
       p.category_code, p.unit,
       vs.variants, vs.price_sig, vs.stock_sig, vs.shape_sig,
       vs.price_stale, vs.stock_stale, vs.shape_stale,
       l.sent_name, l.sent_description, l.sent_stars,
       CASE WHEN NOT a.carried THEN 'delist'
            WHEN s.policy = 'strip' AND cc.can_strip IS FALSE THEN 'delist'
            WHEN s.policy = 'strip' AND l.problem_kind = 'strip' THEN 'delist'
            ELSE s.policy END AS effective_policy,
       s.marketplace,
       cs.sig AS content_sig,
       l.sent_content, l.problem, l.problem_kind
  FROM listing l
  JOIN shop s ON s.id = l.shop_id
  JOIN product p ON p.id = l.product_id
  JOIN category c ON c.code = p.category_code
  JOIN product_eligibility e ON e.product_id = p.id
  LEFT JOIN connector_caps cc ON cc.marketplace = s.marketplace
  LEFT JOIN LATERAL ocop_content_sigs(p.id, s.marketplace,
                                      CASE WHEN e.eligible THEN e.stars ELSE 0 END::smallint,
                                      cc.content) cs ON true
  LEFT JOIN LATERAL ocop_carried(l.shop_id, l.product_id) ac ON true
  CROSS JOIN LATERAL (SELECT coalesce(ac.carried, false) AS carried) a
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE t.active) AS live,
           coalesce(json_agg(json_build_object(
                      'sku', t.sku, 'label', t.label, 'price', t.price, 'stock', t.stock,
                      'weight_g', t.weight_g, 'gtin', t.gtin, 'length_mm', t.length_mm,
                      'width_mm', t.width_mm, 'height_mm', t.height_mm,
                      'remote_id', t.remote_id, 'removed', NOT t.active)
                    ORDER BY NOT t.active, t.position, t.variant_id), '[]') AS variants,
           string_agg(t.sku || '=' || t.price, ' ' ORDER BY t.variant_id)
             FILTER (WHERE t.active AND t.remote_id IS NOT NULL) AS price_sig,
           string_agg(t.sku || '=' || t.stock, ' ' ORDER BY t.variant_id)
             FILTER (WHERE t.active AND t.remote_id IS NOT NULL) AS stock_sig,
           string_agg(t.sku || CASE WHEN NOT t.active THEN '-' WHEN t.remote_id IS NULL THEN '+'
                                    ELSE '' END, ' ' ORDER BY t.variant_id) AS shape_sig,
           coalesce(bool_or(t.active AND t.remote_id IS NOT NULL
                            AND t.sent_price IS DISTINCT FROM t.price), false) AS price_stale,
           coalesce(bool_or(t.active AND t.remote_id IS NOT NULL
                            AND t.sent_stock IS DISTINCT FROM t.stock), false) AS stock_stale,
           coalesce(bool_or(t.active = (t.remote_id IS NULL)), false) AS shape_stale
      FROM listing_variant_target t
     WHERE t.listing_id = l.id) vs;

-- What a job of this kind would send for this listing now, as text. A
-- withdrawal's target is the OCOP date, so a dead delist is tried again the
-- next day (and alerts every time) rather than never.
CREATE OR REPLACE FUNCTION ocop_job_target(p_kind text, t listing_target) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE p_kind
           WHEN 'price' THEN t.price_sig
           WHEN 'stock' THEN t.stock_sig
           WHEN 'variants' THEN md5(t.shape_sig)
           WHEN 'update' THEN md5(concat_ws('|', t.name, t.description, t.stars, t.content_sig))
           WHEN 'publish' THEN md5(concat_ws('|', t.name, t.description, t.stars,
                                             t.category_code, t.variants::jsonb::text, t.content_sig))
           ELSE p_kind || ':' || ocop_today()::text
         END
$$;

-- The jobs one listing's state calls for, decided from its target row
-- alone on the effective policy. A hidden listing is corrected before it
-- is shown again (update, then relist), so it never reappears with stale
-- claims; a listing that may not be shown is withdrawn before anything
-- else. Whoever calls it leaves out a job that died, or was held for the
-- listing's content, with the same target (listing_jobs does): a change of
-- the catalogue changes the target, and only then is it derived again.
--
-- One SELECT in SQL, so the planner writes it into the query that calls
-- it: listing_jobs below, and a claim, which has derived its listings'
-- targets already and checks its jobs against them (outbox.sql) instead
-- of deriving them a second time through listing_jobs.
CREATE OR REPLACE FUNCTION ocop_target_jobs(t listing_target) RETURNS TABLE (kind text)
LANGUAGE sql STABLE AS $$
  SELECT j.kind
    FROM -- OFFSET 0 keeps each of these subqueries whole: flattened, the
         -- planner would copy their expressions into every row of the
         -- VALUES below and compute the content signature and the
         -- eligibility again for each (measured: 4 times slower over a
         -- catalogue).
         (SELECT t.content_sig AS sig OFFSET 0) cs,
         LATERAL (SELECT t.mirror AS mirror, t.state AS state, t.effective_policy AS policy,
                         t.create_started_at IS NOT NULL AS create_started,
                         t.shape_stale AS shape_stale, t.price_stale AS price_stale,
                         t.stock_stale AS stock_stale,
                         t.sent_name IS DISTINCT FROM t.name
                      OR t.sent_description IS DISTINCT FROM t.description
                      OR t.sent_stars IS DISTINCT FROM t.stars
                      OR (cs.sig IS NOT NULL AND cs.sig IS DISTINCT FROM t.sent_content)
                      AS stale
                  OFFSET 0) f,
         LATERAL (SELECT f.state = 'listed' AND (f.mirror OR f.policy = 'strip') AS live) d,
         LATERAL (VALUES
           ('publish', f.mirror AND f.state = 'new'),
           ('delist',  NOT f.mirror AND f.policy = 'delist'
                       AND (f.state = 'listed' OR (f.state = 'new' AND f.create_started))),
           ('update',  (d.live OR (f.mirror AND f.state = 'delisted')) AND f.stale),
           ('relist',  f.mirror AND f.state = 'delisted' AND NOT f.stale),
           ('variants', d.live AND f.shape_stale),
           ('price',   d.live AND f.price_stale),
           ('stock',   d.live AND f.stock_stale)
         ) AS j(kind, needed)
   WHERE t.shop_active AND j.needed
$$;

-- The jobs every listing needs. Two parts. A listing whose product may
-- not be shown now, in a shop whose policy is to withdraw such a listing,
-- can need nothing but a delist, whatever the shop carries and whatever
-- its variants and content: it is decided from the listing, its shop and
-- the product's eligibility alone (the day a large catalogue's
-- certificates lapse, nearly every listing is such a one), as
-- ocop_target_jobs would decide it from the whole target. Every other
-- listing is decided by ocop_target_jobs. In both, a job that died or was
-- held with the same target is not derived again.
CREATE OR REPLACE VIEW listing_jobs AS
SELECT l.id AS listing_id, l.shop_id, l.product_id, 'delist'::text AS kind
  FROM listing l
  JOIN shop s ON s.id = l.shop_id
  JOIN product_eligibility e ON e.product_id = l.product_id
 WHERE NOT e.eligible AND s.policy = 'delist' AND s.status IN ('active', 'removing')
   AND (l.state = 'listed' OR (l.state = 'new' AND l.create_started_at IS NOT NULL))
   -- A withdrawal's target does not read the listing (ocop_job_target).
   AND NOT EXISTS (SELECT 1 FROM outbox x
                    WHERE x.listing_id = l.id AND x.kind = 'delist' AND x.state IN ('dead', 'held')
                      AND x.target = ocop_job_target('delist', NULL::listing_target))
UNION ALL
SELECT t.listing_id, t.shop_id, t.product_id, j.kind
  FROM listing_target t, LATERAL ocop_target_jobs(t) j
   -- Not the first part's listings (a product not eligible shows no stars).
 WHERE (t.stars > 0 OR t.policy <> 'delist')
   AND NOT EXISTS (SELECT 1 FROM outbox x
                    WHERE x.listing_id = t.listing_id AND x.kind = j.kind AND x.state IN ('dead', 'held')
                      AND x.target = ocop_job_target(j.kind, t));

-- Withdrawals before everything, then corrections, then the rest.
CREATE OR REPLACE FUNCTION ocop_job_priority(p_kind text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_kind WHEN 'delist' THEN 0 WHEN 'update' THEN 1 WHEN 'relist' THEN 2
                     WHEN 'variants' THEN 3 WHEN 'price' THEN 3 WHEN 'stock' THEN 3
                     ELSE 5 END::smallint
$$;
