package uk.gov.islington.youthsafety.api.staff;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.auth.StaffRevocations;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.staff.StaffService;

/**
 * Keeps {@link StaffRevocations} in step with PostgreSQL on every instance: loaded before the
 * service answers, reloaded when an update is announced on LISTEN/NOTIFY, after the LISTEN
 * connection comes back, and every {@code refresh} as a fallback. Only revocations young enough to
 * still matter (staff token TTL plus clock skew) are loaded or kept.
 */
final class RevocationSync {

  private static final Logger LOG = LoggerFactory.getLogger(RevocationSync.class);

  private final AppContext app;
  private final StaffService staff;
  private final StaffRevocations revocations;
  private final Duration horizon;
  private final PgListener listener;

  RevocationSync(AppContext app, StaffService staff, Duration refresh) {
    this.app = app;
    this.staff = staff;
    this.revocations = app.tokens().revocations();
    this.horizon = app.tokens().staffTtl().plus(app.tokens().clockSkew()).plusSeconds(1);
    this.listener =
        PgListener.builder("staff token revocations")
            .channel(StaffService.revocationChannel(), staffId -> reload())
            .reload(this::reload)
            .every(refresh, this::reload)
            .build(app.vertx(), app.listenerOptions("staff-revocations-listener"));
  }

  PgListener listener() {
    return listener;
  }

  private Future<Void> reload() {
    Instant now = app.clock().instant();
    return staff
        .tokensNotBeforeSince(now.minus(horizon))
        .onSuccess(
            entries -> {
              revocations.revokeAll(entries);
              revocations.forgetOlderThan(now, horizon);
            })
        .onFailure(
            e ->
                LOG.warn("staff token revocations not refreshed: {}", e.getClass().getSimpleName()))
        .mapEmpty();
  }
}
