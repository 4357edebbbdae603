-- 001_catalogue.sql — producers, products, certificates and the stock ledger.
--
-- The catalogue is the authority: marketplaces mirror it. Money is bigint
-- dong, certificate dates are `date` (OCOP rules run on calendar dates in
-- Asia/Ho_Chi_Minh), every other instant is timestamptz.

-- OCOP product classification (Decision 26/2026 Appendix I). Services
-- (sector VI) are not shipped goods, so they are not mirrored to marketplaces.
CREATE TABLE category (
  code    text PRIMARY KEY,
  name_vi text NOT NULL,
  set_no  smallint CHECK (set_no BETWEEN 1 AND 26),
  service boolean NOT NULL DEFAULT false
);

INSERT INTO category (code, name_vi, set_no, service) VALUES
  ('I.1.a',  'Rau, củ, quả, hạt tươi', 1, false),
  ('I.1.b',  'Thịt, thủy sản, trứng, sữa tươi', 2, false),
  ('I.2.a',  'Gạo, ngũ cốc, hạt sơ chế khác', 3, false),
  ('I.2.b',  'Mật ong, mật khác và nông sản thực phẩm khác', 4, false),
  ('I.3.a',  'Đồ ăn nhanh', 5, false),
  ('I.3.b',  'Chế biến từ gạo, ngũ cốc', 6, false),
  ('I.3.c',  'Chế biến từ rau, củ, quả, hạt', 7, false),
  ('I.3.d',  'Chế biến từ thịt, trứng, sữa, thủy sản, mật ong', 8, false),
  ('I.4.a',  'Tương, nước mắm, gia vị dạng lỏng khác', 9, false),
  ('I.4.b',  'Gia vị khác', 10, false),
  ('I.5.a',  'Chè tươi, chè chế biến', 11, false),
  ('I.5.b',  'Sản phẩm chè (trà) từ thực vật khác', 12, false),
  ('I.6',    'Cà phê, ca cao', 13, false),
  ('II.1.a', 'Rượu trắng', 14, false),
  ('II.1.b', 'Đồ uống có cồn khác', 15, false),
  ('II.2.a', 'Nước khoáng thiên nhiên, nước uống đóng chai', 16, false),
  ('II.2.b', 'Đồ uống không cồn', 17, false),
  ('III.1',  'Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền', 18, false),
  ('III.2',  'Mỹ phẩm có thành phần từ dược liệu', 19, false),
  ('III.3',  'Tinh dầu và dược liệu khác', 20, false),
  ('IV.1',   'Thủ công mỹ nghệ gia dụng, trang trí', 21, false),
  ('IV.2',   'Vải, may mặc', 22, false),
  ('V.1',    'Hoa', 23, false),
  ('V.2',    'Cây cảnh', 24, false),
  ('V.3',    'Động vật cảnh', 25, false),
  ('VI',     'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch', 26, true),
  ('VI.1',   'Dịch vụ du lịch cộng đồng', 26, true),
  ('VI.2',   'Dịch vụ du lịch sinh thái', 26, true),
  ('VI.3',   'Điểm du lịch', 26, true);

CREATE TABLE producer (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 300),
  kind       text NOT NULL CHECK (kind IN ('cooperative', 'coop_group', 'enterprise',
                                           'household', 'farm', 'association')),
  province   text,
  commune    text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- GS1 mod-10 check digit for GTIN-8/12/13/14.
CREATE FUNCTION ocop_gtin_ok(g text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT g ~ '^([0-9]{8}|[0-9]{12,14})$' AND
    (SELECT (10 - sum(substr(g, length(g) - i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10
       FROM generate_series(1, length(g) - 1) AS i) = substr(g, length(g), 1)::int
$$;

CREATE TABLE product (
  id             bigserial PRIMARY KEY,
  code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name_vi        text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 255),
  producer_id    bigint NOT NULL REFERENCES producer (id),
  category_code  text NOT NULL REFERENCES category (code),
  unit           text NOT NULL DEFAULT '' CHECK (length(unit) <= 32),
  weight_g       integer CHECK (weight_g > 0),
  price_vnd      bigint NOT NULL CHECK (price_vnd >= 0),
  gtin           text CHECK (ocop_gtin_ok(gtin)),
  description_vi text NOT NULL DEFAULT '' CHECK (length(description_vi) <= 5000),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_producer_idx ON product (producer_id);

-- One row per rating or recognition decision; a product keeps its history.
-- A 1–2 star rating is recorded without a decision and never certifies.
CREATE TABLE certificate (
  id                     bigserial PRIMARY KEY,
  product_id             bigint NOT NULL REFERENCES product (id),
  stars                  smallint NOT NULL,
  decision_no            text CHECK (length(decision_no) BETWEEN 1 AND 100),
  decision_date          date,
  issuer                 text NOT NULL DEFAULT '',
  valid_from             date,
  valid_until            date,
  revoked_on             date,
  revocation_decision_no text,
  reeval_filed_on        date,
  grace_until            date,
  province_at_cert       text,
  commune_at_cert        text,
  source                 text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT certificate_stars_range CHECK (stars BETWEEN 1 AND 5),
  CONSTRAINT certificate_recognition_needs_decision
    CHECK (stars < 3 OR (decision_no IS NOT NULL AND decision_date IS NOT NULL)),
  CONSTRAINT certificate_rating_below_3_has_no_validity
    CHECK (stars >= 3 OR (valid_from IS NULL AND valid_until IS NULL AND revoked_on IS NULL)),
  CONSTRAINT certificate_valid_until_before_valid_from CHECK (valid_until >= valid_from),
  CONSTRAINT certificate_revoked_before_issued CHECK (revoked_on >= decision_date),
  CONSTRAINT certificate_grace_outside_180_days
    CHECK (grace_until BETWEEN valid_until AND valid_until + 180),
  CONSTRAINT certificate_decision_unique UNIQUE NULLS NOT DISTINCT
    (product_id, issuer, decision_no, decision_date)
);
CREATE INDEX certificate_product_idx ON certificate (product_id, decision_date DESC);

-- valid_from defaults to the decision date and valid_until to 36 calendar
-- months later; PostgreSQL's month arithmetic clamps to the month's last day
-- (2024-02-29 + 36 months = 2027-02-28), which is the domain rule.
CREATE FUNCTION certificate_defaults() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stars >= 3 THEN
    NEW.valid_from := coalesce(NEW.valid_from, NEW.decision_date);
    NEW.valid_until := coalesce(NEW.valid_until, (NEW.decision_date + interval '36 months')::date);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER certificate_defaults BEFORE INSERT OR UPDATE ON certificate
  FOR EACH ROW EXECUTE FUNCTION certificate_defaults();

-- The stock ledger is append-only and the only truth about stock.
-- stock_level is a cache of its sums, kept in the same transaction.
CREATE TABLE stock_ledger (
  id         bigserial PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES product (id),
  delta      bigint NOT NULL CHECK (delta <> 0),
  reason     text NOT NULL CHECK (reason IN ('import', 'adjust', 'sale', 'cancel',
                                             'return', 'correction')),
  ref        text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_ledger_product_idx ON stock_ledger (product_id);
-- An order line moves stock once per reason, however often it is ingested.
CREATE UNIQUE INDEX stock_ledger_ref_idx ON stock_ledger (reason, ref) WHERE ref IS NOT NULL;

CREATE TABLE stock_level (
  product_id bigint PRIMARY KEY REFERENCES product (id),
  on_hand    bigint NOT NULL DEFAULT 0,
  reserved   bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);

CREATE FUNCTION stock_ledger_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_level AS s (product_id, on_hand) VALUES (NEW.product_id, NEW.delta)
  ON CONFLICT (product_id) DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand;
  RETURN NEW;
END $$;
CREATE TRIGGER stock_ledger_apply AFTER INSERT ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION stock_ledger_apply();

CREATE FUNCTION ocop_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION ocop_append_only();
