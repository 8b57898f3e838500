package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.console.ConsoleConsultationsTest.form;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The editors' event pages over HTTP (no JavaScript): a weekly series built from the form and its
 * RRULE as the API shows it, the preview of its dates, a date cancelled and the calendar feed
 * showing it; every form's mistakes in the error summary with what was typed; a rule the form
 * cannot express kept read-only and never rewritten; two editors saving the same event; unknown
 * events and the wrong role.
 */
@WithTestApp({TestApp.CHEAP_HASH_MEMORY, TestApp.CHEAP_HASH_ITERATIONS})
class ConsoleEventsTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  static ConsoleClient editor() {
    return ConsoleClient.newStaff(app, "editor");
  }

  /** A Monday at least a week after the test clock's today, London time. */
  static LocalDate nextMonday(TestApp app) {
    return LocalDate.ofInstant(app.clock.instant(), LONDON)
        .plusWeeks(1)
        .with(TemporalAdjusters.next(DayOfWeek.MONDAY));
  }

  /** The form of a Mon/Wed/Fri series from {@code first}, 15:00 to 18:00, for 10 weeks. */
  static List<String> series(String title, LocalDate first, String... more) {
    List<String> pairs =
        new ArrayList<>(
            List.of(
                "title",
                title,
                "description",
                "Free drop-in: games, music and homework help.",
                "category",
                "youth_hub",
                "venueName",
                "The Lift",
                "venueAddress",
                "45 White Conduit Street, N1 9EZ",
                "date-day",
                "" + first.getDayOfMonth(),
                "date-month",
                "" + first.getMonthValue(),
                "date-year",
                "" + first.getYear(),
                "startTime",
                "15:00",
                "endTime",
                "18:00",
                "repeat",
                "weekly",
                "days",
                "MONDAY",
                "days",
                "WEDNESDAY",
                "days",
                "FRIDAY",
                "ends",
                "weeks",
                "weeks",
                "10",
                "idempotencyKey",
                UUID.randomUUID().toString()));
    pairs.addAll(Arrays.asList(more));
    return pairs;
  }

  static HttpResponse<Buffer> post(ConsoleClient c, String uri, List<String> pairs) {
    return c.postPairs(uri, pairs.toArray(String[]::new));
  }

  /** Creates the series through the pages; answers the event's id. */
  static String createSeries(ConsoleClient c, String title, LocalDate first) {
    c.get("/console/events/new");
    HttpResponse<Buffer> saved =
        post(c, "/console/events/new", series(title, first, "action", "save"));
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(303);
    String location = saved.getHeader("Location");
    assertThat(location).matches("/console/events/[^/?]+\\?done=created");
    return location.replaceAll("^/console/events/([^?]+).*$", "$1");
  }

  @Test
  void anEditorBuildsAWeeklySeriesPreviewsItAndTheApiHasItsRrule() {
    ConsoleClient c = editor();
    LocalDate first = nextMonday(app);
    String title = "Youth hub " + UUID.randomUUID().toString().substring(0, 6);
    c.get("/console/events/new");
    HttpResponse<Buffer> preview =
        post(c, "/console/events/new", series(title, first, "action", "preview"));
    assertThat(preview.statusCode()).as(preview.bodyAsString()).isEqualTo(200);
    String html = preview.bodyAsString();
    DateTimeFormatter day = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.UK);
    assertThat(html)
        .contains("id=\"preview-dates\"")
        .contains(day.format(first) + ", 15:00 to 18:00")
        .contains(day.format(first.plusDays(2)) + ", 15:00 to 18:00")
        .contains(day.format(first.plusDays(4)) + ", 15:00 to 18:00")
        .contains("value=\"" + title + "\"");
    assertThat(app.get("/v1/events?limit=100", null).bodyAsString()).doesNotContain(title);

    String id = createSeries(c, title, first);
    JsonObject event = app.get("/v1/events/" + id, null).bodyAsJsonObject();
    String until =
        first.plusWeeks(10).minusDays(1).atTime(23, 59, 59).atZone(LONDON).toInstant().toString();
    assertThat(event.getString("recurrence"))
        .isEqualTo(
            "FREQ=WEEKLY;UNTIL=" + until.replace("-", "").replace(":", "") + ";BYDAY=MO,WE,FR");
    assertThat(event.getString("startsAt")).startsWith(first + "T15:00");
    assertThat(event.getBoolean("sensitive")).isFalse();

    HttpResponse<Buffer> page = c.get("/console/events/" + id);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString())
        .contains("Every Monday, Wednesday and Friday, 15:00 to 18:00")
        .contains("id=\"next-dates\"");
    assertThat(c.get("/console/events").bodyAsString()).contains(title);
  }

  @Test
  void aDateIsCancelledAndTheCalendarFeedShowsItCancelled() {
    ConsoleClient c = editor();
    LocalDate first = nextMonday(app);
    String id = createSeries(c, "Football " + UUID.randomUUID(), first);
    LocalDate wednesday = first.plusDays(2);
    HttpResponse<Buffer> confirm = c.get("/console/events/" + id + "/cancel?date=" + wednesday);
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.bodyAsString()).contains("Cancel this date");
    HttpResponse<Buffer> done =
        c.post(
            "/console/events/" + id + "/cancel",
            form("occurrence", wednesday.toString(), "reason", "Pitch maintenance"));
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(303);
    assertThat(done.getHeader("Location")).endsWith("?done=date-cancelled");

    assertFeedShowsCancelled(app, wednesday, "150000");
    assertThat(c.get("/console/events/" + id).bodyAsString())
        .contains("Cancelled: Pitch maintenance");

    // not a date of the series: nothing cancelled, said so
    HttpResponse<Buffer> tuesday =
        c.post(
            "/console/events/" + id + "/cancel",
            form("occurrence", first.plusDays(1).toString(), "reason", ""));
    assertThat(ConsoleClient.errorPage(tuesday))
        .contains("govuk-error-summary", "not a date of the event");

    // the whole series
    assertThat(c.post("/console/events/" + id + "/cancel", form("reason", "")).statusCode())
        .isEqualTo(303);
    assertThat(app.get("/v1/events/" + id, null).bodyAsJsonObject().getString("status"))
        .isEqualTo("cancelled");
  }

  @Test
  void mistakesAreSummarisedOnTheFieldsAndWhatWasTypedStays() {
    ConsoleClient c = editor();
    LocalDate first = nextMonday(app);
    c.get("/console/events/new");
    List<String> pairs = series("", first, "action", "save");
    pairs.set(pairs.indexOf("startTime") + 1, "25:00");
    HttpResponse<Buffer> r = post(c, "/console/events/new", pairs);
    String html = ConsoleClient.errorPage(r);
    assertThat(html)
        .contains("href=\"#startTime\"")
        .contains("Free drop-in: games, music and homework help.")
        .contains("value=\"25:00\"");

    // the service's own rules, on the form's fields: no title; a first date not on the days
    pairs = series("", first.plusDays(1), "action", "save");
    r = post(c, "/console/events/new", pairs);
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#title\">Enter a title")
        .contains("value=\"The Lift\"");
    pairs = series("Tuesday start", first.plusDays(1), "action", "save");
    r = post(c, "/console/events/new", pairs);
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#date-day\">The date must be one of the days the event repeats on");

    // a weekly series with no day, and a title longer than the contract allows
    pairs = series("x".repeat(201), first, "action", "save");
    List<String> noDays = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      if (!pairs.get(i).equals("days")) {
        noDays.add(pairs.get(i));
        noDays.add(pairs.get(i + 1));
      }
    }
    r = post(c, "/console/events/new", noDays);
    assertThat(ConsoleClient.errorPage(r)).contains("href=\"#days\"");
    r = post(c, "/console/events/new", series("x".repeat(201), first, "action", "save"));
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#title\">The title must be 200 characters");
  }

  @Test
  void aRuleTheFormCannotExpressIsShownReadOnlyAndNeverRewritten() {
    String rule = "FREQ=MONTHLY;COUNT=6;BYDAY=1MO";
    LocalDate first =
        nextMonday(app).plusMonths(1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
    String id = createThroughTheApi(app, rule, first);
    String stored = app.get("/v1/events/" + id, null).bodyAsJsonObject().getString("recurrence");

    ConsoleClient c = editor();
    String edit = c.get("/console/events/" + id + "/edit").bodyAsString();
    assertThat(edit)
        .contains("id=\"locked-rule\"")
        .contains(stored)
        .doesNotContain("name=\"repeat\"");
    assertThat(c.get("/console/events/" + id).bodyAsString()).contains("id=\"event-rrule\"");

    // a change of title sends no rule: the stored one stays exactly as it was
    List<String> pairs = new ArrayList<>();
    for (String name :
        List.of(
            "title",
            "description",
            "category",
            "venueName",
            "venueAddress",
            "date-day",
            "date-month",
            "date-year",
            "startTime",
            "endTime",
            "sequence")) {
      pairs.add(name);
      pairs.add(value(edit, name));
    }
    pairs.set(1, "Parents' evening, new room");
    pairs.add("action");
    pairs.add("save");
    HttpResponse<Buffer> saved = post(c, "/console/events/" + id + "/edit", pairs);
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(303);
    JsonObject after = app.get("/v1/events/" + id, null).bodyAsJsonObject();
    assertThat(after.getString("title")).isEqualTo("Parents' evening, new room");
    assertThat(after.getString("recurrence")).isEqualTo(stored);

    // two editors on the same version: the second is told, and keeps what they typed
    saved = post(c, "/console/events/" + id + "/edit", pairs);
    pairs.set(1, "Parents' evening, moved again");
    HttpResponse<Buffer> stale = post(c, "/console/events/" + id + "/edit", pairs);
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.bodyAsString())
        .contains("Someone else changed this event")
        .contains("Parents&#39; evening, moved again");
  }

  /** The public calendar feed has the occurrence of that date (and London time) cancelled. */
  static void assertFeedShowsCancelled(TestApp app, LocalDate date, String time) {
    String ics = app.get("/v1/events.ics", null).bodyAsString().replace("\r\n ", "");
    String recurrenceId =
        "RECURRENCE-ID;TZID=Europe/London:" + date.toString().replace("-", "") + "T" + time;
    assertThat(
            Arrays.stream(ics.split("BEGIN:VEVENT"))
                .filter(v -> v.contains(recurrenceId))
                .findFirst())
        .as("the feed has an override of " + recurrenceId)
        .hasValueSatisfying(v -> assertThat(v).contains("STATUS:CANCELLED"));
  }

  /** An event made through createEvent (as an integration or another tool would); its id. */
  static String createThroughTheApi(TestApp app, String rule, LocalDate first) {
    var created =
        app.send(
            app.http()
                .post("/v1/events")
                .putHeader("Idempotency-Key", UUID.randomUUID().toString()),
            app.staffToken("editor"),
            new JsonObject()
                .put("title", "Parents' evening")
                .put("description", "Made through the API.")
                .put("category", "community")
                .put(
                    "venue",
                    new JsonObject().put("name", "Town Hall").put("address", "Upper Street"))
                .put("startsAt", rfc3339(first.atTime(18, 0)))
                .put("endsAt", rfc3339(first.atTime(19, 0)))
                .put("recurrence", rule));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  static String rfc3339(java.time.LocalDateTime london) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(london.atZone(LONDON));
  }

  /** The value of a text input or textarea as the page shows it (HTML-unescaped enough here). */
  static String value(String html, String name) {
    var input =
        java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"")
            .matcher(html);
    if (input.find()) {
      return input.group(1).replace("&#39;", "'").replace("&amp;", "&");
    }
    var area =
        java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*>([^<]*)</textarea>")
            .matcher(html);
    if (area.find()) {
      return area.group(1).replace("&#39;", "'").replace("&amp;", "&");
    }
    var radio =
        java.util.regex.Pattern.compile(
                "name=\"" + name + "\" type=\"radio\" value=\"([^\"]*)\" checked")
            .matcher(html);
    return radio.find() ? radio.group(1) : "";
  }

  @Test
  void unknownEventsAreNotFoundAndOtherRolesAreRefused() {
    ConsoleClient c = editor();
    for (String path :
        List.of("/console/events/no-such-event", "/console/events/no-such-event/edit")) {
      assertThat(c.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(c.post("/console/events/no-such-event/cancel", form("reason", "")).statusCode())
        .isEqualTo(404);

    ConsoleClient moderator = ConsoleClient.newStaff(app, "moderator");
    assertThat(moderator.get("/console/events").statusCode()).isEqualTo(403);
    assertThat(moderator.get("/console/events/new").statusCode()).isEqualTo(403);
    HttpResponse<Buffer> post =
        post(moderator, "/console/events/new", series("Nope", nextMonday(app), "action", "save"));
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(moderator.get("/console").bodyAsString()).doesNotContain("/console/events");
    String id = createSeries(c, "For editors only", nextMonday(app));
    assertThat(moderator.get("/console/events/" + id + "/edit").statusCode()).isEqualTo(403);
    assertThat(moderator.post("/console/events/" + id + "/cancel", form("reason", "")).statusCode())
        .isEqualTo(403);
    assertThat(app.get("/v1/events/" + id, null).bodyAsJsonObject().getString("status"))
        .isEqualTo("scheduled");
  }
}
