-- content.sql — a listing's content resolved against its category's rules
-- (sql/logic/content.sql), and how content changes and holds reach the
-- jobs (listing_jobs.sql, outbox.sql). Run by tests/sql/run.sh on a fresh,
-- migrated database; everything is rolled back.
BEGIN;
CREATE EXTENSION pgtap;
SELECT plan(30);

CREATE FUNCTION pg_temp.listing(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id WHERE p.code = p_code
$$;
CREATE FUNCTION pg_temp.c(p_code text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT ocop_listing_content(pg_temp.listing(p_code))
$$;
CREATE FUNCTION pg_temp.jobs(p_code text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(j.kind, ',' ORDER BY j.kind), '')
    FROM listing_jobs j WHERE j.listing_id = pg_temp.listing(p_code)
$$;
-- An image checked as ocopd would (the bytes stand for themselves).
CREATE PROCEDURE pg_temp.checked(p_code text, p_pos integer, p_bytes text) LANGUAGE sql AS $$
  SELECT ocop_media_checked(i.source, encode(sha256(convert_to(p_bytes, 'UTF8')), 'hex'), 'jpeg',
                            600, 600, convert_to(p_bytes, 'UTF8'), NULL)
    FROM product_image i JOIN product p ON p.id = i.product_id
   WHERE p.code = p_code AND i.role = 'gallery' AND i.position = p_pos
$$;

SELECT ocop_clock_pin('2026-11-25', 'pgtap') \g /dev/null
INSERT INTO connector_caps (marketplace, can_strip, content) VALUES ('tiktok', true, true);
INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative');
INSERT INTO product (code, name_vi, producer_id, category_code)
SELECT c, 'Sản phẩm thử nghiệm đủ dài ' || c, (SELECT id FROM producer), 'I.2.b'
  FROM unnest(ARRAY['A', 'B', 'C']) AS c;
INSERT INTO variant (product_id, sku, price_vnd, weight_g) SELECT id, code, 50000, 200 FROM product;
INSERT INTO certificate (product_id, stars, decision_no, decision_date)
SELECT id, 4, 'QĐ ' || code, '2025-01-10' FROM product;
INSERT INTO shop (name, marketplace, mp_shop_id, policy) VALUES ('tt', 'tiktok', '7001', 'strip');
INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop;
SELECT ocop_sync(NULL, NULL) \g /dev/null

-- ---- what is missing, in order -------------------------------------------

SELECT is(pg_temp.c('A')->>'problem',
          'no tiktok category for OCOP category I.2.b (ocopctl category map)',
          'a product whose category has no map is a problem that says which map is missing');
INSERT INTO category_map VALUES ('tiktok', 'I.2.b', '600001');
SELECT is(pg_temp.c('A')->>'category', '600001', 'the OCOP category''s map gives the marketplace category');
INSERT INTO product_category VALUES ((SELECT id FROM product WHERE code = 'C'), 'tiktok', '600003');
SELECT is(pg_temp.c('C')->>'category', '600003', 'a product''s own category overrides the map');
SELECT is(pg_temp.c('A')->>'problem', 'the product has no image (catalogue column images)',
          'a product without images is held for that');

INSERT INTO product_image (product_id, position, source, claim)
SELECT id, 1, code || '.jpg', false FROM product;
INSERT INTO product_image (product_id, position, source, claim)
SELECT id, 2, 'ocop-4-sao.png', true FROM product WHERE code = 'A';
INSERT INTO product_image (product_id, role, position, source)
SELECT id, 'certificate', 1, 'certificate.jpg' FROM product WHERE code = 'A';
SELECT is(pg_temp.c('A')->>'problem', NULL, 'with images the product has no problem of its own');
SELECT is((pg_temp.c('A')->>'waiting')::boolean, true, 'but waits for its images to be read and checked');
SELECT is((pg_temp.c('A')->>'rules_due')::boolean, true, 'and for its category''s rules');

CALL pg_temp.checked('A', 1, 'main image of A');
CALL pg_temp.checked('A', 2, 'star label');
SELECT ocop_media_checked(i.source, encode(sha256('\x01'::bytea), 'hex'), 'jpeg', 800, 600,
                          '\x01'::bytea, NULL)
  FROM product_image i WHERE i.role = 'certificate' \g /dev/null
SELECT is((pg_temp.c('A')->>'waiting')::boolean, false, 'checked images are no longer waited for');
SELECT is(jsonb_array_length(pg_temp.c('A')->'uploads'), 2, 'each checked gallery image the shop lacks is an upload');
SELECT is(pg_temp.c('A')->'uploads'->0->>'name', 'A-1.jpg', 'uploads are named after the product and position');
SELECT is((SELECT count(*)::int FROM jsonb_array_elements(pg_temp.c('A')->'uploads') e
            WHERE (e->>'certificate')::boolean), 0,
          'the certificate waits for rules that say the category takes certifications');

SELECT ocop_record_upload(l.shop_id, i.sha256, i.role = 'certificate', 'uri-' || i.position || i.role, '')
  FROM product_image i JOIN listing l ON l.product_id = i.product_id
 WHERE l.id = pg_temp.listing('A') \g /dev/null
SELECT is(jsonb_array_length(pg_temp.c('A')->'uploads'), 0, 'a recorded upload is not repeated');
SELECT is((SELECT string_agg(e->>'remote_id', ' ') FROM jsonb_array_elements(pg_temp.c('A')->'content'->'images') e),
          'uri-1gallery uri-2gallery', 'images are sent in order');

CALL pg_temp.checked('B', 1, 'same bytes');
CALL pg_temp.checked('C', 1, 'same bytes');
SELECT is((SELECT count(*)::int FROM media WHERE data = convert_to('same bytes', 'UTF8')), 1,
          'identical bytes are kept once');
UPDATE product_image SET problem = 'truncated JPEG data', sha256 = NULL
 WHERE source = 'B.jpg';
SELECT is(pg_temp.c('B')->>'problem', 'image B.jpg: truncated JPEG data', 'a bad image is the problem, with its reason');

-- ---- the rules ---------------------------------------------------------------

SELECT ocop_store_rules((SELECT id FROM shop), '600001', '{
  "leaf": true, "brand_required": false, "dimensions_required": false,
  "no_brand": null,
  "brands": [{"id": "b1", "name": "Tài Hoan"}],
  "attrs": [{"id": "100", "name": "Country of Origin", "required": true,
             "values": [{"id": "v1", "name": "Vietnam"}, {"id": "v2", "name": "Thailand"}]},
            {"id": "101", "name": "Shelf Life", "required": true},
            {"id": "102", "name": "Net Weight", "required": false}],
  "certifications": [{"id": "8000001", "name": "Product Quality Certificate", "required": false}]}')
  \g /dev/null
SELECT is((pg_temp.c('A')->>'rules_due')::boolean, false, 'stored rules are fresh');
SELECT is(pg_temp.c('A')->>'problem',
          'tiktok category 600001 requires "Country of Origin"; the product has no origin attribute',
          'a missing mandatory attribute is named, with the catalogue key that fills it');
INSERT INTO product_attribute VALUES ((SELECT id FROM product WHERE code = 'A'), 'origin', 'Việt Nam');
SELECT is(pg_temp.c('A')->>'problem',
          'tiktok category 600001: "Country of Origin" does not allow "Việt Nam" (allowed: Vietnam, Thailand)',
          'a value the category does not allow is named with the allowed ones');
UPDATE product_attribute SET value = 'vietnam' WHERE key = 'origin';
INSERT INTO product_attribute VALUES ((SELECT id FROM product WHERE code = 'A'), 'shelf_life', '12 tháng');
SELECT is(pg_temp.c('A')->>'problem', NULL, 'with its mandatory attributes the listing can be sent');
SELECT is(pg_temp.c('A')->'content'->'attrs',
          '[{"id": "100", "name": "Country of Origin", "value": "Vietnam", "value_id": "v1"},
            {"id": "101", "name": "Shelf Life", "value": "12 tháng", "value_id": ""}]'::jsonb,
          'attributes carry the marketplace''s ids and its spelling of an allowed value');
SELECT is(pg_temp.c('A')->'content'->>'brand_id', '', 'no brand and none required: no brand is sent');
INSERT INTO product_attribute VALUES ((SELECT id FROM product WHERE code = 'A'), 'brand', 'tài hoan');
SELECT is(pg_temp.c('A')->'content'->>'brand_id', 'b1', 'a brand is resolved to the marketplace''s id');
SELECT is((pg_temp.c('A')->'content'->>'certification_id') || ' ' ||
          (SELECT string_agg(e->>'remote_id', ' ') FROM jsonb_array_elements(pg_temp.c('A')->'content'->'images') e),
          '8000001 uri-1gallery uri-2gallery uri-1certificate',
          'where the category takes certifications, the certificate follows the gallery and proves it');

-- ---- jobs ----------------------------------------------------------------------

SELECT is(pg_temp.jobs('A'), 'publish', 'a new listing is published');
UPDATE listing SET state = 'listed', item_id = 'i-A', sent_name = t.name, sent_description = t.description,
       sent_stars = t.stars, sent_content = t.content_sig
  FROM listing_target t WHERE t.listing_id = listing.id AND listing.id = pg_temp.listing('A');
UPDATE listing_variant SET remote_id = 'm' WHERE listing_id = pg_temp.listing('A');
SELECT is(pg_temp.jobs('A'), 'price,stock', 'a listing showing its content needs no update');
UPDATE product_attribute SET value = '18 tháng' WHERE key = 'shelf_life';
SELECT is(pg_temp.jobs('A'), 'price,stock,update', 'a changed attribute is an update');
UPDATE certificate SET revoked_on = '2026-11-25' WHERE product_id = (SELECT id FROM product WHERE code = 'A');
SELECT is((SELECT string_agg(e->>'remote_id', ' ') FROM jsonb_array_elements(pg_temp.c('A')->'content'->'images') e),
          'uri-1gallery', 'without stars the claim image and the certificate are left out');

-- A strip held for content withdraws the listing instead.
UPDATE listing SET problem = 'x', problem_kind = 'strip' WHERE id = pg_temp.listing('A');
SELECT is(pg_temp.jobs('A'), 'delist', 'a strip that cannot be sent becomes a withdrawal');

-- A held publish is not derived again until the catalogue changes.
UPDATE outbox SET state = 'held', target = ocop_job_target('publish', t)
  FROM listing_target t WHERE t.listing_id = outbox.listing_id AND outbox.listing_id = pg_temp.listing('C');
SELECT is(pg_temp.jobs('C'), '', 'a held publish is not queued again');
INSERT INTO product_attribute VALUES ((SELECT id FROM product WHERE code = 'C'), 'origin', 'Vietnam');
SELECT is(pg_temp.jobs('C'), 'publish', 'a change of its content queues it again');

SELECT * FROM finish();
ROLLBACK;
