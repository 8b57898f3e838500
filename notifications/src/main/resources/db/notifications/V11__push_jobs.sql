-- A push to many subscribers ("job"), cut into batches of at most 500 subscriptions when it
-- starts. Each batch has its own outbox row (created in the same transaction as the job), so a
-- crashed dispatcher resumes at the batch where it stopped, and records its progress here in the
-- same transaction as the counters, so a restarted dispatcher neither skips nor repeats a batch.
CREATE TABLE notifications.push_jobs (
    id                 text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
    -- The notification as sent to every recipient (public content: title, preview, data).
    message            jsonb       NOT NULL,
    urgent             boolean     NOT NULL,
    -- Where to say "all batches are done" (an outbox channel of the feature that started it).
    completion_channel text        CHECK (length(completion_channel) BETWEEN 1 AND 64),
    completion_payload jsonb,
    targeted           integer     NOT NULL DEFAULT 0 CHECK (targeted >= 0),
    sent               integer     NOT NULL DEFAULT 0 CHECK (sent >= 0),
    failed             integer     NOT NULL DEFAULT 0 CHECK (failed >= 0),
    invalid_removed    integer     NOT NULL DEFAULT 0 CHECK (invalid_removed >= 0),
    -- Unsubscribed (or token moved to a newer subscription) between the start and their batch.
    skipped            integer     NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    batches            integer     NOT NULL DEFAULT 0 CHECK (batches >= 0),
    pending_batches    integer     NOT NULL DEFAULT 0 CHECK (pending_batches >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    CHECK (sent + failed + invalid_removed + skipped <= targeted),
    CHECK ((pending_batches = 0) = (completed_at IS NOT NULL))
);

CREATE TABLE notifications.push_batches (
    job_id          text        NOT NULL REFERENCES notifications.push_jobs (id) ON DELETE CASCADE,
    batch_no        integer     NOT NULL CHECK (batch_no >= 0),
    size            integer     NOT NULL CHECK (size BETWEEN 1 AND 500),
    -- Subscription ids (never tokens) not yet resolved; emptied as they are sent, failed,
    -- removed or skipped, so a finished batch links no subscription to the job.
    remaining       bigint[]    NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    -- Incremented by every worker that takes the batch; the fencing token of its progress write.
    claims          integer     NOT NULL DEFAULT 0,
    -- Set while a worker sends; nobody else takes the batch before it passes.
    busy_until      timestamptz,
    -- Send attempts that reached FCM (claims that only waited for the rate limiter do not count).
    sends           integer     NOT NULL DEFAULT 0,
    sent            integer     NOT NULL DEFAULT 0,
    failed          integer     NOT NULL DEFAULT 0,
    invalid_removed integer     NOT NULL DEFAULT 0,
    skipped         integer     NOT NULL DEFAULT 0,
    last_error      text        CHECK (length(last_error) <= 300),
    done_at         timestamptz,
    PRIMARY KEY (job_id, batch_no),
    CHECK (state = 'pending' OR cardinality(remaining) = 0),
    CHECK (sent + failed + invalid_removed + skipped + cardinality(remaining) = size)
);

CREATE INDEX push_jobs_completed ON notifications.push_jobs (completed_at) WHERE completed_at IS NOT NULL;

COMMENT ON TABLE notifications.push_batches IS
    'One row per batch of <= 500 subscriptions of a push job; remaining holds subscription ids until resolved.';
