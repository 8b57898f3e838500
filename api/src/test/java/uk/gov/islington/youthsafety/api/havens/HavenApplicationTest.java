package uk.gov.islington.youthsafety.api.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.application;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.range;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * Joining the scheme: apply (public, rate-limited, validated), list, approve or reject, and the
 * retention of contacts.
 */
@WithTestApp
class HavenApplicationTest {

  static TestApp app;
  static String editor;
  // each application from its own loopback address, so the per-address rate limit stays out of the
  // way
  static final AtomicInteger ADDRESS = new AtomicInteger(10);

  @BeforeAll
  static void start() throws Exception {
    app.setNow(Instant.parse("2026-06-10T10:00:00Z"));
    editor = app.staffToken("editor");
  }

  static HttpResponse<Buffer> apply(JsonObject body, String key, String address) {
    WebClient client = HavenFixtures.clientFrom(app, address);
    try {
      return client
          .post("/v1/haven-applications")
          .putHeader("Idempotency-Key", key)
          .sendJsonObject(body)
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  static HttpResponse<Buffer> apply(JsonObject body) {
    return apply(body, UUID.randomUUID().toString(), "127.0.1." + ADDRESS.incrementAndGet());
  }

  static String applied(JsonObject body) {
    HttpResponse<Buffer> r = apply(body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  static HttpResponse<Buffer> decide(String id, String decision, String reason) {
    JsonObject body = new JsonObject().put("decision", decision);
    if (reason != null) {
      body.put("reason", reason);
    }
    // a token minted now: some tests move the clock past a token's lifetime
    return app.post("/v1/haven-applications/" + id + "/decision", app.staffToken("editor"), body);
  }

  @Test
  void approvalCreatesAPublishedHavenFromTheApplication() {
    HttpResponse<Buffer> r = apply(application("Blackstock Bakery", 51.5600, -0.1000));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject receipt = r.bodyAsJsonObject();
    assertThat(receipt.getString("status")).isEqualTo("pending");
    assertThat(receipt.encode()).doesNotContain("sam.owner@example.org");
    String id = receipt.getString("id");

    JsonObject queued = app.get("/v1/haven-applications?status=pending", editor).bodyAsJsonObject();
    JsonObject mine =
        queued.getJsonArray("items").stream()
            .map(i -> (JsonObject) i)
            .filter(i -> i.getString("id").equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(mine.getJsonObject("contact").getString("email")).isEqualTo("sam.owner@example.org");
    assertThat(mine.getString("postcode")).isEqualTo("N5 1XL");

    HttpResponse<Buffer> approved = decide(id, "approve", null);
    assertThat(approved.statusCode()).isEqualTo(200);
    String havenId = approved.bodyAsJsonObject().getString("havenId");
    assertThat(approved.bodyAsJsonObject().getString("status")).isEqualTo("approved");
    JsonObject haven = app.get("/v1/havens/" + havenId, null).bodyAsJsonObject();
    assertThat(haven.getString("name")).isEqualTo("Blackstock Bakery");
    assertThat(haven.getString("lastVerifiedOn")).isEqualTo("2026-06-10");
    JsonObject nearby =
        app.get("/v1/havens/nearby?lat=51.5600&lon=-0.1000&radius=100", null).bodyAsJsonObject();
    assertThat(nearby.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(havenId);

    // deciding again the same way answers the same; the other way is a conflict
    assertThat(decide(id, "approve", null).bodyAsJsonObject().getString("havenId"))
        .isEqualTo(havenId);
    assertThat(decide(id, "reject", "changed our mind").statusCode()).isEqualTo(409);
    assertThat(
            app.sql("SELECT count(*) FROM content.havens WHERE application_id = $1", id)
                .get(0)
                .getLong(0))
        .isEqualTo(1);
  }

  @Test
  void rejectionKeepsTheReasonAndNeedsOne() {
    String id = applied(application("Corner Gym", 51.5500, -0.1100));
    HttpResponse<Buffer> noReason = decide(id, "reject", null);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(HavenFixtures.errors(noReason).getJsonObject(0).getString("field"))
        .isEqualTo("reason");
    HttpResponse<Buffer> rejected = decide(id, "reject", "Premises not staffed in the evening");
    assertThat(rejected.statusCode()).isEqualTo(200);
    JsonObject a = app.get("/v1/haven-applications/" + id, editor).bodyAsJsonObject();
    assertThat(a.getString("status")).isEqualTo("rejected");
    assertThat(a.getString("decisionReason")).isEqualTo("Premises not staffed in the evening");
    assertThat(a.getValue("havenId")).isNull();
    assertThat(decide("app_nosuchthing", "approve", null).statusCode()).isEqualTo(404);
  }

  @Test
  void applyIsIdempotentPerKey() {
    String key = UUID.randomUUID().toString();
    JsonObject body = application("Retry Café", 51.5450, -0.1050);
    HttpResponse<Buffer> first = apply(body, key, "127.0.2.1");
    HttpResponse<Buffer> again = apply(body, key, "127.0.2.2");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(
            app.sql("SELECT count(*) FROM content.haven_applications WHERE name = 'Retry Café'")
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    HttpResponse<Buffer> other = apply(body.copy().put("name", "Other Café"), key, "127.0.2.3");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
  }

  @Test
  void applyIsRateLimitedPerClient() {
    int created = 0;
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 6; i++) {
      last =
          apply(
              application("Busy Applicant " + i, 51.5450, -0.1050),
              UUID.randomUUID().toString(),
              "127.0.3.1");
      if (last.statusCode() == 201) {
        created++;
      }
    }
    assertThat(created).isEqualTo(5);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(last.getHeader("Retry-After"))).isPositive();
    // another client is not affected
    assertThat(apply(application("Calm Applicant", 51.5450, -0.1050)).statusCode()).isEqualTo(201);
  }

  static Stream<Arguments> everyField() {
    return Stream.of(
        bad("name", b -> b.remove("name")),
        bad("name", b -> b.put("name", " ")),
        bad("name", b -> b.put("name", "x".repeat(121))),
        bad("address", b -> b.remove("address")),
        bad("address", b -> b.put("address", "1")),
        bad("postcode", b -> b.remove("postcode")),
        bad("postcode", b -> b.put("postcode", "ABC 123")),
        bad("location", b -> b.remove("location")),
        bad("location.lat", b -> b.getJsonObject("location").put("lat", 95)),
        bad("location.lon", b -> b.getJsonObject("location").remove("lon")),
        bad(
            "location",
            b -> b.put("location", new JsonObject().put("lat", 51.5390).put("lon", -0.1426))),
        bad("category", b -> b.remove("category")),
        bad("category", b -> b.put("category", "nightclub")),
        bad("facilities[0]", b -> b.put("facilities", new JsonArray().add("helipad"))),
        bad("facilities[1]", b -> b.put("facilities", new JsonArray().add("toilet").add("toilet"))),
        bad("phone", b -> b.put("phone", "call me")),
        bad("notes", b -> b.put("notes", "x".repeat(501))),
        bad("openingHours", b -> b.remove("openingHours")),
        bad(
            "openingHours.weekly",
            b -> b.put("openingHours", new JsonObject().put("weekly", new JsonArray()))),
        bad("openingHours.weekly[0].day", b -> weekly(b).getJsonObject(0).put("day", "FUNDAY")),
        bad("openingHours.weekly[0].opens", b -> weekly(b).getJsonObject(0).put("opens", "8am")),
        bad(
            "openingHours.weekly[0].closes",
            b -> weekly(b).getJsonObject(0).put("closes", "25:00")),
        bad(
            "openingHours.weekly[0].closes",
            b -> weekly(b).getJsonObject(0).put("closes", "08:00")),
        bad("openingHours.weekly[7]", b -> weekly(b).add(range("MON", "19:00", "21:00"))),
        bad(
            "openingHours.exceptions[0].date",
            b ->
                b.getJsonObject("openingHours")
                    .put(
                        "exceptions",
                        new JsonArray()
                            .add(new JsonObject().put("date", "31/12/2026").put("closed", true)))),
        bad(
            "openingHours.exceptions[0].opens",
            b ->
                b.getJsonObject("openingHours")
                    .put(
                        "exceptions",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("date", "2026-12-25")
                                    .put("closed", true)
                                    .put("opens", "10:00")))),
        bad("contactName", b -> b.remove("contactName")),
        bad("contactName", b -> b.put("contactName", "x".repeat(101))),
        bad("contactEmail", b -> b.remove("contactEmail")),
        bad("contactEmail", b -> b.put("contactEmail", "sam at example")),
        bad("contactPhone", b -> b.remove("contactPhone")),
        bad("contactPhone", b -> b.put("contactPhone", "12345")),
        bad(
            "temporaryClosure",
            b -> b.put("temporaryClosure", new JsonObject().put("reason", "x"))),
        bad("website", b -> b.put("website", "https://example.org")));
  }

  static JsonArray weekly(JsonObject b) {
    return b.getJsonObject("openingHours").getJsonArray("weekly");
  }

  static Arguments bad(String field, Consumer<JsonObject> change) {
    return Arguments.of(field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyField")
  void everyInvalidFieldIsNamed(String field, Consumer<JsonObject> change) {
    JsonObject body = application("Validation Shop", 51.5450, -0.1050);
    change.accept(body);
    HttpResponse<Buffer> r = apply(body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(HavenFixtures.errors(r).stream().map(e -> ((JsonObject) e).getString("field")))
        .as(r.bodyAsString())
        .contains(field);
  }

  @Test
  void contactDetailsArePurgedAfterTheRetentionPeriod() {
    app.setNow(Instant.parse("2026-06-10T10:00:00Z"));
    JsonObject body =
        application("Retention Deli", 51.5450, -0.1050)
            .put("contactEmail", "purge.me@example.org")
            .put("contactName", "Purge Me");
    String decided = applied(body);
    String undecided =
        applied(
            application("Forgotten Shop", 51.5450, -0.1050)
                .put("contactEmail", "forgotten@example.org"));
    assertThat(decide(decided, "reject", "Outside our opening-hours policy").statusCode())
        .isEqualTo(200);

    // 89 days on: nothing purged yet
    app.clock.advance(Duration.ofDays(89));
    app.await(app.app().retention().runOnce());
    assertThat(app.dumpAllTables()).contains("purge.me@example.org");

    // 91 days after the decision: contact details gone, the decision and its reason kept
    app.clock.advance(Duration.ofDays(2));
    app.await(app.app().retention().runOnce());
    JsonObject a =
        app.get("/v1/haven-applications/" + decided, app.staffToken("editor")).bodyAsJsonObject();
    assertThat(a.getString("status")).isEqualTo("rejected");
    assertThat(a.getValue("contact")).isNull();
    assertThat(a.getString("contactPurgedAt")).isNotNull();
    assertThat(a.getString("decisionReason")).isEqualTo("Outside our opening-hours policy");
    assertThat(app.dumpAllTables())
        .doesNotContain("purge.me@example.org")
        .doesNotContain("Purge Me");

    // 181 days after submission, the undecided one expires with its contact details
    app.clock.advance(Duration.ofDays(90));
    app.await(app.app().retention().runOnce());
    JsonObject expired =
        app.get("/v1/haven-applications/" + undecided, app.staffToken("editor")).bodyAsJsonObject();
    assertThat(expired.getString("status")).isEqualTo("expired");
    assertThat(expired.getValue("contact")).isNull();
    assertThat(app.dumpAllTables()).doesNotContain("forgotten@example.org");
    assertThat(decide(undecided, "approve", null).statusCode()).isEqualTo(409);
    app.setNow(Instant.parse("2026-06-10T10:00:00Z"));
  }
}
