package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.havens.HavenApplication;
import uk.gov.islington.youthsafety.content.havens.HavenApplications;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The editors' pages for applications to join the scheme: the queue (pending first, or any status),
 * an application's page with the applicant's contact details and how long they are kept, and
 * approve or reject (with a reason), each a call of {@link HavenApplications#decide} as
 * decideHavenApplication makes it. Approval publishes the haven in the same transaction.
 */
final class ApplicationPages {

  private final ConsolePages pages;
  private final HavenApplications applications;
  private final Duration contactRetention;
  private final Duration pendingRetention;

  ApplicationPages(
      ConsolePages pages,
      HavenApplications applications,
      Duration contactRetention,
      Duration pendingRetention) {
    this.pages = pages;
    this.applications = applications;
    this.contactRetention = contactRetention;
    this.pendingRetention = pendingRetention;
  }

  void mount(Router router) {
    router.get("/console/applications").handler(pages.page(ConsoleRoles.APPLICATIONS, this::queue));
    router
        .get("/console/applications/:applicationId")
        .handler(pages.page(ConsoleRoles.APPLICATION, this::show));
    router
        .get("/console/applications/:applicationId/approve")
        .handler(
            pages.page(
                ConsoleRoles.APPLICATION_DECIDE,
                (ctx, s) ->
                    pending(ctx).compose(a -> confirm(ctx, s, a, true, List.of(), "", 200))));
    router
        .get("/console/applications/:applicationId/reject")
        .handler(
            pages.page(
                ConsoleRoles.APPLICATION_DECIDE,
                (ctx, s) ->
                    pending(ctx).compose(a -> confirm(ctx, s, a, false, List.of(), "", 200))));
    router
        .post("/console/applications/:applicationId/approve")
        .handler(pages.page(ConsoleRoles.APPLICATION_DECIDE, (ctx, s) -> decide(ctx, s, true)));
    router
        .post("/console/applications/:applicationId/reject")
        .handler(pages.page(ConsoleRoles.APPLICATION_DECIDE, (ctx, s) -> decide(ctx, s, false)));
  }

  private static final List<String> STATUSES =
      List.of(
          HavenApplication.PENDING,
          HavenApplication.APPROVED,
          HavenApplication.REJECTED,
          HavenApplication.EXPIRED);

  // ---- the queue --------------------------------------------------------------------------

  private Future<Void> queue(RoutingContext ctx, StaffSessions.Session s) {
    String asked = ctx.queryParams().get("status");
    String status = asked == null ? HavenApplication.PENDING : asked;
    String filter = STATUSES.contains(status) ? status : null;
    String cursor = ctx.queryParams().get("cursor");
    String base = "/console/applications?status=" + (filter == null ? "all" : filter);
    return ConsolePages.attempt(() -> applications.list(filter, HavenPages.PAGE_SIZE, cursor))
        .recover(
            e ->
                e instanceof InvalidInput
                    ? applications.list(filter, HavenPages.PAGE_SIZE, null)
                    : Future.failedFuture(e))
        .compose(
            page -> {
              List<HavenViews.ApplicationRow> rows =
                  page.items().stream()
                      .map(
                          a ->
                              new HavenViews.ApplicationRow(
                                  a.id(),
                                  a.premises().name(),
                                  a.premises().postcode(),
                                  HavenPages.label(a.premises().category()),
                                  Labels.when(a.submittedAt()),
                                  HavenPages.label(a.status())))
                      .toList();
              List<HavenViews.Option> statuses = new ArrayList<>();
              STATUSES.forEach(
                  st ->
                      statuses.add(
                          new HavenViews.Option(st, HavenPages.label(st), st.equals(filter))));
              statuses.add(new HavenViews.Option("all", "All", filter == null));
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, "Applications to join"));
              p.put("rows", rows);
              p.put("statuses", statuses);
              p.put(
                  "nextUrl",
                  page.nextCursor() == null
                      ? null
                      : base + "&cursor=" + ConsolePages.encode(page.nextCursor()));
              p.put("firstUrl", cursor == null ? null : base);
              p.put("retention", retention());
              return pages.render(ctx, 200, "applications/queue", p);
            });
  }

  /** The retention rule, from the settings that the retention job enforces. */
  private String retention() {
    return "The applicant's contact details are deleted "
        + HavenPages.days(contactRetention)
        + " after the application is approved or rejected. An application nobody decides within "
        + HavenPages.days(pendingRetention)
        + " expires, and its contact details are deleted then. The premises' details stay.";
  }

  // ---- one application --------------------------------------------------------------------

  private Future<Void> show(RoutingContext ctx, StaffSessions.Session s) {
    return applications
        .get(ctx.pathParam("applicationId"))
        .compose(
            a -> {
              boolean pending = HavenApplication.PENDING.equals(a.status());
              List<HavenViews.Line> contact = new ArrayList<>();
              if (a.contactPurgedAt() == null) {
                contact.add(new HavenViews.Line("Name", Objects.toString(a.contactName(), "")));
                contact.add(new HavenViews.Line("E-mail", Objects.toString(a.contactEmail(), "")));
                contact.add(new HavenViews.Line("Phone", Objects.toString(a.contactPhone(), "")));
              }
              List<HavenViews.Line> decision = new ArrayList<>();
              if (!pending) {
                decision.add(new HavenViews.Line("Decision", HavenPages.label(a.status())));
                decision.add(new HavenViews.Line("When", Labels.when(a.decidedAt())));
                if (a.decisionReason() != null) {
                  decision.add(new HavenViews.Line("Reason", a.decisionReason()));
                }
              }
              HavenViews.Application view =
                  new HavenViews.Application(
                      a.id(),
                      a.premises().name(),
                      HavenPages.label(a.status()),
                      pending,
                      HavenPages.premises(a.premises(), false),
                      HavenPages.weekly(a.premises().hours()),
                      contact,
                      a.contactPurgedAt() == null
                          ? null
                          : "Deleted on "
                              + Labels.when(a.contactPurgedAt())
                              + ", under the retention rule below.",
                      retention(),
                      decision,
                      a.havenId(),
                      banner(ctx.queryParams().get("done")));
              return pages.render(
                  ctx,
                  200,
                  "applications/show",
                  Map.of(
                      "frame",
                      pages.frame(ctx, s, "Application: " + a.premises().name()),
                      "view",
                      view));
            });
  }

  private static String banner(String done) {
    if ("approved".equals(done)) {
      return "The application is approved: the Safe Haven is published and the app shows it now.";
    }
    if ("rejected".equals(done)) {
      return "The application is rejected, with your reason.";
    }
    return null;
  }

  // ---- approve and reject -----------------------------------------------------------------

  /** The application, when it still waits for a decision; its page otherwise. */
  private Future<HavenApplication> pending(RoutingContext ctx) {
    return applications.get(ctx.pathParam("applicationId"));
  }

  private Future<Void> confirm(
      RoutingContext ctx,
      StaffSessions.Session s,
      HavenApplication a,
      boolean approve,
      List<FieldError> errors,
      String reason,
      int status) {
    if (!HavenApplication.PENDING.equals(a.status())) {
      return decided(ctx, a);
    }
    String name = a.premises().name();
    String heading = (approve ? "Approve " : "Reject ") + name + "?";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Applications to join");
    p.put("heading", heading);
    p.put(
        "body",
        approve
            ? "This publishes "
                + name
                + " as a Safe Haven at once, with the details and opening hours in the application:"
                + " young people will find it in the app. Visit the premises before you approve."
            : "The application stays on record as rejected, with your reason; nothing is published.");
    p.put("action", "/console/applications/" + a.id() + (approve ? "/approve" : "/reject"));
    p.put("hidden", Map.of());
    p.put("textField", approve ? null : "reason");
    p.put("textLabel", approve ? null : "Why is it rejected?");
    p.put("textHint", approve ? null : "Editors see this reason.");
    p.put("textValue", reason);
    p.put("button", approve ? "Approve and publish" : "Reject application");
    p.put("warning", false);
    p.put("cancel", "/console/applications/" + a.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private Future<Void> decided(RoutingContext ctx, HavenApplication a) {
    return pages.errorPage(
        ctx,
        409,
        "This application is already decided",
        "It was " + a.status() + " on " + Labels.when(a.decidedAt()) + ". Nothing was changed.",
        "/console/applications/" + a.id(),
        "Back to the application");
  }

  private Future<Void> decide(RoutingContext ctx, StaffSessions.Session s, boolean approve) {
    String id = ctx.pathParam("applicationId");
    String reason = Objects.requireNonNullElse(ConsolePages.form(ctx, "reason"), "");
    return applications
        .get(id)
        .compose(
            a ->
                applications
                    .decide(
                        id,
                        approve ? HavenApplications.APPROVE : HavenApplications.REJECT,
                        approve ? null : reason,
                        s.staffId())
                    .compose(
                        d ->
                            pages.redirect(
                                ctx,
                                "/console/applications/"
                                    + id
                                    + "?done="
                                    + (approve ? "approved" : "rejected")))
                    .recover(
                        e -> {
                          if (e instanceof InvalidInput) {
                            return confirm(
                                ctx,
                                s,
                                a,
                                approve,
                                List.of(new FieldError("reason", "Enter why it is rejected")),
                                reason,
                                400);
                          }
                          if (e instanceof DomainException.Conflict) {
                            return applications.get(id).compose(now -> decided(ctx, now));
                          }
                          return Future.failedFuture(e);
                        }));
  }
}
