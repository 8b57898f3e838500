package uk.gov.islington.youthsafety.notifications.push;

import java.time.Instant;

/**
 * Delivery accounting of one push job. {@code targeted} is fixed when the job starts (the
 * subscriptions that matched then); every targeted subscription ends in exactly one of {@code
 * sent}, {@code failed}, {@code invalidRemoved} (FCM said the token is dead; the subscription was
 * deleted) or {@code skipped} (unsubscribed before its batch went out).
 */
public record PushJobStatus(
    String id,
    int targeted,
    int sent,
    int failed,
    int invalidRemoved,
    int skipped,
    int batches,
    int pendingBatches,
    Instant startedAt,
    Instant completedAt) {

  /** Targeted subscriptions not resolved yet. */
  public int pending() {
    return targeted - sent - failed - invalidRemoved - skipped;
  }

  public boolean complete() {
    return completedAt != null;
  }
}
