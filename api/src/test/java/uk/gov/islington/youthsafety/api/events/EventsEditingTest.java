package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.all;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.body;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.create;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.created;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.detachedYouthWork;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.fields;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.of;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.ok;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * createEvent, updateEvent, cancelEvent: roles, validation, SEQUENCE, idempotency, If-Match,
 * postponing.
 */
@WithTestApp(now = "2025-10-01T09:00:00Z")
class EventsEditingTest {

  static TestApp app;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    editor = app.staffToken("editor");
  }

  static JsonObject oneOff() {
    return body(
        "Knife crime awareness workshop",
        "workshop",
        "2025-11-05T17:00:00Z",
        "2025-11-05T19:00:00Z");
  }

  static JsonObject series() {
    return detachedYouthWork("2025-11-03T15:00:00Z", "2025-11-03T18:00:00Z")
        .put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=30");
  }

  static HttpResponse<Buffer> patch(String id, JsonObject body) {
    return app.patch("/v1/events/" + id, editor, body);
  }

  static HttpResponse<Buffer> cancel(String id, JsonObject body) {
    return app.post("/v1/events/" + id + "/cancel", editor, body);
  }

  @Test
  void anEditorCreatesAndAnyoneReadsIt() {
    var r =
        create(
            app,
            editor,
            oneOff()
                .put("organiser", "Youth and Community")
                .put("ageRange", new JsonObject().put("min", 13).put("max", 18))
                .put("cost", new JsonObject().put("free", true))
                .put("bookingUrl", "https://example.org/book")
                .put("accessibility", "Step-free"),
            "create-" + UUID.randomUUID());
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject e = r.bodyAsJsonObject();
    assertThat(r.getHeader("Location")).isEqualTo("/v1/events/" + e.getString("id"));
    assertThat(r.getHeader("ETag")).isEqualTo("\"v0\"");
    assertThat(e.getInteger("sequence")).isZero();
    assertThat(e.getString("status")).isEqualTo("scheduled");
    assertThat(e.getString("timeZone")).isEqualTo("Europe/London");
    assertThat(e.getBoolean("sensitive")).isFalse();
    assertThat(e.getBoolean("sample")).isFalse();

    var read = app.get("/v1/events/" + e.getString("id"), null);
    assertThat(ok(read)).isEqualTo(e);
    assertThat(read.getHeader("ETag")).isEqualTo("\"v0\"");
    var notModified =
        app.send(
            app.http().get("/v1/events/" + e.getString("id")).putHeader("If-None-Match", "\"v0\""),
            null,
            null);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(app.get("/v1/events/no-such-event", null).statusCode()).isEqualTo(404);
  }

  @Test
  void onlyEditorsEdit() {
    String id = created(app, oneOff()).getString("id");
    for (String token :
        new String[] {
          null,
          app.deviceToken("14-17"),
          app.staffToken("moderator"),
          app.staffToken("youth_council"),
          app.staffToken("admin")
        }) {
      int expected = token == null ? 401 : 403;
      assertThat(create(app, token, oneOff(), "roles-" + UUID.randomUUID()).statusCode())
          .isEqualTo(expected);
      assertThat(
              app.patch("/v1/events/" + id, token, new JsonObject().put("title", "x")).statusCode())
          .isEqualTo(expected);
      assertThat(app.post("/v1/events/" + id + "/cancel", token, new JsonObject()).statusCode())
          .isEqualTo(expected);
    }
    assertThat(ok(app.get("/v1/events/" + id, null)).getString("status")).isEqualTo("scheduled");
    assertThat(ok(app.get("/v1/events/" + id, null)).getInteger("sequence")).isZero();
  }

  @Test
  void validationErrorsNameTheirField() {
    String key = "v-" + UUID.randomUUID();
    assertThat(fields(create(app, editor, oneOff().put("endsAt", "2025-11-05T16:00:00Z"), key)))
        .containsExactly("endsAt");
    assertThat(
            fields(
                create(app, editor, series().put("recurrence", "FREQ=WEEKLY;BYDAY=MONDAY"), key)))
        .containsExactly("recurrence");
    assertThat(fields(create(app, editor, series().put("recurrence", "every monday"), key)))
        .containsExactly("recurrence");
    assertThat(fields(create(app, editor, series().put("recurrence", "FREQ=HOURLY;COUNT=5"), key)))
        .containsExactly("recurrence");
    assertThat(
            fields(
                create(
                    app,
                    editor,
                    series().put("recurrence", "FREQ=WEEKLY;COUNT=5;UNTIL=20251201"),
                    key)))
        .containsExactly("recurrence");
    // 3 November 2025 is a Monday: a Tuesday rule does not produce it
    assertThat(
            fields(
                create(
                    app, editor, series().put("recurrence", "FREQ=WEEKLY;BYDAY=TU;COUNT=5"), key)))
        .containsExactly("startsAt");
    assertThat(
            fields(
                create(
                    app,
                    editor,
                    series().put("exdates", new JsonArray().add("2025-11-05").add("2025-11-04")),
                    key)))
        .containsExactly("exdates[1]");
    assertThat(
            fields(
                create(
                    app,
                    editor,
                    series().put("exdates", new JsonArray().add("2025-11-05T16:00:00Z")),
                    key)))
        .containsExactly("exdates[0]");
    assertThat(
            fields(
                create(
                    app, editor, oneOff().put("exdates", new JsonArray().add("2025-11-05")), key)))
        .containsExactly("exdates");
    assertThat(fields(create(app, editor, oneOff().put("endsAt", "2025-12-05T19:00:00Z"), key)))
        .containsExactly("endsAt");
    assertThat(fields(create(app, editor, oneOff().put("bookingUrl", "javascript:alert(1)"), key)))
        .containsExactly("bookingUrl");
    assertThat(fields(create(app, editor, oneOff().put("title", "   "), key)))
        .containsExactly("title");
    assertThat(fields(create(app, editor, oneOff().put("colour", "red"), key)))
        .containsExactly("colour");
    assertThat(fields(create(app, editor, oneOff().put("category", "rave"), key)))
        .containsExactly("category");
    assertThat(fields(create(app, editor, oneOff().put("startsAt", "5 November"), key)))
        .containsExactly("startsAt");
    JsonObject noTitle = oneOff();
    noTitle.remove("title");
    assertThat(fields(create(app, editor, noTitle, key))).containsExactly("title");
    assertThat(
            fields(
                create(
                    app, editor, oneOff().put("venue", new JsonObject().put("name", "Lift")), key)))
        .containsExactly("venue.address");
    // several at once, so an editor can fix them together
    assertThat(
            fields(
                create(
                    app,
                    editor,
                    oneOff()
                        .put("endsAt", "2025-11-05T16:00:00Z")
                        .put("ageRange", new JsonObject().put("min", 18).put("max", 11)),
                    key)))
        .containsExactlyInAnyOrder("endsAt", "ageRange.max");
    // none of these used up the key
    assertThat(create(app, editor, oneOff(), key).statusCode()).isEqualTo(201);

    String seriesId = created(app, series()).getString("id");
    String oneOffId = created(app, oneOff()).getString("id");
    assertThat(fields(patch(oneOffId, new JsonObject().put("endsAt", "2025-11-05T10:00:00Z"))))
        .containsExactly("endsAt");
    assertThat(fields(patch(seriesId, new JsonObject().put("status", "postponed"))))
        .containsExactly("status");
    assertThat(fields(patch(seriesId, new JsonObject()))).containsExactly("body");
    assertThat(fields(cancel(oneOffId, new JsonObject().put("occurrence", "2025-11-05"))))
        .containsExactly("occurrence");
    assertThat(fields(cancel(seriesId, new JsonObject().put("occurrence", "2025-11-04"))))
        .containsExactly("occurrence");
    assertThat(fields(cancel(seriesId, new JsonObject().put("occurrence", "next week"))))
        .containsExactly("occurrence");
    assertThat(
            fields(
                app.send(
                    app.http().patch("/v1/events/" + seriesId).putHeader("If-Match", "yesterday"),
                    editor,
                    new JsonObject().put("title", "x"))))
        .containsExactly("If-Match");
  }

  @Test
  void everyChangeBumpsTheSequenceAndANoOpDoesNot() {
    JsonObject e = created(app, series());
    String id = e.getString("id");
    JsonObject v1 = ok(patch(id, new JsonObject().put("title", "Detached youth work: Highbury")));
    assertThat(v1.getInteger("sequence")).isEqualTo(1);
    JsonObject same = ok(patch(id, new JsonObject().put("title", "Detached youth work: Highbury")));
    assertThat(same.getInteger("sequence")).isEqualTo(1);
    app.clock.advance(java.time.Duration.ofMinutes(5));
    JsonObject v2 =
        ok(
            patch(
                id,
                new JsonObject()
                    .put("bookingUrl", "https://example.org")
                    .put("organiser", "Jigsaw")));
    assertThat(v2.getInteger("sequence")).isEqualTo(2);
    assertThat(Instant.parse(v2.getString("updatedAt")))
        .isAfter(Instant.parse(v1.getString("updatedAt")));
    JsonObject v3 = ok(patch(id, new JsonObject().put("bookingUrl", null)));
    assertThat(v3.getInteger("sequence")).isEqualTo(3);
    assertThat(v3.getString("bookingUrl")).isNull();
    assertThat(v3.getString("organiser")).isEqualTo("Jigsaw");
    JsonObject v4 =
        ok(
            cancel(
                id,
                new JsonObject().put("occurrence", "2025-11-05").put("reason", "Storm warning")));
    assertThat(v4.getInteger("sequence")).isEqualTo(4);
    assertThat(
            ok(cancel(id, new JsonObject().put("occurrence", "2025-11-05T15:00:00Z")))
                .getInteger("sequence"))
        .as("cancelling the same date again changes nothing")
        .isEqualTo(4);
    JsonObject v5 = ok(cancel(id, new JsonObject().put("reason", "Funding ended")));
    assertThat(v5.getInteger("sequence")).isEqualTo(5);
    assertThat(v5.getString("status")).isEqualTo("cancelled");
    assertThat(ok(cancel(id, new JsonObject())).getInteger("sequence")).isEqualTo(5);
    // never deleted: still readable, still listed
    assertThat(ok(app.get("/v1/events/" + id, null)).getString("cancellationReason"))
        .isEqualTo("Funding ended");
    // and reinstated
    JsonObject v6 = ok(patch(id, new JsonObject().put("status", "scheduled")));
    assertThat(v6.getInteger("sequence")).isEqualTo(6);
    assertThat(v6.getString("status")).isEqualTo("scheduled");
    assertThat(v6.getString("cancellationReason")).isNull();
    assertThat(v6.getJsonArray("cancelledOccurrences")).hasSize(1);
  }

  @Test
  void changingTheRuleRechecksTheExdates() {
    String id =
        created(app, series().put("exdates", new JsonArray().add("2025-11-07"))).getString("id");
    assertThat(
            fields(
                patch(id, new JsonObject().put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20"))))
        .containsExactly("exdates");
    JsonObject ok =
        ok(
            patch(
                id,
                new JsonObject()
                    .put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20")
                    .put("exdates", new JsonArray().add("2025-11-05"))));
    assertThat(ok.getJsonArray("exdates")).containsExactly("2025-11-05");
    // moving the time of day keeps the exdates (they are London dates)
    JsonObject later =
        ok(
            patch(
                id,
                new JsonObject()
                    .put("startsAt", "2025-11-03T16:00:00Z")
                    .put("endsAt", "2025-11-03T19:00:00Z")));
    assertThat(later.getJsonArray("exdates")).containsExactly("2025-11-05");
    assertThat(
            ok(patch(id, new JsonObject().put("recurrence", null).put("exdates", null)))
                .getString("recurrence"))
        .isNull();
  }

  @Test
  void aRetryWithTheSameKeyAnswersTheSameEvent() {
    String key = "retry-" + UUID.randomUUID();
    var first = create(app, editor, oneOff(), key);
    var again = create(app, editor, oneOff(), key);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    var other = create(app, editor, oneOff().put("title", "Something else"), key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.events WHERE id = $1",
                    first.bodyAsJsonObject().getString("id"))
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    // the key is the editor's own: another editor's same key is another request
    var someoneElse = create(app, app.staffToken("editor"), oneOff(), key);
    assertThat(someoneElse.bodyAsJsonObject().getString("id"))
        .isNotEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(create(app, editor, oneOff(), null).statusCode()).isEqualTo(400);
  }

  @Test
  void concurrentRetriesCreateOneEvent() {
    String key = "race-" + UUID.randomUUID();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sends.add(
          app.http()
              .post("/v1/events")
              .putHeader("Idempotency-Key", key)
              .putHeader("Authorization", TestApp.bearer(editor))
              .sendJsonObject(oneOff().put("title", "Race")));
    }
    List<String> ids =
        sends.stream()
            .map(f -> app.await(f))
            .peek(r -> assertThat(r.statusCode()).isEqualTo(201))
            .map(r -> r.bodyAsJsonObject().getString("id"))
            .distinct()
            .toList();
    assertThat(ids).hasSize(1);
  }

  @Test
  void ifMatchRefusesAStaleEdit() {
    String id = created(app, oneOff()).getString("id");
    var read = app.get("/v1/events/" + id, null);
    String etag = read.getHeader("ETag");
    ok(patch(id, new JsonObject().put("title", "Changed by someone else")));
    var stale =
        app.send(
            app.http().patch("/v1/events/" + id).putHeader("If-Match", etag),
            editor,
            new JsonObject().put("title", "My change"));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.getHeader("Content-Type")).isEqualTo("application/problem+json");
    var fresh =
        app.send(
            app.http().patch("/v1/events/" + id).putHeader("If-Match", "\"v1\""),
            editor,
            new JsonObject().put("title", "My change"));
    assertThat(ok(fresh).getString("title")).isEqualTo("My change");
    assertThat(
            app.send(
                    app.http().post("/v1/events/" + id + "/cancel").putHeader("If-Match", "\"v1\""),
                    editor,
                    new JsonObject())
                .statusCode())
        .isEqualTo(412);
  }

  @Test
  void postponingKeepsThePreviousDateAndConfirmingClearsIt() {
    JsonObject e =
        created(app, body("Street art", "arts", "2025-11-10T16:00:00Z", "2025-11-10T18:00:00Z"));
    String id = e.getString("id");
    JsonObject postponed = ok(patch(id, new JsonObject().put("status", "postponed")));
    assertThat(postponed.getString("previousStartsAt")).isEqualTo("2025-11-10T16:00:00Z");
    JsonObject moved =
        ok(
            patch(
                id,
                new JsonObject()
                    .put("startsAt", "2025-11-24T16:00:00Z")
                    .put("endsAt", "2025-11-24T18:00:00Z")));
    assertThat(moved.getString("status")).isEqualTo("postponed");
    assertThat(moved.getString("previousStartsAt")).isEqualTo("2025-11-10T16:00:00Z");
    List<JsonObject> listed = of(all(app, "from=2025-11-01T00:00:00Z&to=2025-12-01T00:00:00Z"), id);
    assertThat(listed)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getString("startsAt")).isEqualTo("2025-11-24T16:00:00Z");
              assertThat(o.getString("status")).isEqualTo("postponed");
              assertThat(o.getString("previousStartsAt")).isEqualTo("2025-11-10T16:00:00Z");
            });
    JsonObject confirmed = ok(patch(id, new JsonObject().put("status", "scheduled")));
    assertThat(confirmed.getString("previousStartsAt")).isNull();
    assertThat(confirmed.getInteger("sequence")).isEqualTo(3);
  }

  @Test
  void editingAnEventThatDoesNotExistIs404() {
    assertThat(patch("missing", new JsonObject().put("title", "x")).statusCode()).isEqualTo(404);
    assertThat(cancel("missing", new JsonObject()).statusCode()).isEqualTo(404);
  }

  @Test
  void theSensitiveFlagIsKept() {
    JsonObject e =
        created(
            app,
            body("Annual memorial", "memorial", "2026-03-20T18:00:00Z", "2026-03-20T19:30:00Z")
                .put("sensitive", true));
    assertThat(e.getBoolean("sensitive")).isTrue();
    assertThat(of(all(app, "from=2026-03-20T00:00:00Z&to=2026-03-21T00:00:00Z"), e.getString("id")))
        .singleElement()
        .satisfies(o -> assertThat(o.getBoolean("sensitive")).isTrue());
  }
}
