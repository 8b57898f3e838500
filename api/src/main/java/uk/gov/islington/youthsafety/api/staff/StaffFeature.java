package uk.gov.islington.youthsafety.api.staff;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.reports.ReportKeyFiles;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.staff.PasswordHasher;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffChange;
import uk.gov.islington.youthsafety.content.staff.StaffService;
import uk.gov.islington.youthsafety.content.staff.StaffUpdate;

/**
 * Staff accounts and sign-in, wired (the operations are {@link StaffRoutes}). At start-up it
 * creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD when there is no staff at all, and
 * keeps the token revocation list in step with PostgreSQL ({@link RevocationSync}).
 */
public final class StaffFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(StaffFeature.class);

  private final StaffSettings settings;
  private final StaffService staff;
  private final SecondFactors secondFactors;
  private final Tokens tokens;
  private final LoginThrottle throttle;
  private final LoginThrottle codeThrottle;
  private final RevocationSync revocations;

  public StaffFeature(AppContext app) {
    StaffSettings settings = StaffSettings.from(app.config());
    this.settings = settings;
    this.tokens = app.tokens();
    this.staff =
        new StaffService(
            app.vertx(),
            app.pool(),
            app.clock(),
            new PasswordHasher(
                settings.hashMemoryKib(), settings.hashIterations(), settings.hashParallelism()),
            settings.hashThreads());
    this.throttle =
        new LoginThrottle(
            "staff-password", app.rateLimits(), app.metrics(), settings.loginLimits());
    // wrong second-factor codes are counted apart: a right password followed by guessed codes
    this.codeThrottle =
        new LoginThrottle(
            "staff-second-factor", app.rateLimits(), app.metrics(), settings.secondFactorLimits());
    this.secondFactors =
        new SecondFactors(
            app.pool(), app.clock(), new ReportCrypto(ReportKeyFiles.load(app.config())));
    this.revocations = new RevocationSync(app, staff, settings.revocationRefresh());
  }

  @Override
  public void routes(Routes routes) {
    new StaffRoutes(this, tokens).addTo(routes);
  }

  @Override
  public Future<Void> start() {
    return firstAdmin();
  }

  @Override
  public List<Retention> retention() {
    return List.of(staff.auditRetention());
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(revocations.listener());
  }

  /**
   * Changes an account (API or console); a change that ends its access ends it on this instance at
   * once.
   */
  public Future<StaffChange> update(String actorId, String staffId, StaffUpdate change) {
    return staff
        .update(actorId, staffId, change)
        .onSuccess(
            result -> {
              if (result.tokensNotBefore() != null) {
                // this instance refuses the old tokens at once; the others learn it through NOTIFY
                tokens.revocations().revoke(staffId, result.tokensNotBefore());
              }
            });
  }

  /**
   * Removes another account's second factor, ending its sessions and tokens as {@link #update}
   * does.
   */
  public Future<Void> resetSecondFactor(String actorId, String staffId) {
    return secondFactors
        .reset(actorId, staffId)
        .onSuccess(at -> tokens.revocations().revoke(staffId, at))
        .mapEmpty();
  }

  /**
   * Ends another account's sessions and tokens without changing it, at once on this instance as
   * {@link #update} does.
   */
  public Future<Void> endSessions(String actorId, String staffId) {
    return staff
        .endSessions(actorId, staffId)
        .onSuccess(at -> tokens.revocations().revoke(staffId, at))
        .mapEmpty();
  }

  public StaffService staff() {
    return staff;
  }

  public SecondFactors secondFactors() {
    return secondFactors;
  }

  /** Failed passwords, shared by the API's sign-in and the console's. */
  public LoginThrottle throttle() {
    return throttle;
  }

  /** Failed second-factor codes, shared by the API's sign-in and the console's. */
  public LoginThrottle codeThrottle() {
    return codeThrottle;
  }

  private Future<Void> firstAdmin() {
    Optional<String> username = settings.adminUsername();
    Optional<String> password = settings.adminPassword();
    if (username.isEmpty()) {
      return staff
          .anyStaff()
          .map(
              any -> {
                if (!any) {
                  LOG.warn(
                      "there is no staff account yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin");
                }
                return null;
              });
    }
    return staff
        .ensureFirstAdmin(username.get(), password.get())
        .<Void>map(
            created -> {
              LOG.info(
                  created
                      ? "first admin account created from ADMIN_USERNAME"
                      : "staff accounts exist: ADMIN_USERNAME and ADMIN_PASSWORD are not used");
              return null;
            })
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof InvalidInput invalid
                        // name the settings, never echo their values
                        ? new IllegalStateException(
                            invalid.errors().stream()
                                .map(f -> "ADMIN_" + f.field().toUpperCase() + " " + f.message())
                                .toList()
                                .toString())
                        : e));
  }
}
