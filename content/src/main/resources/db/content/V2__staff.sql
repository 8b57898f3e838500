-- Staff accounts: council staff who moderate, edit and administer. Personal data: the username
-- (often a work e-mail address) and an Argon2id password hash, kept while the account exists;
-- accounts are disabled, never deleted, so that audit trails keep pointing at someone.
CREATE TABLE content.staff (
  id                text PRIMARY KEY,
  username          text NOT NULL,
  password_hash     text NOT NULL,
  roles             text[] NOT NULL,
  disabled          boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  -- tokens issued before this instant are refused (set when roles, password or disabled change)
  tokens_not_before timestamptz,
  CONSTRAINT staff_roles_known
    CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['moderator', 'youth_council', 'editor', 'admin']::text[])
);

-- usernames are unique whatever their case; this index also orders listStaff
CREATE UNIQUE INDEX staff_username_key ON content.staff (lower(username));
CREATE INDEX staff_tokens_not_before ON content.staff (tokens_not_before) WHERE tokens_not_before IS NOT NULL;
