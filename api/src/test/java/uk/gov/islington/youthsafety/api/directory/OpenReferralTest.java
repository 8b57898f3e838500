package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.call;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.errorFields;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.content.directory.OpenReferral;

/**
 * Open Referral UK: the export, and the editors' import of a sample file written from the
 * standard's documented schema (src/test/resources/openreferral/sample-services.json): preview,
 * apply in one transaction, retire, replay, a malformed file refused whole, and a round trip.
 */
@WithTestApp
class OpenReferralTest {

  static TestApp app;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    app.setNow(Instant.parse("2026-12-01T12:00:00Z"));
    editor = app.staffToken("editor");
  }

  static JsonObject sample() throws Exception {
    try (InputStream in =
        OpenReferralTest.class.getResourceAsStream("/openreferral/sample-services.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static JsonObject export() {
    HttpResponse<Buffer> r = app.get("/v1/support-services/openreferral", null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonObject record(JsonObject page, String ourId) {
    String uuid = OpenReferral.uuidOf(ourId);
    for (Object o : page.getJsonArray("contents")) {
      if (((JsonObject) o).getString("id").equals(uuid)) {
        return ((JsonObject) o).copy();
      }
    }
    throw new AssertionError("no record for " + ourId);
  }

  static HttpResponse<Buffer> preview(JsonObject file, boolean retireMissing) {
    return app.post(
        "/v1/support-services/openreferral/preview" + (retireMissing ? "?retireMissing=true" : ""),
        editor,
        file);
  }

  static HttpResponse<Buffer> apply(JsonObject file, String key) {
    return call(
        app,
        HttpMethod.POST,
        "/v1/support-services/openreferral/import",
        editor,
        file,
        Map.of("Idempotency-Key", key));
  }

  static long count(String sql) {
    return app.sql(sql).get(0).getLong(0);
  }

  @Test
  void theExportIsAnHsdaPageOfOpenReferralServices() {
    HttpResponse<Buffer> r = app.get("/v1/support-services/openreferral", null);
    JsonObject page = r.bodyAsJsonObject();
    assertThat(page.getInteger("total_items"))
        .isEqualTo(page.getJsonArray("contents").size())
        .isGreaterThan(25);
    for (Object o : page.getJsonArray("contents")) {
      JsonObject s = (JsonObject) o;
      assertThat(s.getString("id")).matches("[0-9a-f-]{36}");
      assertThat(s.getString("name")).isNotBlank();
      assertThat(s.getString("status")).isEqualTo("active");
      assertThat(
              s.getJsonArray("attributes")
                  .getJsonObject(0)
                  .getJsonObject("taxonomy_term")
                  .getString("vocabulary"))
          .isEqualTo(OpenReferral.VOCABULARY);
    }
    JsonObject victims = record(page, "victim-support");
    assertThat(victims.getJsonArray("phones").getJsonObject(0).getString("number"))
        .isEqualTo("0808 168 9291");
    JsonArray schedules = victims.getJsonArray("schedules");
    assertThat(schedules).hasSize(6);
    assertThat(schedules.getJsonObject(5).getString("byday")).isEqualTo("SA");
    assertThat(schedules.getJsonObject(5).getString("opens_at")).isEqualTo("09:00");
    assertThat(
            record(page, "emergency-999")
                .getJsonArray("schedules")
                .getJsonObject(0)
                .getString("closes_at"))
        .as("a whole day, as HSDS advises")
        .isEqualTo("23:59");
    assertThat(
            app.send(
                    app.http()
                        .get("/v1/support-services/openreferral")
                        .putHeader("If-None-Match", r.getHeader("ETag")),
                    null,
                    null)
                .statusCode())
        .isEqualTo(304);
  }

  @Test
  void reimportingTheExportChangesNothing() {
    JsonObject summary = preview(export(), true).bodyAsJsonObject();
    assertThat(summary.getJsonArray("create")).isEmpty();
    assertThat(summary.getJsonArray("update")).as(summary.encode()).isEmpty();
    assertThat(summary.getJsonArray("retire")).isEmpty();
    assertThat(summary.getInteger("unchanged")).isGreaterThan(25);
  }

  @Test
  void previewShowsTheChangesThenImportAppliesThemInOneGoAndRetires() throws Exception {
    JsonObject file = sample();
    JsonObject current = export();
    file.getJsonArray("contents")
        .add(record(current, "victim-support").put("email", "vars@example.org"))
        .add(record(current, "jigsaw-gc").put("status", "defunct"));
    long servicesBefore = count("SELECT count(*) FROM content.support_services");
    long versionsBefore = count("SELECT count(*) FROM content.support_service_history");

    HttpResponse<Buffer> preview = preview(file, false);
    assertThat(preview.statusCode()).as(preview.bodyAsString()).isEqualTo(200);
    JsonObject plan = preview.bodyAsJsonObject();
    assertThat(plan.getJsonArray("create").getJsonObject(0).getString("name"))
        .isEqualTo("Sample Youth Counselling Line");
    assertThat(plan.getJsonArray("update").getJsonObject(0).getString("id"))
        .isEqualTo("victim-support");
    assertThat(plan.getJsonArray("update").getJsonObject(0).getJsonArray("fields"))
        .containsExactly("email");
    assertThat(plan.getJsonArray("retire")).containsExactly("jigsaw-gc");
    assertThat(count("SELECT count(*) FROM content.support_service_history"))
        .as("a preview writes nothing")
        .isEqualTo(versionsBefore);

    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> applied = apply(file, key);
    assertThat(applied.statusCode()).as(applied.bodyAsString()).isEqualTo(200);
    assertThat(applied.bodyAsJsonObject().getJsonArray("retire")).containsExactly("jigsaw-gc");
    assertThat(count("SELECT count(*) FROM content.support_services"))
        .isEqualTo(servicesBefore + 1);

    String newId = "6f1c2a3e-8b4d-4e5f-9a1b-2c3d4e5f6a7b";
    JsonObject created = app.get("/v1/support-services/" + newId, null).bodyAsJsonObject();
    assertThat(created.getString("name")).isEqualTo("Sample Youth Counselling Line");
    assertThat(created.getJsonObject("ageRange").getInteger("min")).isEqualTo(11);
    assertThat(created.getBoolean("free")).isTrue();
    assertThat(created.getString("address")).isEqualTo("10 Holloway Road, London, N7 8JG");
    assertThat(created.getJsonArray("languages")).containsExactly("en", "tr");
    JsonObject hours = created.getJsonObject("hours");
    assertThat(hours.getJsonObject("phone").getJsonArray("weekly")).hasSize(5);
    assertThat(
            hours
                .getJsonObject("phone")
                .getJsonArray("exceptions")
                .getJsonObject(0)
                .getBoolean("closed"))
        .isTrue();
    assertThat(
            hours
                .getJsonObject("inPerson")
                .getJsonArray("weekly")
                .getJsonObject(0)
                .getString("day"))
        .isEqualTo("SAT");
    assertThat(
            app.get("/v1/support-services/victim-support", null)
                .bodyAsJsonObject()
                .getString("email"))
        .isEqualTo("vars@example.org");
    assertThat(app.get("/v1/support-services/jigsaw-gc", null).statusCode())
        .as("retired")
        .isEqualTo(404);
    assertThat(
            app.get("/v1/support-services/jigsaw-gc", editor)
                .bodyAsJsonObject()
                .getString("retiredReason"))
        .contains("Open Referral");

    HttpResponse<Buffer> again = apply(file, key);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject().put("replayed", false))
        .as("the first answer again")
        .isEqualTo(applied.bodyAsJsonObject());
    assertThat(count("SELECT count(*) FROM content.support_services"))
        .isEqualTo(servicesBefore + 1);
    // the same key with another file: 422, nothing applied
    HttpResponse<Buffer> other = apply(sample(), key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(count("SELECT count(*) FROM content.support_services"))
        .isEqualTo(servicesBefore + 1);

    // the file as the whole directory: everything not in it would be retired (previewed, not
    // applied)
    JsonObject whole = preview(sample(), true).bodyAsJsonObject();
    assertThat(whole.getJsonArray("retire")).contains("emergency-999", "csct", "victim-support");
  }

  @Test
  void aMalformedFileIsRefusedWholeNamingRecordAndField() throws Exception {
    JsonObject file = sample();
    file.getJsonArray("contents")
        .getJsonObject(0)
        .put("id", "7e57ab1e-0000-4000-8000-000000000001")
        .put("name", "A valid record that must not be applied");
    JsonObject noName = sample().getJsonArray("contents").getJsonObject(0).copy();
    noName.put("id", "7e57ab1e-0000-4000-8000-000000000002").remove("name");
    JsonObject badTime = sample().getJsonArray("contents").getJsonObject(0).copy();
    badTime.put("id", "7e57ab1e-0000-4000-8000-000000000003");
    badTime.getJsonArray("schedules").getJsonObject(0).put("opens_at", "9am");
    JsonObject badStatus = sample().getJsonArray("contents").getJsonObject(0).copy();
    badStatus.put("id", "7e57ab1e-0000-4000-8000-000000000004").put("status", "open");
    JsonObject badUrl = sample().getJsonArray("contents").getJsonObject(0).copy();
    badUrl.put("id", "7e57ab1e-0000-4000-8000-000000000005").put("url", "ftp://example.org/");
    file.getJsonArray("contents").add(noName).add(badTime).add(badStatus).add(badUrl);
    long servicesBefore = count("SELECT count(*) FROM content.support_services");
    long versionsBefore = count("SELECT count(*) FROM content.support_service_history");

    for (HttpResponse<Buffer> r :
        new HttpResponse[] {preview(file, false), apply(file, UUID.randomUUID().toString())}) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
      assertThat(errorFields(r))
          .contains(
              "contents[1].name",
              "contents[2].schedules[0].opens_at",
              "contents[3].status",
              "contents[4].url");
    }
    assertThat(count("SELECT count(*) FROM content.support_services")).isEqualTo(servicesBefore);
    assertThat(count("SELECT count(*) FROM content.support_service_history"))
        .isEqualTo(versionsBefore);
    assertThat(
            app.get("/v1/support-services/7e57ab1e-0000-4000-8000-000000000001", editor)
                .statusCode())
        .isEqualTo(404);
    assertThat(preview(new JsonObject().put("services", new JsonArray()), false).statusCode())
        .isEqualTo(400);
    HttpResponse<Buffer> notAnObject =
        preview(new JsonObject().put("contents", new JsonArray().add("a string")), false);
    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(errorFields(notAnObject)).containsExactly("contents[0]");
  }

  @Test
  void onlyEditorsImport() throws Exception {
    assertThat(
            app.post(
                    "/v1/support-services/openreferral/preview", app.deviceToken("14-17"), sample())
                .statusCode())
        .isEqualTo(403);
    assertThat(app.post("/v1/support-services/openreferral/preview", null, sample()).statusCode())
        .isEqualTo(401);
  }
}
