package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/** Support services as an editor writes them, and the calls the directory's tests make. */
final class DirectoryFixtures {

  private DirectoryFixtures() {}

  static JsonArray every(String opens, String closes, String... days) {
    JsonArray out = new JsonArray();
    for (String d :
        days.length == 0 ? new String[] {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"} : days) {
      out.add(new JsonObject().put("day", d).put("opens", opens).put("closes", closes));
    }
    return out;
  }

  /** An exception to the weekly hours: closed all day on {@code date}. */
  static JsonObject closedOn(String date) {
    return new JsonObject().put("date", date).put("closed", true);
  }

  /** An exception to the weekly hours: open only from {@code opens} to {@code closes} that day. */
  static JsonObject openOn(String date, String opens, String closes) {
    return new JsonObject().put("date", date).put("opens", opens).put("closes", closes);
  }

  static JsonObject service(String name) {
    return new JsonObject()
        .put("name", name)
        .put("description", "Support for young people in Islington, by phone and in person.")
        .put("categories", new JsonArray().add("youth_work"));
  }

  /** A helpline answered around the clock, by phone and by text. */
  static JsonObject helpline(String name) {
    JsonObject always = new JsonObject().put("weekly", every("00:00", "24:00"));
    return service(name)
        .put("categories", new JsonArray().add("mental_health"))
        .put("phone", "0800 000 0000")
        .put("textNumber", "85258")
        .put("hours", new JsonObject().put("phone", always).put("text", always.copy()));
  }

  static HttpResponse<Buffer> call(
      TestApp app,
      HttpMethod method,
      String uri,
      String token,
      JsonObject body,
      Map<String, String> headers) {
    HttpRequest<Buffer> r = app.http().request(method, uri);
    headers.forEach(r::putHeader);
    return app.send(r, token, body);
  }

  static HttpResponse<Buffer> create(TestApp app, String editor, JsonObject body) {
    return call(
        app,
        HttpMethod.POST,
        "/v1/support-services",
        editor,
        body,
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  static String createId(TestApp app, String editor, JsonObject body) {
    HttpResponse<Buffer> r = create(app, editor, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  /** Every page of a list query, in order. */
  static List<JsonObject> all(TestApp app, String query) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      String uri =
          "/v1/support-services?limit=7" + query + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<Buffer> r = app.get(uri, null);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      body.getJsonArray("items").forEach(i -> out.add((JsonObject) i));
      cursor = body.getString("nextCursor");
    } while (cursor != null);
    return out;
  }

  static List<String> ids(List<JsonObject> items) {
    return items.stream().map(i -> i.getString("id")).toList();
  }

  static List<String> errorFields(HttpResponse<Buffer> r) {
    JsonArray errors = r.bodyAsJsonObject().getJsonArray("errors", new JsonArray());
    List<String> out = new ArrayList<>();
    errors.forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }
}
