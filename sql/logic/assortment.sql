-- assortment.sql — which products each shop carries (design §5, "Shops and
-- assortments"). A shop owned by a producer carries that producer's
-- products; any shop also carries what its include rules select; an exclude
-- rule removes a product whatever selected it. Only carried products are
-- listed (listing_jobs.sql); a product that stops being carried is withdrawn
-- through the outbox like any other change.

-- What a rule selects, in words, for `ocopctl shop assortment` and
-- `ocopctl listings --shop`.
CREATE OR REPLACE FUNCTION ocop_rule_text(r assortment_rule) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN r.producer_id IS NOT NULL
                THEN 'producer ' || (SELECT name FROM producer WHERE id = r.producer_id)
              WHEN r.category IS NOT NULL THEN 'category ' || r.category
              WHEN r.min_stars IS NOT NULL THEN r.min_stars || ' stars and above'
              WHEN r.product_id IS NOT NULL
                THEN 'product ' || (SELECT code FROM product WHERE id = r.product_id)
              ELSE 'every product' END
$$;

-- 1 when rule r selects product p. Stars are those of the product's
-- current certificate on the OCOP date (eligibility.sql), read only for a
-- star rule.
CREATE OR REPLACE FUNCTION ocop_rule_selects(r assortment_rule, p product) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT (r.producer_id IS NULL OR r.producer_id = p.producer_id)
     AND (r.category IS NULL OR p.category_code = r.category
          OR p.category_code LIKE r.category || '.%')
     AND (r.product_id IS NULL OR r.product_id = p.id)
     AND (r.min_stars IS NULL
          OR coalesce((SELECT c.stars FROM ocop_current_certificate(p.id, ocop_today()) c), 0)
             >= r.min_stars)
$$;

-- Every (shop, product) a shop carries, and why.
CREATE OR REPLACE VIEW shop_assortment AS
SELECT s.id AS shop_id, p.id AS product_id,
       concat_ws(', ',
                 CASE WHEN p.producer_id = s.owner_producer_id THEN 'own producer' END,
                 (SELECT string_agg(ocop_rule_text(r), ', ' ORDER BY r.id)
                    FROM assortment_rule r
                   WHERE r.shop_id = s.id AND r.include AND ocop_rule_selects(r, p))) AS why
  FROM shop s
  JOIN product p
    ON p.producer_id = s.owner_producer_id
       OR EXISTS (SELECT 1 FROM assortment_rule r
                   WHERE r.shop_id = s.id AND r.include AND ocop_rule_selects(r, p))
 WHERE NOT EXISTS (SELECT 1 FROM assortment_rule r
                    WHERE r.shop_id = s.id AND NOT r.include AND ocop_rule_selects(r, p));

-- 1 when shop s carries product p (the test listing_target makes per listing).
CREATE OR REPLACE FUNCTION ocop_shop_carries(p_shop bigint, p_product bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM shop_assortment a
                  WHERE a.shop_id = p_shop AND a.product_id = p_product)
$$;
