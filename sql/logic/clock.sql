-- clock.sql — the OCOP date: the calendar date in Asia/Ho_Chi_Minh of the
-- database server's clock, unless a test pinned it (table ocop_clock,
-- sql/008_clock.sql). ocopd, ocopctl and every view ask ocop_today(), never
-- their own clock (daemon/clock.c keeps the same rule for the daemon's own
-- calendar arithmetic).

-- The calendar date in Asia/Ho_Chi_Minh of an instant. Vietnam has kept
-- UTC+7 without daylight saving since 1975, so a fixed offset gives exactly
-- the zone's answer and, unlike a zone name, cannot change when the tz
-- database is updated: the function is truly IMMUTABLE and may be indexed.
-- Neither the session TimeZone nor the machine's clock zone plays any part.
CREATE OR REPLACE FUNCTION ocop_date_at(ts timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (ts AT TIME ZONE INTERVAL '+07:00')::date
$$;

-- The OCOP date: the pinned date when a test or the demo pinned one, else
-- the server clock's date. The pin is a row, not a setting, so every
-- session of the database sees it the moment it is committed.
--
-- PL/pgSQL keeps its plan for the whole session. A SQL function with a
-- subquery is set up again in every query that calls it, and the views ask
-- for the date several times each: product_eligibility for one product took
-- 160 us that way, 51 us with this.
CREATE OR REPLACE FUNCTION ocop_today() RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT pinned_date FROM ocop_clock), ocop_date_at(now()));
END $$;

-- Pins the OCOP date (NULL unpins). p_by says who did it, for the event log.
-- Production never pins; every pin and unpin is an event, so a pinned date
-- is never silent.
CREATE OR REPLACE FUNCTION ocop_clock_pin(p_date date, p_by text) RETURNS date
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ocop_clock
     SET pinned_date = p_date,
         pinned_at = CASE WHEN p_date IS NULL THEN NULL ELSE now() END,
         pinned_by = CASE WHEN p_date IS NULL THEN NULL ELSE left(p_by, 200) END;
  INSERT INTO event (kind, action, reason, detail)
  VALUES ('clock', CASE WHEN p_date IS NULL THEN 'unpin' ELSE 'pin' END, 'test_clock',
          jsonb_build_object('date', p_date, 'by', left(p_by, 200)));
  -- Daemons re-read the date now instead of at their next minute.
  PERFORM pg_notify('ocop_outbox', 'clock');
  RETURN ocop_today();
END $$;
