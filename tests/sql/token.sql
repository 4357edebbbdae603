-- token.sql — token refreshes (sql/logic/token.sql): one lease at a time,
-- refusals counted before the shop pauses, a stored pair resets the count.
-- Run by tests/sql/run.sh on a fresh, migrated database; rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(14);

INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('main', 'shopee', '2001');
INSERT INTO token (shop_id, access_token, refresh_token)
SELECT id, 'ocs1:00000000:AAAA', 'ocs1:00000000:BBBB' FROM shop;
CREATE FUNCTION pg_temp.shop() RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM shop $$;

SELECT is((SELECT refresh_token FROM ocop_token_begin_refresh(pg_temp.shop(), 120)),
          'ocs1:00000000:BBBB', 'the lease hands out the stored (sealed) refresh token');
SELECT is((SELECT count(*)::int FROM ocop_token_begin_refresh(pg_temp.shop(), 120)), 0,
          '... once: a second worker gets nothing while it runs');

SELECT is(ocop_token_refused(pg_temp.shop(), 'error_auth: passing', 3, 5), 5,
          'a first refusal waits 5 s');
SELECT is((SELECT status FROM shop), 'active', '... and the shop stays active');
SELECT ok((SELECT refreshing_until > now() + interval '4 s' FROM token),
          '... the lease is held for the wait');
SELECT is((SELECT count(*)::int FROM ocop_token_begin_refresh(pg_temp.shop(), 120)), 0,
          '... so nobody asks again meanwhile');
SELECT is(ocop_token_refused(pg_temp.shop(), 'error_auth: passing', 3, 5), 10,
          'a second refusal in a row waits twice as long');
SELECT is((SELECT count(*)::int FROM event WHERE kind = 'token' AND action = 'refresh_refused'),
          2, '... each refusal is an event');

SELECT ocop_token_store(pg_temp.shop(), 'ocs1:00000000:CCCC', 'ocs1:00000000:DDDD',
                        now() + interval '4 hours', NULL) \g /dev/null
SELECT is((SELECT refresh_refusals FROM token), 0, 'a stored pair resets the count');

SELECT is(ocop_token_refused(pg_temp.shop(), 'x', 3, 5), 5, 'refusals count from one again');
SELECT is(ocop_token_refused(pg_temp.shop(), 'x', 3, 5), 10, '... two');
SELECT is(ocop_token_refused(pg_temp.shop(), 'error_auth: revoked', 3, 5), 0,
          'the third in a row pauses the shop');
SELECT is((SELECT status FROM shop), 'needs_reauth', '... which waits for the seller');
UPDATE token SET refreshing_until = NULL;
SELECT is((SELECT count(*)::int FROM ocop_token_begin_refresh(pg_temp.shop(), 120)), 0,
          'a paused shop is not refreshed again');

SELECT * FROM finish();
ROLLBACK;
