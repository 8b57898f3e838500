-- The support directory's Idempotency-Keys join the one table of every creating operation
-- (docs/architecture.md, "Idempotency-Key"), under its one retention rule. An import's first
-- answer is its summary (counts, service ids and names: nothing about a person), kept in clear:
-- answer_ct without answer_key_id.
ALTER TABLE content.idempotency_keys DROP CONSTRAINT idempotency_keys_check;
ALTER TABLE content.idempotency_keys
  ADD CONSTRAINT idempotency_keys_sealed_answer_check CHECK (answer_key_id IS NULL OR answer_ct IS NOT NULL);

-- Keys move over, so that a retry spanning the upgrade still gets its first answer. The directory's
-- keys are not scoped to the editor: SHA-256 of ("create", '', key), as Idempotency.keyHash("", key).
INSERT INTO content.idempotency_keys (scope, key_hash, request_hash, result_id, answer_ct, created_on)
SELECT operation,
       sha256('create'::bytea || '\x00'::bytea || '\x00'::bytea || convert_to(key, 'UTF8')),
       request_hash,
       CASE WHEN operation = 'importSupportServices' THEN 'import' ELSE result END,
       CASE WHEN operation = 'importSupportServices' THEN convert_to(result, 'UTF8') END,
       (created_at AT TIME ZONE 'Europe/London')::date
  FROM content.support_idempotency
    ON CONFLICT (scope, key_hash) DO NOTHING;

DROP TABLE content.support_idempotency;
