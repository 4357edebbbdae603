-- catalogue.sql — rules on catalogue rows: GTIN check digits, certificate
-- defaults, and clear refusals of contradictory certificates.

-- GS1 mod-10 check digit for GTIN-8/12/13/14. product.gtin's CHECK
-- constraint calls it (sql/001_catalogue.sql), so a change here applies to
-- rows written from then on; existing rows are not re-checked.
CREATE OR REPLACE FUNCTION ocop_gtin_ok(g text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT g ~ '^([0-9]{8}|[0-9]{12,14})$' AND
    (SELECT (10 - sum(substr(g, length(g) - i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10
       FROM generate_series(1, length(g) - 1) AS i) = substr(g, length(g), 1)::int
$$;

-- valid_from defaults to the decision date and valid_until to 36 calendar
-- months later; PostgreSQL's month arithmetic clamps to the month's last day
-- (2024-02-29 + 36 months = 2027-02-28), which is the domain rule.
CREATE OR REPLACE FUNCTION certificate_defaults() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stars >= 3 THEN
    NEW.valid_from := coalesce(NEW.valid_from, NEW.decision_date);
    NEW.valid_until := coalesce(NEW.valid_until, (NEW.decision_date + interval '36 months')::date);
  END IF;
  RETURN NEW;
END $$;

-- Contradictory certificate rows are refused with a message an operator can
-- act on (which product, which decision, what is wrong) instead of a bare
-- constraint name. It runs after certificate_defaults (triggers fire in name
-- order), so the defaulted dates are the ones checked; the CHECK constraints
-- on certificate (sql/001_catalogue.sql) stay as the backstop for anything
-- this misses.
CREATE OR REPLACE FUNCTION certificate_validate() RETURNS trigger
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

CREATE OR REPLACE TRIGGER certificate_defaults BEFORE INSERT OR UPDATE ON certificate
  FOR EACH ROW EXECUTE FUNCTION certificate_defaults();
CREATE OR REPLACE TRIGGER certificate_validate BEFORE INSERT OR UPDATE ON certificate
  FOR EACH ROW EXECUTE FUNCTION certificate_validate();
