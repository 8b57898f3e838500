-- Where the embedded default "delivers" e-mail and push when there is no SMTP server or FCM
-- project: a moderator or editor can read what would have been sent. Payloads can hold report
-- text, so a retention job purges old rows (LocalSink.purgeOlderThan).
CREATE TABLE notifications.local_sink (
    id           bigserial   PRIMARY KEY,
    -- The outbox row delivered here; unique so that a redelivery (lease lost, outcome not
    -- recorded) does not store the message twice.
    outbox_id    bigint      NOT NULL UNIQUE,
    channel      text        NOT NULL,
    dedupe_key   text,
    payload      jsonb       NOT NULL,
    delivered_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX local_sink_channel_id ON notifications.local_sink (channel, id);
