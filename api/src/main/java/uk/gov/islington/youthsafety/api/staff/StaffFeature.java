package uk.gov.islington.youthsafety.api.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.api.reports.ReportsFeature;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.staff.PasswordHasher;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffChange;
import uk.gov.islington.youthsafety.content.staff.StaffMember;
import uk.gov.islington.youthsafety.content.staff.StaffService;
import uk.gov.islington.youthsafety.content.staff.StaffUpdate;

/**
 * Staff accounts and sign-in: issueStaffToken, createStaff, listStaff, updateStaff. At start-up
 * it creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD when there is no staff at all,
 * and keeps the token revocation list in step with PostgreSQL ({@link RevocationSync}).
 */
public final class StaffFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(StaffFeature.class);
  // one answer for unknown usernames, wrong passwords and disabled accounts
  private static final Problem BAD_CREDENTIALS = Problem.of(401, "invalid-credentials", "Unauthorized",
      "The username, password or code is not right, or the account is disabled.");
  // only after the right password: the account has a second factor and no code came with it
  private static final Problem SECOND_FACTOR_REQUIRED = Problem.of(401, "second-factor-required", "Unauthorized",
      "This account signs in with a second factor: send the authenticator app's code (or a recovery code) as otp.");

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
    this.staff = new StaffService(app.vertx(), app.pool(), app.clock(), new PasswordHasher(
        settings.hashMemoryKib(), settings.hashIterations(), settings.hashParallelism()), settings.hashThreads());
    this.throttle = new LoginThrottle("staff-password", app.rateLimits(), app.metrics(), settings.loginLimits());
    // wrong second-factor codes are counted apart: a right password followed by guessed codes
    this.codeThrottle = new LoginThrottle("staff-second-factor", app.rateLimits(), app.metrics(),
        settings.secondFactorLimits());
    this.secondFactors = new SecondFactors(app.pool(), app.clock(),
        new ReportCrypto(ReportsFeature.keys(app.config())));
    this.revocations = new RevocationSync(app, staff, settings.revocationRefresh());
  }

  @Override
  public void routes(Routes routes) {
    routes.on("issueStaffToken", this::issueToken)
        .on("createStaff", this::create)
        .on("listStaff", this::list)
        .on("updateStaff", this::update);
  }

  @Override
  public Future<Void> start() {
    return firstAdmin();
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(revocations.listener());
  }

  private Future<Reply> issueToken(ApiRequest req) {
    String username = req.body().getString("username");
    String password = req.body().getString("password");
    String otp = req.body().getString("otp");
    LoginThrottle.Attempt attempt = throttle.reserve(username, req.clientNetwork());
    return staff.authenticate(username, password).compose(found -> {
      if (found.isEmpty()) {
        attempt.failed();
        return Future.failedFuture(new ProblemException(BAD_CREDENTIALS));
      }
      attempt.succeeded();
      StaffMember member = found.get();
      return secondFactors.enrolled(member.id()).compose(enrolled -> {
        if (!enrolled) {
          return Future.succeededFuture(member);
        }
        if (otp == null) {
          return Future.failedFuture(new ProblemException(SECOND_FACTOR_REQUIRED));
        }
        LoginThrottle.Attempt code = codeThrottle.reserve(username, req.clientNetwork());
        return secondFactors.verify(member.id(), otp).compose(ok -> {
          if (!ok) {
            code.failed();
            return Future.failedFuture(new ProblemException(BAD_CREDENTIALS));
          }
          code.succeeded();
          return Future.succeededFuture(member);
        });
      });
    }).map(member -> {
      Tokens.Issued issued = tokens.issueStaff(member.id(), member.roles());
      return Reply.ok(new JsonObject()
              .put("accessToken", issued.token())
              .put("tokenType", "Bearer")
              .put("expiresAt", issued.expiresAt().toString())
              .put("roles", new JsonArray(member.roles())))
          .header("Cache-Control", "no-store")
          .header("Pragma", "no-cache");
    });
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    return staff.create(body.getString("username"), body.getString("password"), strings(body.getJsonArray("roles")))
        .map(member -> Reply.created(toJson(member)));
  }

  private Future<Reply> list(ApiRequest req) {
    return staff.list(req.queryBool("disabled", null), req.queryInt("limit", 20), req.query("cursor"))
        .map(page -> Reply.ok(new JsonObject()
            .put("items", new JsonArray(page.items().stream().map(StaffFeature::toJson).toList()))
            .put("nextCursor", page.nextCursor())));
  }

  private Future<Reply> update(ApiRequest req) {
    JsonObject body = req.body();
    StaffUpdate change = new StaffUpdate(body.containsKey("roles") ? strings(body.getJsonArray("roles")) : null,
        body.getString("password"), body.getBoolean("disabled"));
    return update(req.requiredPrincipal().subject(), req.path("staffId"), change)
        .map(result -> Reply.ok(toJson(result.member())));
  }

  /** Changes an account (API or console); a change that ends its access ends it on this instance at once. */
  public Future<StaffChange> update(String actorId, String staffId, StaffUpdate change) {
    return staff.update(actorId, staffId, change).onSuccess(result -> {
      if (result.tokensNotBefore() != null) {
        // this instance refuses the old tokens at once; the others learn it through NOTIFY
        tokens.revocations().revoke(staffId, result.tokensNotBefore());
      }
    });
  }

  /** Removes another account's second factor, ending its sessions and tokens as {@link #update} does. */
  public Future<Void> resetSecondFactor(String actorId, String staffId) {
    return secondFactors.reset(actorId, staffId)
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
      return staff.anyStaff().map(any -> {
        if (!any) {
          LOG.warn("there is no staff account yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin");
        }
        return null;
      });
    }
    return staff.ensureFirstAdmin(username.get(), password.get())
        .<Void>map(created -> {
          LOG.info(created ? "first admin account created from ADMIN_USERNAME"
              : "staff accounts exist: ADMIN_USERNAME and ADMIN_PASSWORD are not used");
          return null;
        })
        .recover(e -> Future.failedFuture(e instanceof InvalidInput invalid
            // name the settings, never echo their values
            ? new IllegalStateException(invalid.errors().stream()
                .map(f -> "ADMIN_" + f.field().toUpperCase() + " " + f.message()).toList().toString())
            : e));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? null : array.stream().map(String::valueOf).toList();
  }

  static JsonObject toJson(StaffMember m) {
    return new JsonObject()
        .put("id", m.id())
        .put("username", m.username())
        .put("roles", new JsonArray(m.roles()))
        .put("disabled", m.disabled())
        .put("createdAt", m.createdAt().toString())
        .put("updatedAt", m.updatedAt().toString());
  }
}
