-- The staff's second factor and the console's sessions (../shared/CONSOLE.md).
--   * the TOTP secret is AES-256-GCM ciphertext (the service's at-rest keys, key id per row);
--   * the last accepted time step makes every code usable once;
--   * recovery codes and session ids are stored only as SHA-256 hashes: both are long random
--     values, so a fast hash is enough and a database copy gives nobody a way in.
ALTER TABLE content.staff
  ADD COLUMN totp_key_id      text,
  ADD COLUMN totp_secret_ct   bytea,
  ADD COLUMN totp_enrolled_at timestamptz,
  ADD COLUMN totp_last_step   bigint,
  ADD CONSTRAINT staff_totp_whole CHECK ((totp_key_id IS NULL) = (totp_secret_ct IS NULL)
                                         AND (totp_secret_ct IS NULL) = (totp_enrolled_at IS NULL));

CREATE TABLE content.staff_recovery_codes (
  staff_id  text NOT NULL REFERENCES content.staff (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  used_at   timestamptz,
  PRIMARY KEY (staff_id, code_hash)
);

-- A console session: created when the password is right (stage 'second_factor' or 'enrol'), and
-- replaced by a new one (a new id) when the second factor is right (stage 'active'). Every
-- instance reads the same rows, so a load balancer needs no stickiness.
CREATE TABLE content.staff_sessions (
  id_hash        bytea PRIMARY KEY,
  staff_id       text NOT NULL REFERENCES content.staff (id) ON DELETE CASCADE,
  stage          text NOT NULL CHECK (stage IN ('second_factor', 'enrol', 'active')),
  csrf_token     text NOT NULL,
  -- enrolment only: the secret offered on the page, until its first code proves it was scanned
  pending_key_id text,
  pending_ct     bytea,
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON content.staff_sessions (staff_id);
CREATE INDEX staff_sessions_last_seen ON content.staff_sessions (last_seen_at);

-- The moderators may hand a report back to the queue.
ALTER TABLE content.report_audit DROP CONSTRAINT report_audit_action_check;
ALTER TABLE content.report_audit ADD CONSTRAINT report_audit_action_check CHECK (action IN
  ('view', 'claim', 'unclaim', 'route', 'ask', 'forward', 'confirm_handoff', 'close', 'spam',
   'delivered', 'delivery_failed'));

-- "Something changed in the queue", for open triage pages (server-sent events). The payload is
-- empty on purpose: no report id, content or status ever travels on the channel.
CREATE FUNCTION content.reports_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('content_reports_changed', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER reports_changed AFTER INSERT OR UPDATE ON content.reports
  FOR EACH STATEMENT EXECUTE FUNCTION content.reports_changed();
CREATE TRIGGER report_messages_changed AFTER INSERT ON content.report_messages
  FOR EACH STATEMENT EXECUTE FUNCTION content.reports_changed();
CREATE TRIGGER report_forwards_changed AFTER INSERT OR UPDATE ON content.report_forwards
  FOR EACH STATEMENT EXECUTE FUNCTION content.reports_changed();
