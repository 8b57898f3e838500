-- pgbench baseline for the anonymous-reports benchmark: one transaction per report that writes
-- what submitReport writes (a report row and its idempotency record, with ciphertext and hashes
-- of similar sizes) into copies of the two tables, with the same unique indexes and checks.
WITH r AS (
  INSERT INTO bench.reports (id, reference, category_id, destination, urgent, immediate_danger, area_id,
                             happened_when, key_id, description_ct, receipt_key_id, receipt_hash,
                             created_on, updated_on)
  VALUES (gen_random_uuid(),
          'R-' || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int)
               || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int) || '-'
               || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int)
               || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int),
          'drugs', 'CRIMESTOPPERS', false, false, 'holloway', 'past_week', 'k1',
          decode(repeat(md5(random()::text), 15), 'hex'), 'p1',
          decode(md5(random()::text) || md5(random()::text), 'hex'),
          current_date, current_date)
  ON CONFLICT DO NOTHING  -- a random reference that clashes (rare) is skipped, as the service retries it
  RETURNING id)
INSERT INTO bench.idempotency_keys (scope, key_hash, request_hash, result_id, answer_key_id, answer_ct, created_on)
SELECT 'submitReport', decode(md5(random()::text) || md5(random()::text), 'hex'),
       decode(md5(random()::text) || md5(random()::text), 'hex'),
       r.id::text, 'k1', decode(repeat(md5(random()::text), 56), 'hex'), current_date
  FROM r;
