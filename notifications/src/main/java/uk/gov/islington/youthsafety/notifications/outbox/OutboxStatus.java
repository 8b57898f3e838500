package uk.gov.islington.youthsafety.notifications.outbox;

import java.time.Instant;

/**
 * The delivery state of one outbox message, for status displays (e.g. "forwarded to CSCT at ...").
 * Carries no payload.
 *
 * @param state {@link #PENDING}, {@link #DELIVERED} or {@link #FAILED}, as stored
 * @param lastError sanitised and short; null when there was none or the message was delivered
 * @param nextAttemptAt when a pending message is next due (or its current lease ends); null unless
 *     pending
 * @param deliveredAt null unless delivered
 */
public record OutboxStatus(
    long id,
    String channel,
    String state,
    int attempts,
    String lastError,
    Instant nextAttemptAt,
    Instant deliveredAt) {

  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";

  public boolean isPending() {
    return PENDING.equals(state);
  }

  public boolean isDelivered() {
    return DELIVERED.equals(state);
  }

  public boolean isFailed() {
    return FAILED.equals(state);
  }
}
