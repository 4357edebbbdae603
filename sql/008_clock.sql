-- 008_clock.sql — one OCOP date for every connection to a database.
--
-- The OCOP date is the calendar date in Asia/Ho_Chi_Minh of the server's
-- clock (ocop_date_at, 005). Tests and the demo need another date now and
-- then; until now they set the ocop.today setting, which reaches only the
-- sessions opened after it (ALTER DATABASE) or the one that set it (SET), so
-- a test's own connection and the daemon's could disagree on the day. The pin
-- now lives in this one-row table: every session of the database, the
-- daemon's included, sees a pin the moment it is committed, and the daemon
-- is told at once (NOTIFY), as if midnight had passed.
--
-- Production never pins: pinned_date stays NULL and the date is the clock's.
-- Every pin and unpin is also an event, so a pinned date is never silent.
CREATE TABLE ocop_clock (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  pinned_date date,
  pinned_at   timestamptz,
  pinned_by   text CHECK (length(pinned_by) <= 200)
);
INSERT INTO ocop_clock DEFAULT VALUES;

CREATE OR REPLACE FUNCTION ocop_today() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT pinned_date FROM ocop_clock), ocop_date_at(now()))
$$;

-- Pins the OCOP date (NULL unpins). p_by says who did it, for the event log.
CREATE FUNCTION ocop_clock_pin(p_date date, p_by text) RETURNS date
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
