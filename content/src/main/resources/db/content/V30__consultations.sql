-- Youth Council consultations (issue 5). docs/features/consultations.md explains the design,
-- docs/privacy/consultations.md what is stored and for how long.
--
-- The secret ballot is kept by splitting a vote in two rows written in one transaction:
--   consultation_voters  who has voted: a keyed hash of (consultation, device), nothing else;
--   consultation_ballots what was voted: the choices and the self-declared age band, no voter key.
-- Neither table has a timestamp, a sequence or a foreign key between them, and the ballot's id is
-- random. A periodic "shake of the ballot box" rewrites new ballots (with a sample of older ones)
-- in random order, so that they no longer share a transaction id or a physical position with the
-- voter row written with them.
--
-- The hot insert tables carry no foreign key to content.consultations on purpose: every FK check
-- takes a KEY SHARE lock on the parent row, and thousands of concurrent voters on one consultation
-- would queue on that one row (multixacts). The service writes them only after reading the parent.

CREATE TABLE content.consultations (
  id              text PRIMARY KEY,
  title           text NOT NULL,
  description     text NOT NULL,
  opens_at        timestamptz NOT NULL,
  closes_at       timestamptz NOT NULL,
  age_bands       text[] NOT NULL,
  -- bumped on every change: the vote path checks it to detect a definition it validated against went stale
  version         int NOT NULL DEFAULT 1,
  results_published_at timestamptz,
  -- idempotent creation: SHA-256 of (staff id, Idempotency-Key) and of the request
  creation_key    bytea UNIQUE,
  creation_hash   bytea,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CHECK (opens_at < closes_at),
  CHECK (cardinality(age_bands) >= 1 AND age_bands <@ ARRAY['10-13','14-17','18-25']::text[])
);

CREATE INDEX consultations_by_opening ON content.consultations (opens_at, id);
CREATE INDEX consultations_by_closing ON content.consultations (closes_at, id);

CREATE TABLE content.consultation_questions (
  id              text PRIMARY KEY,
  consultation_id text NOT NULL REFERENCES content.consultations (id) ON DELETE CASCADE,
  position        smallint NOT NULL,
  text            text NOT NULL,
  type            text NOT NULL CHECK (type IN ('single', 'multiple', 'ranking')),
  max_choices     smallint NOT NULL CHECK (max_choices >= 1),
  UNIQUE (consultation_id, position)
);

CREATE TABLE content.consultation_options (
  id              text PRIMARY KEY,
  question_id     text NOT NULL REFERENCES content.consultation_questions (id) ON DELETE CASCADE,
  position        smallint NOT NULL,
  text            text NOT NULL,
  UNIQUE (question_id, position)
);

-- One row per device that voted in a consultation. The primary key IS the one-ballot-per-device
-- rule: two concurrent ballots from one device cannot both insert it.
--   voter_key    HMAC-SHA256(server secret, consultation id, device subject): unlinkable across
--                consultations and to the device without the secret;
--   replay_key   HMAC of (voter key, Idempotency-Key): recognises the retry of the first ballot;
--   replay_check HMAC keyed by the Idempotency-Key itself over the ballot: tells a retry with the
--                same body from a reused key with another body, and reveals nothing of the ballot
--                without the client's key, which is never stored.
-- Purged by the retention job a grace period after the consultation closes.
CREATE TABLE content.consultation_voters (
  consultation_id text NOT NULL,
  voter_key       bytea NOT NULL,
  replay_key      bytea NOT NULL,
  replay_check    bytea NOT NULL,
  PRIMARY KEY (consultation_id, voter_key)
);

-- The ballot box. option_ids and ranks are parallel arrays: for each answered question (in
-- question order) the chosen options, ranked 1..k for ranking questions and in option order for
-- the others. Counting reads these rows; no counter row is updated per vote.
CREATE TABLE content.consultation_ballots (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  consultation_id text NOT NULL,
  age_band        text CHECK (age_band IN ('10-13', '14-17', '18-25')),
  option_ids      text[] NOT NULL,
  ranks           smallint[] NOT NULL,
  mixed           boolean NOT NULL DEFAULT false,
  CHECK (cardinality(option_ids) = cardinality(ranks) AND cardinality(option_ids) >= 1)
);

CREATE INDEX consultation_ballots_by_consultation ON content.consultation_ballots (consultation_id);
CREATE INDEX consultation_ballots_unmixed ON content.consultation_ballots (consultation_id) WHERE NOT mixed;

-- Which voter-key secret the stored voter keys were made with: a fingerprint (12 hex characters of
-- an HMAC under the secret), never the secret. A start with another secret while voter keys exist
-- is refused, since every device would get a new voter key and could vote again.
CREATE TABLE content.consultation_voter_secret (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  fingerprint text NOT NULL
);
