package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.all;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.body;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.created;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.detachedYouthWork;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.fields;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.of;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.ok;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * listEvents over HTTP: recurrences expanded across the clock changes, exdates, filters, paging,
 * the window rules and ETags. Each test works in its own stretch of the calendar.
 */
@WithTestApp(now = "2025-10-01T09:00:00Z")
class EventsListingTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  static LocalTime londonTime(JsonObject item, String field) {
    return OffsetDateTime.parse(item.getString(field)).atZoneSameInstant(LONDON).toLocalTime();
  }

  @Test
  void aWeeklySessionAtThreeStaysAtThreeLondonTimeAcrossTheOctoberAndMarchChanges() {
    JsonObject e =
        created(
            app,
            body(
                    "Youth hub Monday",
                    "youth_hub",
                    "2025-10-06T15:00:00+01:00",
                    "2025-10-06T18:00:00+01:00")
                .put("recurrence", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260430"));
    List<JsonObject> items =
        of(
            all(app, "from=2025-10-01T00:00:00Z&to=2026-04-30T00:00:00Z&limit=100"),
            e.getString("id"));
    assertThat(items).hasSize(30);
    assertThat(items)
        .allSatisfy(
            i -> {
              assertThat(londonTime(i, "startsAt")).isEqualTo(LocalTime.of(15, 0));
              assertThat(londonTime(i, "endsAt")).isEqualTo(LocalTime.of(18, 0));
              assertThat(i.getString("timeZone")).isEqualTo("Europe/London");
              assertThat(i.getString("status")).isEqualTo("scheduled");
              assertThat(i.getBoolean("recurring")).isTrue();
            });
    assertThat(items)
        .extracting(i -> i.getString("startsAt"))
        .contains(
            "2025-10-20T15:00:00+01:00",
                "2025-10-27T15:00:00Z", // British Summer Time ends 26 October 2025
            "2026-03-23T15:00:00Z", "2026-03-30T15:00:00+01:00"); // and starts again 29 March 2026
    assertThat(items)
        .extracting(i -> i.getString("id"))
        .doesNotHaveDuplicates()
        .contains(e.getString("id") + ".20251027");
  }

  @Test
  void exdatesAreLeftOutOfTheListing() {
    JsonObject e =
        created(
            app,
            detachedYouthWork("2026-05-04T15:00:00+01:00", "2026-05-04T18:00:00+01:00")
                .put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=9")
                .put("exdates", new JsonArray().add("2026-05-11").add("2026-05-13T14:00:00Z")));
    assertThat(e.getJsonArray("exdates")).containsExactly("2026-05-11", "2026-05-13");
    List<JsonObject> items =
        of(all(app, "from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z"), e.getString("id"));
    assertThat(items)
        .extracting(i -> i.getString("startsAt").substring(0, 10))
        .containsExactly(
            "2026-05-04",
            "2026-05-06",
            "2026-05-08",
            "2026-05-15",
            "2026-05-18",
            "2026-05-20",
            "2026-05-22");
  }

  @Test
  void categoryAgeAndRadiusFilters() {
    String from = "from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z";
    JsonObject football =
        created(
            app,
            body("Football", "sport", "2027-01-08T18:00:00Z", "2027-01-08T20:00:00Z")
                .put("ageRange", new JsonObject().put("min", 11).put("max", 18)));
    JsonObject parents =
        created(
            app,
            body("Parents evening", "training", "2027-01-09T18:00:00Z", "2027-01-09T20:00:00Z")
                .put("ageRange", new JsonObject().put("min", 18)));
    JsonObject everyone =
        created(app, body("Open day", "community", "2027-01-10T12:00:00Z", "2027-01-10T16:00:00Z"));
    JsonObject far =
        created(
            app,
            body("Trip", "sport", "2027-01-11T10:00:00Z", "2027-01-11T16:00:00Z")
                .put(
                    "venue",
                    new JsonObject()
                        .put("name", "Brighton beach")
                        .put("address", "Brighton")
                        .put(
                            "location", new JsonObject().put("lat", 50.8197).put("lon", -0.1367))));
    JsonObject nowhere =
        created(
            app,
            body("Online session", "workshop", "2027-01-12T17:00:00Z", "2027-01-12T18:00:00Z")
                .put(
                    "venue",
                    new JsonObject().put("name", "Online").put("address", "Zoom link on booking")));

    assertThat(all(app, from + "&category=sport"))
        .extracting(i -> i.getString("eventId"))
        .containsExactly(football.getString("id"), far.getString("id"));
    assertThat(all(app, from + "&age=14"))
        .extracting(i -> i.getString("eventId"))
        .contains(football.getString("id"), everyone.getString("id"))
        .doesNotContain(parents.getString("id"));
    assertThat(all(app, from + "&age=30"))
        .extracting(i -> i.getString("eventId"))
        .contains(parents.getString("id"), everyone.getString("id"))
        .doesNotContain(football.getString("id"));

    // near Highbury & Islington station: Lift is about 1.3 km away, Brighton 80 km, "Online" has no
    // place
    var near = app.get("/v1/events?" + from + "&lat=51.5463&lon=-0.1040&radius=2000", null);
    assertThat(near.getHeader("Cache-Control")).isEqualTo("no-store");
    List<JsonObject> items =
        ok(near).getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    assertThat(items)
        .extracting(i -> i.getString("eventId"))
        .containsExactly(
            football.getString("id"), parents.getString("id"), everyone.getString("id"));
    assertThat(items)
        .allSatisfy(i -> assertThat(i.getLong("distanceMetres")).isBetween(1200L, 1500L));
    assertThat(
            ok(app.get("/v1/events?" + from + "&lat=50.82&lon=-0.14&radius=1000", null))
                .getJsonArray("items"))
        .extracting(i -> ((JsonObject) i).getString("eventId"))
        .containsExactly(far.getString("id"));
    assertThat(all(app, from))
        .extracting(i -> i.getString("eventId"))
        .contains(nowhere.getString("id"));
    // the default radius is 3 km
    assertThat(
            ok(app.get("/v1/events?" + from + "&lat=51.5463&lon=-0.1040", null))
                .getJsonArray("items"))
        .hasSize(3);
  }

  @Test
  void pagingWalksEveryOccurrenceOnceInTimeOrder() {
    JsonObject a =
        created(
            app,
            body("Daily club", "youth_hub", "2028-03-01T16:00:00Z", "2028-03-01T17:00:00Z")
                .put("recurrence", "FREQ=DAILY;COUNT=10"));
    JsonObject b =
        created(app, body("Same time", "arts", "2028-03-03T16:00:00Z", "2028-03-03T17:00:00Z"));
    List<JsonObject> items = all(app, "from=2028-03-01T00:00:00Z&to=2028-04-01T00:00:00Z&limit=3");
    assertThat(items).hasSize(11);
    assertThat(items).extracting(i -> i.getString("id")).doesNotHaveDuplicates();
    assertThat(items)
        .extracting(
            i ->
                Instant.parse(OffsetDateTime.parse(i.getString("startsAt")).toInstant().toString()))
        .isSorted();
    assertThat(items.stream().filter(i -> i.getString("eventId").equals(b.getString("id"))))
        .hasSize(1);
    assertThat(of(items, a.getString("id"))).hasSize(10);
    // a page is limited, and carries a cursor
    JsonObject first =
        ok(app.get("/v1/events?from=2028-03-01T00:00:00Z&to=2028-04-01T00:00:00Z&limit=3", null));
    assertThat(first.getJsonArray("items")).hasSize(3);
    assertThat(first.getString("nextCursor")).isNotBlank();
    assertThat(fields(app.get("/v1/events?cursor=bm90LWpzb24", null))).containsExactly("cursor");
    assertThat(fields(app.get("/v1/events?limit=101", null))).containsExactly("limit");
  }

  @Test
  void withoutAWindowTheNextThirtyDaysAreListed() {
    JsonObject soon =
        created(app, body("Soon", "workshop", "2025-10-20T16:00:00Z", "2025-10-20T17:00:00Z"));
    JsonObject later =
        created(app, body("Later", "workshop", "2025-11-20T16:00:00Z", "2025-11-20T17:00:00Z"));
    List<JsonObject> items = all(app, "limit=100");
    assertThat(items)
        .extracting(i -> i.getString("eventId"))
        .contains(soon.getString("id"))
        .doesNotContain(later.getString("id"));
    assertThat(items)
        .allSatisfy(
            i ->
                assertThat(OffsetDateTime.parse(i.getString("startsAt")).toInstant())
                    .isBefore(Instant.parse("2025-10-31T09:00:00Z")));
  }

  @Test
  void windowRulesNameTheirParameter() {
    assertThat(
            fields(app.get("/v1/events?from=2025-10-10T00:00:00Z&to=2025-10-01T00:00:00Z", null)))
        .containsExactly("to");
    assertThat(
            fields(app.get("/v1/events?from=2025-10-01T00:00:00Z&to=2026-10-10T00:00:00Z", null)))
        .containsExactly("to");
    assertThat(fields(app.get("/v1/events?from=yesterday", null))).containsExactly("from");
    assertThat(fields(app.get("/v1/events?lat=51.5", null))).containsExactly("lon");
    assertThat(fields(app.get("/v1/events?radius=500", null))).containsExactly("radius");
    assertThat(fields(app.get("/v1/events?lat=91&lon=0", null))).containsExactly("lat");
    assertThat(fields(app.get("/v1/events?category=raves", null))).containsExactly("category");
    assertThat(fields(app.get("/v1/events?age=-1", null))).containsExactly("age");
  }

  @Test
  void listingsCarryAnEtagAndAnswer304UntilSomethingChanges() {
    String uri = "/v1/events?from=2029-06-01T00:00:00Z&to=2029-06-08T00:00:00Z";
    created(
        app,
        body("Summer fair", "community", "2029-06-02T12:00:00+01:00", "2029-06-02T17:00:00+01:00"));
    var first = app.get(uri, null);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=60");
    var again = app.send(app.http().get(uri).putHeader("If-None-Match", etag), null, null);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.getHeader("ETag")).isEqualTo(etag);
    assertThat(
            app.send(
                    app.http().get(uri).putHeader("If-None-Match", "W/" + etag + ", \"other\""),
                    null,
                    null)
                .statusCode())
        .isEqualTo(304);

    created(
        app,
        body(
            "Summer fair 2",
            "community",
            "2029-06-03T12:00:00+01:00",
            "2029-06-03T17:00:00+01:00"));
    var changed = app.send(app.http().get(uri).putHeader("If-None-Match", etag), null, null);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    assertThat(changed.bodyAsJsonObject().getJsonArray("items")).hasSize(2);
  }

  @Test
  void aListingOutsideTheCachedHorizonIsExpandedOnDemand() {
    JsonObject e =
        created(
            app,
            body("Old club", "youth_hub", "2024-01-02T16:00:00Z", "2024-01-02T18:00:00Z")
                .put("recurrence", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20251231"));
    List<JsonObject> items =
        of(all(app, "from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z"), e.getString("id"));
    assertThat(items)
        .extracting(i -> i.getString("startsAt"))
        .containsExactly(
            "2024-03-05T16:00:00Z",
            "2024-03-12T16:00:00Z",
            "2024-03-19T16:00:00Z",
            "2024-03-26T16:00:00Z");
    // and the same series, still running, inside the horizon (British Summer Time since 30 March
    // 2025)
    assertThat(of(all(app, "from=2025-10-01T00:00:00Z&to=2025-10-08T00:00:00Z"), e.getString("id")))
        .extracting(i -> i.getString("startsAt"))
        .containsExactly("2025-10-07T16:00:00+01:00");
  }
}
