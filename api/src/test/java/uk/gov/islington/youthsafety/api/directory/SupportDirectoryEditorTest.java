package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.all;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.call;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.create;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.createId;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.errorFields;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.every;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.ids;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The editors' operations on the directory: create (idempotent), merge-patch update with If-Match,
 * retire, history, bad input.
 */
@WithTestApp
class SupportDirectoryEditorTest {

  static TestApp app;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    app.setNow(Instant.parse("2026-12-15T12:00:00Z"));
    editor = app.staffToken("editor");
  }

  static JsonObject full() {
    return service("Islington Youth Drop-in")
        .put("categories", new JsonArray().add("youth_work").add("mental_health"))
        .put("ageRange", new JsonObject().put("min", 11).put("max", 19))
        .put("phone", "020 7527 0000")
        .put("email", "dropin@example.org")
        .put("website", "https://example.org/drop-in")
        .put("address", "1 Upper Street, London N1 1AA")
        .put("location", new JsonObject().put("lat", 51.538).put("lon", -0.103))
        .put("languages", new JsonArray().add("en").add("tr"))
        .put("selfReferral", true)
        .put("confidential", true)
        .put("free", true)
        .put("accessibilityNotes", "Step-free entrance on Upper Street; quiet room on request.")
        .put(
            "hours",
            new JsonObject()
                .put("inPerson", new JsonObject().put("weekly", every("16:00", "19:00", "TUE"))));
  }

  @Test
  void createThenReadItBackAndFindItListed() {
    HttpResponse<Buffer> created = create(app, editor, full());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject s = created.bodyAsJsonObject();
    String id = s.getString("id");
    assertThat(id).startsWith("svc_");
    assertThat(created.getHeader("Location")).isEqualTo("/v1/support-services/" + id);
    assertThat(s.getString("category")).isEqualTo("youth_work");
    assertThat(s.getJsonArray("languages")).containsExactly("en", "tr");
    assertThat(s.getString("status")).isEqualTo("published");

    HttpResponse<Buffer> got = app.get("/v1/support-services/" + id, null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.getHeader("ETag")).isEqualTo(created.getHeader("ETag"));
    JsonObject pub = got.bodyAsJsonObject();
    assertThat(pub.containsKey("status")).as("editors only").isFalse();
    assertThat(pub.getJsonObject("ageRange").getInteger("min")).isEqualTo(11);
    assertThat(pub.getBoolean("selfReferral")).isTrue();
    assertThat(pub.getString("accessibilityNotes")).startsWith("Step-free");
    assertThat(pub.getJsonObject("location").getDouble("lat")).isEqualTo(51.538);

    assertThat(ids(all(app, "&category=mental_health"))).contains(id);
    assertThat(ids(all(app, "&age=20"))).doesNotContain(id);
  }

  private static HttpResponse<Buffer> createWithKey(JsonObject body, String key) {
    return call(
        app, HttpMethod.POST, "/v1/support-services", editor, body, Map.of("Idempotency-Key", key));
  }

  private static HttpResponse<Buffer> patchIfMatch(String id, JsonObject patch, String version) {
    return call(
        app,
        HttpMethod.PATCH,
        "/v1/support-services/" + id,
        editor,
        patch,
        Map.of("If-Match", version));
  }

  @Test
  void createIsIdempotentPerKey() {
    String key = UUID.randomUUID().toString();
    JsonObject body = service("Idempotent Service");
    HttpResponse<Buffer> first = createWithKey(body, key);
    HttpResponse<Buffer> again = createWithKey(body, key);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.support_services WHERE name = 'Idempotent Service'")
                .get(0)
                .getLong(0))
        .isEqualTo(1);

    HttpResponse<Buffer> other = createWithKey(service("Another Service"), key);
    assertThat(other.statusCode()).isEqualTo(422);
  }

  @Test
  void aStaleIfMatchGets412WithTheCurrentVersion() {
    HttpResponse<Buffer> created = create(app, editor, full().put("name", "Versioned Service"));
    String id = created.bodyAsJsonObject().getString("id");
    String v1 = created.getHeader("ETag");

    HttpResponse<Buffer> changed =
        patchIfMatch(id, new JsonObject().put("phone", "020 7527 1111"), v1);
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    String v2 = changed.getHeader("ETag");
    assertThat(v2).isNotEqualTo(v1);
    assertThat(changed.bodyAsJsonObject().getString("email"))
        .as("merge patch keeps the rest")
        .isEqualTo("dropin@example.org");

    HttpResponse<Buffer> stale =
        patchIfMatch(id, new JsonObject().put("phone", "020 7527 2222"), v1);
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(stale.getHeader("ETag")).isEqualTo(v2);
    JsonObject problem = stale.bodyAsJsonObject();
    assertThat(problem.getString("currentVersion")).isEqualTo(v2);
    assertThat(problem.getJsonObject("current").getString("phone")).isEqualTo("020 7527 1111");

    assertThat(
            patchIfMatch(id, new JsonObject().put("phone", "020 7527 2222"), "v2-or-whatever")
                .statusCode())
        .isEqualTo(400);
    // null removes an optional field
    HttpResponse<Buffer> removed =
        patchIfMatch(id, new JsonObject().putNull("email").putNull("languages"), v2);
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(removed.bodyAsJsonObject().getString("email")).isNull();
    assertThat(removed.bodyAsJsonObject().containsKey("languages")).isFalse();
  }

  @Test
  void concurrentEditsFromOneVersionExactlyOneWinsAndDifferentFieldsWithoutIfMatchBothLand() {
    HttpResponse<Buffer> created = create(app, editor, full().put("name", "Contended Service"));
    String id = created.bodyAsJsonObject().getString("id");
    String v1 = created.getHeader("ETag");
    List<Future<HttpResponse<Buffer>>> sameVersion = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sameVersion.add(
          app.http()
              .patch("/v1/support-services/" + id)
              .putHeader("Authorization", TestApp.bearer(editor))
              .putHeader("If-Match", v1)
              .sendJsonObject(new JsonObject().put("address", "Flat " + i + ", 1 Upper Street")));
    }
    List<Integer> statuses = sameVersion.stream().map(f -> app.await(f).statusCode()).toList();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 412).hasSize(5);

    List<Future<HttpResponse<Buffer>>> differentFields = new ArrayList<>();
    differentFields.add(
        app.http()
            .patch("/v1/support-services/" + id)
            .putHeader("Authorization", TestApp.bearer(editor))
            .sendJsonObject(new JsonObject().put("phone", "020 7527 3333")));
    differentFields.add(
        app.http()
            .patch("/v1/support-services/" + id)
            .putHeader("Authorization", TestApp.bearer(editor))
            .sendJsonObject(new JsonObject().put("email", "both@example.org")));
    differentFields.forEach(f -> assertThat(app.await(f).statusCode()).isEqualTo(200));
    JsonObject now = app.get("/v1/support-services/" + id, null).bodyAsJsonObject();
    assertThat(now.getString("phone")).isEqualTo("020 7527 3333");
    assertThat(now.getString("email")).isEqualTo("both@example.org");
    // every change is one version in the history, none lost
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.support_service_history WHERE service_id = $1",
                    id)
                .get(0)
                .getLong(0))
        .isEqualTo(4);
  }

  @Test
  void retiredServicesLeaveThePublicListButStayInHistory() {
    HttpResponse<Buffer> created = create(app, editor, full().put("name", "Closing Service"));
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> first = app.get("/v1/support-services?limit=100", null);
    String token = first.bodyAsJsonObject().getString("syncToken");
    assertThat(ids(all(app, ""))).contains(id);

    HttpResponse<Buffer> retired =
        app.post(
            "/v1/support-services/" + id + "/retire",
            editor,
            new JsonObject().put("reason", "The service has closed."));
    assertThat(retired.statusCode()).isEqualTo(200);
    assertThat(retired.bodyAsJsonObject().getString("status")).isEqualTo("retired");
    assertThat(retired.bodyAsJsonObject().getString("retiredReason"))
        .isEqualTo("The service has closed.");
    // idempotent
    assertThat(
            app.post(
                    "/v1/support-services/" + id + "/retire",
                    editor,
                    new JsonObject().put("reason", "Again."))
                .bodyAsJsonObject()
                .getString("retiredReason"))
        .isEqualTo("The service has closed.");

    assertThat(ids(all(app, ""))).doesNotContain(id);
    assertThat(app.get("/v1/support-services/" + id, null).statusCode()).isEqualTo(404);
    assertThat(app.get("/v1/support-services/" + id, editor).bodyAsJsonObject().getString("status"))
        .isEqualTo("retired");
    JsonObject delta = app.get("/v1/support-services?since=" + token, null).bodyAsJsonObject();
    assertThat(delta.getBoolean("full")).isFalse();
    assertThat(delta.getJsonArray("removed")).contains(id);

    JsonArray history =
        app.get("/v1/support-services/" + id + "/history", editor)
            .bodyAsJsonObject()
            .getJsonArray("items");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("retired");
    assertThat(history.getJsonObject(1).getString("status")).isEqualTo("published");
    assertThat(history.getJsonObject(1).getJsonObject("record").getString("name"))
        .isEqualTo("Closing Service");
    assertThat(app.get("/v1/support-services/" + id + "/history", null).statusCode())
        .isEqualTo(401);

    HttpResponse<Buffer> back = app.post("/v1/support-services/" + id + "/reinstate", editor, null);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(ids(all(app, ""))).contains(id);
  }

  @Test
  void badInputOnEveryFieldIsA400NamingTheField() {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put("name", new Object[] {"name", "x"});
    cases.put("name (type)", new Object[] {"name", 42});
    cases.put("description", new Object[] {"description", "short"});
    cases.put("categories", new Object[] {"categories[0]", new JsonArray().add("pizza")});
    cases.put(
        "categories (twice)",
        new Object[] {"categories[1]", new JsonArray().add("youth_work").add("youth_work")});
    cases.put(
        "ageRange", new Object[] {"ageRange.max", new JsonObject().put("min", 12).put("max", 10)});
    cases.put("ageRange.min", new Object[] {"ageRange.min", new JsonObject().put("min", 200)});
    cases.put("phone", new Object[] {"phone", "call us"});
    cases.put("phone (too short)", new Object[] {"phone", "0800 111"});
    cases.put("textNumber", new Object[] {"textNumber", "text me"});
    cases.put("email", new Object[] {"email", "not-an-address"});
    cases.put("website", new Object[] {"website", "http://example.org/plain"});
    cases.put("website (script)", new Object[] {"website", "javascript:alert(1)"});
    cases.put("address", new Object[] {"address", "N1"});
    cases.put(
        "location", new Object[] {"location.lat", new JsonObject().put("lat", 95).put("lon", 0)});
    cases.put("languages", new Object[] {"languages[0]", new JsonArray().add("English")});
    cases.put("selfReferral", new Object[] {"selfReferral", "yes"});
    cases.put("confidential", new Object[] {"confidential", 1});
    cases.put("free", new Object[] {"free", "no"});
    cases.put("accessibilityNotes", new Object[] {"accessibilityNotes", "x"});
    cases.put(
        "hours.phone (no phone)",
        new Object[] {
          "hours.phone",
          new JsonObject().put("phone", new JsonObject().put("weekly", every("09:00", "17:00")))
        });
    cases.put(
        "hours time",
        new Object[] {
          "hours.inPerson.weekly[0].opens",
          new JsonObject()
              .put("inPerson", new JsonObject().put("weekly", every("25:00", "17:00", "MON")))
        });
    cases.put(
        "hours overlap",
        new Object[] {
          "hours.inPerson.weekly[1]",
          new JsonObject()
              .put(
                  "inPerson",
                  new JsonObject()
                      .put(
                          "weekly",
                          every("09:00", "17:00", "MON")
                              .add(
                                  new JsonObject()
                                      .put("day", "MON")
                                      .put("opens", "16:00")
                                      .put("closes", "18:00"))))
        });
    cases.put(
        "hours exception",
        new Object[] {
          "hours.inPerson.exceptions[0].date",
          new JsonObject()
              .put(
                  "inPerson",
                  new JsonObject()
                      .put("weekly", every("09:00", "17:00", "MON"))
                      .put(
                          "exceptions",
                          new JsonArray()
                              .add(new JsonObject().put("date", "2099-01-01").put("closed", true))))
        });
    cases.put(
        "hours empty",
        new Object[] {
          "hours.inPerson.weekly",
          new JsonObject().put("inPerson", new JsonObject().put("weekly", new JsonArray()))
        });
    cases.put("colour (an unknown field)", new Object[] {"colour", "blue"});
    for (Map.Entry<String, Object[]> c : cases.entrySet()) {
      String field = (String) c.getValue()[0];
      String key = c.getKey().split(" ")[0];
      JsonObject body = full().put(key, c.getValue()[1]);
      if (field.equals("hours.phone")) {
        body.remove("phone");
      }
      HttpResponse<Buffer> r = create(app, editor, body);
      assertThat(r.statusCode()).as(c.getKey() + ": " + r.bodyAsString()).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(errorFields(r)).as(c.getKey() + ": " + r.bodyAsString()).contains(field);
    }
    // the same rules on update: the merged result is checked as a whole
    String id = createId(app, editor, full().put("name", "Patched Badly"));
    HttpResponse<Buffer> r =
        app.patch(
            "/v1/support-services/" + id,
            editor,
            new JsonObject().put("website", "ftp://example.org/"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorFields(r)).containsExactly("website");
    HttpResponse<Buffer> noPhone =
        app.patch(
            "/v1/support-services/" + id,
            editor,
            new JsonObject()
                .put(
                    "hours",
                    new JsonObject()
                        .put("phone", new JsonObject().put("weekly", every("09:00", "17:00"))))
                .putNull("phone"));
    assertThat(noPhone.statusCode()).isEqualTo(400);
    assertThat(errorFields(noPhone)).contains("hours.phone");
    // nothing was stored by any of them
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.support_services WHERE name = 'Islington Youth Drop-in' "
                        + "AND website <> 'https://example.org/drop-in'")
                .get(0)
                .getLong(0))
        .isZero();
    assertThat(app.get("/v1/support-services/" + id, null).bodyAsJsonObject().getString("website"))
        .isEqualTo("https://example.org/drop-in");
  }

  @Test
  void onlyEditorsEdit() {
    String device = app.deviceToken("14-17");
    assertThat(create(app, device, service("Not Allowed")).statusCode()).isEqualTo(403);
    assertThat(create(app, app.staffToken("moderator"), service("Not Allowed")).statusCode())
        .isEqualTo(403);
    assertThat(create(app, null, service("Not Allowed")).statusCode()).isEqualTo(401);
  }
}
