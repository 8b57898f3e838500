package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.all;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.body;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.created;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.detachedYouthWork;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.of;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.ok;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.RecurrenceId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * eventsCalendar over HTTP, read back with ical4j's CalendarBuilder, against what listEvents says.
 */
@WithTestApp(now = "2025-10-01T09:00:00Z")
class EventsCalendarTest {

  static TestApp app;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    editor = app.staffToken("editor");
  }

  static HttpResponse<Buffer> feed(String query) {
    var r = app.get("/v1/events.ics" + query, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("text/calendar; charset=utf-8");
    return r;
  }

  static Calendar parse(HttpResponse<Buffer> r) throws Exception {
    return new CalendarBuilder().build(new StringReader(r.bodyAsString()));
  }

  static List<VEvent> vevents(Calendar cal, String eventId) {
    return cal.<VEvent>getComponents("VEVENT").stream()
        .filter(
            v ->
                v.getProperty(Property.UID)
                    .get()
                    .getValue()
                    .equals(eventId + "@youth-safety.islington.gov.uk"))
        .toList();
  }

  static String prop(VEvent v, String name) {
    return v.getProperty(name).map(Property::getValue).orElse(null);
  }

  static VEvent master(Calendar cal, String eventId) {
    return vevents(cal, eventId).stream()
        .filter(v -> v.getProperty(Property.RECURRENCE_ID).isEmpty())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theFeedRoundTripsThroughIcal4jAndAgreesWithTheListing() throws Exception {
    JsonObject e =
        created(
            app,
            detachedYouthWork("2025-10-13T15:00:00+01:00", "2025-10-13T18:00:00+01:00")
                .put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20251219")
                .put(
                    "exdates",
                    new JsonArray().add("2025-10-27").add("2025-10-29").add("2025-10-31"))
                .put("ageRange", new JsonObject().put("min", 10).put("max", 25)));
    Calendar cal = parse(feed(""));
    assertThat(cal.getComponent("VTIMEZONE")).isPresent();
    VEvent v = master(cal, e.getString("id"));
    assertThat(prop(v, Property.RRULE))
        .isEqualTo("FREQ=WEEKLY;UNTIL=20251219T235959Z;BYDAY=MO,WE,FR");
    assertThat(v.getProperty(Property.DTSTART).get().getParameter("TZID").get().getValue())
        .isEqualTo("Europe/London");
    assertThat(prop(v, Property.EXDATE))
        .isEqualTo("20251027T150000,20251029T150000,20251031T150000");
    assertThat(prop(v, Property.STATUS)).isEqualTo("CONFIRMED");
    assertThat(prop(v, Property.LOCATION))
        .isEqualTo("Lift, 45 White Conduit Street, London N1 9EZ");

    ZonedDateTime from = ZonedDateTime.parse("2025-10-01T00:00:00Z");
    ZonedDateTime to = ZonedDateTime.parse("2026-01-01T00:00:00Z");
    Set<Instant> phone =
        v.<ZonedDateTime>calculateRecurrenceSet(new Period<>(from, to)).stream()
            .map(p -> Instant.from(p.getStart()))
            .collect(Collectors.toSet());
    Set<Instant> api =
        of(
                all(app, "from=2025-10-01T00:00:00Z&to=2026-01-01T00:00:00Z&limit=100"),
                e.getString("id"))
            .stream()
            .map(i -> OffsetDateTime.parse(i.getString("startsAt")).toInstant())
            .collect(Collectors.toSet());
    assertThat(phone)
        .isEqualTo(api)
        .hasSize(27)
        .contains(Instant.parse("2025-10-24T14:00:00Z"), Instant.parse("2025-11-03T15:00:00Z"));
  }

  @Test
  void uidStaysAndSequenceGoesUpWithEveryChange() throws Exception {
    String id =
        created(
                app,
                body("Football", "sport", "2025-10-10T18:00:00+01:00", "2025-10-10T20:00:00+01:00")
                    .put("recurrence", "FREQ=WEEKLY;BYDAY=FR;COUNT=12"))
            .getString("id");
    assertThat(prop(master(parse(feed("")), id), Property.SEQUENCE)).isEqualTo("0");
    ok(
        app.patch(
            "/v1/events/" + id, editor, new JsonObject().put("title", "Friday night football")));
    VEvent v1 = master(parse(feed("")), id);
    assertThat(prop(v1, Property.SEQUENCE)).isEqualTo("1");
    assertThat(prop(v1, Property.SUMMARY)).isEqualTo("Friday night football");
    ok(
        app.patch(
            "/v1/events/" + id,
            editor,
            new JsonObject()
                .put("startsAt", "2025-10-10T18:30:00+01:00")
                .put("endsAt", "2025-10-10T20:30:00+01:00")));
    assertThat(prop(master(parse(feed("")), id), Property.SEQUENCE)).isEqualTo("2");
  }

  @Test
  void cancellationsAreVisibleInTheListingAndInTheFeed() throws Exception {
    String id =
        created(
                app,
                body("Youth hub", "youth_hub", "2025-11-04T16:00:00Z", "2025-11-04T20:00:00Z")
                    .put("recurrence", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8"))
            .getString("id");
    ok(
        app.post(
            "/v1/events/" + id + "/cancel",
            editor,
            new JsonObject().put("occurrence", "2025-11-13").put("reason", "Staff training day")));

    List<JsonObject> listed = of(all(app, "from=2025-11-01T00:00:00Z&to=2025-12-01T00:00:00Z"), id);
    assertThat(listed).hasSize(8);
    assertThat(listed)
        .filteredOn(o -> o.getString("status").equals("cancelled"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getString("startsAt")).isEqualTo("2025-11-13T16:00:00Z");
              assertThat(o.getString("cancellationReason")).isEqualTo("Staff training day");
            });

    Calendar cal = parse(feed(""));
    List<VEvent> both = vevents(cal, id);
    assertThat(both).hasSize(2);
    VEvent override =
        both.stream()
            .filter(v -> v.getProperty(Property.RECURRENCE_ID).isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(
            Instant.from(
                ((RecurrenceId<?>) override.getProperty(Property.RECURRENCE_ID).get()).getDate()))
        .isEqualTo(Instant.parse("2025-11-13T16:00:00Z"));
    assertThat(prop(override, Property.STATUS)).isEqualTo("CANCELLED");
    assertThat(prop(override, Property.SEQUENCE))
        .isEqualTo(prop(master(cal, id), Property.SEQUENCE))
        .isEqualTo("1");
    assertThat(prop(master(cal, id), Property.STATUS)).isEqualTo("CONFIRMED");

    // the whole series is called off: every date listed as cancelled, the event stays in the feed
    ok(
        app.post(
            "/v1/events/" + id + "/cancel",
            editor,
            new JsonObject().put("reason", "Venue closed for repairs")));
    assertThat(of(all(app, "from=2025-11-01T00:00:00Z&to=2025-12-01T00:00:00Z"), id))
        .hasSize(8)
        .allSatisfy(o -> assertThat(o.getString("status")).isEqualTo("cancelled"));
    VEvent cancelled = master(parse(feed("")), id);
    assertThat(prop(cancelled, Property.STATUS)).isEqualTo("CANCELLED");
    assertThat(prop(cancelled, Property.SEQUENCE)).isEqualTo("2");
    assertThat(prop(cancelled, Property.SUMMARY)).startsWith("Cancelled: ");
    assertThat(prop(cancelled, Property.DESCRIPTION))
        .startsWith("Cancelled: Venue closed for repairs");
  }

  @Test
  void theFeedIsCacheableWithAnEtag() {
    var first = feed("");
    String etag = first.getHeader("ETag");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
    var again =
        app.send(app.http().get("/v1/events.ics").putHeader("If-None-Match", etag), null, null);
    assertThat(again.statusCode()).isEqualTo(304);
    // a phone calendar asking for text/calendar gets it
    var phone =
        app.send(app.http().get("/v1/events.ics").putHeader("Accept", "text/calendar"), null, null);
    assertThat(phone.statusCode()).isEqualTo(200);
    assertThat(phone.getHeader("ETag")).isEqualTo(etag);
    assertThat(phone.bodyAsString()).isEqualTo(first.bodyAsString());
  }

  @Test
  void feedFiltersAndTheirValidation() throws Exception {
    String sport =
        created(
                app,
                body("Boxing", "sport", "2025-12-01T17:00:00Z", "2025-12-01T18:00:00Z")
                    .put("ageRange", new JsonObject().put("min", 12).put("max", 16)))
            .getString("id");
    String talk =
        created(
                app,
                body("Parents talk", "training", "2025-12-02T18:00:00Z", "2025-12-02T19:00:00Z")
                    .put("ageRange", new JsonObject().put("min", 18)))
            .getString("id");
    Calendar sportOnly = parse(feed("?category=sport"));
    assertThat(vevents(sportOnly, sport)).hasSize(1);
    assertThat(vevents(sportOnly, talk)).isEmpty();
    assertThat(sportOnly.<VEvent>getComponents("VEVENT"))
        .allSatisfy(v -> assertThat(prop(v, Property.CATEGORIES)).isEqualTo("sport"));
    Calendar for14 = parse(feed("?age=14"));
    assertThat(vevents(for14, sport)).hasSize(1);
    assertThat(vevents(for14, talk)).isEmpty();
    assertThat(app.get("/v1/events.ics?category=raves", null).statusCode()).isEqualTo(400);
    // no location filter on a subscription address: such parameters are not part of the feed and
    // change nothing
    assertThat(feed("?lat=51.5&lon=-0.1").bodyAsString()).isEqualTo(feed("").bodyAsString());
  }
}
