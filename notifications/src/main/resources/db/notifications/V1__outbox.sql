-- The transactional outbox: whatever must happen later or elsewhere (forward a report by e-mail,
-- push a bulletin) is inserted here in the same transaction as the change that caused it, and the
-- dispatcher delivers it afterwards. Times are the database's (now()) so that several API
-- instances with skewed clocks agree on leases and due times.
CREATE TABLE notifications.outbox (
    id              bigserial   PRIMARY KEY,
    channel         text        NOT NULL CHECK (length(channel) BETWEEN 1 AND 64),
    -- Optional idempotency key of the producer: the same key enqueued twice is one message.
    dedupe_key      text        UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    -- May hold sensitive text (a forwarded report): never copied into last_error or a log line.
    payload         jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'pending'
                                CHECK (state IN ('pending', 'delivered', 'failed')),
    -- Incremented when a dispatcher claims the row; doubles as the fencing token that stops a
    -- dispatcher whose lease expired from recording an outcome over a newer claim.
    attempts        integer     NOT NULL DEFAULT 0,
    -- When the row may next be claimed. A claim moves it to the end of the lease, so a row whose
    -- dispatcher died becomes due again when the lease runs out, with no separate lease scan.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    last_error      text        CHECK (length(last_error) <= 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);

-- The claim query reads only pending rows in due order: keep that index small (delivered and
-- failed rows drop out of it).
CREATE INDEX outbox_pending_due ON notifications.outbox (next_attempt_at) WHERE state = 'pending';

COMMENT ON TABLE notifications.outbox IS
    'Transactional outbox; rows are claimed with FOR UPDATE SKIP LOCKED and a lease. Payloads may be sensitive.';
