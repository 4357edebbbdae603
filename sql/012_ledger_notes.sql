-- 012_ledger_notes.sql — why a stock count was set by hand, and why a
-- certificate was revoked.
--
-- An operator's stocktake ('stocktake': on hand counted and set) or
-- correction ('correction': a difference found and booked) carries the
-- operator's note in the ledger itself, which is append-only, so the
-- reason can never be separated from the movement. The catalogue import
-- writes 'stocktake' too when told to (`ocopctl import --stocktake`), with
-- a note naming the file. A revocation keeps its decision number
-- (revocation_decision_no, since 001) and now the operator's reason.

ALTER TABLE stock_ledger
  ADD COLUMN note text CHECK (note = btrim(note) AND length(note) BETWEEN 1 AND 500),
  DROP CONSTRAINT stock_ledger_reason_check,
  ADD CONSTRAINT stock_ledger_reason_check
      CHECK (reason IN ('import', 'adjust', 'sale', 'cancel', 'return', 'correction',
                        'stocktake')),
  ADD CONSTRAINT stock_ledger_stocktake_has_note
      CHECK (reason NOT IN ('stocktake') OR note IS NOT NULL);

ALTER TABLE certificate
  ADD COLUMN revocation_reason text CHECK (length(revocation_reason) BETWEEN 1 AND 500);
