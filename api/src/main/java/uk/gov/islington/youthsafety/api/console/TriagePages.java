package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.reports.ModeratorAction;
import uk.gov.islington.youthsafety.content.reports.ReportDates;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.reports.ReportStatus;
import uk.gov.islington.youthsafety.content.reports.TriageItem;
import uk.gov.islington.youthsafety.content.reports.TriageReport;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The moderators' triage desk: the queue (live through {@link ConsoleEvents}, and complete without
 * JavaScript on a refresh), one report (its text only after "Show report text", audited like the
 * API's reads), the actions, each confirmed first where it cannot be undone, and the audit trail.
 * Everything goes through {@link ReportModeration}, the service behind the JSON operations.
 */
final class TriagePages {

  private static final int PAGE_SIZE = 25;
  private static final Set<String> CONFIRMED_FIRST = Set.of("forward", "close", "spam");

  private final ConsolePages pages;
  private final ReportModeration moderation;
  private final SecondFactors staff;
  private final ConsoleEvents events;
  private final Clock clock;

  TriagePages(
      AppContext app,
      ConsolePages pages,
      ReportModeration moderation,
      SecondFactors staff,
      Duration eventsHeartbeat) {
    this.pages = pages;
    this.moderation = moderation;
    this.staff = staff;
    this.events =
        new ConsoleEvents(
            app,
            pages.sessions(),
            eventsHeartbeat,
            "triage events",
            "content_reports_changed",
            ConsoleRoles.TRIAGE_QUEUE);
    this.clock = app.clock();
  }

  Future<Void> start() {
    return events.start();
  }

  uk.gov.islington.youthsafety.content.common.PgListener listener() {
    return events.listener();
  }

  Future<Void> stop() {
    return events.stop();
  }

  void mount(Router router) {
    router.get("/console/triage").handler(pages.page(ConsoleRoles.TRIAGE_QUEUE, this::queue));
    router
        .get("/console/triage/events")
        .handler(pages.page(ConsoleRoles.TRIAGE_QUEUE, events::subscribe));
    String report = "/console/triage/reports/:reportId";
    router.get(report).handler(pages.page(ConsoleRoles.TRIAGE_REPORT, this::report));
    router
        .get(report + "/confirm/:action")
        .handler(pages.page(ConsoleRoles.TRIAGE_ACT, this::confirm));
    router.get(report + "/route").handler(pages.page(ConsoleRoles.TRIAGE_ACT, this::route));
    router.post(report + "/actions").handler(pages.page(ConsoleRoles.TRIAGE_ACT, this::act));
    router.get(report + "/audit").handler(pages.page(ConsoleRoles.TRIAGE_AUDIT, this::audit));
  }

  // ---- the queue --------------------------------------------------------------------------

  private Future<Void> queue(RoutingContext ctx, StaffSessions.Session s) {
    String status = choice(ctx, "status", ReportStatus.ALL);
    String urgentParam = choice(ctx, "urgent", List.of("true", "false"));
    Boolean urgent = urgentParam == null ? null : Boolean.valueOf(urgentParam);
    String cursor = ctx.queryParams().get("cursor");
    return destinationNames()
        .compose(
            destinationNames -> {
              String destination =
                  choice(ctx, "destination", List.copyOf(destinationNames.keySet()));
              return queue(
                  ctx, s, status, destination, urgentParam, urgent, cursor, destinationNames);
            });
  }

  private Future<Void> queue(
      RoutingContext ctx,
      StaffSessions.Session s,
      String status,
      String destination,
      String urgentParam,
      Boolean urgent,
      String cursor,
      Map<String, String> destinationNames) {
    return ConsolePages.attempt(
            () -> moderation.list(status, destination, urgent, PAGE_SIZE, cursor))
        .recover(
            e ->
                e instanceof InvalidInput // a stale or edited cursor: the first page
                    ? moderation.list(status, destination, urgent, PAGE_SIZE, null)
                    : Future.failedFuture(e))
        .compose(
            page ->
                names(page.items().stream().map(TriageItem::claimedBy).toList())
                    .compose(
                        names -> {
                          List<TriageViews.Row> rows =
                              page.items().stream()
                                  .map(
                                      i ->
                                          new TriageViews.Row(
                                              i.id(),
                                              i.reference(),
                                              i.categoryLabel(),
                                              i.areaLabel() == null ? "Not given" : i.areaLabel(),
                                              destinationNames.getOrDefault(
                                                  i.destination(), i.destination()),
                                              i.urgent(),
                                              Labels.status(i.status()),
                                              AccountPages.age(
                                                  i.createdOn(), ReportDates.today(clock)),
                                              i.claimedBy() == null
                                                  ? null
                                                  : names.getOrDefault(
                                                      i.claimedBy(), "a former member of staff"),
                                              Labels.delivery(i.delivery()),
                                              i.awaitingModerator(),
                                              i.overdue()))
                                  .toList();
                          String filters = query(status, destination, urgentParam);
                          TriageViews.Queue view =
                              new TriageViews.Queue(
                                  rows,
                                  choices(
                                      status,
                                      ReportStatus.ALL.stream()
                                          .map(v -> new String[] {v, Labels.status(v)})
                                          .toList(),
                                      "All open"),
                                  choices(
                                      destination,
                                      destinationNames.entrySet().stream()
                                          .map(d -> new String[] {d.getKey(), d.getValue()})
                                          .toList(),
                                      "Any"),
                                  choices(
                                      urgentParam,
                                      List.of(
                                          new String[] {"true", "Urgent only"},
                                          new String[] {"false", "Not urgent"}),
                                      "Any"),
                                  page.nextCursor() == null
                                      ? null
                                      : "/console/triage?"
                                          + (filters.isEmpty() ? "" : filters + "&")
                                          + "cursor="
                                          + ConsolePages.encode(page.nextCursor()),
                                  cursor == null
                                      ? null
                                      : "/console/triage"
                                          + (filters.isEmpty() ? "" : "?" + filters),
                                  "/console/triage/events");
                          return pages.render(
                              ctx,
                              200,
                              "triage/queue",
                              Map.of("frame", pages.frame(ctx, s, "Triage"), "queue", view));
                        }));
  }

  private static String choice(RoutingContext ctx, String name, List<String> allowed) {
    String v = ctx.queryParams().get(name);
    return v != null && allowed.contains(v) ? v : null;
  }

  private static String query(String status, String destination, String urgent) {
    List<String> parts = new ArrayList<>();
    if (status != null) {
      parts.add("status=" + status);
    }
    if (destination != null) {
      parts.add("destination=" + destination);
    }
    if (urgent != null) {
      parts.add("urgent=" + urgent);
    }
    return String.join("&", parts);
  }

  private static List<TriageViews.Choice> choices(
      String selected, List<String[]> options, String anyLabel) {
    List<TriageViews.Choice> out = new ArrayList<>();
    out.add(new TriageViews.Choice("", anyLabel, selected == null));
    options.forEach(o -> out.add(new TriageViews.Choice(o[0], o[1], o[0].equals(selected))));
    return out;
  }

  // ---- one report -------------------------------------------------------------------------

  private Future<Void> report(RoutingContext ctx, StaffSessions.Session s) {
    boolean showText = "show".equals(ctx.queryParams().get("text"));
    String id = ctx.pathParam("reportId");
    Future<TriageReport> report =
        showText ? moderation.get(id, s.staffId()) : moderation.outline(id);
    return report.compose(
        r ->
            reportPage(ctx, s, r, showText, banner(ctx.queryParams().get("done")), List.of(), 200));
  }

  private Future<Void> reportPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      TriageReport r,
      boolean showText,
      String banner,
      List<FieldError> errors,
      int status) {
    Set<String> ids = new HashSet<>();
    ids.add(r.claimedBy());
    r.messages().forEach(m -> ids.add(m.staffId()));
    r.forwards().forEach(f -> ids.add(f.requestedBy()));
    return names(new ArrayList<>(ids))
        .compose(
            names ->
                destinationNames()
                    .compose(
                        destinations -> {
                          TriageViews.Report view =
                              new TriageViews.Report(
                                  r,
                                  showText,
                                  names,
                                  AccountPages.age(r.createdOn(), ReportDates.today(clock)),
                                  banner,
                                  errors,
                                  !ReportStatus.isClosed(r.status()),
                                  s.staffId().equals(r.claimedBy()),
                                  destinations);
                          return pages.render(
                              ctx,
                              status,
                              "triage/report",
                              Map.of(
                                  "frame",
                                  pages
                                      .frame(ctx, s, "Report " + r.reference())
                                      .withError(!errors.isEmpty()),
                                  "view",
                                  view));
                        }));
  }

  /** Every destination's name by its id. */
  private Future<Map<String, String>> destinationNames() {
    return moderation
        .destinations()
        .map(
            all -> {
              Map<String, String> out = new LinkedHashMap<>();
              all.forEach(d -> out.put(d.id(), d.name()));
              return out;
            });
  }

  /** The name of a destination, or its id when it has gone. */
  private Future<String> destinationName(String id) {
    return destinationNames().map(names -> names.getOrDefault(id, id));
  }

  private static String banner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "claim" -> "You have claimed this report.";
      case "unclaim" -> "The report is back in the queue, claimed by nobody.";
      case "ask" ->
          "Your question is sent. The reporter sees it when they next check their report.";
      case "forward" -> "The report is being passed on. Its delivery is shown below.";
      case "confirm_handoff" -> "The hand-off is recorded.";
      case "route" -> "The destination is changed.";
      case "close" -> "The report is closed. The reporter sees the outcome.";
      case "spam" -> "The report is marked as spam and closed.";
      default -> null;
    };
  }

  // ---- actions ----------------------------------------------------------------------------

  private Future<Void> confirm(RoutingContext ctx, StaffSessions.Session s) {
    String action = ctx.pathParam("action");
    if (!CONFIRMED_FIRST.contains(action)) {
      return Future.failedFuture(new DomainException.NotFound("no such confirmation"));
    }
    return moderation
        .outline(ctx.pathParam("reportId"))
        .compose(
            r ->
                destinationName(r.destination())
                    .compose(where -> confirmPage(ctx, s, r, action, List.of(), 200, where)));
  }

  // ---- sending a report somewhere else --------------------------------------------------------

  private Future<Void> route(RoutingContext ctx, StaffSessions.Session s) {
    return moderation
        .outline(ctx.pathParam("reportId"))
        .compose(r -> routePage(ctx, s, r, null, "", List.of(), 200));
  }

  private Future<Void> routePage(
      RoutingContext ctx,
      StaffSessions.Session s,
      TriageReport r,
      String chosen,
      String reason,
      List<FieldError> errors,
      int status) {
    return moderation
        .destinations()
        .compose(
            all -> {
              List<TriageViews.Route.Destination> choices = new ArrayList<>();
              String current = r.destination();
              for (var d : all) {
                if (d.active() && !d.id().equals(r.destination())) {
                  choices.add(
                      new TriageViews.Route.Destination(
                          d.id(),
                          d.name(),
                          "email".equals(d.channel())
                              ? "By e-mail to " + d.email()
                              : "Handed over by a moderator",
                          d.id().equals(chosen),
                          choices.isEmpty()));
                }
                if (d.id().equals(r.destination())) {
                  current = d.name();
                }
              }
              TriageViews.Route view =
                  new TriageViews.Route(
                      r.id(),
                      r.reference(),
                      current,
                      choices,
                      reason == null ? "" : reason,
                      errors);
              return pages.render(
                  ctx,
                  status,
                  "triage/route",
                  Map.of(
                      "frame",
                      pages
                          .frame(ctx, s, "Send report " + r.reference() + " somewhere else")
                          .withError(!errors.isEmpty()),
                      "route",
                      view));
            });
  }

  private Future<Void> confirmPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      TriageReport r,
      String action,
      List<FieldError> errors,
      int status,
      String where) {
    String heading =
        switch (action) {
          case "forward" ->
              "CRIMESTOPPERS".equals(r.destination())
                  ? "Pass report " + r.reference() + " to Crimestoppers?"
                  : "Forward report " + r.reference() + " to " + where + "?";
          case "close" -> "Close report " + r.reference() + "?";
          default -> "Mark report " + r.reference() + " as spam?";
        };
    String body =
        switch (action) {
          case "forward" ->
              "CRIMESTOPPERS".equals(r.destination())
                  ? "Crimestoppers' form is filled in by hand: the report page will then show the text to copy into it, and you record the reference they give you."
                  : "The report, without anything about the reporter, is e-mailed to "
                      + where
                      + ". Its delivery is shown on the report page.";
          case "close" ->
              "The reporter sees the outcome you write here when they check their report. Nobody can act on the report once it is closed.";
          default ->
              "Use this for reports nobody can act on. The reporter is told that we could not act on it, and nobody can act on the report afterwards.";
        };
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Report " + r.reference());
    p.put("heading", heading);
    p.put("body", body);
    p.put("action", "/console/triage/reports/" + r.id() + "/actions");
    p.put("hidden", new LinkedHashMap<>(Map.of("action", action, "confirmed", "yes")));
    p.put("textField", "close".equals(action) ? "outcome" : null);
    p.put("textLabel", "close".equals(action) ? "Outcome the reporter will see" : null);
    p.put(
        "textHint",
        "close".equals(action)
            ? "For example: We passed your concern to the school's safeguarding lead."
            : null);
    p.put(
        "button",
        switch (action) {
          case "forward" ->
              "CRIMESTOPPERS".equals(r.destination())
                  ? "Pass to Crimestoppers"
                  : "Forward to " + where;
          case "close" -> "Close the report";
          default -> "Mark as spam";
        });
    p.put("warning", !"forward".equals(action));
    p.put("cancel", "/console/triage/reports/" + r.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private Future<Void> act(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("reportId");
    String action = ConsolePages.form(ctx, "action");
    if (action == null || !ModeratorAction.ACTIONS.contains(action)) {
      return pages.errorPage(
          ctx,
          400,
          "This action is not known",
          "Go back to the report and try again.",
          "/console/triage/reports/" + id,
          "Back to the report");
    }
    if (CONFIRMED_FIRST.contains(action) && !"yes".equals(ConsolePages.form(ctx, "confirmed"))) {
      return pages.redirect(ctx, "/console/triage/reports/" + id + "/confirm/" + action);
    }
    ModeratorAction a =
        new ModeratorAction(
            action,
            ConsolePages.form(ctx, "destination"),
            blankToNull(ConsolePages.form(ctx, "message")),
            blankToNull(ConsolePages.form(ctx, "outcome")),
            blankToNull(ConsolePages.form(ctx, "externalReference")),
            blankToNull(ConsolePages.form(ctx, "reason")));
    return ConsolePages.attempt(() -> moderation.act(id, s.staffId(), a))
        .compose(r -> pages.redirect(ctx, "/console/triage/reports/" + id + "?done=" + action))
        .recover(
            e -> {
              if (e instanceof InvalidInput invalid) {
                List<FieldError> errors =
                    invalid.errors().stream()
                        .map(f -> new FieldError(f.field(), message(f.field(), f.message())))
                        .toList();
                return moderation
                    .outline(id)
                    .compose(
                        r ->
                            switch (action) {
                              case "close" ->
                                  destinationName(r.destination())
                                      .compose(
                                          where ->
                                              confirmPage(ctx, s, r, action, errors, 400, where));
                              case "route" ->
                                  routePage(ctx, s, r, a.destination(), a.reason(), errors, 400);
                              default -> reportPage(ctx, s, r, false, null, errors, 400);
                            });
              }
              if (e instanceof DomainException.Conflict conflict) {
                // someone else acted meanwhile (closed it, forwarded it): say so, change nothing
                return moderation
                    .outline(id)
                    .compose(
                        r ->
                            reportPage(
                                ctx,
                                s,
                                r,
                                false,
                                null,
                                List.of(
                                    new FieldError(
                                        null,
                                        ReportStatus.isClosed(r.status())
                                            ? "Someone else closed this report while you were working on it. Nothing you sent was saved."
                                            : conflict.getMessage()
                                                + " Nothing you sent was saved.")),
                                409));
              }
              return Future.failedFuture(e);
            });
  }

  private static String message(String field, String message) {
    return switch (field) {
      case "message" -> "Enter the question the reporter will see";
      case "outcome" -> "Enter the outcome the reporter will see";
      case "destination" -> "Choose where the report should go";
      case "reason" -> "Enter why the report goes there instead";
      default -> "The " + field + " " + message;
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  // ---- the audit trail --------------------------------------------------------------------

  private Future<Void> audit(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("reportId");
    return moderation
        .outline(id)
        .compose(
            r ->
                moderation
                    .auditTrail(id)
                    .compose(
                        entries ->
                            names(entries.stream().map(TriageReport.AuditEntry::staffId).toList())
                                .compose(
                                    names ->
                                        pages.render(
                                            ctx,
                                            200,
                                            "triage/audit",
                                            Map.of(
                                                "frame",
                                                pages.frame(
                                                    ctx,
                                                    s,
                                                    "Audit trail of report " + r.reference()),
                                                "view",
                                                new TriageViews.Audit(
                                                    r.id(),
                                                    r.reference(),
                                                    entries,
                                                    names,
                                                    ConsoleRoles.allows(
                                                        ConsoleRoles.TRIAGE_REPORT,
                                                        s.roles())))))));
  }

  private Future<Map<String, String>> names(List<String> staffIds) {
    List<String> ids = staffIds.stream().filter(java.util.Objects::nonNull).distinct().toList();
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return staff
        .badges(ids)
        .map(
            badges -> {
              Map<String, String> out = new HashMap<>();
              badges.forEach((id, b) -> out.put(id, b.username()));
              return out;
            });
  }
}
