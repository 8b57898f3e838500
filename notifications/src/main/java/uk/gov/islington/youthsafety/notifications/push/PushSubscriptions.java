package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Push subscriptions, keyed by a {@link SubscriberKeys keyed hash} of the device subject. The
 * caller validates audiences and areas; this class stores the minimum and keeps the two invariants:
 * one subscription per device, and one device per FCM token.
 */
public final class PushSubscriptions {

  private static final PushStore STORE = new PushStore();

  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final SubscriberKeys keys;

  public PushSubscriptions(Pool pool, SubscriberKeys keys) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /**
   * Creates or replaces the device's subscription. Idempotent. A new token for the same device
   * replaces the old one; a token that another subscription holds (the app got a new device token
   * and kept its FCM token) moves here, so no phone is pushed to twice.
   */
  public Future<PushSubscription> subscribe(
      String deviceSubject,
      String fcmToken,
      List<String> audiences,
      List<String> areas,
      Instant now) {
    byte[] subscriber = keys.of(deviceSubject);
    return attempt(subscriber, fcmToken, audiences, areas, now)
        // two calls racing for the same token or device: the second sees the first's row next time
        .recover(
            e ->
                isUniqueViolation(e)
                    ? attempt(subscriber, fcmToken, audiences, areas, now)
                    : Future.failedFuture(e));
  }

  private Future<PushSubscription> attempt(
      byte[] subscriber, String token, List<String> audiences, List<String> areas, Instant now) {
    return pool.withTransaction(
        tx -> STORE.upsert(tx, subscriber, token, List.copyOf(audiences), List.copyOf(areas), now));
  }

  public Future<Optional<PushSubscription>> find(String deviceSubject) {
    return STORE.find(pool, keys.of(deviceSubject));
  }

  /** Deletes the device's subscription and with it its token; true if there was one. Idempotent. */
  public Future<Boolean> unsubscribe(String deviceSubject) {
    return STORE.delete(pool, keys.of(deviceSubject));
  }

  /** Retention: deletes subscriptions the app has not refreshed since {@code refreshedBefore}. */
  public static Future<Integer> purgeIdle(Pool pool, Instant refreshedBefore) {
    return STORE.purgeIdle(pool, refreshedBefore);
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
