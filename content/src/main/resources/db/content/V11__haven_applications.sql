-- Applications from premises to join the Safe Haven scheme, and idempotency of the havens'
-- creating operations.

-- contact_name, contact_email and contact_phone are personal data of the applicant: they are
-- cleared by the retention job (docs/privacy/havens.md) a set time after the decision, or after an
-- undecided application expires. The premises' own details are public business information.
CREATE TABLE content.haven_applications (
  id                text PRIMARY KEY,
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  name              text NOT NULL,
  address           text NOT NULL,
  postcode          text NOT NULL,
  lat               double precision NOT NULL,
  lon               double precision NOT NULL,
  category          text NOT NULL,
  facilities        text[] NOT NULL DEFAULT '{}',
  phone             text,
  notes             text,
  opening_hours     jsonb NOT NULL,
  contact_name      text,
  contact_email     text,
  contact_phone     text,
  submitted_at      timestamptz NOT NULL,
  decided_at        timestamptz,
  decided_by        text,
  decision_reason   text,
  haven_id          text REFERENCES content.havens (id),
  contact_purged_at timestamptz,
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (status <> 'approved' OR haven_id IS NOT NULL),
  CHECK (status <> 'rejected' OR decision_reason IS NOT NULL),
  CHECK (contact_purged_at IS NULL OR (contact_name IS NULL AND contact_email IS NULL AND contact_phone IS NULL))
);

CREATE INDEX haven_applications_queue ON content.haven_applications (status, submitted_at, id);
CREATE INDEX haven_applications_all ON content.haven_applications (submitted_at, id);
CREATE INDEX haven_applications_contact ON content.haven_applications (coalesce(decided_at, submitted_at))
  WHERE contact_purged_at IS NULL;

-- First answers of createHaven and applyToBeHaven by Idempotency-Key, so that a retry returns the
-- first answer instead of a duplicate. The result holds only the id of what was created (never
-- contact details); the request hash is a SHA-256 of the body, so that a key reused with another
-- body is refused. Purged after HAVEN_IDEMPOTENCY_RETENTION (default 24 hours).
CREATE TABLE content.haven_idempotency (
  operation     text NOT NULL,
  key           text NOT NULL,
  request_hash  bytea NOT NULL,
  result_id     text NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (operation, key)
);
CREATE INDEX haven_idempotency_created ON content.haven_idempotency (created_at);
