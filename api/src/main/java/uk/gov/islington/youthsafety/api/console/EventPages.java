package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.events.Event;
import uk.gov.islington.youthsafety.content.events.Events;
import uk.gov.islington.youthsafety.content.events.Occurrence;
import uk.gov.islington.youthsafety.content.events.Recurrence;
import uk.gov.islington.youthsafety.content.events.WeeklyRule;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The editors' events: the list; one form to create or change an event, with a builder for weekly
 * series ("every Mon, Wed and Fri, 15:00 to 18:00, for 10 weeks") whose RRULE ical4j writes, and a
 * preview of the next dates in London time; cancelling one date or the whole event. Every rule is
 * {@link Events}', the service behind createEvent, updateEvent and cancelEvent: the pages turn the
 * form into the same JSON body and show the service's errors on the form's fields. A rule the
 * builder cannot express is shown as it is and never sent back, so it is never rewritten.
 */
final class EventPages {

  private static final String LIST = "/console/events";
  private static final int PREVIEW_DATES = 10;
  private static final List<DayOfWeek> WEEK = List.of(DayOfWeek.values());

  /** Service fields, and the form input each is shown on. */
  private static final Map<String, String> FIELD_IDS =
      Map.ofEntries(
          Map.entry("title", "title"),
          Map.entry("description", "description"),
          Map.entry("category", "category"),
          Map.entry("organiser", "organiser"),
          Map.entry("venue.name", "venueName"),
          Map.entry("venue.address", "venueAddress"),
          Map.entry("startsAt", "date-day"),
          Map.entry("endsAt", "endTime"),
          Map.entry("recurrence", "days"),
          Map.entry("ageRange.max", "ageMax"),
          Map.entry("cost.details", "costDetails"),
          Map.entry("bookingUrl", "bookingUrl"),
          Map.entry("accessibility", "accessibility"));

  private final ConsolePages pages;
  private final Events events;
  private final Clock clock;

  EventPages(ConsolePages pages, Events events, Clock clock) {
    this.pages = pages;
    this.events = events;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get(LIST).handler(pages.page(ConsoleRoles.EVENTS, this::list));
    router
        .get(LIST + "/new")
        .handler(
            pages.page(
                ConsoleRoles.EVENT_CREATE,
                (ctx, s) -> formPage(ctx, s, null, 200, List.of(), blank(), List.of(), null)));
    router.post(LIST + "/new").handler(pages.page(ConsoleRoles.EVENT_CREATE, this::create));
    router.get(LIST + "/:eventId").handler(pages.page(ConsoleRoles.EVENT_EDIT, this::show));
    router
        .get(LIST + "/:eventId/edit")
        .handler(
            pages.page(
                ConsoleRoles.EVENT_EDIT,
                (ctx, s) ->
                    event(ctx)
                        .compose(
                            e -> formPage(ctx, s, e, 200, List.of(), values(e), days(e), null))));
    router.post(LIST + "/:eventId/edit").handler(pages.page(ConsoleRoles.EVENT_EDIT, this::edit));
    router
        .get(LIST + "/:eventId/cancel")
        .handler(
            pages.page(
                ConsoleRoles.EVENT_CANCEL,
                (ctx, s) ->
                    event(ctx)
                        .compose(
                            e ->
                                cancelPage(
                                    ctx, s, e, ctx.queryParams().get("date"), List.of(), 200))));
    router
        .post(LIST + "/:eventId/cancel")
        .handler(pages.page(ConsoleRoles.EVENT_CANCEL, this::cancel));
  }

  private Future<Event> event(RoutingContext ctx) {
    return events.get(ctx.pathParam("eventId")).map(Events.Versioned::value);
  }

  // ---- the list ---------------------------------------------------------------------------

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    return events
        .all()
        .compose(
            all -> {
              List<EventViews.Row> upcoming = new ArrayList<>();
              List<EventViews.Row> past = new ArrayList<>();
              all.stream()
                  .sorted(Comparator.comparing((Event e) -> e.startsAt()).thenComparing(Event::id))
                  .forEach(
                      e -> {
                        List<Occurrence> next = events.upcoming(e, 1);
                        EventViews.Row row =
                            new EventViews.Row(
                                LIST + "/" + e.id(),
                                e.title() + (e.sample() ? " (sample)" : ""),
                                EventViews.schedule(e),
                                next.isEmpty()
                                    ? null
                                    : EventViews.day(next.get(0).startsAt())
                                        + ", "
                                        + EventViews.times(
                                            next.get(0).startsAt(), next.get(0).endsAt()),
                                EventViews.status(e.status()),
                                e.sensitive());
                        (next.isEmpty() ? past : upcoming).add(row);
                      });
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, "Events"));
              p.put("upcoming", upcoming);
              p.put("past", past);
              return pages.render(ctx, 200, "events/list", p);
            });
  }

  // ---- one event --------------------------------------------------------------------------

  private Future<Void> show(RoutingContext ctx, StaffSessions.Session s) {
    return event(ctx)
        .compose(
            e -> {
              String base = LIST + "/" + e.id();
              List<EventViews.Date> next =
                  events.upcoming(e, PREVIEW_DATES).stream()
                      .map(
                          o ->
                              EventViews.date(
                                  o,
                                  e.recurring() && e.status() != Event.Status.CANCELLED
                                      ? base + "/cancel?date=" + o.date()
                                      : null))
                      .toList();
              EventViews.Detail view =
                  new EventViews.Detail(
                      e,
                      EventViews.category(e.category()),
                      EventViews.schedule(e),
                      e.recurrence(),
                      e.recurring() && WeeklyRule.read(e.recurrence()).isEmpty(),
                      EventViews.status(e.status()),
                      next,
                      banner(ctx.queryParams().get("done")));
              return pages.render(
                  ctx,
                  200,
                  "events/show",
                  Map.of("frame", pages.frame(ctx, s, e.title()), "view", view));
            });
  }

  private static String banner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "created" -> "The event is published. The app and the calendar feed show it now.";
      case "saved" -> "Your changes are published. Calendars that subscribe see them next time.";
      case "date-cancelled" -> "The date is cancelled. It stays listed, marked as cancelled.";
      case "cancelled" -> "The event is cancelled. It stays listed, marked as cancelled.";
      default -> null;
    };
  }

  // ---- the form ---------------------------------------------------------------------------

  private Map<String, String> blank() {
    Map<String, String> v = new HashMap<>();
    v.put("repeat", "none");
    v.put("ends", "weeks");
    v.put("idempotencyKey", UUID.randomUUID().toString());
    return v;
  }

  private static Map<String, String> values(Event e) {
    Map<String, String> v = new HashMap<>();
    v.put("title", e.title());
    v.put("description", e.description());
    v.put("category", e.category());
    v.put("organiser", e.organiser());
    v.put("venueName", e.venue().name());
    v.put("venueAddress", e.venue().address());
    v.put("date-day", Integer.toString(e.startsAt().getDayOfMonth()));
    v.put("date-month", Integer.toString(e.startsAt().getMonthValue()));
    v.put("date-year", Integer.toString(e.startsAt().getYear()));
    v.put("startTime", FormDates.TIME.format(e.startsAt()));
    v.put("endTime", FormDates.TIME.format(e.endsAt()));
    v.put("repeat", e.recurring() ? "weekly" : "none");
    v.put("ends", "never");
    WeeklyRule.read(e.recurrence())
        .ifPresent(
            r -> {
              if (r.count() != null) {
                v.put("ends", "count");
                v.put("count", r.count().toString());
              } else if (r.until() != null) {
                v.put("ends", "until");
                v.put("until-day", Integer.toString(r.until().getDayOfMonth()));
                v.put("until-month", Integer.toString(r.until().getMonthValue()));
                v.put("until-year", Integer.toString(r.until().getYear()));
              }
            });
    if (e.ageRange() != null) {
      v.put("ageMin", e.ageRange().min() == null ? "" : e.ageRange().min().toString());
      v.put("ageMax", e.ageRange().max() == null ? "" : e.ageRange().max().toString());
    }
    if (e.cost() != null) {
      v.put("free", e.cost().free() ? "yes" : null);
      v.put("costDetails", e.cost().details());
    }
    v.put("bookingUrl", e.bookingUrl());
    v.put("accessibility", e.accessibility());
    v.put("sensitive", e.sensitive() ? "yes" : null);
    v.put("sequence", Integer.toString(e.sequence()));
    return v;
  }

  private static List<String> days(Event e) {
    return WeeklyRule.read(e.recurrence())
        .map(r -> r.days().stream().map(DayOfWeek::name).toList())
        .orElse(List.of());
  }

  private Future<Void> formPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Event e,
      int status,
      List<FieldError> errors,
      Map<String, String> v,
      List<String> days,
      List<EventViews.Date> preview) {
    String heading = e == null ? "Create an event" : "Change " + e.title();
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("heading", heading);
    p.put("action", e == null ? LIST + "/new" : LIST + "/" + e.id() + "/edit");
    p.put("back", e == null ? LIST : LIST + "/" + e.id());
    p.put("v", v);
    p.put(
        "categories",
        EventViews.CATEGORIES.entrySet().stream()
            .map(c -> new Choice(c.getKey(), c.getValue(), c.getKey().equals(v.get("category"))))
            .toList());
    p.put(
        "days",
        WEEK.stream()
            .map(
                d ->
                    new Choice(
                        d.name(),
                        d.getDisplayName(java.time.format.TextStyle.FULL, Locale.UK),
                        days.contains(d.name())))
            .toList());
    // a series whose rule the builder cannot express: shown, never sent back
    String locked =
        e != null && e.recurring() && WeeklyRule.read(e.recurrence()).isEmpty()
            ? e.recurrence()
            : null;
    p.put("lockedRule", locked);
    p.put(
        "repeats",
        List.of(
            new Choice("none", "It does not repeat", "none".equals(v.get("repeat"))),
            new Choice(
                "weekly", "Every week, on the days below", "weekly".equals(v.get("repeat")))));
    p.put(
        "ends",
        List.of(
            new Choice("weeks", "After a number of weeks", "weeks".equals(v.get("ends"))),
            new Choice("count", "After a number of sessions", "count".equals(v.get("ends"))),
            new Choice("until", "On a date", "until".equals(v.get("ends"))),
            new Choice("never", "No end date", "never".equals(v.get("ends")))));
    p.put("preview", preview);
    return pages.render(ctx, status, "events/form", p);
  }

  /** What was typed, as it was typed (kept on every error). */
  private static Map<String, String> typed(RoutingContext ctx) {
    Map<String, String> v = new HashMap<>();
    for (String name :
        List.of(
            "title",
            "description",
            "category",
            "organiser",
            "venueName",
            "venueAddress",
            "date-day",
            "date-month",
            "date-year",
            "startTime",
            "endTime",
            "repeat",
            "ends",
            "weeks",
            "count",
            "until-day",
            "until-month",
            "until-year",
            "ageMin",
            "ageMax",
            "free",
            "costDetails",
            "bookingUrl",
            "accessibility",
            "sensitive",
            "idempotencyKey",
            "sequence")) {
      v.put(name, Objects.requireNonNullElse(ConsolePages.form(ctx, name), ""));
    }
    return v;
  }

  private static List<String> chosenDays(RoutingContext ctx) {
    return ctx.request().formAttributes().getAll("days").stream()
        .map(String::strip)
        .filter(d -> WEEK.stream().anyMatch(w -> w.name().equals(d)))
        .distinct()
        .toList();
  }

  /**
   * The form as a createEvent body (all fields; null clears on an update), or the errors that make
   * it not one yet. {@code current} is the event being changed (null for a new one).
   */
  private static JsonObject body(
      Map<String, String> v, List<String> days, Event current, List<FieldError> errors) {
    JsonObject body = new JsonObject();
    body.put("title", v.get("title"));
    body.put("description", v.get("description"));
    String category = v.get("category");
    body.put("category", EventViews.CATEGORIES.containsKey(category) ? category : null);
    body.put("organiser", emptyToNull(v.get("organiser")));
    JsonObject venue =
        new JsonObject().put("name", v.get("venueName")).put("address", v.get("venueAddress"));
    if (current != null && current.venue().location() != null) {
      // the form does not edit the map point: it stays as it was
      venue.put(
          "location",
          new JsonObject()
              .put("lat", current.venue().location().lat())
              .put("lon", current.venue().location().lon()));
    }
    body.put("venue", venue);

    LocalDate date = FormDates.date(v, "date", "the date of the event", errors);
    LocalTime start = FormDates.time(v.get("startTime"), "startTime", "start", errors);
    LocalTime end = FormDates.time(v.get("endTime"), "endTime", "end", errors);
    if (start != null && end != null && start.equals(end)) {
      errors.add(new FieldError("endTime", "The end time must be different from the start time"));
    }
    if (date != null && start != null && end != null && !start.equals(end)) {
      ZonedDateTime starts = ZonedDateTime.of(date, start, Recurrence.LONDON);
      // an end before the start is the next day: a late session that runs past midnight
      ZonedDateTime ends =
          ZonedDateTime.of(end.isBefore(start) ? date.plusDays(1) : date, end, Recurrence.LONDON);
      body.put("startsAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(starts));
      body.put("endsAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(ends));
    }

    boolean locked =
        current != null && current.recurring() && WeeklyRule.read(current.recurrence()).isEmpty();
    if (!locked) {
      if ("weekly".equals(v.get("repeat"))) {
        String rule = weekly(v, days, date, errors);
        if (rule != null) {
          body.put("recurrence", rule);
        }
      } else if ("none".equals(v.get("repeat"))) {
        body.putNull("recurrence");
      } else {
        errors.add(new FieldError("repeat", "Select whether the event repeats"));
      }
    }

    Integer min = age(v.get("ageMin"), "ageMin", "youngest", errors);
    Integer max = age(v.get("ageMax"), "ageMax", "oldest", errors);
    body.put(
        "ageRange",
        min == null && max == null ? null : new JsonObject().put("min", min).put("max", max));
    boolean free = "yes".equals(v.get("free"));
    String costDetails = emptyToNull(v.get("costDetails"));
    body.put(
        "cost",
        !free && costDetails == null
            ? null
            : new JsonObject().put("free", free).put("details", costDetails));
    body.put("bookingUrl", emptyToNull(v.get("bookingUrl")));
    body.put("accessibility", emptyToNull(v.get("accessibility")));
    body.put("sensitive", "yes".equals(v.get("sensitive")));
    return body;
  }

  /** The RRULE the builder makes of the form, written by ical4j ({@link WeeklyRule}). */
  private static String weekly(
      Map<String, String> v, List<String> days, LocalDate first, List<FieldError> errors) {
    if (days.isEmpty()) {
      errors.add(new FieldError("days", "Select the days of the week the event is on"));
      return null;
    }
    List<DayOfWeek> chosen = days.stream().map(DayOfWeek::valueOf).sorted().toList();
    String ends = v.get("ends");
    switch (ends == null ? "" : ends) {
      case "weeks" -> {
        Integer weeks = number(v.get("weeks"), 1, 520);
        if (weeks == null) {
          errors.add(new FieldError("weeks", "Enter the number of weeks, from 1 to 520"));
          return null;
        }
        return first == null ? null : WeeklyRule.forWeeks(chosen, first, weeks).rrule();
      }
      case "count" -> {
        Integer count = number(v.get("count"), 1, Recurrence.MAX_COUNT);
        if (count == null) {
          errors.add(
              new FieldError(
                  "count", "Enter the number of sessions, from 1 to " + Recurrence.MAX_COUNT));
          return null;
        }
        return new WeeklyRule(chosen, count, null).rrule();
      }
      case "until" -> {
        LocalDate until = FormDates.date(v, "until", "the last date", errors);
        if (until == null) {
          return null;
        }
        if (first != null && until.isBefore(first)) {
          errors.add(
              new FieldError("until-day", "The last date must be on or after the first date"));
          return null;
        }
        return new WeeklyRule(chosen, null, until).rrule();
      }
      case "never" -> {
        return new WeeklyRule(chosen, null, null).rrule();
      }
      default -> {
        errors.add(new FieldError("ends", "Select when the series ends"));
        return null;
      }
    }
  }

  private Future<Void> create(RoutingContext ctx, StaffSessions.Session s) {
    Map<String, String> v = typed(ctx);
    List<String> days = chosenDays(ctx);
    if (v.get("idempotencyKey").isEmpty()) {
      v.put("idempotencyKey", UUID.randomUUID().toString());
    }
    List<FieldError> errors = new ArrayList<>();
    JsonObject body = body(v, days, null, errors);
    if (!errors.isEmpty()) {
      return formPage(ctx, s, null, 400, errors, v, days, null);
    }
    if ("preview".equals(ConsolePages.form(ctx, "action"))) {
      return preview(ctx, s, null, v, days, () -> events.preview(body, PREVIEW_DATES));
    }
    return ConsolePages.attempt(() -> events.create(s.staffId(), v.get("idempotencyKey"), body))
        .compose(c -> pages.redirect(ctx, LIST + "/" + c.event().id() + "?done=created"))
        .recover(
            e ->
                e instanceof InvalidInput invalid
                    ? formPage(ctx, s, null, 400, errors(invalid), v, days, null)
                    : Future.failedFuture(e));
  }

  private Future<Void> edit(RoutingContext ctx, StaffSessions.Session s) {
    Map<String, String> v = typed(ctx);
    List<String> days = chosenDays(ctx);
    return event(ctx)
        .compose(
            current -> {
              List<FieldError> errors = new ArrayList<>();
              JsonObject body = body(v, days, current, errors);
              if (!errors.isEmpty()) {
                return formPage(ctx, s, current, 400, errors, v, days, null);
              }
              if ("preview".equals(ConsolePages.form(ctx, "action"))) {
                return preview(
                    ctx, s, current, v, days, () -> events.preview(current, body, PREVIEW_DATES));
              }
              Integer expected = number(v.get("sequence"), 0, Integer.MAX_VALUE);
              return ConsolePages.attempt(() -> events.update(current.id(), body, expected))
                  .compose(e -> pages.redirect(ctx, LIST + "/" + e.id() + "?done=saved"))
                  .recover(
                      e -> {
                        if (e instanceof InvalidInput invalid) {
                          return formPage(ctx, s, current, 400, errors(invalid), v, days, null);
                        }
                        if (e instanceof Events.StaleEdit) {
                          // what they typed stays; saving again replaces the other change
                          v.put("sequence", Integer.toString(current.sequence()));
                          return formPage(
                              ctx,
                              s,
                              current,
                              409,
                              List.of(
                                  new FieldError(
                                      null,
                                      "Someone else changed this event while you were editing it."
                                          + " Your changes are not saved yet. Check them, then"
                                          + " save again to replace the other changes with"
                                          + " yours.")),
                              v,
                              days,
                              null);
                        }
                        return Future.failedFuture(e);
                      });
            });
  }

  private Future<Void> preview(
      RoutingContext ctx,
      StaffSessions.Session s,
      Event current,
      Map<String, String> v,
      List<String> days,
      java.util.function.Supplier<List<Occurrence>> dates) {
    List<Occurrence> next;
    try {
      next = dates.get();
    } catch (InvalidInput invalid) {
      return formPage(ctx, s, current, 400, errors(invalid), v, days, null);
    }
    return formPage(
        ctx,
        s,
        current,
        200,
        List.of(),
        v,
        days,
        next.stream().map(o -> EventViews.date(o, null)).toList());
  }

  /** The service's errors on the form's inputs, in the form's words. */
  private static List<FieldError> errors(InvalidInput invalid) {
    List<FieldError> out = new ArrayList<>();
    for (InvalidInput.FieldError f : invalid.errors()) {
      String id = FIELD_IDS.get(f.field());
      if (id == null && f.field().startsWith("exdates")) {
        id = "date-day";
      }
      FieldError mapped = new FieldError(id, words(f.field(), f.message()));
      if (out.stream().noneMatch(x -> Objects.equals(x.field(), mapped.field()))) {
        out.add(mapped);
      }
    }
    return out;
  }

  private static String words(String field, String message) {
    return switch (field) {
      case "title" ->
          message.startsWith("must be at most")
              ? "The title must be 200 characters or fewer"
              : "Enter a title";
      case "description" ->
          message.startsWith("must be at most")
              ? "The description must be 5000 characters or fewer"
              : "Enter a description";
      case "category" -> "Select a category";
      case "organiser" -> "The organiser must be 200 characters or fewer";
      case "venue.name" ->
          message.startsWith("must be at most")
              ? "The name of the venue must be 200 characters or fewer"
              : "Enter the name of the venue";
      case "venue.address" ->
          message.startsWith("must be at most")
              ? "The address must be 300 characters or fewer"
              : "Enter the address of the venue";
      case "startsAt" ->
          message.contains("first occurrence")
              ? "The date must be one of the days the event repeats on"
              : "The date must be between the years 2000 and 2100";
      case "endsAt" ->
          message.contains("14 days")
              ? "An event lasts at most 14 days: make it repeat instead"
              : "The end time must be after the start time";
      case "recurrence" -> "The repeat cannot be used: " + message;
      case "ageRange.max" -> "The oldest age must not be less than the youngest";
      case "cost.details" -> "The cost must be 300 characters or fewer";
      case "bookingUrl" ->
          message.startsWith("must be at most")
              ? "The booking link must be 2000 characters or fewer"
              : "Enter a booking link that starts with https:// or http://";
      case "accessibility" -> "The accessibility details must be 1000 characters or fewer";
      default -> "The " + field + " " + message;
    };
  }

  // ---- cancelling -------------------------------------------------------------------------

  private Future<Void> cancelPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Event e,
      String date,
      List<FieldError> errors,
      int status) {
    boolean one = date != null && !date.isBlank();
    String when = one ? occurrenceWords(e, date) : null;
    String heading =
        one
            ? "Cancel " + e.title() + " on " + when + "?"
            : "Cancel " + (e.recurring() ? "every date of " : "") + e.title() + "?";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Events");
    p.put("heading", heading);
    p.put(
        "body",
        one
            ? "This date stays listed, marked as cancelled, in the app and in calendars that"
                + " subscribe. The other dates go ahead."
            : "The event stays listed, marked as cancelled, in the app and in calendars that"
                + " subscribe.");
    p.put("action", LIST + "/" + e.id() + "/cancel");
    p.put("hidden", one ? Map.of("occurrence", date) : Map.of());
    p.put("textField", "reason");
    p.put("textLabel", "Reason (optional)");
    p.put("textHint", "Young people see it, for example \"Pitch maintenance, back next week\"");
    p.put("button", one ? "Cancel this date" : "Cancel the event");
    p.put("warning", false);
    p.put("cancel", LIST + "/" + e.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private static String occurrenceWords(Event e, String date) {
    try {
      LocalDate d = LocalDate.parse(date);
      return EventViews.day(d.atTime(e.startsAt().toLocalTime()).atZone(Recurrence.LONDON));
    } catch (DateTimeException ex) {
      return date;
    }
  }

  private Future<Void> cancel(RoutingContext ctx, StaffSessions.Session s) {
    String occurrence = ConsolePages.form(ctx, "occurrence");
    String reason = ConsolePages.form(ctx, "reason");
    return event(ctx)
        .compose(
            e ->
                ConsolePages.attempt(
                        () ->
                            events.cancel(
                                e.id(),
                                occurrence == null || occurrence.isEmpty() ? null : occurrence,
                                reason,
                                null))
                    .compose(
                        done ->
                            pages.redirect(
                                ctx,
                                LIST
                                    + "/"
                                    + e.id()
                                    + (occurrence == null || occurrence.isEmpty()
                                        ? "?done=cancelled"
                                        : "?done=date-cancelled")))
                    .recover(
                        x -> {
                          if (!(x instanceof InvalidInput invalid)) {
                            return Future.failedFuture(x);
                          }
                          InvalidInput.FieldError f = invalid.errors().get(0);
                          FieldError error =
                              f.field().equals("reason")
                                  ? new FieldError(
                                      "reason", "The reason must be 500 characters or fewer")
                                  : new FieldError(
                                      null,
                                      "This is not a date of the event, so nothing was"
                                          + " cancelled. Go back to the event and choose one of"
                                          + " its dates.");
                          return cancelPage(ctx, s, e, occurrence, List.of(error), 400);
                        }));
  }

  // ---- parsing the form -------------------------------------------------------------------

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Integer number(String s, int min, int max) {
    if (s == null || !s.strip().matches("\\d{1,10}")) {
      return null;
    }
    long n = Long.parseLong(s.strip());
    return n < min || n > max ? null : (int) n;
  }

  private static Integer age(String s, String id, String words, List<FieldError> errors) {
    if (s == null || s.isBlank()) {
      return null;
    }
    Integer n = number(s, 0, 120);
    if (n == null) {
      errors.add(new FieldError(id, "The " + words + " age must be a number from 0 to 120"));
    }
    return n;
  }
}
