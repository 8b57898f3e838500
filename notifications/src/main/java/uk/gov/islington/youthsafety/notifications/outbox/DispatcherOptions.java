package uk.gov.islington.youthsafety.notifications.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Dispatcher} claims and retries.
 *
 * @param batchSize rows claimed per round trip, per channel (so also deliveries in flight per
 *     channel)
 * @param pollInterval fallback poll when no notification arrives (LISTEN can miss one while its
 *     connection is re-established); the dispatcher also wakes when the next row falls due
 * @param lease how long a claim keeps other dispatchers off a row. A delivery that has not finished
 *     after half the lease is given up as "timed out" and retried, so that its outcome is recorded
 *     while the lease still holds; channels should time out well before that themselves.
 * @param initialBackoff delay after the first failed attempt; doubles per attempt, with jitter
 * @param maxBackoff cap on the computed backoff (a channel's own notBefore is honoured as given)
 * @param maxAttempts attempts after which a message that keeps asking to be retried is failed
 */
public record DispatcherOptions(
    int batchSize,
    Duration pollInterval,
    Duration lease,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxAttempts) {

  public DispatcherOptions {
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (batchSize < 1 || batchSize > 1000) {
      throw new IllegalArgumentException("batchSize must be 1..1000");
    }
    if (!isPositive(pollInterval) || !isPositive(initialBackoff)) {
      throw new IllegalArgumentException("pollInterval and initialBackoff must be positive");
    }
    if (lease.toMillis() < 20) {
      throw new IllegalArgumentException("lease must be at least 20ms");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /**
   * 32 a batch, poll every 5 s, 2 min lease, backoff 5 s doubling up to 15 min, 20 attempts: a
   * message keeps being retried for roughly two to three hours before it is failed.
   */
  public static DispatcherOptions defaults() {
    return new DispatcherOptions(
        32,
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        20);
  }

  public DispatcherOptions withBatchSize(int value) {
    return new DispatcherOptions(
        value, pollInterval, lease, initialBackoff, maxBackoff, maxAttempts);
  }

  public DispatcherOptions withPollInterval(Duration value) {
    return new DispatcherOptions(batchSize, value, lease, initialBackoff, maxBackoff, maxAttempts);
  }

  public DispatcherOptions withLease(Duration value) {
    return new DispatcherOptions(
        batchSize, pollInterval, value, initialBackoff, maxBackoff, maxAttempts);
  }

  public DispatcherOptions withBackoff(Duration initial, Duration max) {
    return new DispatcherOptions(batchSize, pollInterval, lease, initial, max, maxAttempts);
  }

  public DispatcherOptions withMaxAttempts(int value) {
    return new DispatcherOptions(batchSize, pollInterval, lease, initialBackoff, maxBackoff, value);
  }

  /** Half the lease: see {@code lease}. */
  Duration deliveryTimeout() {
    return lease.dividedBy(2);
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
