package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/** Small HTTP helpers for the bulletin journeys. */
final class BulletinApi {

  private final Supplier<TestApp> app;
  private final String editorId = UUID.randomUUID().toString();

  BulletinApi(TestApp app) {
    this(() -> app);
  }

  /**
   * On whatever service {@code app} answers at each call (e.g. a static field @WithTestApp sets).
   */
  BulletinApi(Supplier<TestApp> app) {
    this.app = app;
  }

  /** A fresh editor token (staff tokens live 15 minutes of the test clock, which tests move). */
  String editor() {
    return app.get().app().context().tokens().issueStaff(editorId, List.of("editor")).token();
  }

  static JsonObject draft(String title) {
    return new JsonObject()
        .put("title", title)
        .put(
            "body",
            "The Lift youth hub runs free boxing and music sessions every Thursday, 5 to 8pm.")
        .put("audiences", new JsonArray().add("parents").add("young_people"));
  }

  HttpResponse<Buffer> create(JsonObject body, String key) {
    return app.get()
        .send(
            app.get().http().post("/v1/bulletins").putHeader("Idempotency-Key", key),
            editor(),
            body);
  }

  /** Creates a draft and answers its id. */
  String createDraft(JsonObject body) {
    HttpResponse<Buffer> r = create(body, "key-" + UUID.randomUUID());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> send(String id, JsonObject body) {
    return app.get().post("/v1/bulletins/" + id + "/send", editor(), body);
  }

  JsonObject delivery(String id) {
    HttpResponse<Buffer> r = app.get().get("/v1/bulletins/" + id + "/delivery", editor());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** Sends now and waits until the delivery report says "sent". */
  JsonObject sendAndWait(String id) {
    HttpResponse<Buffer> r = send(id, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    waitUntil("bulletin " + id + " is sent", () -> "sent".equals(delivery(id).getString("state")));
    return delivery(id);
  }

  HttpResponse<Buffer> subscribe(String deviceToken, String fcmToken, String... audiences) {
    return app.get()
        .put(
            "/v1/subscriptions/me",
            deviceToken,
            new JsonObject()
                .put("fcmToken", fcmToken)
                .put("audiences", new JsonArray(List.of((Object[]) audiences))));
  }

  /** A realistic-looking FCM registration token. */
  static String fcmToken(String tag) {
    return "f"
        + tag.replaceAll("[^A-Za-z0-9]", "")
        + ":APA91b"
        + UUID.randomUUID().toString().replace("-", "")
        + "x".repeat(100);
  }

  /** Subscribes n new devices to an audience; answers their FCM tokens. */
  List<String> subscribers(int n, String audience) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String token = fcmToken(audience + i);
      HttpResponse<Buffer> r = subscribe(app.get().deviceToken(null), token, audience);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      tokens.add(token);
    }
    return tokens;
  }

  /** Field names of a validation problem. */
  static List<String> fields(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    List<String> out = new ArrayList<>();
    r.bodyAsJsonObject()
        .getJsonArray("errors")
        .forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }

  static void waitUntil(String what, BooleanSupplier condition) {
    Waiting.until(what, condition);
  }
}
