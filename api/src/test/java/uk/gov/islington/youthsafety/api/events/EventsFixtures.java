package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/** Request bodies and calls shared by the events tests. */
final class EventsFixtures {

  private EventsFixtures() {}

  static JsonObject lift() {
    return new JsonObject()
        .put("name", "Lift")
        .put("address", "45 White Conduit Street, London N1 9EZ")
        .put("location", new JsonObject().put("lat", 51.5346).put("lon", -0.1066));
  }

  /** A one-off event body (add recurrence etc. with put). */
  static JsonObject body(String title, String category, String startsAt, String endsAt) {
    return new JsonObject()
        .put("title", title)
        .put("description", "About " + title)
        .put("category", category)
        .put("venue", lift())
        .put("startsAt", startsAt)
        .put("endsAt", endsAt);
  }

  /** Youth workers out on the streets: the series (with a recurrence added) several tests use. */
  static JsonObject detachedYouthWork(String startsAt, String endsAt) {
    return body("Detached youth work", "detached_youth_work", startsAt, endsAt);
  }

  static HttpResponse<Buffer> create(TestApp app, String token, JsonObject body, String key) {
    return app.send(app.http().post("/v1/events").putHeader("Idempotency-Key", key), token, body);
  }

  /** Creates as an editor and answers the event; fails the test on anything but 201. */
  static JsonObject created(TestApp app, JsonObject body) {
    HttpResponse<Buffer> r = create(app, app.staffToken("editor"), body, "k-" + UUID.randomUUID());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** The fields a 400 names. */
  static List<String> fields(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    List<String> out = new ArrayList<>();
    JsonArray errors = r.bodyAsJsonObject().getJsonArray("errors");
    errors.forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }

  /** Every page of a listing, following nextCursor. */
  static List<JsonObject> all(TestApp app, String query) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          ok(app.get("/v1/events?" + query + (cursor == null ? "" : "&cursor=" + cursor), null));
      page.getJsonArray("items").forEach(i -> out.add((JsonObject) i));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return out;
  }

  static List<JsonObject> of(List<JsonObject> items, String eventId) {
    return items.stream().filter(i -> i.getString("eventId").equals(eventId)).toList();
  }
}
