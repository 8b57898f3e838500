package uk.gov.islington.youthsafety.notifications.outbox;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": half of each step is fixed and half random, so that
 * dispatchers retrying after the same outage spread out, while successive delays still never shrink
 * (step n lies in [b/2, b], step n+1 in [b, 2b]) until the cap is reached. The instances' LISTEN
 * connections (content's PgListener) reconnect at this pace for the same reason.
 */
public final class Backoff {

  private Backoff() {}

  /** The delay after failed attempt number {@code attempt} (1-based); random in [0, 1). */
  public static Duration delay(int attempt, Duration initial, Duration max, DoubleSupplier random) {
    int doublings = Math.max(0, Math.min(attempt - 1, 40));
    double base = Math.min((double) max.toMillis(), initial.toMillis() * Math.pow(2, doublings));
    double jittered = base / 2 + random.getAsDouble() * base / 2;
    return Duration.ofMillis(Math.max(1L, Math.round(jittered)));
  }
}
