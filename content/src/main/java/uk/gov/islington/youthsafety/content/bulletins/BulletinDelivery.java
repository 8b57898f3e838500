package uk.gov.islington.youthsafety.content.bulletins;

import java.time.Instant;

/**
 * getBulletinDelivery: where a bulletin's push stands. The counts are zero until the push starts;
 * then every targeted subscription ends in exactly one of sent, failed, invalidTokensRemoved or
 * skipped (unsubscribed before its turn); pending is what is still on its way. {@code email} counts
 * the e-mails to subscribers by e-mail the same way, apart from the push.
 */
public record BulletinDelivery(
    String bulletinId,
    String state,
    Instant sendAt,
    int targeted,
    int sent,
    int failed,
    int invalidTokensRemoved,
    int skipped,
    int pending,
    Instant startedAt,
    Instant completedAt,
    EmailDelivery email) {}
