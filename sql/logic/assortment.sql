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

-- The stars of the product's current certificate on the OCOP date
-- (eligibility.sql), NULL without one.
CREATE OR REPLACE FUNCTION ocop_product_stars(p_product bigint) RETURNS smallint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT c.stars FROM ocop_current_certificate(p_product, ocop_today()) c);
END $$;

-- 1 when rule r selects product p. The stars are read only for a star
-- rule. One expression with no subquery, so that the planner writes it into
-- the query that asks (a function with a subquery is run by itself for
-- every rule and product: 13 us a call, asked for every listing a sync or a
-- claim derives).
CREATE OR REPLACE FUNCTION ocop_rule_selects(r assortment_rule, p product) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT (r.producer_id IS NULL OR r.producer_id = p.producer_id)
     AND (r.category IS NULL OR p.category_code = r.category
          OR p.category_code LIKE r.category || '.%')
     AND (r.product_id IS NULL OR r.product_id = p.id)
     AND (r.min_stars IS NULL OR coalesce(ocop_product_stars(p.id), 0) >= r.min_stars)
$$;

-- Every (shop, product) a shop carries, and why. A shop being removed
-- (`ocopctl shop remove`, sql/logic/operate.sql) carries nothing: its
-- listings are withdrawn whatever its rules say.
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
                    WHERE r.shop_id = s.id AND NOT r.include AND ocop_rule_selects(r, p))
   AND s.status NOT IN ('removing', 'removed');

-- Whether shop s carries product p: the rule of shop_assortment for one
-- pair, written out so that it reads the shop's few rules by index and
-- nothing else (through the view, the planner scanned every shop and
-- product: 30 ms a call at 20,000 products). A set-returning SQL function
-- of one SELECT, so that listing_target and ocop_sync, which ask it per
-- listing, get it inlined into their plans (a scalar function with
-- subqueries is called one by one: 5 ms a listing in a claim).
CREATE OR REPLACE FUNCTION ocop_carried(p_shop bigint, p_product bigint)
RETURNS TABLE (carried boolean)
LANGUAGE sql STABLE ROWS 1 AS $$
  SELECT (p.producer_id = s.owner_producer_id
          OR EXISTS (SELECT 1 FROM assortment_rule r
                      WHERE r.shop_id = s.id AND r.include AND ocop_rule_selects(r, p)))
     AND NOT EXISTS (SELECT 1 FROM assortment_rule r
                      WHERE r.shop_id = s.id AND NOT r.include AND ocop_rule_selects(r, p))
     AND s.status NOT IN ('removing', 'removed')
    FROM shop s, product p
   WHERE s.id = p_shop AND p.id = p_product
$$;

-- The same, as a value (false for an unknown shop or product).
CREATE OR REPLACE FUNCTION ocop_shop_carries(p_shop bigint, p_product bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT carried FROM ocop_carried(p_shop, p_product)), false)
$$;

-- ---- who changed an assortment ------------------------------------------------
-- ocopctl names the operator (the OS user who ran it) for its transaction
-- with set_config('ocop.actor', ..., true) and itself as 'ocop.via'; a
-- change made any other way is recorded under the database user.
CREATE OR REPLACE FUNCTION ocop_actor() RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'by', coalesce(nullif(current_setting('ocop.actor', true), ''), session_user::text),
           'via', coalesce(nullif(current_setting('ocop.via', true), ''), 'sql'),
           'db_user', session_user::text)
$$;

-- A rule as the audit trail records it: its columns and what it selects.
CREATE OR REPLACE FUNCTION ocop_rule_json(r assortment_rule) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT (to_jsonb(r) - 'created_at' - 'created_by')
         || jsonb_build_object('selects', ocop_rule_text(r))
$$;

-- Every rule added, changed or removed is an event (kind 'assortment',
-- action include, exclude or remove), whoever made the change.
CREATE OR REPLACE FUNCTION ocop_assortment_rule_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO event (kind, shop_id, action, detail)
    VALUES ('assortment', OLD.shop_id, 'remove',
            jsonb_build_object('rule', ocop_rule_json(OLD)) || ocop_actor());
    RETURN OLD;
  END IF;
  INSERT INTO event (kind, shop_id, action, detail)
  VALUES ('assortment', NEW.shop_id, CASE WHEN NEW.include THEN 'include' ELSE 'exclude' END,
          jsonb_build_object('rule', ocop_rule_json(NEW))
          || CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('was', ocop_rule_json(OLD))
                  ELSE '{}' END
          || ocop_actor());
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER assortment_rule_audit AFTER INSERT OR UPDATE OR DELETE ON assortment_rule
  FOR EACH ROW EXECUTE FUNCTION ocop_assortment_rule_audit();

-- A shop's owner, set when it is made or changed later: an event (kind
-- 'assortment', action 'owner') naming the previous and the new owner.
CREATE OR REPLACE FUNCTION ocop_shop_owner_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event (kind, shop_id, action, detail)
  VALUES ('assortment', NEW.id, 'owner',
          jsonb_build_object(
            'from', CASE WHEN TG_OP = 'INSERT' THEN NULL
                         WHEN OLD.owner_producer_id IS NULL THEN to_jsonb('operator'::text)
                         ELSE jsonb_build_object('producer_id', OLD.owner_producer_id,
                                                 'producer', (SELECT name FROM producer
                                                               WHERE id = OLD.owner_producer_id)) END,
            'to', CASE WHEN NEW.owner_producer_id IS NULL THEN to_jsonb('operator'::text)
                       ELSE jsonb_build_object('producer_id', NEW.owner_producer_id,
                                               'producer', (SELECT name FROM producer
                                                             WHERE id = NEW.owner_producer_id)) END)
          || ocop_actor());
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER shop_owner_audit_ins AFTER INSERT ON shop
  FOR EACH ROW WHEN (NEW.owner_producer_id IS NOT NULL) EXECUTE FUNCTION ocop_shop_owner_audit();
CREATE OR REPLACE TRIGGER shop_owner_audit_upd AFTER UPDATE OF owner_producer_id ON shop
  FOR EACH ROW WHEN (OLD.owner_producer_id IS DISTINCT FROM NEW.owner_producer_id)
  EXECUTE FUNCTION ocop_shop_owner_audit();

-- ---- assortment changes list and withdraw through the outbox -------------------
-- A rule added, changed or removed re-derives the listings and jobs of its
-- shops (sync.sql), in the same transaction: newly carried products get a
-- listing and a publish, products no longer carried a delist. A change of
-- owner is an UPDATE of shop, which shop_sync_upd (sync.sql) already syncs.
-- Statement-level, so a batch of rules syncs each shop once. ocop_sync is
-- defined in a later file; PL/pgSQL resolves it when the trigger runs.

CREATE OR REPLACE FUNCTION ocop_sync_rule_shops() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT DISTINCT shop_id FROM changed));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_rule_shops_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, ARRAY(SELECT shop_id FROM changed UNION SELECT shop_id FROM previous));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER assortment_rule_sync_ins AFTER INSERT ON assortment_rule
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_rule_shops();
CREATE OR REPLACE TRIGGER assortment_rule_sync_del AFTER DELETE ON assortment_rule
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_rule_shops();
CREATE OR REPLACE TRIGGER assortment_rule_sync_upd AFTER UPDATE ON assortment_rule
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_rule_shops_upd();
