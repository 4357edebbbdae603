-- eligibility.sql — which products may carry OCOP claims today, and the
-- state of each product's certificate, on the OCOP date (clock.sql). This is
-- the one rule every listing decision starts from (listing_jobs.sql).

-- The product's current certificate: the most recent recognition (3–5 stars)
-- already in force. An older certificate never speaks for the product once a
-- newer one exists, so stars are never shown from a superseded decision.
CREATE OR REPLACE FUNCTION ocop_current_certificate(p_product bigint, p_today date)
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
-- valid_until is the last eligible day; revoked_on is the first day without.
CREATE OR REPLACE VIEW product_eligibility AS
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
 -- (SELECT ...): evaluated once per query (an InitPlan). Bare, the planner
 -- pulls the subquery up and calls ocop_today, which reads ocop_clock, for
 -- every product and every use: 14 calls a product in a sync.
 CROSS JOIN (SELECT (SELECT ocop_today()) AS today) t
  LEFT JOIN LATERAL ocop_current_certificate(p.id, t.today) c ON true;
