-- Safe Havens (issue 3): premises where a young person who feels unsafe can go in and get help.
-- Public business information only; no personal data in these tables.

CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;

-- The change sequence behind delta sync (listHavens?since=). Every transaction that writes havens
-- takes the next number by updating this one row, and keeps its row lock until it commits: writers
-- are serialised, so numbers become visible in the order they were taken (no transaction can
-- commit number n+1 while n is still in flight). A reader that has seen n has therefore seen
-- everything up to n, which is what makes "since=n" exact under concurrent writes and across
-- instances. Haven writes are rare (editors), so the serialisation costs nothing that matters.
-- epoch names this database's sequence: a sync token from another database (a restore, a rebuilt
-- environment) is recognised as foreign and answered with the full set.
CREATE TABLE content.haven_sync (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint NOT NULL,
  epoch     text NOT NULL
);
INSERT INTO content.haven_sync (singleton, seq, epoch)
  VALUES (true, 0, substr(md5(random()::text || clock_timestamp()::text), 1, 8));

-- One number per transaction, however many rows it writes; NOTIFY tells every instance on commit.
CREATE FUNCTION content.haven_change_seq() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  taken   text := current_setting('content.haven_seq', true);
  new_seq bigint;
BEGIN
  IF taken IS NOT NULL AND taken <> '' THEN
    RETURN taken::bigint;
  END IF;
  UPDATE content.haven_sync SET seq = seq + 1 RETURNING seq INTO new_seq;
  PERFORM set_config('content.haven_seq', new_seq::text, true);
  PERFORM pg_notify('content_havens', new_seq::text);
  RETURN new_seq;
END $$;

CREATE TABLE content.havens (
  id                text PRIMARY KEY,
  name              text NOT NULL,
  address           text NOT NULL,
  postcode          text NOT NULL,
  lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon               double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  category          text NOT NULL,
  facilities        text[] NOT NULL DEFAULT '{}',
  phone             text,
  notes             text,
  -- as in the contract: {"weekly":[{"day","opens","closes"}], "exceptions":[{"date","closed"|"opens","closes"}]}
  opening_hours     jsonb NOT NULL,
  -- {"reason", "from"?, "until"?} while temporarily closed
  closure           jsonb,
  last_verified_on  date NOT NULL,
  status            text NOT NULL CHECK (status IN ('published', 'suspended')),
  suspended_reason  text,
  sample            boolean NOT NULL DEFAULT false,
  application_id    text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  updated_by        text,
  change_seq        bigint NOT NULL DEFAULT 0,
  CHECK ((status = 'suspended') = (suspended_reason IS NOT NULL))
);

-- Ids of havens deleted outright (the API suspends instead; this covers manual fixes), for delta sync.
CREATE TABLE content.haven_tombstones (
  id          text PRIMARY KEY,
  change_seq  bigint NOT NULL
);

CREATE FUNCTION content.havens_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := content.haven_change_seq();
  RETURN NEW;
END $$;

CREATE FUNCTION content.havens_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO content.haven_tombstones (id, change_seq) VALUES (OLD.id, content.haven_change_seq())
    ON CONFLICT (id) DO UPDATE SET change_seq = EXCLUDED.change_seq;
  RETURN OLD;
END $$;

CREATE TRIGGER havens_stamp BEFORE INSERT OR UPDATE ON content.havens
  FOR EACH ROW EXECUTE FUNCTION content.havens_stamp();
CREATE TRIGGER havens_tombstone AFTER DELETE ON content.havens
  FOR EACH ROW EXECUTE FUNCTION content.havens_tombstone();

CREATE INDEX havens_change_seq ON content.havens (change_seq, id);
CREATE INDEX haven_tombstones_change_seq ON content.haven_tombstones (change_seq);

-- A point on the earthdistance sphere. Wrapped with a fixed search_path so that the index
-- expression resolves the same way in every session, in autovacuum and in a dump restore.
CREATE FUNCTION content.haven_earth(lat double precision, lon double precision) RETURNS public.earth
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = public, pg_temp
  AS $$ SELECT public.ll_to_earth(lat, lon) $$;

-- Nearest-neighbour order (KNN, the <-> operator) and radius boxes over published havens.
CREATE INDEX havens_earth ON content.havens USING gist (content.haven_earth(lat, lon))
  WHERE status = 'published';
