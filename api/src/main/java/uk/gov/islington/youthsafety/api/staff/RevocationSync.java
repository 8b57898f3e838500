package uk.gov.islington.youthsafety.api.staff;

import io.vertx.core.Future;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.auth.StaffRevocations;
import uk.gov.islington.youthsafety.content.staff.StaffService;

/**
 * Keeps {@link StaffRevocations} in step with PostgreSQL on every instance: loaded before the
 * service answers, reloaded when an update is announced on LISTEN/NOTIFY, after the LISTEN
 * connection comes back, and every {@code refresh} as a fallback. Only revocations young enough
 * to still matter (staff token TTL plus clock skew) are loaded or kept.
 */
final class RevocationSync {

  private static final Logger LOG = LoggerFactory.getLogger(RevocationSync.class);

  private final AppContext app;
  private final StaffService staff;
  private final StaffRevocations revocations;
  private final Duration refresh;
  private final Duration horizon;
  private PgSubscriber subscriber;
  private long timer = -1;

  RevocationSync(AppContext app, StaffService staff, Duration refresh) {
    this.app = app;
    this.staff = staff;
    this.revocations = app.tokens().revocations();
    this.refresh = refresh;
    this.horizon = app.tokens().staffTtl().plus(app.tokens().clockSkew()).plusSeconds(1);
  }

  Future<Void> start() {
    subscriber = PgSubscriber.subscriber(app.vertx(), app.listenerOptions("staff-revocations-listener"))
        .reconnectPolicy(retries -> Math.min(30_000L, 500L << Math.min(retries, 6)));
    subscriber.channel(StaffService.revocationChannel())
        .handler(staffId -> reload())
        .subscribeHandler(v -> reload());
    timer = app.vertx().setPeriodic(refresh.toMillis(), id -> reload());
    return reload().compose(v -> subscriber.connect());
  }

  Future<Void> stop() {
    if (timer >= 0) {
      app.vertx().cancelTimer(timer);
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close().recover(e -> Future.succeededFuture());
  }

  private Future<Void> reload() {
    Instant now = app.clock().instant();
    return staff.tokensNotBeforeSince(now.minus(horizon))
        .onSuccess(entries -> {
          revocations.revokeAll(entries);
          revocations.forgetOlderThan(now, horizon);
        })
        .onFailure(e -> LOG.warn("staff token revocations not refreshed: {}", e.getClass().getSimpleName()))
        .mapEmpty();
  }
}
