package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/** Every error leaves as RFC 9457 problem+json, with the right status and never a stack trace. */
@WithTestApp
class ErrorShapesTest {

  static TestApp app;

  private static JsonObject problem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).startsWith("urn:youth-safety:problem:");
    assertThat(body.getString("title")).isNotBlank();
    assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }

  @Test
  void badQueryParameterNamesTheField() {
    JsonObject body = problem(app.get("/v1/support-services?limit=abc", null), 400);
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("limit");
  }

  @Test
  void brokenPercentEscapesAre400NamingWhere() {
    record Case(String uri, String field) {}
    for (Case c :
        List.of(
            new Case("/v1/havens?since=%ZZ", "since"),
            new Case("/v1/events?category=abc%", "category"),
            new Case("/v1/havens/nearby?lat=51.5&lon=%2", "lon"),
            new Case("/v1/support-services?%ZZ=1", "query"),
            new Case("/v1/havens/%ZZ", "path"))) {
      JsonObject body = problem(app.get(c.uri(), null), 400);
      assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field"))
          .as(c.uri())
          .isEqualTo(c.field());
    }
    // a well-formed escape of "%" is just a character
    assertThat(app.get("/v1/support-services?limit=%31%30", null).statusCode()).isEqualTo(200);
  }

  @Test
  void outOfRangeLimitIsRefused() {
    JsonObject body = problem(app.get("/v1/support-services?limit=101", null), 400);
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("limit");
  }

  @Test
  void badBodyFieldAndUnknownFieldAreBothNamed() {
    JsonObject body =
        problem(
            app.post("/v1/devices", null, new JsonObject().put("ageBand", "9").put("name", "x")),
            400);
    assertThat(body.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("ageBand", "name");
  }

  @Test
  void malformedJsonIsA400() {
    var r =
        app.await(
            app.http()
                .post("/v1/devices")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"ageBand\":")));
    JsonObject body = problem(r, 400);
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("body");
  }

  @Test
  void unknownPathIs404() {
    problem(app.get("/v1/nothing-here", null), 404);
  }

  @Test
  void wrongMethodIs405WithAllow() {
    var r = app.delete("/health/live", null);
    problem(r, 405);
    assertThat(r.getHeader("Allow")).isEqualTo("GET");
  }

  @Test
  void wrongMediaTypeIs415() {
    var r =
        app.await(
            app.http()
                .post("/v1/devices")
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("ageBand=14-17")));
    problem(r, 415);
  }

  @Test
  void twoMebibyteBodyIsRefusedWith413BeforeItIsRead() {
    Buffer big = Buffer.buffer(new byte[2 * 1024 * 1024]);
    var r =
        app.await(
            app.http()
                .post("/v1/devices")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(big));
    problem(r, 413);
  }

  @Test
  void securityHeadersOnEveryAnswer() {
    var r = app.get("/health/live", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void theNulCharacterAnywhereInABodyIsA400NamingTheFieldNeverA500() {
    JsonObject event =
        new JsonObject()
            .put("title", "Open mic")
            .put("description", "Bring a song")
            .put("category", "arts")
            .put(
                "venue",
                new JsonObject()
                    .put("name", "Lift")
                    .put("address", "45 White Conduit Street, London N1 9EZ")
                    .put("location", new JsonObject().put("lat", 51.5346).put("lon", -0.1066)))
            .put("startsAt", "2027-03-01T18:00:00Z")
            .put("endsAt", "2027-03-01T20:00:00Z");
    String editor = app.staffToken("editor");
    record Case(JsonObject body, String field) {}
    for (Case c :
        List.of(
            new Case(event.copy().put("title", "Open\u0000mic"), "title"),
            new Case(
                event
                    .copy()
                    .put("venue", event.getJsonObject("venue").copy().put("name", "Li\u0000ft")),
                "venue.name"),
            new Case(event.copy().put("description", "\u0000"), "description"))) {
      var r =
          app.send(
              app.http().post("/v1/events").putHeader("Idempotency-Key", "nul-" + c.field()),
              editor,
              c.body());
      JsonObject body = problem(r, 400);
      assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo(c.field());
      assertThat(body.getJsonArray("errors").getJsonObject(0).getString("message")).contains("NUL");
    }
    // the same body without it is stored
    var r =
        app.send(
            app.http().post("/v1/events").putHeader("Idempotency-Key", "nul-none"), editor, event);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  @Test
  void requestsTheDecoderCannotReadGetAProblemAndAClosedConnection() throws Exception {
    record Case(String request, int status, String type) {}
    String longPath = "/v1/support-services?q=" + "a".repeat(5000);
    for (Case c :
        List.of(
            new Case("GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri-too-long"),
            new Case(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
                431,
                "headers-too-large"),
            new Case(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n",
                400,
                "malformed-request"))) {
      String answer = rawExchange(c.request());
      // a request line that could not be read has no version: Vert.x answers that one as HTTP/1.0
      assertThat(answer)
          .as(c.type())
          .matches("(?s)http/1\\.[01] " + c.status() + " .*")
          .contains("content-type: application/problem+json", "x-content-type-options: nosniff")
          .contains("\"type\":\"urn:youth-safety:problem:" + c.type() + "\"")
          .doesNotContain("exception")
          .doesNotContain("aaaa")
          .doesNotContain("bbbb");
    }
    // the server is still there for everyone else
    assertThat(app.get("/health/live", null).statusCode()).isEqualTo(200);
  }

  /**
   * Writes one raw request and reads until the server closes the connection (a read time-out fails
   * the test).
   */
  private static String rawExchange(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.app().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .toLowerCase(java.util.Locale.ROOT);
    }
  }
}
