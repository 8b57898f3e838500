package uk.gov.islington.youthsafety.api.havens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.UUID;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/** Bodies and calls the havens' HTTP tests share (the console's tests too). */
public final class HavenFixtures {

  static final String[] DAYS = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

  private HavenFixtures() {}

  static JsonArray daily(String opens, String closes) {
    JsonArray w = new JsonArray();
    for (String d : DAYS) {
      w.add(range(d, opens, closes));
    }
    return w;
  }

  public static JsonObject range(String day, String opens, String closes) {
    return new JsonObject().put("day", day).put("opens", opens).put("closes", closes);
  }

  /** Opening hours of these weekly ranges alone. */
  public static JsonObject weeklyHours(JsonObject... ranges) {
    JsonArray weekly = new JsonArray();
    for (JsonObject r : ranges) {
      weekly.add(r);
    }
    return new JsonObject().put("weekly", weekly);
  }

  static JsonObject haven(String name, double lat, double lon, JsonArray weekly) {
    return new JsonObject()
        .put("name", name)
        .put("address", "1 Test Street, London")
        .put("postcode", "N1 1AA")
        .put("location", new JsonObject().put("lat", lat).put("lon", lon))
        .put("category", "shop")
        .put("facilities", new JsonArray().add("phone_charging"))
        .put("openingHours", new JsonObject().put("weekly", weekly));
  }

  static HttpResponse<Buffer> create(TestApp app, String token, JsonObject body, String key) {
    return app.send(app.http().post("/v1/havens").putHeader("Idempotency-Key", key), token, body);
  }

  /** Creates a haven as an editor; answers its id. */
  static String create(TestApp app, JsonObject body) {
    HttpResponse<Buffer> r =
        create(app, app.staffToken("editor"), body, UUID.randomUUID().toString());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  static JsonObject application(String name, double lat, double lon) {
    return haven(name, lat, lon, daily("08:00", "20:00"))
        .put("postcode", "N5 1XL")
        .put("contactName", "Sam Owner")
        .put("contactEmail", "sam.owner@example.org")
        .put("contactPhone", "07700 900123");
  }

  /**
   * A client whose connections come from {@code address} (any 127.x.y.z), i.e. another client for
   * the rate limits.
   */
  static WebClient clientFrom(TestApp app, String address) {
    return WebClient.create(
        app.app().context().vertx(),
        new WebClientOptions()
            .setLocalAddress(address)
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(app.app().port()));
  }

  static JsonArray errors(HttpResponse<Buffer> r) {
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    return r.bodyAsJsonObject().getJsonArray("errors", new JsonArray());
  }
}
