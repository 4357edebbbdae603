-- ledger_ops.sql — what an operator does by hand to stock and certificates
-- (ocopctl stock, ocopctl cert), each in one call so that the checks and
-- the write are one transaction. Every refusal is a sentence naming what is
-- wrong (ocopctl prints it as it is), with these codes:
--   no_data_found            an unknown SKU or product code
--   invalid_parameter_value  a missing note, a rating outside 3–5
--   check_violation          the result would be impossible (stock below
--                            zero or below what unpaid orders hold; a
--                            revocation before the decision)
--   unique_violation         the decision is already recorded
-- Writing the ledger or the certificate fires the catalogue triggers
-- (sync.sql), which queue the marketplace updates and NOTIFY ocopd, as an
-- import does.

-- Moves a variant's on-hand count by p_delta for p_reason ('stocktake' or
-- 'correction') with the operator's note, under a lock on its stock row so
-- that an order arriving meanwhile is counted before the check. Returns the
-- new on-hand count, reserved and the delta written (0: nothing written).
CREATE OR REPLACE FUNCTION ocop_stock_move(p_sku text, p_delta bigint, p_reason text,
                                           p_note text)
RETURNS TABLE (on_hand bigint, reserved bigint, delta bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v variant%ROWTYPE;
  s stock_level%ROWTYPE;
BEGIN
  SELECT * INTO v FROM variant WHERE sku = p_sku;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown SKU "%" (see ocopctl stock show --product CODE)', p_sku
      USING ERRCODE = 'no_data_found';
  END IF;
  p_note := btrim(coalesce(p_note, ''));
  IF p_note = '' OR length(p_note) > 500 THEN
    RAISE EXCEPTION 'the reason must say why, in 1 to 500 characters'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO stock_level (variant_id, product_id) VALUES (v.id, v.product_id)
  ON CONFLICT (variant_id) DO NOTHING;
  SELECT * INTO s FROM stock_level sl WHERE sl.variant_id = v.id FOR UPDATE;
  IF s.on_hand + p_delta < 0 THEN
    RAISE EXCEPTION '%: on hand would be %, below zero (now %)', p_sku, s.on_hand + p_delta,
                    s.on_hand USING ERRCODE = 'check_violation';
  ELSIF s.on_hand + p_delta < s.reserved THEN
    RAISE EXCEPTION '%: on hand would be %, below the % reserved by unpaid orders', p_sku,
                    s.on_hand + p_delta, s.reserved USING ERRCODE = 'check_violation';
  END IF;
  IF p_delta <> 0 THEN
    INSERT INTO stock_ledger (variant_id, product_id, delta, reason, note)
    VALUES (v.id, v.product_id, p_delta, p_reason, p_note);
  END IF;
  RETURN QUERY SELECT s.on_hand + p_delta, s.reserved, p_delta;
END $$;

-- A stocktake: on hand is counted to be p_qty.
CREATE OR REPLACE FUNCTION ocop_stock_set(p_sku text, p_qty bigint, p_note text)
RETURNS TABLE (on_hand bigint, reserved bigint, delta bigint)
LANGUAGE plpgsql AS $$
BEGIN
  IF p_qty < 0 THEN
    RAISE EXCEPTION '%: a count cannot be negative (%)', p_sku, p_qty
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN QUERY SELECT * FROM ocop_stock_move(
    p_sku, p_qty - coalesce((SELECT sl.on_hand FROM stock_level sl JOIN variant v
                               ON v.id = sl.variant_id WHERE v.sku = p_sku), 0),
    'stocktake', p_note);
END $$;

-- A correction: p_delta found missing (negative) or extra.
CREATE OR REPLACE FUNCTION ocop_stock_adjust(p_sku text, p_delta bigint, p_note text)
RETURNS TABLE (on_hand bigint, reserved bigint, delta bigint)
LANGUAGE plpgsql AS $$
BEGIN
  IF p_delta = 0 THEN
    RAISE EXCEPTION '%: an adjustment of 0 changes nothing', p_sku
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY SELECT * FROM ocop_stock_move(p_sku, p_delta, 'correction', p_note);
END $$;

-- The product with this code, or a refusal naming it.
CREATE OR REPLACE FUNCTION ocop_product_by_code(p_code text) RETURNS product
LANGUAGE plpgsql STABLE AS $$
DECLARE
  p product%ROWTYPE;
BEGIN
  SELECT * INTO p FROM product WHERE code = p_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown product "%" (see ocopctl certs)', p_code
      USING ERRCODE = 'no_data_found';
  END IF;
  RETURN p;
END $$;

-- Revokes the recognition in force on p_on (the first day without it) by
-- decision p_decision. The same revocation again changes nothing; another
-- one of a certificate already revoked is refused. Returns the
-- certificate's id.
CREATE OR REPLACE FUNCTION ocop_cert_revoke(p_code text, p_decision text, p_on date,
                                            p_reason text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  p product%ROWTYPE := ocop_product_by_code(p_code);
  c certificate%ROWTYPE;
BEGIN
  p_decision := btrim(coalesce(p_decision, ''));
  IF length(p_decision) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'the revocation decision number must have 1 to 100 characters'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  p_reason := nullif(btrim(coalesce(p_reason, '')), '');
  IF length(p_reason) > 500 THEN
    RAISE EXCEPTION 'the reason is longer than 500 characters'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO c FROM certificate
   WHERE product_id = p.id AND stars >= 3 AND valid_from <= p_on
   ORDER BY valid_from DESC, decision_date DESC, id DESC LIMIT 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION '%: no recognition decided on or before % to revoke', p_code, p_on
      USING ERRCODE = 'no_data_found';
  ELSIF c.revoked_on IS NOT NULL THEN
    IF c.revoked_on = p_on AND c.revocation_decision_no IS NOT DISTINCT FROM p_decision THEN
      RETURN c.id;
    END IF;
    RAISE EXCEPTION '%', format('%s: certificate %s is already revoked from %s%s', p_code,
                                c.decision_no, c.revoked_on,
                                coalesce(' by decision ' || c.revocation_decision_no, ''))
      USING ERRCODE = 'check_violation';
  ELSIF p_on < c.decision_date THEN
    RAISE EXCEPTION '%: revocation on % is before certificate %''s decision date %', p_code,
                    p_on, c.decision_no, c.decision_date USING ERRCODE = 'check_violation';
  END IF;
  UPDATE certificate SET revoked_on = p_on, revocation_decision_no = p_decision,
                         revocation_reason = p_reason
   WHERE id = c.id;
  INSERT INTO event (kind, product_id, certificate_id, action, reason, detail)
  VALUES ('certificate_revoked', p.id, c.id, 'revoke', coalesce(p_reason, 'revoked'),
          jsonb_build_object('decision_no', c.decision_no, 'revocation_decision_no', p_decision,
                             'revoked_on', p_on, 'by', 'ocopctl'));
  RETURN c.id;
END $$;

-- Records a recognition decision (a new certification or a
-- re-certification): p_stars 3–5, valid from p_on until p_valid_until
-- (NULL: 36 months, certificate_defaults in catalogue.sql). Returns the
-- new certificate's id.
CREATE OR REPLACE FUNCTION ocop_cert_decide(p_code text, p_stars integer, p_decision text,
                                            p_on date, p_valid_until date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  p product%ROWTYPE := ocop_product_by_code(p_code);
  pr producer%ROWTYPE;
  id bigint;
BEGIN
  p_decision := btrim(coalesce(p_decision, ''));
  IF p_stars IS NULL OR p_stars NOT BETWEEN 3 AND 5 THEN
    RAISE EXCEPTION 'stars must be 3, 4 or 5 for a recognition decision (not %)',
                    coalesce(p_stars::text, 'none') USING ERRCODE = 'invalid_parameter_value';
  ELSIF length(p_decision) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'the decision number must have 1 to 100 characters'
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF p_valid_until < p_on THEN
    RAISE EXCEPTION '%: valid until % is before the decision date %', p_code, p_valid_until,
                    p_on USING ERRCODE = 'check_violation';
  ELSIF EXISTS (SELECT 1 FROM certificate WHERE product_id = p.id AND issuer = ''
                   AND decision_no = p_decision AND decision_date = p_on) THEN
    RAISE EXCEPTION '%: decision % of % is already recorded', p_code, p_decision, p_on
      USING ERRCODE = 'unique_violation';
  END IF;
  SELECT * INTO pr FROM producer WHERE producer.id = p.producer_id;
  INSERT INTO certificate (product_id, stars, decision_no, decision_date, valid_until,
                           province_at_cert, commune_at_cert, source)
  VALUES (p.id, p_stars, p_decision, p_on, p_valid_until, pr.province, pr.commune, 'ocopctl')
  RETURNING certificate.id INTO id;
  INSERT INTO event (kind, product_id, certificate_id, action, reason, detail)
  VALUES ('certificate_decided', p.id, id, 'certify', 'recognition decision recorded',
          jsonb_build_object('decision_no', p_decision, 'decision_date', p_on,
                             'stars', p_stars, 'by', 'ocopctl'));
  RETURN id;
END $$;
