-- append_only.sql — tables that are history: the stock ledger (the only
-- truth about stock) and the audit trail (inspectors check how OCOP claims
-- were shown). A row once written is never changed or removed.

CREATE OR REPLACE FUNCTION ocop_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION ocop_append_only();
CREATE OR REPLACE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
  FOR EACH ROW EXECUTE FUNCTION ocop_append_only();
