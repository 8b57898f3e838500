package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.HavenInput;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The editors' Safe Haven pages: the list (search, filters, pages), those due for re-verification,
 * a haven's page, create and edit (with the week's hours, dated exceptions and a temporary
 * closure), suspend and reinstate. Every change is a call of {@link Havens}, as createHaven,
 * updateHaven, suspendHaven and reinstateHaven make it; an edit carries the version the editor
 * read, as updateHaven's If-Match does, so a second editor's save never overwrites the first's.
 */
final class HavenPages {

  static final int PAGE_SIZE = 50;

  private final ConsolePages pages;
  private final Havens havens;
  private final Clock clock;
  private final Duration reverifyAfter;

  HavenPages(ConsolePages pages, Havens havens, Clock clock, Duration reverifyAfter) {
    this.pages = pages;
    this.havens = havens;
    this.clock = clock;
    this.reverifyAfter = reverifyAfter;
  }

  void mount(Router router) {
    router.get("/console/havens").handler(pages.page(ConsoleRoles.HAVENS, this::list));
    router.get("/console/havens/due").handler(pages.page(ConsoleRoles.HAVENS, this::due));
    router
        .get("/console/havens/new")
        .handler(
            pages.page(
                ConsoleRoles.HAVEN_CREATE,
                (ctx, s) -> form(ctx, s, 200, null, HavenForm.blank(), List.of(), null)));
    router.post("/console/havens/new").handler(pages.page(ConsoleRoles.HAVEN_CREATE, this::create));
    router.get("/console/havens/:havenId").handler(pages.page(ConsoleRoles.HAVENS, this::show));
    router
        .get("/console/havens/:havenId/edit")
        .handler(
            pages.page(
                ConsoleRoles.HAVEN_EDIT,
                (ctx, s) ->
                    havens
                        .get(ctx.pathParam("havenId"), true)
                        .compose(h -> form(ctx, s, 200, h, HavenForm.of(h), List.of(), null))));
    router
        .post("/console/havens/:havenId/edit")
        .handler(pages.page(ConsoleRoles.HAVEN_EDIT, this::save));
    router
        .get("/console/havens/:havenId/suspend")
        .handler(
            pages.page(
                ConsoleRoles.HAVEN_SUSPEND,
                (ctx, s) ->
                    havens
                        .get(ctx.pathParam("havenId"), true)
                        .compose(h -> confirmSuspend(ctx, s, h, List.of(), "", 200))));
    router
        .post("/console/havens/:havenId/suspend")
        .handler(pages.page(ConsoleRoles.HAVEN_SUSPEND, this::suspend));
    router
        .get("/console/havens/:havenId/reinstate")
        .handler(pages.page(ConsoleRoles.HAVEN_REINSTATE, this::confirmReinstate));
    router
        .post("/console/havens/:havenId/reinstate")
        .handler(
            pages.page(
                ConsoleRoles.HAVEN_REINSTATE,
                (ctx, s) ->
                    havens
                        .reinstate(ctx.pathParam("havenId"), s.staffId())
                        .compose(
                            h ->
                                pages.redirect(
                                    ctx, "/console/havens/" + h.id() + "?done=reinstated"))));
  }

  // ---- the list ---------------------------------------------------------------------------

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    var q = ctx.queryParams();
    String search = Objects.requireNonNullElse(q.get("q"), "").strip();
    String category =
        q.get("category") != null && Haven.CATEGORIES.contains(q.get("category"))
            ? q.get("category")
            : null;
    String status =
        "published".equals(q.get("status")) || "suspended".equals(q.get("status"))
            ? q.get("status")
            : null;
    boolean openNow = "yes".equals(q.get("open"));
    String verified = q.get("verified");
    Integer months =
        switch (Objects.requireNonNullElse(verified, "")) {
          case "6" -> 6;
          case "12" -> 12;
          case "24" -> 24;
          default -> null;
        };
    LocalDate today = today();
    Havens.EditorQuery query =
        new Havens.EditorQuery(
            status,
            search,
            category,
            months == null ? null : today.minusMonths(months),
            openNow,
            false);
    Map<String, String> kept = new LinkedHashMap<>();
    kept.put("q", search);
    kept.put("category", category);
    kept.put("status", status);
    kept.put("open", openNow ? "yes" : null);
    kept.put("verified", months == null ? null : verified);
    HavenViews.Filters filters =
        new HavenViews.Filters(
            search,
            options(
                category,
                "",
                "Any kind",
                Haven.CATEGORIES.stream().map(c -> new String[] {c, label(c)}).toList()),
            options(
                status,
                "",
                "Published and suspended",
                List.of(
                    new String[] {"published", "Published"},
                    new String[] {"suspended", "Suspended"})),
            openNow,
            options(
                months == null ? null : verified,
                "",
                "Any time",
                List.of(
                    new String[] {"6", "More than 6 months ago"},
                    new String[] {"12", "More than a year ago"},
                    new String[] {"24", "More than 2 years ago"})));
    return listPage(ctx, s, query, kept, filters, "havens/list", "Safe Havens", Map.of());
  }

  /** Those last verified before the re-verification interval, oldest first. */
  private Future<Void> due(RoutingContext ctx, StaffSessions.Session s) {
    LocalDate before = today().minusDays(reverifyAfter.toDays());
    Havens.EditorQuery query = new Havens.EditorQuery(null, null, null, before, false, true);
    Map<String, Object> extra = new HashMap<>();
    extra.put("before", date(before));
    extra.put("interval", days(reverifyAfter));
    return listPage(
        ctx, s, query, new LinkedHashMap<>(), null, "havens/due", "Due for re-verification", extra);
  }

  private Future<Void> listPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Havens.EditorQuery query,
      Map<String, String> kept,
      HavenViews.Filters filters,
      String template,
      String title,
      Map<String, Object> extra) {
    String cursor = ctx.queryParams().get("cursor");
    String base = ctx.request().path() + query(kept);
    LocalDate today = today();
    java.time.Instant now = clock.instant();
    return ConsolePages.attempt(() -> havens.forEditors(query, PAGE_SIZE, cursor))
        .recover(
            e ->
                e instanceof InvalidInput // a stale or edited cursor: the first page
                    ? havens.forEditors(query, PAGE_SIZE, null)
                    : Future.failedFuture(e))
        .compose(
            (Page<Haven> page) -> {
              List<HavenViews.Row> rows =
                  page.items().stream()
                      .map(
                          h ->
                              new HavenViews.Row(
                                  h.id(),
                                  h.name(),
                                  h.postcode(),
                                  label(h.category()),
                                  h.published(),
                                  h.statusAt(now).open(),
                                  date(h.lastVerifiedOn()),
                                  ago(h.lastVerifiedOn(), today)))
                      .toList();
              String sep = base.contains("?") ? "&" : "?";
              HavenViews.ListPage view =
                  new HavenViews.ListPage(
                      rows,
                      filters,
                      page.nextCursor() == null
                          ? null
                          : base + sep + "cursor=" + ConsolePages.encode(page.nextCursor()),
                      cursor == null ? null : base,
                      rows.isEmpty()
                          ? "No Safe Havens match."
                          : "Showing "
                              + rows.size()
                              + (rows.size() == 1 ? " Safe Haven" : " Safe Havens")
                              + (page.nextCursor() == null
                                  ? "."
                                  : "; there are more on the next page."));
              Map<String, Object> p = new HashMap<>(extra);
              p.put("frame", pages.frame(ctx, s, title));
              p.put("view", view);
              return pages.render(ctx, 200, template, p);
            });
  }

  private static String query(Map<String, String> kept) {
    StringBuilder sb = new StringBuilder();
    kept.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            sb.append(sb.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(ConsolePages.encode(v));
          }
        });
    return sb.toString();
  }

  private static List<HavenViews.Option> options(
      String chosen, String anyValue, String anyLabel, List<String[]> values) {
    List<HavenViews.Option> out = new ArrayList<>();
    out.add(new HavenViews.Option(anyValue, anyLabel, chosen == null));
    values.forEach(v -> out.add(new HavenViews.Option(v[0], v[1], v[0].equals(chosen))));
    return out;
  }

  // ---- one haven --------------------------------------------------------------------------

  private Future<Void> show(RoutingContext ctx, StaffSessions.Session s) {
    return havens
        .get(ctx.pathParam("havenId"), true)
        .compose(
            h -> {
              OpeningHours.Status now = h.statusAt(clock.instant());
              OpeningHours.Closure c = h.hours().closure();
              HavenViews.Haven view =
                  new HavenViews.Haven(
                      h.id(),
                      h.name(),
                      h.published(),
                      h.suspendedReason(),
                      now.open(),
                      state(now),
                      premises(h.premises(), true),
                      weekly(h.hours()),
                      exceptions(h.hours()),
                      c == null ? null : closure(c),
                      banner(ctx.queryParams().get("done")));
              return pages.render(
                  ctx,
                  200,
                  "havens/show",
                  Map.of("frame", pages.frame(ctx, s, h.name()), "view", view));
            });
  }

  private static String banner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "created" -> "The Safe Haven is published: young people can find it in the app now.";
      case "saved" -> "Your changes are saved and published.";
      case "suspended" -> "The Safe Haven is suspended: the app no longer shows it.";
      case "reinstated" -> "The Safe Haven is reinstated: the app shows it again.";
      default -> null;
    };
  }

  /** "Open now, closes at 02:00 (Tue 8 Dec)" and the like, in London time. */
  private static String state(OpeningHours.Status st) {
    if (st.open()) {
      return st.closesAt() == null ? "Open now" : "Open now, closes " + Labels.when(st.closesAt());
    }
    return st.opensAt() == null ? "Closed" : "Closed now, opens " + Labels.when(st.opensAt());
  }

  /** The premises' details as a summary list. */
  static List<HavenViews.Line> premises(HavenInput.Draft d, boolean verified) {
    List<HavenViews.Line> out = new ArrayList<>();
    out.add(new HavenViews.Line("Name", d.name()));
    out.add(new HavenViews.Line("Address", d.address()));
    out.add(new HavenViews.Line("Postcode", d.postcode()));
    out.add(new HavenViews.Line("Location", d.lat() + ", " + d.lon()));
    out.add(new HavenViews.Line("Kind of premises", label(d.category())));
    out.add(
        new HavenViews.Line(
            "Facilities",
            d.facilities().isEmpty()
                ? "None given"
                : String.join(", ", d.facilities().stream().map(HavenPages::label).toList())));
    out.add(new HavenViews.Line("Phone", d.phone() == null ? "Not given" : d.phone()));
    out.add(new HavenViews.Line("Notes", d.notes() == null ? "None" : d.notes()));
    if (verified && d.lastVerifiedOn() != null) {
      out.add(new HavenViews.Line("Last verified", date(d.lastVerifiedOn())));
    }
    return out;
  }

  /** The week in words, past-midnight sessions said as such. */
  static List<String> weekly(OpeningHours hours) {
    List<String> out = new ArrayList<>();
    for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
      List<String> sessions =
          hours.weekly().stream().filter(w -> w.day() == d).map(w -> range(w.range())).toList();
      out.add(
          HavenForm.dayName(HoursJson.dayCode(d))
              + ": "
              + (sessions.isEmpty() ? "closed" : String.join(", ", sessions)));
    }
    return out;
  }

  static List<String> exceptions(OpeningHours hours) {
    return hours.exceptions().stream()
        .map(e -> date(e.date()) + ": " + (e.closed() ? "closed all day" : range(e.range())))
        .toList();
  }

  static String closure(OpeningHours.Closure c) {
    String when =
        c.from() == null && c.until() == null
            ? "until further notice"
            : (c.from() == null ? "" : "from " + date(c.from()) + " ")
                + (c.until() == null ? "until further notice" : "until " + date(c.until()));
    return "Closed " + when.strip() + ": " + c.reason();
  }

  private static String range(OpeningHours.Range r) {
    if (r.opens() == 0 && r.closes() == 24 * 60) {
      return "all day";
    }
    return r.opensText()
        + " to "
        + r.closesText()
        + (r.overnight() || r.closes() == r.opens() ? " (next day)" : "");
  }

  /** "community_centre" → "Community centre". */
  static String label(String code) {
    if (code == null || code.isEmpty()) {
      return "";
    }
    String words = code.replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static String ago(LocalDate day, LocalDate today) {
    long months = ChronoUnit.MONTHS.between(day, today);
    if (months >= 1) {
      return months == 1 ? "1 month ago" : months + " months ago";
    }
    long days = ChronoUnit.DAYS.between(day, today);
    return days <= 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
  }

  // ---- create and edit --------------------------------------------------------------------

  /**
   * The form, new ({@code h} null) or for {@code h}; {@code otherChange} names what another editor
   * changed when their save came first.
   */
  private Future<Void> form(
      RoutingContext ctx,
      StaffSessions.Session s,
      int status,
      Haven h,
      HavenForm form,
      List<FieldError> errors,
      List<String> otherChange) {
    String title = h == null ? "Add a Safe Haven" : "Change " + h.name();
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, title).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("heading", title);
    p.put("action", h == null ? "/console/havens/new" : "/console/havens/" + h.id() + "/edit");
    p.put("cancel", h == null ? "/console/havens" : "/console/havens/" + h.id());
    p.put("form", form);
    p.put(
        "categories",
        options(
            form.category.isEmpty() ? null : form.category,
            "",
            "Select a kind",
            Haven.CATEGORIES.stream().map(c -> new String[] {c, label(c)}).toList()));
    p.put(
        "facilities",
        Haven.FACILITIES.stream()
            .map(f -> new Choice(f, label(f), form.facilities.contains(f)))
            .toList());
    p.put("otherChange", otherChange);
    p.put("havenId", h == null ? null : h.id());
    return pages.render(ctx, status, "havens/form", p);
  }

  private Future<Void> create(RoutingContext ctx, StaffSessions.Session s) {
    HavenForm form = HavenForm.from(ctx);
    HavenForm.Body body = form.body();
    // the form's own Idempotency-Key: a second click on Save sends the same form and is answered
    // with the first haven
    return ConsolePages.attempt(() -> havens.create(body.json(), form.idempotency, s.staffId()))
        .compose(w -> pages.redirect(ctx, "/console/havens/" + w.haven().id() + "?done=created"))
        .recover(
            e -> {
              if (e instanceof InvalidInput invalid) {
                return form(ctx, s, 400, null, form, body.errors(invalid), null);
              }
              if (e instanceof Idempotency.KeyReused) {
                // this form's key was used for another haven already (sent, then changed)
                form.idempotency = java.util.UUID.randomUUID().toString();
                return form(
                    ctx,
                    s,
                    409,
                    null,
                    form,
                    List.of(
                        new FieldError(
                            null,
                            "This form already added a Safe Haven. Check the list of Safe Havens before"
                                + " you save this one as another.")),
                    null);
              }
              return Future.failedFuture(e);
            });
  }

  private Future<Void> save(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("havenId");
    HavenForm form = HavenForm.from(ctx);
    HavenForm.Body body = form.body();
    long version;
    try {
      version = Long.parseLong(form.version);
    } catch (NumberFormatException e) {
      version = -1; // no version read: treated as out of date, never as "overwrite"
    }
    long expected = version;
    return havens
        .get(id, true)
        .compose(
            current ->
                ConsolePages.attempt(() -> havens.update(id, body.json(), expected, s.staffId()))
                    .compose(h -> pages.redirect(ctx, "/console/havens/" + id + "?done=saved"))
                    .recover(
                        e -> {
                          if (e instanceof InvalidInput invalid) {
                            return form(ctx, s, 400, current, form, body.errors(invalid), null);
                          }
                          if (e instanceof Havens.StaleVersion) {
                            return havens
                                .get(id, true)
                                .compose(
                                    latest -> {
                                      // what is saved now differs from what this editor sent here
                                      List<String> changed =
                                          differences(HavenForm.of(latest).body(), body);
                                      form.version = Long.toString(latest.changeSeq());
                                      return form(
                                          ctx,
                                          s,
                                          409,
                                          latest,
                                          form,
                                          List.of(
                                              new FieldError(
                                                  null,
                                                  "Another editor saved this Safe Haven after you opened it. Nothing of yours"
                                                      + " is saved yet: your changes are still in the form below.")),
                                          changed);
                                    });
                          }
                          return Future.failedFuture(e);
                        }));
  }

  private static final Map<String, String> PARTS =
      Map.ofEntries(
          Map.entry("name", "Name"),
          Map.entry("address", "Address"),
          Map.entry("postcode", "Postcode"),
          Map.entry("location", "Location"),
          Map.entry("category", "Kind of premises"),
          Map.entry("facilities", "Facilities"),
          Map.entry("phone", "Phone"),
          Map.entry("notes", "Notes"),
          Map.entry("lastVerifiedOn", "Last verified"),
          Map.entry("openingHours", "Opening hours"),
          Map.entry("temporaryClosure", "Temporary closure"));

  /** The parts of the haven where the saved version and the one sent differ. */
  private static List<String> differences(HavenForm.Body saved, HavenForm.Body sent) {
    List<String> out = new ArrayList<>();
    for (String key :
        List.of(
            "name",
            "address",
            "postcode",
            "location",
            "category",
            "facilities",
            "phone",
            "notes",
            "lastVerifiedOn",
            "openingHours",
            "temporaryClosure")) {
      if (!Objects.equals(saved.json().getValue(key), sent.json().getValue(key))) {
        out.add(PARTS.get(key));
      }
    }
    return out;
  }

  // ---- suspend and reinstate --------------------------------------------------------------

  private Future<Void> confirmSuspend(
      RoutingContext ctx,
      StaffSessions.Session s,
      Haven h,
      List<FieldError> errors,
      String reason,
      int status) {
    String heading = "Suspend " + h.name() + "?";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Safe Havens");
    p.put("heading", heading);
    p.put(
        "body",
        "The app stops showing it at once, and young people's phones drop it at their next update."
            + " You can reinstate it later.");
    p.put("action", "/console/havens/" + h.id() + "/suspend");
    p.put("hidden", Map.of());
    p.put("textField", "reason");
    p.put("textLabel", "Why is it suspended?");
    p.put("textHint", "Editors see this reason; the public does not.");
    p.put("textValue", reason);
    p.put("button", "Suspend Safe Haven");
    p.put("warning", false);
    p.put("cancel", "/console/havens/" + h.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private Future<Void> suspend(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("havenId");
    String reason = Objects.requireNonNullElse(ConsolePages.form(ctx, "reason"), "");
    return havens
        .get(id, true)
        .compose(
            h ->
                ConsolePages.attempt(() -> havens.suspend(id, reason, s.staffId()))
                    .compose(x -> pages.redirect(ctx, "/console/havens/" + id + "?done=suspended"))
                    .recover(
                        e ->
                            e instanceof InvalidInput
                                ? confirmSuspend(
                                    ctx,
                                    s,
                                    h,
                                    List.of(new FieldError("reason", "Enter why it is suspended")),
                                    reason,
                                    400)
                                : Future.failedFuture(e)));
  }

  private Future<Void> confirmReinstate(RoutingContext ctx, StaffSessions.Session s) {
    return havens
        .get(ctx.pathParam("havenId"), true)
        .compose(
            h -> {
              String heading = "Reinstate " + h.name() + "?";
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, heading));
              p.put("errors", List.of());
              p.put("caption", "Safe Havens");
              p.put("heading", heading);
              p.put(
                  "body",
                  (h.suspendedReason() == null
                          ? ""
                          : "It was suspended because: " + h.suspendedReason() + ". ")
                      + "Reinstating publishes it again: the app shows it at once.");
              p.put("action", "/console/havens/" + h.id() + "/reinstate");
              p.put("hidden", Map.of());
              p.put("textField", null);
              p.put("textLabel", null);
              p.put("textHint", null);
              p.put("button", "Reinstate Safe Haven");
              p.put("warning", false);
              p.put("cancel", "/console/havens/" + h.id());
              return pages.render(ctx, 200, "confirm", p);
            });
  }

  /** "7 December 2026". */
  static String date(LocalDate d) {
    return d == null ? "" : DATE.format(d);
  }

  private static final java.time.format.DateTimeFormatter DATE =
      java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.UK);

  /** A retention or interval in words: "90 days", "1 year". */
  static String days(Duration d) {
    long days = d.toDays();
    if (days >= 365 && days % 365 == 0) {
      return days == 365 ? "1 year" : days / 365 + " years";
    }
    if (days >= 1) {
      return days == 1 ? "1 day" : days + " days";
    }
    long hours = d.toHours();
    return hours == 1 ? "1 hour" : hours + " hours";
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), OpeningHours.LONDON);
  }
}
