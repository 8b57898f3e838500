-- One table for the Idempotency-Key of every creating operation (docs/architecture.md), in place of
-- the five shapes each feature had (haven_idempotency, event_requests, report_submissions, and
-- columns of consultations and bulletins). A row is claimed in the transaction that creates the
-- thing, so a concurrent request with the same key waits for it and then reads the first answer.
--
-- Nothing here may say more than the thing created does (docs/privacy.md):
--   key_hash      SHA-256 of ("create", owner, key) with the owner the staff id or '' for public
--                 operations; submitReport's is an HMAC with a server pepper instead. Never the key.
--   request_hash  a hash of the request, to refuse the key with another body (submitReport: an HMAC).
--   result_id     what the first request created; its answer is rebuilt from it.
--   answer_*      the first answer itself, AES-GCM sealed, where it cannot be rebuilt (the receipt code
--                 of a report is shown once and stored only as a slow hash elsewhere).
--   created_on    the day only, as reports are dated: one retention rule (IDEMPOTENCY_RETENTION)
--                 deletes whole days, so no row tells its time of submission more precisely.
CREATE TABLE content.idempotency_keys (
  scope         text  NOT NULL CHECK (scope ~ '^[a-zA-Z]{1,64}$'),
  key_hash      bytea NOT NULL CHECK (length(key_hash) = 32),
  request_hash  bytea NOT NULL CHECK (length(request_hash) = 32),
  result_id     text  NOT NULL CHECK (length(result_id) <= 100),
  answer_key_id text,
  answer_ct     bytea,
  created_on    date  NOT NULL,
  PRIMARY KEY (scope, key_hash),
  CHECK ((answer_key_id IS NULL) = (answer_ct IS NULL))
);
CREATE INDEX idempotency_keys_created_on ON content.idempotency_keys (created_on);

-- Existing keys move over, so that a retry spanning the upgrade still gets its first answer; rows
-- older than the retention period go at the retention job's next run.
INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, created_on)
SELECT operation,
       sha256('create'::bytea || '\x00'::bytea || '\x00'::bytea || convert_to(key, 'UTF8')),
       request_hash, result_id, (created_at AT TIME ZONE 'Europe/London')::date
  FROM content.haven_idempotency;

INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, created_on)
SELECT 'createEvent',
       sha256('create'::bytea || '\x00'::bytea || convert_to(staff_id, 'UTF8') || '\x00'::bytea
              || convert_to(key, 'UTF8')),
       decode(request_hash, 'hex'), event_id, (created_at AT TIME ZONE 'Europe/London')::date
  FROM content.event_requests
 WHERE event_id IS NOT NULL;

INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, answer_key_id, answer_ct,
                                      created_on)
SELECT 'submitReport', key_hash, body_hash, report_id::text, key_id, response_ct, created_on
  FROM content.report_submissions;

-- consultations.creation_key was already SHA-256 of ("create", staff id, key)
INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, created_on)
SELECT 'createConsultation', creation_key, creation_hash, id, (created_at AT TIME ZONE 'Europe/London')::date
  FROM content.consultations
 WHERE creation_key IS NOT NULL AND creation_hash IS NOT NULL;

INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, created_on)
SELECT 'createBulletin',
       sha256('create'::bytea || '\x00'::bytea || convert_to(created_by, 'UTF8') || '\x00'::bytea
              || convert_to(idempotency_key, 'UTF8')),
       decode(request_hash, 'hex'), id, (created_at AT TIME ZONE 'Europe/London')::date
  FROM content.bulletins
 WHERE idempotency_key IS NOT NULL AND request_hash IS NOT NULL;

DROP TABLE content.haven_idempotency;
DROP TABLE content.event_requests;
DROP TABLE content.report_submissions;
ALTER TABLE content.consultations DROP COLUMN creation_key, DROP COLUMN creation_hash;
ALTER TABLE content.bulletins DROP COLUMN idempotency_key, DROP COLUMN request_hash;
