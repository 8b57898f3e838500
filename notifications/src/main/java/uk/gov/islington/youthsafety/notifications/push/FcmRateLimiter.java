package uk.gov.islington.youthsafety.notifications.push;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Paces messages to FCM: a token bucket refilled at {@code messagesPerMinute}, holding at most a
 * few hundred milliseconds' worth (so no minute ever goes noticeably over the quota), that lets a
 * caller reserve a whole batch and says how long to wait before sending it. Reservations queue
 * fairly (each one waits behind those before it). A 429 or 503 with Retry-After {@link #pause}s
 * every sender of the process, not just the batch that got it: the quota is the project's.
 * Thread-safe; never blocks (the caller waits with a timer).
 */
public final class FcmRateLimiter {

  /**
   * A granted reservation ({@code granted}) to send after {@code delay}, or a refusal saying how
   * long the wait would be.
   */
  public record Reservation(boolean granted, Duration delay) {}

  private final double perNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;
  private long pausedUntil;

  public FcmRateLimiter(int messagesPerMinute, LongSupplier nanoTime) {
    if (messagesPerMinute < 1) {
      throw new IllegalArgumentException("messagesPerMinute must be positive");
    }
    this.perNano = messagesPerMinute / 60e9;
    // at most a fifth of a second's worth of burst, but never less than one full batch
    this.capacity = Math.max(PushFanout.MAX_BATCH_SIZE, messagesPerMinute / 60.0 / 5);
    this.nanoTime = nanoTime;
    this.last = nanoTime.getAsLong();
    this.pausedUntil = last;
    this.tokens = capacity;
  }

  public FcmRateLimiter(int messagesPerMinute) {
    this(messagesPerMinute, System::nanoTime);
  }

  /**
   * Reserves {@code n} messages if they can go within {@code maxWait}; otherwise reserves nothing.
   */
  public synchronized Reservation reserve(int n, Duration maxWait) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    double after = tokens - n;
    long forTokens = after >= 0 ? 0 : (long) Math.ceil(-after / perNano);
    long forPause = Math.max(0, pausedUntil - now);
    long wait = Math.max(forTokens, forPause);
    if (wait > maxWait.toNanos()) {
      return new Reservation(false, Duration.ofNanos(wait));
    }
    tokens = after;
    return new Reservation(true, Duration.ofNanos(wait));
  }

  /**
   * Nobody sends before {@code duration} from now (a Retry-After); a longer pause already set
   * stays.
   */
  public synchronized void pause(Duration duration) {
    long until = nanoTime.getAsLong() + duration.toNanos();
    if (until - pausedUntil > 0) {
      pausedUntil = until;
    }
  }
}
