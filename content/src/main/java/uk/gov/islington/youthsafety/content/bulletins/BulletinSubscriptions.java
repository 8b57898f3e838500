package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.notifications.push.PushSubscription;
import uk.gov.islington.youthsafety.notifications.push.PushSubscriptions;
import uk.gov.islington.youthsafety.notifications.push.SubscriberKeys;

/**
 * subscribe / unsubscribe for a device: the FCM token, the audiences and optional areas, nothing
 * else. The device is known only by a keyed hash of its token's subject (see {@link
 * SubscriberKeys}).
 */
public final class BulletinSubscriptions {

  /**
   * FCM registration tokens are long URL-safe strings (with ':' between the instance id and the
   * token).
   */
  static final Pattern FCM_TOKEN = Pattern.compile("^[A-Za-z0-9_:.\\-]{20,4096}$");

  private final PushSubscriptions subscriptions;
  private final Clock clock;

  public BulletinSubscriptions(Pool pool, SubscriberKeys keys, Clock clock) {
    this.subscriptions = new PushSubscriptions(pool, keys);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<PushSubscription> subscribe(
      String deviceSubject, String fcmToken, List<String> audiences, List<String> areas) {
    InvalidInput.Builder errors = InvalidInput.builder();
    errors.check(
        fcmToken != null && FCM_TOKEN.matcher(fcmToken).matches(),
        "fcmToken",
        "must be the app's FCM registration token");
    List<String> a = Bulletins.audiences(audiences, "audiences", errors);
    List<String> r = Bulletins.areas(areas, "areas", errors);
    try {
      errors.throwIfAny();
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    return subscriptions.subscribe(deviceSubject, fcmToken, a, r, clock.instant());
  }

  public Future<Optional<PushSubscription>> find(String deviceSubject) {
    return subscriptions.find(deviceSubject);
  }

  /** Removes the device's subscription and its token; idempotent. */
  public Future<Boolean> unsubscribe(String deviceSubject) {
    return subscriptions.unsubscribe(deviceSubject);
  }
}
