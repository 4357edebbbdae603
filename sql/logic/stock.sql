-- stock.sql — stock_level is a cache of the stock ledger's sums, kept in the
-- same transaction as every ledger row (the ledger itself is append-only:
-- append_only.sql).

CREATE OR REPLACE FUNCTION stock_ledger_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_level AS s (product_id, on_hand) VALUES (NEW.product_id, NEW.delta)
  ON CONFLICT (product_id) DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER stock_ledger_apply AFTER INSERT ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION stock_ledger_apply();
