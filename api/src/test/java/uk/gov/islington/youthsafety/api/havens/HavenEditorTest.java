package uk.gov.islington.youthsafety.api.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.daily;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.haven;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.range;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * getHaven and the editors' operations: create (idempotent), merge-patch update, suspend and
 * reinstate, roles.
 */
@WithTestApp
class HavenEditorTest {

  static TestApp app;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    app.setNow(Instant.parse("2026-12-24T10:00:00Z"));
    editor = app.staffToken("editor");
  }

  static JsonObject full() {
    return haven("Upper Street Pharmacy", 51.5380, -0.1030, daily("09:00", "18:00"))
        .put("category", "pharmacy")
        .put("phone", "020 7946 0123")
        .put("notes", "Ask at the counter.")
        .put("facilities", new JsonArray().add("bleed_kit").add("step_free"))
        .put(
            "openingHours",
            new JsonObject()
                .put("weekly", daily("09:00", "18:00"))
                .put(
                    "exceptions",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("date", "2026-12-24")
                                .put("opens", "09:00")
                                .put("closes", "13:00"))
                        .add(new JsonObject().put("date", "2026-12-25").put("closed", true))));
  }

  @Test
  void createThenGetTheFullRecord() {
    HttpResponse<Buffer> created =
        HavenFixtures.create(app, editor, full(), UUID.randomUUID().toString());
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(id).startsWith("hvn_");
    assertThat(created.getHeader("Location")).isEqualTo("/v1/havens/" + id);

    HttpResponse<Buffer> got = app.get("/v1/havens/" + id, null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.getHeader("ETag")).isEqualTo(created.getHeader("ETag"));
    JsonObject h = got.bodyAsJsonObject();
    assertThat(h.getString("name")).isEqualTo("Upper Street Pharmacy");
    assertThat(h.getString("postcode")).isEqualTo("N1 1AA");
    assertThat(h.getJsonObject("openingHours").getJsonArray("weekly")).hasSize(7);
    assertThat(h.getJsonObject("openingHours").getJsonArray("exceptions")).hasSize(2);
    assertThat(h.getString("lastVerifiedOn")).isEqualTo("2026-12-24");
    assertThat(h.getString("status")).isEqualTo("published");
    assertThat(h.containsKey("suspendedReason")).as("editors only").isFalse();
    // Christmas Eve special hours: 09:00-13:00 GMT
    assertThat(h.getBoolean("openNow")).isTrue();
    assertThat(h.getString("closesAt")).isEqualTo("2026-12-24T13:00:00+00:00");
    assertThat(h.getJsonArray("facilities")).containsExactly("bleed_kit", "step_free");
  }

  @Test
  void createIsIdempotentPerKey() {
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> first =
        HavenFixtures.create(app, editor, full().put("name", "Idempotent Café"), key);
    HttpResponse<Buffer> again =
        HavenFixtures.create(app, editor, full().put("name", "Idempotent Café"), key);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(
            app.sql("SELECT count(*) FROM content.havens WHERE name = 'Idempotent Café'")
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    HttpResponse<Buffer> other =
        HavenFixtures.create(app, editor, full().put("name", "Something Else"), key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("detail"))
        .isEqualTo(
            "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
  }

  @Test
  void createWithoutAnIdempotencyKeyIs400() {
    HttpResponse<Buffer> r = app.post("/v1/havens", editor, full());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(HavenFixtures.errors(r).getJsonObject(0).getString("field"))
        .isEqualTo("Idempotency-Key");
  }

  @Test
  void createValidationNamesTheField() {
    assertCreateField(full().put("postcode", "NOT A CODE"), "postcode");
    assertCreateField(full().put("colour", "red"), "colour");
    JsonObject overlapping = full();
    overlapping
        .getJsonObject("openingHours")
        .getJsonArray("weekly")
        .add(range("MON", "17:00", "20:00"));
    assertCreateField(overlapping, "openingHours.weekly[7]");
    JsonObject noName = full();
    noName.remove("name");
    assertCreateField(noName, "name");
    assertCreateField(full().put("location", new JsonObject().put("lat", 51.5)), "location.lon");
    assertCreateField(
        full().put("temporaryClosure", new JsonObject().put("until", "2026-12-01")),
        "temporaryClosure.reason");
  }

  void assertCreateField(JsonObject body, String field) {
    HttpResponse<Buffer> r = HavenFixtures.create(app, editor, body, UUID.randomUUID().toString());
    assertThat(r.statusCode()).as(body.encode()).isEqualTo(400);
    assertThat(HavenFixtures.errors(r).stream().map(e -> ((JsonObject) e).getString("field")))
        .contains(field);
  }

  @Test
  void updateIsAMergePatchCheckedAsAWhole() {
    String id = HavenFixtures.create(app, full().put("name", "Patch Me"));
    String etag = app.get("/v1/havens/" + id, null).getHeader("ETag");
    JsonObject patch =
        new JsonObject()
            .putNull("phone")
            .put("location", new JsonObject().put("lat", 51.5390))
            .put("openingHours", new JsonObject().put("exceptions", new JsonArray()))
            .put(
                "temporaryClosure",
                new JsonObject()
                    .put("reason", "Staff training")
                    .put("from", "2026-12-24")
                    .put("until", "2026-12-24"));
    HttpResponse<Buffer> r =
        app.send(app.http().patch("/v1/havens/" + id).putHeader("If-Match", etag), editor, patch);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject h = r.bodyAsJsonObject();
    assertThat(h.getValue("phone")).isNull();
    assertThat(h.getString("notes")).isEqualTo("Ask at the counter.");
    assertThat(h.getJsonObject("location").getDouble("lat")).isEqualTo(51.5390);
    assertThat(h.getJsonObject("location").getDouble("lon")).isEqualTo(-0.1030);
    assertThat(h.getJsonObject("openingHours").getJsonArray("weekly")).hasSize(7);
    assertThat(h.getJsonObject("openingHours").getJsonArray("exceptions")).isEmpty();
    assertThat(h.getJsonObject("temporaryClosure").getString("reason")).isEqualTo("Staff training");
    assertThat(h.getBoolean("openNow")).isFalse();
    assertThat(h.getString("opensAt")).isEqualTo("2026-12-25T09:00:00+00:00");
    assertThat(r.getHeader("ETag")).isNotEqualTo(etag);

    // the old version no longer matches: 412, nothing changed
    HttpResponse<Buffer> stale =
        app.send(
            app.http().patch("/v1/havens/" + id).putHeader("If-Match", etag),
            editor,
            new JsonObject().put("name", "Lost Update"));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(app.get("/v1/havens/" + id, null).bodyAsJsonObject().getString("name"))
        .isEqualTo("Patch Me");

    // a tag that is not one of ours: 400 naming the header, nothing changed
    HttpResponse<Buffer> garbled =
        app.send(
            app.http().patch("/v1/havens/" + id).putHeader("If-Match", "yesterday's"),
            editor,
            new JsonObject().put("name", "Garbled Update"));
    assertThat(garbled.statusCode()).isEqualTo(400);
    assertThat(garbled.bodyAsString()).contains("If-Match");
    assertThat(app.get("/v1/havens/" + id, null).bodyAsJsonObject().getString("name"))
        .isEqualTo("Patch Me");

    // a patch that breaks the whole is refused, naming the field; null removes the closure
    HttpResponse<Buffer> broken =
        app.patch("/v1/havens/" + id, editor, new JsonObject().putNull("name"));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(HavenFixtures.errors(broken).getJsonObject(0).getString("field")).isEqualTo("name");
    HttpResponse<Buffer> reopened =
        app.patch("/v1/havens/" + id, editor, new JsonObject().putNull("temporaryClosure"));
    assertThat(reopened.bodyAsJsonObject().getValue("temporaryClosure")).isNull();
    assertThat(reopened.bodyAsJsonObject().getBoolean("openNow")).isTrue();
  }

  @Test
  void suspendHidesFromThePublicAndReinstateBringsBack() {
    String id = HavenFixtures.create(app, full().put("name", "Suspend Me"));
    HttpResponse<Buffer> s =
        app.post(
            "/v1/havens/" + id + "/suspend",
            editor,
            new JsonObject().put("reason", "Failed the annual check"));
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(s.bodyAsJsonObject().getString("status")).isEqualTo("suspended");
    assertThat(
            app.post(
                    "/v1/havens/" + id + "/suspend",
                    editor,
                    new JsonObject().put("reason", "again"))
                .bodyAsJsonObject()
                .getString("suspendedReason"))
        .as("idempotent")
        .isEqualTo("Failed the annual check");
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(404);
    assertThat(app.get("/v1/havens/" + id, app.deviceToken("14-17")).statusCode()).isEqualTo(404);
    JsonObject forEditor = app.get("/v1/havens/" + id, editor).bodyAsJsonObject();
    assertThat(forEditor.getString("suspendedReason")).isEqualTo("Failed the annual check");
    assertThat(app.post("/v1/havens/" + id + "/suspend", editor, new JsonObject()).statusCode())
        .isEqualTo(400);

    assertThat(app.post("/v1/havens/" + id + "/reinstate", editor, null).statusCode())
        .isEqualTo(200);
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownHavenIs404Everywhere() {
    assertThat(app.get("/v1/havens/hvn_nosuchhaven", null).statusCode()).isEqualTo(404);
    assertThat(
            app.patch("/v1/havens/hvn_nosuchhaven", editor, new JsonObject().put("name", "Nope"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            app.post(
                    "/v1/havens/hvn_nosuchhaven/suspend",
                    editor,
                    new JsonObject().put("reason", "x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(app.post("/v1/havens/hvn_nosuchhaven/reinstate", editor, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void editorsListFindsSuspendedOnesToo() {
    String a = HavenFixtures.create(app, full().put("name", "Zebra Listing A"));
    String b = HavenFixtures.create(app, full().put("name", "Zebra Listing B"));
    app.post("/v1/havens/" + b + "/suspend", editor, new JsonObject().put("reason", "x"));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          app.get(
                  "/v1/editor/havens?q=zebra&limit=1" + (cursor == null ? "" : "&cursor=" + cursor),
                  editor)
              .bodyAsJsonObject();
      page.getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getString("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsExactly(a, b);
    JsonObject suspended =
        app.get("/v1/editor/havens?q=zebra&status=suspended", editor).bodyAsJsonObject();
    assertThat(suspended.getJsonArray("items")).hasSize(1);
  }

  @Test
  void aSearchThatLooksLikeJsonIsStillText() {
    String id = HavenFixtures.create(app, full().put("name", "Unit 1.5 [A] -1 Café"));
    for (String q : List.of("1.5", "[A]", "-1", "Caf%C3%A9", "%7B%7D")) {
      HttpResponse<Buffer> found = app.get("/v1/editor/havens?q=" + q, editor);
      assertThat(found.statusCode()).as(q).isEqualTo(200);
      if (!q.equals("%7B%7D")) {
        assertThat(
                found.bodyAsJsonObject().getJsonArray("items").stream()
                    .map(i -> ((JsonObject) i).getString("id")))
            .as(q)
            .contains(id);
      }
    }
    // the search is text, not a LIKE pattern
    for (String q : List.of("%25", "_")) {
      HttpResponse<Buffer> found = app.get("/v1/editor/havens?q=" + q, editor);
      assertThat(found.statusCode()).as(q + " " + found.bodyAsString()).isEqualTo(200);
      assertThat(found.bodyAsJsonObject().getJsonArray("items")).as(q).isEmpty();
    }
    HttpResponse<Buffer> tooLong = app.get("/v1/editor/havens?q=" + "x".repeat(101), editor);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsString()).contains("\"q\"");
  }

  @Test
  void onlyEditorsMayEdit() {
    String id = HavenFixtures.create(app, full().put("name", "Roles"));
    record Call(HttpMethod method, String uri, JsonObject body) {}
    List<Call> calls =
        List.of(
            new Call(HttpMethod.POST, "/v1/havens", full()),
            new Call(
                HttpMethod.PATCH, "/v1/havens/" + id, new JsonObject().put("name", "Hijacked")),
            new Call(
                HttpMethod.POST,
                "/v1/havens/" + id + "/suspend",
                new JsonObject().put("reason", "x")),
            new Call(HttpMethod.POST, "/v1/havens/" + id + "/reinstate", null),
            new Call(HttpMethod.GET, "/v1/editor/havens", null),
            new Call(HttpMethod.GET, "/v1/haven-applications", null),
            new Call(HttpMethod.GET, "/v1/haven-applications/app_x", null),
            new Call(
                HttpMethod.POST,
                "/v1/haven-applications/app_x/decision",
                new JsonObject().put("decision", "approve")));
    List<String> others =
        List.of(
            app.deviceToken("14-17"),
            app.staffToken("moderator"),
            app.staffToken("youth_council"),
            app.staffToken("admin"));
    for (Call c : calls) {
      var none =
          app.send(
              app.http()
                  .request(c.method(), c.uri())
                  .putHeader("Idempotency-Key", "k-" + UUID.randomUUID()),
              null,
              c.body());
      assertThat(none.statusCode()).as("%s %s without a token", c.method(), c.uri()).isEqualTo(401);
      for (String token : others) {
        var r =
            app.send(
                app.http()
                    .request(c.method(), c.uri())
                    .putHeader("Idempotency-Key", "k-" + UUID.randomUUID()),
                token,
                c.body());
        assertThat(r.statusCode()).as("%s %s", c.method(), c.uri()).isEqualTo(403);
      }
    }
    assertThat(app.get("/v1/havens/" + id, null).bodyAsJsonObject().getString("name"))
        .isEqualTo("Roles");
  }
}
