-- eligibility.sql — which products may carry OCOP claims on the OCOP date
-- (sql/logic/clock.sql, sql/logic/eligibility.sql, sql/logic/catalogue.sql).
-- Run by tests/sql/run.sh on a fresh, migrated database; everything is
-- rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(38);

-- Procedures, so that CALL prints nothing between the TAP lines.
CREATE PROCEDURE pg_temp.pin(p_date date) LANGUAGE sql AS $$
  SELECT ocop_clock_pin(p_date, 'pgtap')
$$;

-- ---- the OCOP date ---------------------------------------------------------

SELECT is(ocop_date_at('2026-11-24 16:59:59+00'), '2026-11-24'::date,
          'one second before 17:00 UTC is still the previous day in Ho Chi Minh City');
SELECT is(ocop_date_at('2026-11-24 17:00:00+00'), '2026-11-25'::date,
          '17:00 UTC is 00:00 of the next day in Ho Chi Minh City');
SET LOCAL TimeZone = 'America/Los_Angeles';
SELECT is(ocop_date_at('2026-11-24 17:00:00+00'), '2026-11-25'::date,
          'the session time zone plays no part in the OCOP date');
SELECT is(ocop_date_at('2026-11-24 23:59:59-08'), '2026-11-25'::date,
          'an instant given in another zone gets its Ho Chi Minh City date');
RESET TimeZone;

SELECT is(ocop_clock_pin('2026-11-25', 'pgtap'), '2026-11-25'::date, 'pinning returns the pinned date');
SELECT is(ocop_today(), '2026-11-25'::date, 'ocop_today() is the pinned date');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'clock' AND action = 'pin'), 1,
          'a pin is recorded as an event');
SELECT is(ocop_clock_pin(NULL, 'pgtap'), ocop_date_at(now()),
          'unpinned, the OCOP date is the server clock''s date in Ho Chi Minh City');
CALL pg_temp.pin('2026-11-25');

-- ---- a catalogue with one product per case --------------------------------

INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['CERT', 'LASTDAY', 'EXPIRED', 'REV-TODAY', 'REV-TOMORROW', 'GRACE',
                    'GRACE-UNFILED', 'TWO-STARS', 'NONE', 'FUTURE', 'UPGRADE', 'WINDOW',
                    'SOON', 'PENDING', 'LEAP']) AS c;

CREATE PROCEDURE pg_temp.cert(p_code text, p_stars int, p_decided date, p_revoked date DEFAULT NULL,
                              p_filed date DEFAULT NULL, p_grace date DEFAULT NULL)
LANGUAGE sql AS $$
  INSERT INTO certificate (product_id, stars, decision_no, decision_date, revoked_on,
                           reeval_filed_on, grace_until)
  SELECT id, p_stars, CASE WHEN p_stars >= 3 THEN 'QĐ ' || p_code || ' ' || p_decided END,
         CASE WHEN p_stars >= 3 THEN p_decided END, p_revoked, p_filed, p_grace
    FROM product WHERE code = p_code
$$;

-- state, eligibility and stars of a product on the OCOP date
CREATE FUNCTION pg_temp.seen(p_code text) RETURNS text LANGUAGE sql AS $$
  SELECT e.state || ' ' || e.eligible || ' ' || coalesce(e.stars::text, '-')
    FROM product_eligibility e JOIN product p ON p.id = e.product_id WHERE p.code = p_code
$$;

CALL pg_temp.cert('CERT', 4, '2025-01-10');
CALL pg_temp.cert('LASTDAY', 3, '2023-11-25');
CALL pg_temp.cert('EXPIRED', 3, '2023-11-24');
CALL pg_temp.cert('REV-TODAY', 4, '2025-01-10', p_revoked => '2026-11-25');
CALL pg_temp.cert('REV-TOMORROW', 4, '2025-01-10', p_revoked => '2026-11-26');
CALL pg_temp.cert('GRACE', 4, '2023-11-20', p_filed => '2026-07-01', p_grace => '2027-01-15');
CALL pg_temp.cert('GRACE-UNFILED', 4, '2023-11-20', p_grace => '2027-01-15');
CALL pg_temp.cert('TWO-STARS', 2, NULL);
CALL pg_temp.cert('FUTURE', 5, '2026-12-01');
CALL pg_temp.cert('UPGRADE', 3, '2024-03-01');
CALL pg_temp.cert('UPGRADE', 5, '2026-06-01');
CALL pg_temp.cert('WINDOW', 4, '2024-05-01');
CALL pg_temp.cert('SOON', 4, '2024-02-01');
CALL pg_temp.cert('PENDING', 4, '2024-02-01', p_filed => '2026-10-01');
CALL pg_temp.cert('LEAP', 3, '2024-02-29');

-- ---- defaults ----------------------------------------------------------------

SELECT is((SELECT valid_from || ' ' || valid_until FROM certificate c JOIN product p ON p.id = c.product_id
            WHERE p.code = 'CERT'),
          '2025-01-10 2028-01-10', 'a certificate is valid from its decision for 36 months');
SELECT is((SELECT valid_until FROM certificate c JOIN product p ON p.id = c.product_id WHERE p.code = 'LEAP'),
          '2027-02-28'::date, '36 months after 29 February end on the last day of February');

-- ---- eligibility on 2026-11-25 ------------------------------------------------

SELECT is(pg_temp.seen('CERT'), 'certified true 4', 'a valid 4-star certificate is eligible');
SELECT is(pg_temp.seen('LASTDAY'), 'expiring_soon true 3', 'valid_until is the last eligible day (inclusive)');
SELECT is((SELECT days_left FROM product_eligibility e JOIN product p ON p.id = e.product_id
            WHERE p.code = 'LASTDAY'), 0, 'on its valid_until a certificate has 0 days left');
SELECT is(pg_temp.seen('EXPIRED'), 'expired false 3', 'the day after valid_until the product is not eligible');
SELECT is(pg_temp.seen('REV-TODAY'), 'revoked false 4', 'a revocation takes effect on its day');
SELECT is(pg_temp.seen('REV-TOMORROW'), 'certified true 4', 'a revocation dated tomorrow changes nothing today');
SELECT is(pg_temp.seen('GRACE'), 'grace true 4', 'with a dossier filed, grace keeps an expired certificate eligible');
SELECT is(pg_temp.seen('GRACE-UNFILED'), 'expired false 4', 'grace without a filed dossier does not count');
SELECT is((SELECT grace_until FROM product_eligibility e JOIN product p ON p.id = e.product_id
            WHERE p.code = 'GRACE-UNFILED'), NULL::date, 'grace without a dossier is not shown');
SELECT is(pg_temp.seen('TWO-STARS'), 'rated_below_3 false -', 'a rating below 3 stars never certifies');
SELECT is(pg_temp.seen('NONE'), 'never_eligible false -', 'a product without certificate is not eligible');
SELECT is(pg_temp.seen('FUTURE'), 'never_eligible false -', 'a decision not yet in force does not count');
SELECT is(pg_temp.seen('UPGRADE'), 'certified true 5', 'the newest decision in force speaks for the product');
SELECT is(pg_temp.seen('WINDOW'), 'renewal_window true 4', '120 to 180 days before expiry is the renewal window');
SELECT is(pg_temp.seen('SOON'), 'expiring_soon true 4', 'under 120 days before expiry is expiring soon');
SELECT is(pg_temp.seen('PENDING'), 'renewal_pending true 4', 'a filed dossier before expiry is renewal pending');
SELECT is((SELECT count(*)::int FROM product_eligibility), 15, 'every product has one eligibility row');

-- ---- the day boundary moves everything at once ---------------------------------

CALL pg_temp.pin('2026-11-26');
SELECT is(pg_temp.seen('LASTDAY'), 'expired false 3', 'a pin to the next day expires yesterday''s last day');
SELECT is(pg_temp.seen('REV-TOMORROW'), 'revoked false 4', 'and revokes what is revoked from that day');
SELECT is(pg_temp.seen('GRACE'), 'grace true 4', 'grace still holds');

CALL pg_temp.pin('2027-01-15');
SELECT is(pg_temp.seen('GRACE'), 'grace true 4', 'grace_until is the last day of grace (inclusive)');
CALL pg_temp.pin('2027-01-16');
SELECT is(pg_temp.seen('GRACE'), 'expired false 4', 'after grace_until the product is not eligible');

CALL pg_temp.pin('2026-12-01');
SELECT is(pg_temp.seen('FUTURE'), 'certified true 5', 'a decision is in force from its day');
CALL pg_temp.pin('2026-11-25');

-- ---- contradictory certificates are refused clearly --------------------------

SELECT throws_ok($$ INSERT INTO certificate (product_id, stars, valid_until)
                    SELECT id, 2, '2027-01-01' FROM product WHERE code = 'NONE' $$,
                 '23514', 'certificate (no decision) of NONE: a 2-star rating certifies nothing, '
                          'so it has no validity or revocation dates',
                 'a rating below 3 stars with a validity is refused');
SELECT throws_ok($$ CALL pg_temp.cert('NONE', 4, NULL) $$, '23514',
                 'certificate (no decision) of NONE: a 4-star recognition needs a decision number '
                 'and a decision date',
                 'a recognition without a decision is refused');
SELECT throws_ok($$ CALL pg_temp.cert('NONE', 4, '2025-01-10', p_revoked => '2025-01-09') $$,
                 '23514',
                 'certificate QĐ NONE 2025-01-10 of NONE: revoked_on 2025-01-09 is before the '
                 'decision date 2025-01-10',
                 'a revocation before its decision is refused');
SELECT throws_ok($$ CALL pg_temp.cert('NONE', 4, '2025-01-10', p_filed => '2027-06-01',
                                         p_grace => '2028-08-01') $$,
                 '23514',
                 'certificate QĐ NONE 2025-01-10 of NONE: grace_until 2028-08-01 is outside '
                 '2028-01-10 … 2028-07-08 (at most 180 days after valid_until)',
                 'grace beyond 180 days after valid_until is refused');
SELECT is(pg_temp.seen('NONE'), 'never_eligible false -', 'a refused certificate leaves nothing behind');

SELECT * FROM finish();
ROLLBACK;
