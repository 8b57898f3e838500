package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import uk.gov.islington.youthsafety.api.staff.StaffFeature;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffMember;
import uk.gov.islington.youthsafety.content.staff.StaffService;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;
import uk.gov.islington.youthsafety.content.staff.StaffUpdate;

/**
 * The admins' staff pages: the list, a new account, one person (roles, disabled or not, second
 * factor, sessions, what was done by and to them), and the audit of account changes. Every change
 * goes through {@link StaffFeature}, as updateStaff does, so that it ends the person's sessions and
 * tokens on every instance and is audited in the same transaction.
 */
final class StaffPages {

  private static final int AUDIT_PAGE = 50;
  private static final List<String> ROLE_ORDER =
      List.of("moderator", "youth_council", "editor", "admin");
  private static final Map<String, String> ROLE_HINTS =
      Map.of(
          "moderator", "Triage anonymous reports",
          "youth_council", "Write consultations and publish their results",
          "editor", "Safe Havens, events, bulletins and the support directory",
          "admin", "Staff accounts, and the audit trails");

  private final ConsolePages pages;
  private final StaffFeature feature;
  private final StaffService staff;
  private final SecondFactors factors;
  private final ReportModeration moderation;

  StaffPages(ConsolePages pages, StaffFeature feature, ReportModeration moderation) {
    this.pages = pages;
    this.feature = feature;
    this.staff = feature.staff();
    this.factors = feature.secondFactors();
    this.moderation = moderation;
  }

  void mount(Router router) {
    router.get("/console/staff").handler(pages.page(ConsoleRoles.STAFF_LIST, this::list));
    router
        .get("/console/staff/new")
        .handler(
            pages.page(
                ConsoleRoles.STAFF_CREATE,
                (ctx, s) -> newPage(ctx, s, 200, List.of(), "", Set.of())));
    router.post("/console/staff/new").handler(pages.page(ConsoleRoles.STAFF_CREATE, this::create));
    router.get("/console/staff/audit").handler(pages.page(ConsoleRoles.STAFF_AUDIT, this::audit));
    router
        .get("/console/staff/:staffId")
        .handler(pages.page(ConsoleRoles.STAFF_PERSON, this::person));
    router
        .get("/console/staff/:staffId/roles")
        .handler(
            pages.page(
                ConsoleRoles.STAFF_UPDATE,
                (ctx, s) ->
                    staff
                        .get(ctx.pathParam("staffId"))
                        .compose(
                            m -> rolesPage(ctx, s, m, 200, List.of(), Set.copyOf(m.roles())))));
    router
        .post("/console/staff/:staffId/roles")
        .handler(pages.page(ConsoleRoles.STAFF_UPDATE, this::changeRoles));
    router
        .get("/console/staff/:staffId/disable")
        .handler(pages.page(ConsoleRoles.STAFF_UPDATE, (ctx, s) -> confirmStatus(ctx, s, true)));
    router
        .get("/console/staff/:staffId/enable")
        .handler(pages.page(ConsoleRoles.STAFF_UPDATE, (ctx, s) -> confirmStatus(ctx, s, false)));
    router
        .post("/console/staff/:staffId/status")
        .handler(pages.page(ConsoleRoles.STAFF_UPDATE, this::changeStatus));
    router
        .get("/console/staff/:staffId/second-factor")
        .handler(pages.page(ConsoleRoles.STAFF_RESET_SECOND_FACTOR, this::confirmReset));
    router
        .post("/console/staff/:staffId/second-factor")
        .handler(pages.page(ConsoleRoles.STAFF_RESET_SECOND_FACTOR, this::reset));
    router
        .post("/console/staff/:staffId/sessions")
        .handler(pages.page(ConsoleRoles.STAFF_UPDATE, this::endSessions));
  }

  // ---- the list ---------------------------------------------------------------------------

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    return staff
        .list(null, 100, null)
        .compose(
            page -> {
              List<StaffMember> members = page.items();
              return factors
                  .badges(members.stream().map(StaffMember::id).toList())
                  .compose(
                      badges -> {
                        List<StaffViews.Row> rows =
                            members.stream()
                                .map(
                                    m ->
                                        new StaffViews.Row(
                                            m.id(),
                                            m.username(),
                                            Labels.roles(m.roles()),
                                            m.disabled(),
                                            badges.containsKey(m.id())
                                                && badges.get(m.id()).enrolled(),
                                            m.id().equals(s.staffId())))
                                .toList();
                        Map<String, Object> p = new HashMap<>();
                        p.put("frame", pages.frame(ctx, s, "Staff accounts"));
                        p.put("staff", rows);
                        p.put("more", page.nextCursor() != null);
                        return pages.render(ctx, 200, "staff/list", p);
                      });
            });
  }

  // ---- a new account ----------------------------------------------------------------------

  private Future<Void> newPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      int status,
      List<FieldError> errors,
      String username,
      Set<String> roles) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, "Create a staff account").withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("username", username);
    p.put("roles", roleChoices(roles));
    return pages.render(ctx, status, "staff/new", p);
  }

  private Future<Void> create(RoutingContext ctx, StaffSessions.Session s) {
    String username = Objects.requireNonNullElse(ConsolePages.form(ctx, "username"), "");
    String password = ctx.request().getFormAttribute("password");
    List<String> roles = chosenRoles(ctx);
    return ConsolePages.attempt(
            () ->
                staff.create(
                    s.staffId(),
                    username.isEmpty() ? null : username,
                    password == null || password.isEmpty() ? null : password,
                    roles))
        .compose(m -> pages.redirect(ctx, "/console/staff/" + m.id() + "?done=created"))
        .recover(
            e -> {
              List<FieldError> errors = new ArrayList<>();
              if (e instanceof InvalidInput invalid) {
                invalid.errors().forEach(f -> errors.add(staffError(f.field(), f.message())));
              } else if (e instanceof DomainException.Conflict) {
                errors.add(
                    new FieldError(
                        "username", "There is already a staff account with this username"));
              } else {
                return Future.failedFuture(e);
              }
              return newPage(ctx, s, 400, dedupe(errors), username, Set.copyOf(roles));
            });
  }

  private static FieldError staffError(String field, String message) {
    if (field.startsWith("roles")) {
      return new FieldError("roles", "Select at least one role");
    }
    return switch (field) {
      case "username" ->
          new FieldError(
              "username",
              message.startsWith("is required")
                  ? "Enter a username"
                  : "Enter a username of 3 to 254 letters, digits or . _ @ + -, starting with a letter or digit");
      case "password" ->
          new FieldError(
              "password",
              message.startsWith("is required")
                  ? "Enter a first password"
                  : "The first password " + message);
      default -> new FieldError(null, "The " + field + " " + message);
    };
  }

  // ---- one person -------------------------------------------------------------------------

  private Future<Void> person(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("staffId");
    return staff
        .get(id)
        .compose(
            m ->
                Future.all(
                        factors.badges(List.of(id)),
                        pages.sessions().of(id),
                        staff.audit(id, 10, null),
                        moderation.auditByStaff(id, 10))
                    .compose(
                        all -> {
                          Map<String, SecondFactors.Badge> badge = all.resultAt(0);
                          List<StaffSessions.Listed> sessions = all.resultAt(1);
                          uk.gov.islington.youthsafety.content.common.Page<StaffService.AuditEntry>
                              changes = all.resultAt(2);
                          List<ReportModeration.StaffAction> actions = all.resultAt(3);
                          String mine = StaffSessions.handleOf(ConsolePages.sessionId(ctx));
                          return lines(changes.items())
                              .map(
                                  lines -> {
                                    List<StaffViews.Session> rows =
                                        sessions.stream()
                                            .map(
                                                x ->
                                                    new StaffViews.Session(
                                                        x.handle(),
                                                        Labels.when(x.createdAt()),
                                                        Labels.when(x.lastSeenAt()),
                                                        x.active()
                                                            ? "Signed in"
                                                            : "Signing in (password given, code not yet)",
                                                        x.handle().equals(mine)))
                                            .toList();
                                    List<StaffViews.Line> reportLines =
                                        actions.stream()
                                            .map(
                                                a ->
                                                    new StaffViews.Line(
                                                        Labels.when(a.at()),
                                                        m.username(),
                                                        Labels.action(a.action())
                                                            + " – report "
                                                            + a.reference()))
                                            .toList();
                                    return new StaffViews.Person(
                                        m,
                                        Labels.roles(m.roles()),
                                        badge.containsKey(id) && badge.get(id).enrolled(),
                                        id.equals(s.staffId()),
                                        rows,
                                        lines,
                                        reportLines,
                                        banner(ctx.queryParams().get("done")));
                                  });
                        }))
        .compose(
            view ->
                pages.render(
                    ctx,
                    200,
                    "staff/person",
                    Map.of("frame", pages.frame(ctx, s, view.member().username()), "view", view)));
  }

  private static String banner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "created" ->
          "The account is created. Give them the first password by a safe route: they set up their"
              + " authenticator app at their first sign-in.";
      case "roles" ->
          "The roles are changed. Their sessions have ended: they sign in again to use the new roles.";
      case "disabled" -> "The account is disabled. Its sessions and tokens have ended.";
      case "enabled" -> "The account is enabled. They can sign in again.";
      case "reset" ->
          "The second factor is reset. They will set it up again at their next sign-in.";
      case "sessions" -> "Their sessions have ended, and the tokens they had stopped working.";
      case "session" -> "The session has ended.";
      default -> null;
    };
  }

  // ---- roles ------------------------------------------------------------------------------

  private Future<Void> rolesPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      StaffMember m,
      int status,
      List<FieldError> errors,
      Set<String> roles) {
    Map<String, Object> p = new HashMap<>();
    p.put(
        "frame",
        pages.frame(ctx, s, "Change the roles of " + m.username()).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("member", m);
    p.put("roles", roleChoices(roles));
    p.put("self", m.id().equals(s.staffId()));
    return pages.render(ctx, status, "staff/roles", p);
  }

  private Future<Void> changeRoles(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("staffId");
    List<String> roles = chosenRoles(ctx);
    return staff
        .get(id)
        .compose(
            m ->
                ConsolePages.attempt(
                        () -> feature.update(s.staffId(), id, new StaffUpdate(roles, null, null)))
                    .compose(
                        changed ->
                            pages.redirect(
                                ctx,
                                id.equals(s.staffId()) && changed.tokensNotBefore() != null
                                    // their own roles changed: this session ended with the others
                                    ? "/console/sign-in"
                                    : "/console/staff/" + id + "?done=roles"))
                    .recover(
                        e -> {
                          if (e instanceof InvalidInput) {
                            return rolesPage(
                                ctx,
                                s,
                                m,
                                400,
                                List.of(new FieldError("roles", "Select at least one role")),
                                Set.copyOf(roles));
                          }
                          if (e instanceof DomainException.Conflict) {
                            return rolesPage(
                                ctx,
                                s,
                                m,
                                409,
                                List.of(
                                    new FieldError(
                                        "roles",
                                        "This is the last active admin account: "
                                            + "make someone else an admin first")),
                                Set.copyOf(roles));
                          }
                          return Future.failedFuture(e);
                        }));
  }

  // ---- disable and enable -----------------------------------------------------------------

  private Future<Void> confirmStatus(RoutingContext ctx, StaffSessions.Session s, boolean disable) {
    String id = ctx.pathParam("staffId");
    return staff.get(id).compose(m -> confirmStatusPage(ctx, s, m, disable, List.of(), 200));
  }

  private Future<Void> confirmStatusPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      StaffMember m,
      boolean disable,
      List<FieldError> errors,
      int status) {
    String heading =
        (disable ? "Disable the account " : "Enable the account ") + m.username() + "?";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Staff accounts");
    p.put("heading", heading);
    p.put(
        "body",
        disable
            ? "They will be signed out of the console at once, on every device, their API tokens will stop working, and"
                + " they will not be able to sign in. Their name stays on everything they did. You can enable the account"
                + " again later."
            : "They will be able to sign in again with their password and second factor, with the roles "
                + Labels.roles(m.roles())
                + ".");
    p.put("action", "/console/staff/" + m.id() + "/status");
    p.put("hidden", new LinkedHashMap<>(Map.of("disabled", disable ? "yes" : "no")));
    p.put("textField", null);
    p.put("textLabel", null);
    p.put("textHint", null);
    p.put("button", disable ? "Disable account" : "Enable account");
    p.put("warning", false);
    p.put("cancel", "/console/staff/" + m.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private Future<Void> changeStatus(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("staffId");
    String disabled = ConsolePages.form(ctx, "disabled");
    if (!"yes".equals(disabled) && !"no".equals(disabled)) {
      return pages.errorPage(
          ctx,
          400,
          "This change is not known",
          "Go back to the account and try again.",
          "/console/staff/" + id,
          "Back to the account");
    }
    boolean disable = "yes".equals(disabled);
    return staff
        .get(id)
        .compose(
            m ->
                feature
                    .update(s.staffId(), id, new StaffUpdate(null, null, disable))
                    .compose(
                        changed ->
                            pages.redirect(
                                ctx,
                                "/console/staff/"
                                    + id
                                    + "?done="
                                    + (disable ? "disabled" : "enabled")))
                    .recover(
                        e ->
                            e instanceof DomainException.Conflict
                                ? confirmStatusPage(
                                    ctx,
                                    s,
                                    m,
                                    disable,
                                    List.of(
                                        new FieldError(
                                            null,
                                            "This is the last active admin account: make someone else an admin before disabling it.")),
                                    409)
                                : Future.failedFuture(e)));
  }

  // ---- second factor ----------------------------------------------------------------------

  private Future<Void> confirmReset(RoutingContext ctx, StaffSessions.Session s) {
    String staffId = ctx.pathParam("staffId");
    return staff
        .get(staffId)
        .compose(
            m -> {
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, "Reset the second factor of " + m.username()));
              p.put("errors", List.of());
              p.put("caption", "Staff accounts");
              p.put("heading", "Reset the second factor of " + m.username() + "?");
              p.put(
                  "body",
                  "They will be signed out everywhere, their recovery codes will stop working, and they will set up"
                      + " an authenticator app again at their next sign-in. Do this only when you are sure who asked.");
              p.put("action", "/console/staff/" + staffId + "/second-factor");
              p.put("hidden", Map.of());
              p.put("textField", null);
              p.put("textLabel", null);
              p.put("textHint", null);
              p.put("button", "Reset second factor");
              p.put("warning", true);
              p.put("cancel", "/console/staff/" + staffId);
              return pages.render(ctx, 200, "confirm", p);
            });
  }

  private Future<Void> reset(RoutingContext ctx, StaffSessions.Session s) {
    String staffId = ctx.pathParam("staffId");
    return feature
        .resetSecondFactor(s.staffId(), staffId)
        .compose(v -> pages.redirect(ctx, "/console/staff/" + staffId + "?done=reset"));
  }

  // ---- sessions ---------------------------------------------------------------------------

  /**
   * Ends one session ({@code session} names its handle) or, with {@code session=all}, every one and
   * the tokens.
   */
  private Future<Void> endSessions(RoutingContext ctx, StaffSessions.Session s) {
    String staffId = ctx.pathParam("staffId");
    String which = ConsolePages.form(ctx, "session");
    if ("all".equals(which)) {
      return feature
          .endSessions(s.staffId(), staffId)
          .compose(
              v ->
                  staffId.equals(s.staffId())
                      ? pages.redirect(ctx, "/console/sign-in")
                      : pages.redirect(ctx, "/console/staff/" + staffId + "?done=sessions"));
    }
    return staff
        .get(staffId)
        .compose(m -> pages.sessions().endOne(s.staffId(), staffId, which))
        .compose(ended -> pages.redirect(ctx, "/console/staff/" + staffId + "?done=session"));
  }

  // ---- the audit of account changes -------------------------------------------------------

  private Future<Void> audit(RoutingContext ctx, StaffSessions.Session s) {
    String person = ctx.queryParams().get("staffId");
    String cursor = ctx.queryParams().get("cursor");
    Future<StaffMember> narrowed =
        person == null || person.isBlank() ? Future.succeededFuture(null) : staff.get(person);
    return narrowed.compose(
        m ->
            staff
                .audit(m == null ? null : m.id(), AUDIT_PAGE, cursor)
                .recover(
                    e ->
                        e instanceof InvalidInput // a stale or edited cursor: the newest page
                            ? staff.audit(m == null ? null : m.id(), AUDIT_PAGE, null)
                            : Future.failedFuture(e))
                .compose(
                    page ->
                        lines(page.items())
                            .compose(
                                lines -> {
                                  String base =
                                      "/console/staff/audit"
                                          + (m == null
                                              ? ""
                                              : "?staffId=" + ConsolePages.encode(m.id()));
                                  String sep = m == null ? "?" : "&";
                                  StaffViews.Audit view =
                                      new StaffViews.Audit(
                                          lines,
                                          m == null ? null : m.username(),
                                          m == null ? null : m.id(),
                                          page.nextCursor() == null
                                              ? null
                                              : base
                                                  + sep
                                                  + "cursor="
                                                  + ConsolePages.encode(page.nextCursor()),
                                          cursor == null ? null : base);
                                  return pages.render(
                                      ctx,
                                      200,
                                      "staff/audit",
                                      Map.of(
                                          "frame",
                                          pages.frame(ctx, s, "Audit of staff accounts"),
                                          "view",
                                          view));
                                })));
  }

  /**
   * Audit entries in words, with usernames for ids ("the service" for changes made from its
   * settings).
   */
  private Future<List<StaffViews.Line>> lines(List<StaffService.AuditEntry> entries) {
    Set<String> ids = new TreeSet<>();
    entries.forEach(
        e -> {
          if (e.actorId() != null) {
            ids.add(e.actorId());
          }
          ids.add(e.staffId());
        });
    Future<Map<String, SecondFactors.Badge>> names =
        ids.isEmpty() ? Future.succeededFuture(Map.of()) : factors.badges(List.copyOf(ids));
    return names.map(
        badges ->
            entries.stream()
                .map(
                    e -> {
                      String who = e.actorId() == null ? "The service" : name(badges, e.actorId());
                      String whom = name(badges, e.staffId());
                      return new StaffViews.Line(
                          Labels.when(e.at()),
                          who,
                          Labels.staffChange(e.action(), who, whom, e.roles(), e.rolesBefore()));
                    })
                .toList());
  }

  private static String name(Map<String, SecondFactors.Badge> badges, String id) {
    SecondFactors.Badge b = badges.get(id);
    // a staff token made outside any account (tests, tools) names no username
    return b == null ? "an account not on record" : b.username();
  }

  // ---- shared -----------------------------------------------------------------------------

  private static List<String> chosenRoles(RoutingContext ctx) {
    return ctx.request().formAttributes().getAll("roles").stream()
        .map(String::strip)
        .distinct()
        .toList();
  }

  private static List<Choice> roleChoices(Set<String> chosen) {
    return ROLE_ORDER.stream()
        .map(r -> new Choice(r, Labels.role(r), chosen.contains(r), ROLE_HINTS.get(r)))
        .toList();
  }

  private static List<FieldError> dedupe(List<FieldError> errors) {
    Map<String, FieldError> byField = new LinkedHashMap<>();
    errors.forEach(e -> byField.putIfAbsent(String.valueOf(e.field()), e));
    return List.copyOf(byField.values());
  }
}
