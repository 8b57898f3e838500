package uk.gov.islington.youthsafety.notifications.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How this process talks to FCM.
 *
 * @param connectTimeout and {@code readTimeout}: set on every SDK request, so a hung FCM (or
 *     network) turns into a DEADLINE_EXCEEDED error, i.e. a retry, instead of a thread that never
 *     comes back
 * @param senderThreads the SDK's worker pool: {@code sendEach} makes one blocking HTTP request per
 *     message on these threads, so throughput is at most {@code senderThreads / latency}
 * @param messagesPerMinute this instance's share of the project's quota (600,000 a minute for the
 *     project; divide by the number of instances)
 * @param batchDeadline a batch still in flight after this is cancelled and its unanswered messages
 *     retried; keep it under half the outbox lease (the dispatcher's own time-out)
 * @param maxLimiterWait a batch that would wait longer than this for room among the messages in
 *     flight, or for the rate limiter (or a 429's Retry-After), is handed back to the outbox to
 *     come back later
 */
public record FcmSettings(
    Duration connectTimeout,
    Duration readTimeout,
    int senderThreads,
    int messagesPerMinute,
    Duration batchDeadline,
    Duration maxLimiterWait) {

  /** FCM's default per-project quota for the HTTP v1 send API. */
  public static final int PROJECT_QUOTA_PER_MINUTE = 600_000;

  public FcmSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(batchDeadline, "batchDeadline");
    Objects.requireNonNull(maxLimiterWait, "maxLimiterWait");
    if (connectTimeout.toMillis() < 1
        || readTimeout.toMillis() < 1
        || batchDeadline.toMillis() < 1) {
      throw new IllegalArgumentException("FCM time-outs must be positive");
    }
    if (senderThreads < 1 || senderThreads > 2000) {
      throw new IllegalArgumentException("FCM sender threads must be 1..2000");
    }
    if (messagesPerMinute < 1) {
      throw new IllegalArgumentException("FCM messages per minute must be positive");
    }
  }

  /**
   * Connect 10 s, read 20 s, 100 threads, the whole project quota, 40 s per batch, wait up to 10 s.
   */
  public static FcmSettings defaults() {
    return new FcmSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(20),
        100,
        PROJECT_QUOTA_PER_MINUTE,
        Duration.ofSeconds(40),
        Duration.ofSeconds(10));
  }

  /**
   * How long a batch may be held: waiting for room and for the rate limiter, its deadline, then
   * requests still finishing, and a margin.
   */
  public Duration batchHold() {
    return maxLimiterWait
        .multipliedBy(2)
        .plus(batchDeadline)
        .plus(connectTimeout)
        .plus(readTimeout)
        .plusSeconds(5);
  }
}
