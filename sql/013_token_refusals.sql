-- 013_token_refusals.sql — a refused token refresh is tried again before the
-- shop is paused.
--
-- One error answer to a refresh (a marketplace's passing fault that looks
-- like a refusal) used to stop the shop at once. The refusals in a row are
-- counted here; the shop waits for re-authorisation only after several
-- (ocop_token_refused in sql/logic/token.sql), and a stored pair resets the
-- count. The tokens themselves are sealed by the programs (docs/operate.md).

ALTER TABLE token
  ADD COLUMN refresh_refusals integer NOT NULL DEFAULT 0 CHECK (refresh_refusals >= 0);
