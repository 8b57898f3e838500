-- Anonymous concern reports (issue 4). Rules that shape this schema (DESIGN.md, docs/privacy/reports.md):
--   * nothing about the reporter: no token, address, user agent or device, and no time finer than
--     a date for anything the reporter does (a timestamp would say when a report was made);
--   * report text, messages and stored answers are AES-256-GCM ciphertext with the key id per row;
--   * receipt codes exist only as a slow keyed hash;
--   * categories, areas and destinations are data that editors change, not code;
--   * the moderators' audit trail is append-only, enforced here by triggers.

CREATE TABLE content.report_destinations (
    id                   text PRIMARY KEY CHECK (id IN ('CSCT', 'CRIMESTOPPERS')),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    short_name           text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 40),
    phone                text CHECK (length(phone) <= 40),
    email                text CHECK (length(email) <= 200),
    website              text CHECK (length(website) <= 500),
    -- what a moderator does for a manual hand-off (e.g. Crimestoppers' anonymous online form)
    handoff_instructions text NOT NULL CHECK (length(handoff_instructions) <= 1000)
);

CREATE TABLE content.report_categories (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
    label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    destination text NOT NULL REFERENCES content.report_destinations (id),
    -- shown to the young person after they report: what happens next, who else can help
    guidance    text NOT NULL CHECK (length(guidance) BETWEEN 1 AND 1000),
    -- [{ "name", "phone"?, "email"?, "url"?, "note"? }]
    contacts    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contacts) = 'array'),
    sort_order  int NOT NULL,
    active      boolean NOT NULL DEFAULT true
);

-- Coarse places a young person may pick; never coordinates.
CREATE TABLE content.report_areas (
    id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
    label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    sort_order int NOT NULL,
    active     boolean NOT NULL DEFAULT true
);

CREATE TABLE content.reports (
    id               uuid PRIMARY KEY,
    -- order of arrival, so triage is first-come-first-served within a day; carries no time
    seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- the reference staff and CSCT use; random, unrelated to the receipt code
    reference        text NOT NULL UNIQUE CHECK (reference ~ '^R-[2-9A-Z]{4}-[2-9A-Z]{4}$'),
    category_id      text NOT NULL REFERENCES content.report_categories (id),
    destination      text NOT NULL REFERENCES content.report_destinations (id),
    urgent           boolean NOT NULL,
    immediate_danger boolean NOT NULL,
    area_id          text REFERENCES content.report_areas (id),
    happened_when    text CHECK (happened_when IN
                       ('happening_now', 'today', 'past_week', 'past_month', 'longer_ago', 'ongoing', 'not_sure')),
    status           text NOT NULL DEFAULT 'received'
                       CHECK (status IN ('received', 'in_review', 'forwarding', 'forwarded', 'closed', 'spam')),
    -- a short outcome the reporter may see once closed
    outcome          text CHECK (length(outcome) <= 300),
    claimed_by       text CHECK (length(claimed_by) <= 100),
    key_id           text NOT NULL,
    description_ct   bytea NOT NULL,
    receipt_key_id   text NOT NULL,
    receipt_hash     bytea NOT NULL UNIQUE,
    created_on       date NOT NULL,
    updated_on       date NOT NULL,
    closed_on        date,
    CHECK ((status IN ('closed', 'spam')) = (closed_on IS NOT NULL))
);

-- Triage: urgent first, then oldest; only open reports.
CREATE INDEX reports_triage ON content.reports ((NOT urgent), created_on, seq)
    WHERE status NOT IN ('closed', 'spam');
CREATE INDEX reports_closed_on ON content.reports (closed_on) WHERE closed_on IS NOT NULL;

-- Moderator questions and reporter replies. Dates only.
CREATE TABLE content.report_messages (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id uuid NOT NULL REFERENCES content.reports (id) ON DELETE CASCADE,
    author    text NOT NULL CHECK (author IN ('moderator', 'reporter')),
    staff_id  text CHECK ((author = 'moderator') = (staff_id IS NOT NULL)),
    key_id    text NOT NULL,
    body_ct   bytea NOT NULL,
    sent_on   date NOT NULL
);
CREATE INDEX report_messages_report ON content.report_messages (report_id, id);

-- Each forward of a report to its destination. E-mail forwards have an outbox row (dedupe key
-- outbox_key) whose payload is only this row's id; the text is read and decrypted at delivery.
CREATE TABLE content.report_forwards (
    id                 uuid PRIMARY KEY,
    report_id          uuid NOT NULL REFERENCES content.reports (id) ON DELETE CASCADE,
    destination        text NOT NULL REFERENCES content.report_destinations (id),
    channel            text NOT NULL CHECK (channel IN ('email', 'manual')),
    recipient          text CHECK (length(recipient) <= 200),
    state              text NOT NULL CHECK (state IN ('pending', 'awaiting_handoff', 'delivered', 'failed')),
    outbox_key         text UNIQUE,
    requested_by       text NOT NULL,
    requested_at       timestamptz NOT NULL,
    delivered_at       timestamptz,
    delivered_via      text CHECK (delivered_via IN ('smtp', 'local-sink', 'manual')),
    -- e.g. the reference Crimestoppers' form gave the moderator
    external_reference text CHECK (length(external_reference) <= 100),
    CHECK ((channel = 'email') = (outbox_key IS NOT NULL))
);
-- Never two live forwards of one report: a second one waits until the first has failed.
CREATE UNIQUE INDEX report_forwards_one_live ON content.report_forwards (report_id)
    WHERE state IN ('pending', 'awaiting_handoff', 'delivered');

-- Idempotency records of submitReport. The key and the request are stored only as keyed hashes;
-- the first answer (which holds the receipt code) is stored encrypted so that a retry gets it
-- again, and the row is purged after a day or two (REPORT_IDEMPOTENCY_RETENTION).
CREATE TABLE content.report_submissions (
    key_hash    bytea PRIMARY KEY,
    body_hash   bytea NOT NULL,
    report_id   uuid NOT NULL REFERENCES content.reports (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    key_id      text NOT NULL,
    response_ct bytea NOT NULL,
    created_on  date NOT NULL
);
CREATE INDEX report_submissions_created_on ON content.report_submissions (created_on);

-- The moderators' audit trail: who did what to which report, and when (staff actions only;
-- nothing the reporter does is timed). No report text. It outlives the report it describes
-- (no foreign key), until REPORT_AUDIT_RETENTION.
CREATE TABLE content.report_audit (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id        uuid NOT NULL,
    report_reference text NOT NULL,
    staff_id         text NOT NULL,
    action           text NOT NULL CHECK (action IN
                       ('view', 'claim', 'route', 'ask', 'forward', 'confirm_handoff', 'close', 'spam',
                        'delivered', 'delivery_failed')),
    detail           jsonb NOT NULL DEFAULT '{}'::jsonb,
    at               timestamptz NOT NULL
);
CREATE INDEX report_audit_report ON content.report_audit (report_id, id);
CREATE INDEX report_audit_at ON content.report_audit (at);

-- Append-only: UPDATE and TRUNCATE are always refused; DELETE only by the retention job, which
-- sets content.report_audit_purge_before for its own transaction and may then delete only rows
-- older than that.
CREATE FUNCTION content.report_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    purge_before text := current_setting('content.report_audit_purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF purge_before IS NOT NULL AND purge_before <> '' AND OLD.at < purge_before::timestamptz THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'content.report_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER report_audit_no_update_or_delete
    BEFORE UPDATE OR DELETE ON content.report_audit
    FOR EACH ROW EXECUTE FUNCTION content.report_audit_append_only();

CREATE TRIGGER report_audit_no_truncate
    BEFORE TRUNCATE ON content.report_audit
    FOR EACH STATEMENT EXECUTE FUNCTION content.report_audit_append_only();

COMMENT ON TABLE content.reports IS
    'Anonymous reports: no reporter data, dates only, text AES-GCM encrypted (key_id), receipt code as a keyed slow hash.';
COMMENT ON TABLE content.report_audit IS 'Append-only audit trail of moderator actions (triggers refuse UPDATE/DELETE/TRUNCATE).';
