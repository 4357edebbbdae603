-- lifecycle.sql — expiry warnings that fire once per certificate and tier,
-- with advice on what to do. Eligibility itself is eligibility.sql; the
-- withdrawal of lapsed listings follows from listing_jobs.sql.

-- What to do, for a certificate with p_days_left days to go (domain §4.3,
-- §11.3): the dossier may be filed from 180 to 120 days before valid_until.
CREATE OR REPLACE FUNCTION ocop_expiry_advice(p_valid_until date, p_days_left integer, p_reeval_filed_on date)
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
CREATE OR REPLACE FUNCTION ocop_expiry_warnings(p_tiers integer[])
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
