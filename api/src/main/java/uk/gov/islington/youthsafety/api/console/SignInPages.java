package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.http.AccessLog;
import uk.gov.islington.youthsafety.api.http.ClientNetwork;
import uk.gov.islington.youthsafety.api.staff.LoginThrottle;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffService;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * Signing in and out. The password first; then the authenticator app's code, or at the first
 * sign-in the enrolment (QR code, the key as text, the first code, then ten recovery codes shown
 * once). The password step opens a session that can do nothing but the second step; the second step
 * replaces it with a new session (a new id), so an id seen before sign-in is worth nothing after
 * it. Failures of either step share the API's throttle (per account and per network), and every
 * failure of the password step gets the same message.
 */
final class SignInPages {

  private static final String BAD_PASSWORD = "Enter a correct username and password";
  private static final String BAD_CODE =
      "Enter a correct code: it may have changed, or been used already";

  private final ConsolePages pages;
  private final StaffService staff;
  private final SecondFactors factors;
  private final LoginThrottle passwords;
  private final LoginThrottle codes;

  SignInPages(
      ConsolePages pages,
      StaffService staff,
      SecondFactors factors,
      LoginThrottle passwords,
      LoginThrottle codes) {
    this.pages = pages;
    this.staff = staff;
    this.factors = factors;
    this.passwords = passwords;
    this.codes = codes;
  }

  void mount(Router router) {
    router.get("/console/sign-in").handler(ctx -> run(ctx, "sign-in", this::passwordForm));
    router.post("/console/sign-in").handler(ctx -> run(ctx, "sign-in", this::password));
    router.get("/console/sign-in/code").handler(ctx -> run(ctx, "sign-in:code", this::codeForm));
    router.post("/console/sign-in/code").handler(ctx -> run(ctx, "sign-in:code", this::code));
    router.get("/console/sign-in/enrol").handler(ctx -> run(ctx, "sign-in:enrol", this::enrolForm));
    router.post("/console/sign-in/enrol").handler(ctx -> run(ctx, "sign-in:enrol", this::enrol));
    router.post("/console/sign-out").handler(pages.page(ConsoleRoles.SIGN_OUT, this::signOut));
  }

  private void run(
      RoutingContext ctx,
      String name,
      java.util.function.Function<RoutingContext, Future<Void>> step) {
    AccessLog.name(ctx, "console:" + name);
    try {
      step.apply(ctx).onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  // ---- the password -----------------------------------------------------------------------

  private Future<Void> passwordForm(RoutingContext ctx) {
    String banner =
        ctx.queryParams().contains("signedOut")
            ? "You have signed out."
            : ctx.queryParams().contains("passwordChanged")
                ? "Your password is changed. Sign in with the new one."
                : null;
    return passwordPage(
        ctx, 200, List.of(), "", ConsolePages.safeNext(ctx.queryParams().get("next")), banner);
  }

  private Future<Void> passwordPage(
      RoutingContext ctx,
      int status,
      List<FieldError> errors,
      String username,
      String next,
      String banner) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, null, "Sign in").withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("username", username);
    p.put("next", next);
    p.put("banner", banner);
    return pages.render(ctx, status, "signin/password", p);
  }

  private Future<Void> password(RoutingContext ctx) {
    if (!ConsolePages.sameOrigin(ctx)) {
      return pages.forbiddenPost(ctx);
    }
    String username = ConsolePages.form(ctx, "username");
    String password = ctx.request().getFormAttribute("password");
    String next = ConsolePages.safeNext(ConsolePages.form(ctx, "next"));
    return passwords
        .password(staff, username, password, ClientNetwork.of(ctx))
        .compose(
            found -> {
              if (found.isEmpty()) {
                return passwordPage(
                    ctx,
                    200,
                    List.of(new FieldError("username", BAD_PASSWORD)),
                    username == null ? "" : username,
                    next,
                    null);
              }
              String staffId = found.get().id();
              return factors
                  .enrolled(staffId)
                  .compose(
                      enrolled -> {
                        if (enrolled) {
                          return startStep(
                              ctx,
                              staffId,
                              StaffSessions.SECOND_FACTOR,
                              null,
                              "/console/sign-in/code",
                              next);
                        }
                        SecondFactors.Offer offer = factors.offer(staffId);
                        return startStep(
                            ctx,
                            staffId,
                            StaffSessions.ENROL,
                            offer,
                            "/console/sign-in/enrol",
                            next);
                      });
            });
  }

  private Future<Void> startStep(
      RoutingContext ctx,
      String staffId,
      String stage,
      SecondFactors.Offer offer,
      String page,
      String next) {
    // a session the browser had before (another account, an old sign-in) ends here
    return pages
        .sessions()
        .end(ConsolePages.sessionId(ctx))
        .compose(
            v ->
                pages
                    .sessions()
                    .open(
                        staffId,
                        stage,
                        offer == null ? null : offer.keyId(),
                        offer == null ? null : offer.sealed()))
        .compose(
            id -> {
              pages.setSessionCookie(ctx, id);
              return pages.redirect(ctx, page + "?next=" + ConsolePages.encode(next));
            });
  }

  // ---- the second factor ------------------------------------------------------------------

  /** The half-signed-in session of this step, or a redirect to the password page. */
  private Future<Optional<StaffSessions.Session>> stepSession(RoutingContext ctx, String stage) {
    return pages
        .session(ctx)
        .compose(
            found -> {
              if (found.isPresent() && found.get().stage().equals(stage)) {
                return Future.succeededFuture(found);
              }
              return pages
                  .redirect(
                      ctx,
                      "/console/sign-in?next="
                          + ConsolePages.encode(
                              ConsolePages.safeNext(ctx.queryParams().get("next"))))
                  .map(Optional.empty());
            });
  }

  private Future<Void> codeForm(RoutingContext ctx) {
    return stepForm(ctx, StaffSessions.SECOND_FACTOR, this::codePage);
  }

  private Future<Void> codePage(
      RoutingContext ctx,
      int status,
      StaffSessions.Session s,
      List<FieldError> errors,
      String next) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, null, "Enter your code").withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("csrf", s.csrfToken());
    p.put("next", next);
    return pages.render(ctx, status, "signin/code", p);
  }

  private Future<Void> code(RoutingContext ctx) {
    return secondStep(
        ctx,
        StaffSessions.SECOND_FACTOR,
        (s, next) ->
            codes
                .check(
                    s.username(),
                    ClientNetwork.of(ctx),
                    () -> factors.verify(s.staffId(), ConsolePages.form(ctx, "code")),
                    ok -> ok)
                .compose(
                    ok ->
                        ok
                            ? signedIn(ctx, s).compose(v -> pages.redirect(ctx, next))
                            : codePage(
                                ctx, 200, s, List.of(new FieldError("code", BAD_CODE)), next)));
  }

  /**
   * A POST of the second step: its own session, the CSRF token and same origin; the step checks its
   * code under the API's throttle of codes.
   */
  private Future<Void> secondStep(RoutingContext ctx, String stage, Step step) {
    String next = ConsolePages.safeNext(ConsolePages.form(ctx, "next"));
    return stepSession(ctx, stage)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture();
              }
              StaffSessions.Session s = found.get();
              if (!ConsolePages.sameOrigin(ctx) || !ConsolePages.csrfMatches(ctx, s)) {
                return pages.forbiddenPost(ctx);
              }
              return step.run(s, next);
            });
  }

  @FunctionalInterface
  private interface Step {
    Future<Void> run(StaffSessions.Session session, String next);
  }

  /** A GET of a second step: its page, nothing wrong yet, for a session at that stage. */
  private Future<Void> stepForm(RoutingContext ctx, String stage, StepPage page) {
    return stepSession(ctx, stage)
        .compose(
            s ->
                s.isEmpty()
                    ? Future.succeededFuture()
                    : page.show(
                        ctx,
                        200,
                        s.get(),
                        List.of(),
                        ConsolePages.safeNext(ctx.queryParams().get("next"))));
  }

  @FunctionalInterface
  private interface StepPage {
    Future<Void> show(
        RoutingContext ctx,
        int status,
        StaffSessions.Session s,
        List<FieldError> errors,
        String next);
  }

  private Future<Void> enrolForm(RoutingContext ctx) {
    return stepForm(ctx, StaffSessions.ENROL, this::enrolPage);
  }

  private Future<Void> enrolPage(
      RoutingContext ctx,
      int status,
      StaffSessions.Session s,
      List<FieldError> errors,
      String next) {
    SecondFactors.Offer offer = factors.reopen(s.staffId(), s.pendingKeyId(), s.pendingSealed());
    Map<String, Object> p = new HashMap<>();
    p.put(
        "frame",
        pages.frame(ctx, null, "Set up your authenticator app").withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("csrf", s.csrfToken());
    p.put("next", next);
    p.put(
        "qrSvg",
        QrCodeSvg.of(offer.uri(s.username()), "QR code of the key for your authenticator app"));
    p.put("key", offer.key().replaceAll("(.{4})(?!$)", "$1 "));
    return pages.render(ctx, status, "signin/enrol", p);
  }

  private Future<Void> enrol(RoutingContext ctx) {
    return secondStep(
        ctx,
        StaffSessions.ENROL,
        (s, next) ->
            codes
                .check(
                    s.username(),
                    ClientNetwork.of(ctx),
                    () ->
                        factors.enrol(
                            s.staffId(),
                            factors.reopen(s.staffId(), s.pendingKeyId(), s.pendingSealed()),
                            ConsolePages.form(ctx, "code")),
                    Optional::isPresent)
                .compose(
                    recovery -> {
                      if (recovery.isEmpty()) {
                        return enrolPage(
                            ctx, 200, s, List.of(new FieldError("code", BAD_CODE)), next);
                      }
                      // shown once, in this answer only: nothing keeps them in clear
                      return signedIn(ctx, s)
                          .compose(
                              v -> {
                                Map<String, Object> p = new HashMap<>();
                                p.put("frame", pages.frame(ctx, null, "Save your recovery codes"));
                                p.put("codes", recovery.get());
                                p.put("next", next);
                                return pages.render(ctx, 200, "signin/recovery", p);
                              });
                    }));
  }

  /** Both factors are right: the half-signed-in session ends and a new one (a new id) begins. */
  private Future<Void> signedIn(RoutingContext ctx, StaffSessions.Session step) {
    return pages
        .sessions()
        .end(ConsolePages.sessionId(ctx))
        .compose(v -> pages.sessions().open(step.staffId(), StaffSessions.ACTIVE, null, null))
        .map(
            id -> {
              pages.setSessionCookie(ctx, id);
              return null;
            });
  }

  // ---- signing out ------------------------------------------------------------------------

  private Future<Void> signOut(RoutingContext ctx, StaffSessions.Session session) {
    return pages
        .sessions()
        .end(ConsolePages.sessionId(ctx))
        .compose(
            v -> {
              pages.clearSessionCookie(ctx);
              return pages.redirect(ctx, "/console/sign-in?signedOut");
            });
  }
}
