-- The support directory as managed content: editors create, change and retire services; each
-- contact channel may have opening hours; every instance keeps the directory in memory, kept fresh
-- by NOTIFY, and the app keeps an offline copy synced by change number. Public information only.

-- The change sequence behind delta sync (listSupportServices?since=), as for the havens (V10):
-- every writing transaction takes one number by updating this row and keeps the row lock until it
-- commits, so numbers become visible in the order they were taken and "since n" misses nothing;
-- NOTIFY tells every instance on commit. epoch names this database's sequence.
CREATE TABLE content.support_sync (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint NOT NULL,
  epoch     text NOT NULL
);
INSERT INTO content.support_sync (singleton, seq, epoch)
  VALUES (true, 1, substr(md5(random()::text || clock_timestamp()::text), 1, 8));

CREATE FUNCTION content.support_change_seq() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  taken   text := current_setting('content.support_seq', true);
  new_seq bigint;
BEGIN
  IF taken IS NOT NULL AND taken <> '' THEN
    RETURN taken::bigint;
  END IF;
  UPDATE content.support_sync SET seq = seq + 1 RETURNING seq INTO new_seq;
  PERFORM set_config('content.support_seq', new_seq::text, true);
  PERFORM pg_notify('content_support_services', new_seq::text);
  RETURN new_seq;
END $$;

-- New services sort after the seeded directory, in the order they were created.
CREATE SEQUENCE content.support_service_order START WITH 1000;

ALTER TABLE content.support_services
  -- the first is the main category (the contract's `category`)
  ADD COLUMN categories     text[],
  ADD COLUMN text_number    text,
  ADD COLUMN lat            double precision CHECK (lat BETWEEN -90 AND 90),
  ADD COLUMN lon            double precision CHECK (lon BETWEEN -180 AND 180),
  -- BCP 47 tags; empty when the seeds or the editor do not say
  ADD COLUMN languages      text[] NOT NULL DEFAULT '{}',
  -- null: not stated
  ADD COLUMN self_referral  boolean,
  ADD COLUMN confidential   boolean,
  ADD COLUMN free           boolean,
  ADD COLUMN accessibility  text,
  -- per contact channel: {"phone"|"text"|"inPerson": {"weekly": [...], "exceptions": [...], "note"?}}
  -- (note: what the hours cannot say, e.g. public holidays); a channel absent here has hours nobody
  -- has stated, and the app says so
  ADD COLUMN hours          jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN status         text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'retired')),
  ADD COLUMN retired_reason text,
  ADD COLUMN change_seq     bigint NOT NULL DEFAULT 0,
  ADD COLUMN created_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_by     text,
  ADD CHECK ((status = 'retired') = (retired_reason IS NOT NULL)),
  ADD CHECK ((lat IS NULL) = (lon IS NULL));

UPDATE content.support_services SET categories = ARRAY[category];
ALTER TABLE content.support_services
  ALTER COLUMN categories SET NOT NULL,
  ADD CHECK (cardinality(categories) BETWEEN 1 AND 5),
  DROP COLUMN category,
  ALTER COLUMN sort_order SET DEFAULT nextval('content.support_service_order');
ALTER SEQUENCE content.support_service_order OWNED BY content.support_services.sort_order;

-- Every version of every service, retired ones included: what the directory said, when, by whom
-- (a staff id). Written by the trigger below, so no write path can forget it.
CREATE TABLE content.support_service_history (
  service_id  text NOT NULL REFERENCES content.support_services (id),
  change_seq  bigint NOT NULL,
  status      text NOT NULL,
  record      jsonb NOT NULL,
  changed_at  timestamptz NOT NULL,
  changed_by  text,
  PRIMARY KEY (service_id, change_seq)
);

CREATE FUNCTION content.support_services_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := content.support_change_seq();
  RETURN NEW;
END $$;

CREATE FUNCTION content.support_services_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO content.support_service_history (service_id, change_seq, status, record, changed_at, changed_by)
    VALUES (NEW.id, NEW.change_seq, NEW.status, to_jsonb(NEW), NEW.updated_at, NEW.updated_by)
    ON CONFLICT (service_id, change_seq) DO UPDATE
      SET status = EXCLUDED.status, record = EXCLUDED.record, changed_at = EXCLUDED.changed_at,
          changed_by = EXCLUDED.changed_by;
  RETURN NULL;
END $$;

CREATE TRIGGER support_services_stamp BEFORE INSERT OR UPDATE ON content.support_services
  FOR EACH ROW EXECUTE FUNCTION content.support_services_stamp();
CREATE TRIGGER support_services_history AFTER INSERT OR UPDATE ON content.support_services
  FOR EACH ROW EXECUTE FUNCTION content.support_services_history();

-- Idempotency of createSupportService (and of importSupportServices' apply): the first answer is
-- kept for a retry with the same key; keys are forgotten after a retention period.
CREATE TABLE content.support_idempotency (
  operation    text NOT NULL,
  key          text NOT NULL,
  request_hash bytea NOT NULL,
  -- the created service's id; for an import, the JSON summary it answered
  result       text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (operation, key)
);
CREATE INDEX support_idempotency_created_at ON content.support_idempotency (created_at);

-- What the seeds say about when each channel can be reached (seed 004, section 11), and nothing
-- else: a channel the seeds give no hours for is left without hours.
-- 999 answers at any hour: it is the emergency number.
UPDATE content.support_services SET hours = '{"phone": {"weekly": [
    {"day": "MON", "opens": "00:00", "closes": "24:00"}, {"day": "TUE", "opens": "00:00", "closes": "24:00"},
    {"day": "WED", "opens": "00:00", "closes": "24:00"}, {"day": "THU", "opens": "00:00", "closes": "24:00"},
    {"day": "FRI", "opens": "00:00", "closes": "24:00"}, {"day": "SAT", "opens": "00:00", "closes": "24:00"},
    {"day": "SUN", "opens": "00:00", "closes": "24:00"}], "exceptions": []}}'
  WHERE id = 'emergency-999';
-- "a Helpline for families from 9-5 on Mondays to Fridays (except public holidays)"
UPDATE content.support_services SET hours = '{"phone": {"weekly": [
    {"day": "MON", "opens": "09:00", "closes": "17:00"}, {"day": "TUE", "opens": "09:00", "closes": "17:00"},
    {"day": "WED", "opens": "09:00", "closes": "17:00"}, {"day": "THU", "opens": "09:00", "closes": "17:00"},
    {"day": "FRI", "opens": "09:00", "closes": "17:00"}], "exceptions": [],
    "note": "Closed on public holidays."}}'
  WHERE id = 'bright-futures';
-- "Lines are open 8am-8pm Monday to Friday and 9am – 5pm on Saturdays."
UPDATE content.support_services SET hours = '{"phone": {"weekly": [
    {"day": "MON", "opens": "08:00", "closes": "20:00"}, {"day": "TUE", "opens": "08:00", "closes": "20:00"},
    {"day": "WED", "opens": "08:00", "closes": "20:00"}, {"day": "THU", "opens": "08:00", "closes": "20:00"},
    {"day": "FRI", "opens": "08:00", "closes": "20:00"}, {"day": "SAT", "opens": "09:00", "closes": "17:00"}],
    "exceptions": []}}'
  WHERE id = 'victim-support';
-- "Both services are free and confidential."
UPDATE content.support_services SET free = true, confidential = true WHERE id = 'ycsmas';
-- "free for all children and young people"; "12 free, safe, open-access adventure playgrounds"
UPDATE content.support_services SET free = true
  WHERE id IN ('universal-play-and-youth-services', 'adventure-playgrounds');
-- "Report a crime anonymously": Crimestoppers does not ask who you are
UPDATE content.support_services SET confidential = true WHERE id = 'crimestoppers';
-- The app opens websites in a browser and the API accepts https only; the seed's address for
-- Chance UK's referral page is the same page over https.
UPDATE content.support_services SET website = 'https://www.chanceuk.com/refer-a-child/' WHERE id = 'chance-uk';
UPDATE content.support_services SET updated_by = 'seed-004';
