-- stock.sql — stock_level is a cache of the stock ledger's sums, kept in the
-- same transaction as every ledger row (the ledger itself is append-only:
-- append_only.sql).

-- Once per statement, each variant's rows summed: a statement of many
-- ledger rows (a batch of orders, a stocktake) moves stock_level in one
-- upsert, and so syncs the listings once (stock_level's triggers in
-- sync.sql), not once per row.
CREATE OR REPLACE FUNCTION stock_ledger_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_level AS s (variant_id, product_id, on_hand)
  SELECT a.variant_id, min(a.product_id), sum(a.delta)
    FROM added a
   GROUP BY a.variant_id
   ORDER BY a.variant_id
  ON CONFLICT (variant_id) DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand;
  RETURN NULL;
END $$;

-- A row trigger cannot be replaced by a statement trigger in place.
DROP TRIGGER IF EXISTS stock_ledger_apply ON stock_ledger;
CREATE TRIGGER stock_ledger_apply AFTER INSERT ON stock_ledger
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stock_ledger_apply();

-- A ledger row names its variant; the product follows from it (the
-- composite foreign key to variant (id, product_id) keeps them in
-- agreement), so callers need not look it up.
CREATE OR REPLACE FUNCTION stock_ledger_product() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.product_id IS NULL THEN
    SELECT product_id INTO NEW.product_id FROM variant WHERE id = NEW.variant_id;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER stock_ledger_product BEFORE INSERT ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION stock_ledger_product();
