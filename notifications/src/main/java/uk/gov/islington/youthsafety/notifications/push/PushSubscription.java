package uk.gov.islington.youthsafety.notifications.push;

import java.time.Instant;
import java.util.List;

/** A stored subscription as the owner may see it: never the token, never the subscriber key. */
public record PushSubscription(
    long id, List<String> audiences, List<String> areas, Instant createdAt, Instant refreshedAt) {}
