-- Push subscriptions of the Youth Safety Bulletin: the least that lets us push to a phone.
--
-- No name, no contact details, no age band, no device subject. A row is keyed by a keyed hash
-- (HMAC-SHA256 with a server-side key that is not in this database) of the device token's random
-- subject, so that the app can replace or remove "my" subscription, while a copy of this table
-- alone cannot be joined to anything else. The FCM registration token is stored as given: it is
-- what FCM needs, and it is removed on unsubscribe, when FCM says it is no longer valid, and when
-- the app has not refreshed it for the inactivity period (FCM itself expires tokens after 270
-- days without a connection). See docs/privacy/bulletins.md.
CREATE TABLE notifications.push_subscriptions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscriber   bytea       NOT NULL UNIQUE CHECK (octet_length(subscriber) = 32),
    -- One device, one token: a token seen again under another subscriber (the app registered a
    -- new device token) moves to that subscriber instead of being pushed to twice.
    fcm_token    text        NOT NULL UNIQUE CHECK (length(fcm_token) BETWEEN 1 AND 4096),
    audiences    text[]      NOT NULL CHECK (cardinality(audiences) BETWEEN 1 AND 10),
    -- Empty = the whole borough.
    areas        text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(areas) <= 50),
    created_at   timestamptz NOT NULL,
    -- Last subscribe call (the app repeats it on start); the inactivity purge reads it.
    refreshed_at timestamptz NOT NULL
);

CREATE INDEX push_subscriptions_refreshed ON notifications.push_subscriptions (refreshed_at);

COMMENT ON TABLE notifications.push_subscriptions IS
    'Bulletin push subscriptions: keyed hash of the device subject, FCM token, audiences, areas. Purged when idle (PushSubscriptions.purgeIdle).';
