package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.api.http.ClientNetwork;
import uk.gov.islington.youthsafety.api.staff.LoginThrottle;
import uk.gov.islington.youthsafety.api.staff.StaffFeature;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.reports.ReportDates;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;
import uk.gov.islington.youthsafety.content.staff.StaffUpdate;

/** The home page (each role's work) and "change my password". */
final class AccountPages {

  private final ConsolePages pages;
  private final StaffFeature staff;
  private final ReportModeration moderation;
  private final LoginThrottle throttle;
  private final Clock clock;

  AccountPages(ConsolePages pages, StaffFeature staff, ReportModeration moderation, Clock clock) {
    this.pages = pages;
    this.staff = staff;
    this.moderation = moderation;
    this.throttle = staff.throttle();
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/console").handler(pages.page(ConsoleRoles.HOME, this::home));
    router.get("/console/").handler(pages.page(ConsoleRoles.HOME, this::home));
    router
        .get("/console/account/password")
        .handler(
            pages.page(ConsoleRoles.CHANGE_PASSWORD, (ctx, s) -> passwordPage(ctx, s, List.of())));
    router
        .post("/console/account/password")
        .handler(pages.page(ConsoleRoles.CHANGE_PASSWORD, this::changePassword));
  }

  // ---- home -------------------------------------------------------------------------------

  private Future<Void> home(RoutingContext ctx, StaffSessions.Session s) {
    boolean triage = ConsoleRoles.allows(ConsoleRoles.TRIAGE_QUEUE, s.roles());
    boolean admin = ConsoleRoles.allows(ConsoleRoles.STAFF_LIST, s.roles());
    boolean council = ConsoleRoles.allows(ConsoleRoles.CONSULTATIONS, s.roles());
    boolean others = s.roles().contains("editor");
    Future<ReportModeration.QueueSummary> queue =
        triage ? moderation.summary() : Future.succeededFuture(null);
    return queue.compose(
        q ->
            pages.render(
                ctx,
                200,
                "home",
                Map.of(
                    "frame",
                    pages.frame(ctx, s, "Your work"),
                    "home",
                    new HomeView(
                        q,
                        q == null ? "" : age(q.oldest(), ReportDates.today(clock)),
                        admin,
                        council,
                        others))));
  }

  /** How long since {@code day}, in words: reports carry a day, never a time. */
  static String age(LocalDate day, LocalDate today) {
    if (day == null) {
      return "none";
    }
    long days = ChronoUnit.DAYS.between(day, today);
    return days <= 0 ? "today" : days == 1 ? "1 day" : days + " days";
  }

  // ---- change my password ------------------------------------------------------------------

  /** The form, answered 200 with its errors (if any) shown against their fields. */
  private Future<Void> passwordPage(
      RoutingContext ctx, StaffSessions.Session s, List<FieldError> errors) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, "Change your password").withError(!errors.isEmpty()));
    p.put("errors", errors);
    return pages.render(ctx, 200, "account/password", p);
  }

  private Future<Void> changePassword(RoutingContext ctx, StaffSessions.Session s) {
    String current = ctx.request().getFormAttribute("current");
    String password = ctx.request().getFormAttribute("password");
    String confirm = ctx.request().getFormAttribute("confirm");
    if (password == null || password.isEmpty()) {
      return passwordPage(ctx, s, List.of(new FieldError("password", "Enter a new password")));
    }
    if (!password.equals(confirm)) {
      return passwordPage(
          ctx, s, List.of(new FieldError("confirm", "Enter the same new password twice")));
    }
    return throttle
        .password(
            staff.staff(), s.username(), current == null ? "" : current, ClientNetwork.of(ctx))
        .compose(
            found -> {
              if (found.isEmpty()) {
                return passwordPage(
                    ctx,
                    s,
                    List.of(new FieldError("current", "Enter your current password correctly")));
              }
              return staff
                  .update(s.staffId(), s.staffId(), new StaffUpdate(null, password, null))
                  .compose(
                      changed -> {
                        // the change ended every session of the account, this one too
                        pages.clearSessionCookie(ctx);
                        return pages.redirect(ctx, "/console/sign-in?passwordChanged");
                      })
                  .recover(
                      e ->
                          e instanceof InvalidInput invalid
                              ? passwordPage(
                                  ctx,
                                  s,
                                  invalid.errors().stream()
                                      .map(
                                          f ->
                                              new FieldError(
                                                  "password", "The new password " + f.message()))
                                      .toList())
                              : Future.failedFuture(e));
            });
  }
}
