-- A moderator's phone, for duty alerts by push: one per moderator, on duty or not. Staff data, not
-- children's: the FCM token is kept as the phone gave it, and goes with the account.
CREATE TABLE content.staff_duty_devices (
    staff_id   text        PRIMARY KEY REFERENCES content.staff (id) ON DELETE CASCADE,
    fcm_token  text        NOT NULL CHECK (length(fcm_token) BETWEEN 20 AND 4096),
    on_duty    boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL
);

-- Which moderators an alert's push reached, so that a retry reaches only the others. Goes with the
-- alert's outbox row at the next retention round.
CREATE TABLE content.duty_pushes_sent (
    outbox_id bigint NOT NULL,
    staff_id  text   NOT NULL,
    PRIMARY KEY (outbox_id, staff_id)
);
