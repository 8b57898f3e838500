-- E-mail subscribers of the Youth Safety Bulletin (double opt-in) and the bulletin e-mails sent
-- to them. The least that lets us e-mail a bulletin: no name, no profile.
--
--   address_sealed  the address, AES-256-GCM under a report text key (key id beside it), bound to
--                   the row's id; opened only to send an e-mail.
--   address_hash    HMAC-SHA256 of the normalised address under a server secret: finds the row
--                   again on a second sign-up without storing the address in clear, and a copy of
--                   the table cannot confirm a guess.
--   link_nonce      the secret behind this subscriber's unsubscribe and preferences links (HMAC of
--                   id and nonce, never stored); a new nonce voids every link sent before.
--   confirm_nonce   the same for the current confirmation link; cleared when used (single use).
-- Unconfirmed rows are deleted 7 days after the last sign-up; unsubscribing deletes the row.
CREATE TABLE content.email_subscribers (
    id                   text        PRIMARY KEY CHECK (id ~ '^es_[A-Za-z0-9_-]{22}$'),
    address_hash         bytea       NOT NULL UNIQUE CHECK (octet_length(address_hash) = 32),
    address_key_id       text        NOT NULL CHECK (length(address_key_id) BETWEEN 1 AND 32),
    address_sealed       bytea       NOT NULL CHECK (octet_length(address_sealed) <= 600),
    audiences            text[]      NOT NULL CHECK (cardinality(audiences) BETWEEN 1 AND 3
                                         AND audiences <@ ARRAY['parents', 'young_people', 'professionals']),
    -- Empty = the whole borough.
    areas                text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(areas) <= 20),
    frequency            text        NOT NULL CHECK (frequency IN ('each', 'weekly')),
    link_nonce           bytea       NOT NULL CHECK (octet_length(link_nonce) = 16),
    confirm_nonce        bytea       CHECK (octet_length(confirm_nonce) = 16),
    confirm_expires_at   timestamptz,
    -- The last confirmation (or reminder) e-mail queued: at most one an hour per address.
    confirmation_sent_at timestamptz,
    -- The last sign-up of a row not yet confirmed; the 7-day purge reads it.
    requested_at         timestamptz NOT NULL,
    confirmed_at         timestamptz,
    -- Permanent refusals (SMTP 5xx) in a row; a delivered e-mail resets it; at 3 the row goes.
    bounces              integer     NOT NULL DEFAULT 0 CHECK (bounces BETWEEN 0 AND 3),
    undeliverable_at     timestamptz,
    CHECK ((confirm_nonce IS NULL) = (confirm_expires_at IS NULL))
);

CREATE INDEX email_subscribers_unconfirmed ON content.email_subscribers (requested_at) WHERE confirmed_at IS NULL;

COMMENT ON TABLE content.email_subscribers IS
    'Bulletin e-mail subscribers: sealed address, keyed hash, audiences, areas, frequency. No name.';

-- One row per (bulletin, subscriber) e-mail, created when the bulletin starts sending (a snapshot
-- of the confirmed subscribers), each with its own outbox message. Its state is the truth about
-- that e-mail: a redelivered outbox message finds it sent and does not send it again. Unsubscribing
-- clears subscriber_id (the counts stay, the link to a person does not); so does the retention job
-- once the e-mail is finished and old.
CREATE TABLE content.bulletin_emails (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bulletin_id   text        NOT NULL REFERENCES content.bulletins (id),
    subscriber_id text        REFERENCES content.email_subscribers (id) ON DELETE SET NULL,
    state         text        NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'sent', 'undeliverable', 'skipped')),
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    UNIQUE (bulletin_id, subscriber_id)
);

CREATE INDEX bulletin_emails_bulletin ON content.bulletin_emails (bulletin_id, state);
CREATE INDEX bulletin_emails_subscriber ON content.bulletin_emails (subscriber_id) WHERE subscriber_id IS NOT NULL;

COMMENT ON TABLE content.bulletin_emails IS
    'One bulletin e-mail per confirmed subscriber; subscriber_id is cleared on unsubscribe and by retention.';

-- One row per week whose digest has been queued: the weekly job (on every instance, every few
-- minutes) queues a week once, in the transaction that inserts this row.
CREATE TABLE content.email_digests (
    week_start  date        PRIMARY KEY,
    subscribers integer     NOT NULL DEFAULT 0 CHECK (subscribers >= 0),
    queued_at   timestamptz NOT NULL
);
