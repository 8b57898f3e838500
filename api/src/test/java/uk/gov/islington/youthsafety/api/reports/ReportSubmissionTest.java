package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.fields;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submit;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * submitReport: categories and areas, the answer, idempotency under concurrency, and validation
 * naming fields.
 */
@WithTestApp("REPORT_SUBMIT_RATE_CAPACITY=10000")
class ReportSubmissionTest {

  static TestApp app;

  private static long reportCount() {
    return app.sql("SELECT count(*) FROM content.reports").get(0).getLong(0);
  }

  @Test
  void categoriesSayWhereEachKindOfReportGoesWithGuidanceAndNumbers() {
    HttpResponse<Buffer> r = app.get("/v1/report-categories", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
    assertThat(items.size()).isGreaterThanOrEqualTo(6);
    Map<String, String> destinations =
        items.stream()
            .map(JsonObject.class::cast)
            .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("destination")));
    assertThat(destinations)
        .containsEntry("grooming-or-exploitation", "CSCT")
        .containsEntry("weapons", "CRIMESTOPPERS");
    Map<String, JsonObject> byId =
        items.stream()
            .map(JsonObject.class::cast)
            .collect(Collectors.toMap(c -> c.getString("id"), c -> c));
    assertThat(byId).containsKeys("weapons", "someone-being-hurt");
    JsonObject weapons = byId.get("weapons");
    assertThat(weapons.getString("guidance")).isNotBlank();
    assertThat(weapons.getJsonArray("contacts").encode())
        .contains("0800 555 111")
        .contains("999")
        .contains("101");
    JsonObject hurt = byId.get("someone-being-hurt");
    assertThat(hurt.getJsonArray("contacts").encode()).contains("020 7527 7400");
    assertThat(hurt.getString("destinationName")).contains("Children's Services Contact Team");
  }

  @Test
  void areasAreCoarseWardsNeverCoordinates() {
    JsonArray items = app.get("/v1/report-areas", null).bodyAsJsonObject().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("id")))
        .contains("holloway", "finsbury-park", "online", "not-sure");
  }

  @Test
  void aReportIsAnsweredWithAReceiptCodeItsDestinationAndGuidance() {
    JsonObject receipt =
        submitOk(
            app,
            report("grooming-or-exploitation", "A man keeps giving my friend money.", false)
                .put("area", "holloway")
                .put("happenedWhen", "past_week"));
    assertThat(receipt.getString("receiptCode"))
        .matches("[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}");
    assertThat(receipt.getString("status")).isEqualTo("received");
    assertThat(receipt.getString("destination")).isEqualTo("CSCT");
    JsonObject guidance = receipt.getJsonObject("guidance");
    assertThat(guidance.getString("text")).doesNotStartWith("If you or someone else is in danger");
    assertThat(guidance.getJsonArray("contacts").getJsonObject(0).getString("phone"))
        .isEqualTo("999");
  }

  @Test
  void immediateDangerLeadsWithNineNineNineAndMakesTheReportUrgent() {
    String marker = "danger-" + UUID.randomUUID();
    JsonObject receipt = submitOk(app, report("crime-information", marker, true));
    JsonObject guidance = receipt.getJsonObject("guidance");
    assertThat(guidance.getString("text"))
        .startsWith("If you or someone else is in danger right now, call 999");
    assertThat(guidance.getJsonArray("contacts").getJsonObject(0).getString("phone"))
        .isEqualTo("999");
    assertThat(
            guidance.getJsonArray("contacts").stream()
                .filter(c -> "999".equals(((JsonObject) c).getString("phone")))
                .count())
        .isEqualTo(1);
    assertThat(receipt.getString("destination")).isEqualTo("CRIMESTOPPERS");

    String moderator = app.staffToken("moderator");
    JsonArray queue = Reports.queue(app, moderator, "?limit=100");
    assertThat(queue.getJsonObject(0).getBoolean("urgent")).isTrue();
  }

  @Test
  void aRetryWithTheSameKeyAndBodyGetsTheFirstAnswerAgain() {
    String key = UUID.randomUUID().toString();
    JsonObject body =
        report("drugs", "They sell from the stairwell every evening.", false)
            .put("area", "junction");
    long before = reportCount();
    HttpResponse<Buffer> first = submit(app, key, body);
    HttpResponse<Buffer> second = submit(app, key, body.copy());
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    // byte for byte, as first sent
    assertThat(second.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(second.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(first.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(reportCount()).isEqualTo(before + 1);
    // the replayed code really is the report's code
    assertThat(Reports.check(app, second.bodyAsJsonObject().getString("receiptCode")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefusedWith422() {
    String key = UUID.randomUUID().toString();
    assertThat(submit(app, key, report("drugs", "First version.", false)).statusCode())
        .isEqualTo(201);
    long before = reportCount();
    HttpResponse<Buffer> other = submit(app, key, report("drugs", "Second version.", false));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
    assertThat(submit(app, key, report("drugs", "First version.", true)).statusCode())
        .isEqualTo(422);
    assertThat(reportCount()).isEqualTo(before);
  }

  @Test
  void twentyConcurrentIdenticalSubmissionsMakeExactlyOneReport() {
    String key = UUID.randomUUID().toString();
    String marker = "concurrent-" + UUID.randomUUID();
    JsonObject body = report("weapons", marker, false).put("happenedWhen", "today");
    long before = reportCount();
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(
          app.http().post("/v1/reports").putHeader("Idempotency-Key", key).sendJsonObject(body));
    }
    app.await(Future.join(all));
    Set<String> codes =
        all.stream()
            .map(
                f -> {
                  assertThat(f.result().statusCode()).as(f.result().bodyAsString()).isEqualTo(201);
                  return f.result().bodyAsJsonObject().getString("receiptCode");
                })
            .collect(Collectors.toSet());
    assertThat(codes).hasSize(1);
    assertThat(reportCount()).isEqualTo(before + 1);
    assertThat(
            app.sql("SELECT count(*) FROM content.idempotency_keys WHERE scope = 'submitReport'")
                .get(0)
                .getLong(0))
        .isEqualTo(app.sql("SELECT count(*) FROM content.reports").get(0).getLong(0));
  }

  @Test
  void everyValidationFailureNamesItsField() {
    JsonObject ok = report("drugs", "x", false);
    assertThat(fields(submit(app, null, ok))).containsExactly("Idempotency-Key");
    assertThat(fields(submit(app, "short", ok))).containsExactly("Idempotency-Key");
    String key = UUID.randomUUID().toString();
    assertThat(
            fields(
                submit(
                    app,
                    key,
                    new JsonObject().put("description", "x").put("immediateDanger", false))))
        .containsExactly("categoryId");
    assertThat(
            fields(
                submit(
                    app,
                    key,
                    new JsonObject().put("categoryId", "drugs").put("immediateDanger", false))))
        .containsExactly("description");
    assertThat(
            fields(
                submit(
                    app, key, new JsonObject().put("categoryId", "drugs").put("description", "x"))))
        .containsExactly("immediateDanger");
    assertThat(fields(submit(app, key, ok.copy().put("immediateDanger", "yes"))))
        .containsExactly("immediateDanger");
    assertThat(fields(submit(app, key, ok.copy().put("description", "x".repeat(5001)))))
        .containsExactly("description");
    assertThat(fields(submit(app, key, ok.copy().put("description", "   "))))
        .containsExactly("description");
    assertThat(fields(submit(app, key, ok.copy().put("categoryId", "no-such-category"))))
        .containsExactly("categoryId");
    assertThat(fields(submit(app, key, ok.copy().put("area", "51.5465,-0.1058"))))
        .containsExactly("area");
    assertThat(fields(submit(app, key, ok.copy().put("happenedWhen", "yesterday at 4pm"))))
        .containsExactly("happenedWhen");
    assertThat(
            fields(
                submit(
                    app,
                    key,
                    ok.copy().put("location", new JsonObject().put("lat", 51.5).put("lon", -0.1)))))
        .containsExactly("location");
    assertThat(fields(submit(app, key, ok.copy().put("categoryId", "nope").put("area", "nowhere"))))
        .containsExactlyInAnyOrder("categoryId", "area");
    // none of the refused requests used up the key
    assertThat(submit(app, key, ok).statusCode()).isEqualTo(201);

    assertThat(fields(app.post("/v1/reports/status", null, new JsonObject())))
        .containsExactly("receiptCode");
    assertThat(
            fields(
                app.post(
                    "/v1/reports/messages",
                    null,
                    new JsonObject().put("receiptCode", "ABCD-EFGH-JKMN-PQRS"))))
        .containsExactly("message");
    assertThat(
            fields(
                app.post(
                    "/v1/reports/messages",
                    null,
                    new JsonObject()
                        .put("receiptCode", "ABCD-EFGH-JKMN-PQRS")
                        .put("message", "x".repeat(2001)))))
        .containsExactly("message");
  }

  /** A new report category for bullying, routed to CSCT. */
  private static JsonObject category(String id, String label) {
    return new JsonObject()
        .put("id", id)
        .put("label", label)
        .put("description", "Someone is being bullied.")
        .put("destination", "CSCT")
        .put("guidance", "Thank you for telling us.");
  }

  /** The status answering a try, with this token, to make the test-bullying category active. */
  private static int reactivateTestBullying(String token) {
    return app.patch(
            "/v1/report-categories/test-bullying", token, new JsonObject().put("active", true))
        .statusCode();
  }

  @Test
  void categoryEditsByEditorsChangeRoutingWithoutCode() {
    String editor = app.staffToken("editor");
    JsonObject created =
        category("test-bullying", "Bullying")
            .put(
                "contacts",
                new JsonArray().add(new JsonObject().put("name", "Emergency").put("phone", "999")));
    HttpResponse<Buffer> r = app.post("/v1/report-categories", editor, created);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(app.post("/v1/report-categories", editor, created).statusCode()).isEqualTo(409);
    assertThat(submitOk(app, report("test-bullying", "route me", false)).getString("destination"))
        .isEqualTo("CSCT");

    HttpResponse<Buffer> patched =
        app.patch(
            "/v1/report-categories/test-bullying",
            editor,
            new JsonObject().put("destination", "CRIMESTOPPERS"));
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(
            submitOk(app, report("test-bullying", "route me again", false))
                .getString("destination"))
        .isEqualTo("CRIMESTOPPERS");

    assertThat(
            app.patch(
                    "/v1/report-categories/test-bullying",
                    editor,
                    new JsonObject().put("active", false))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            fields(submit(app, UUID.randomUUID().toString(), report("test-bullying", "x", false))))
        .containsExactly("categoryId");
    assertThat(
            app.patch("/v1/report-categories/nope", editor, new JsonObject().put("active", false))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            fields(
                app.patch(
                    "/v1/report-categories/test-bullying",
                    editor,
                    new JsonObject().put("destination", "POLICE"))))
        .containsExactly("destination");
    // moderators and young people cannot change routing
    assertThat(reactivateTestBullying(app.staffToken("moderator"))).isEqualTo(403);
    assertThat(reactivateTestBullying(app.deviceToken("14-17"))).isEqualTo(403);
    assertThat(reactivateTestBullying(null)).isEqualTo(401);
  }

  @Test
  void categoryLabelsThatWouldReachAnEmailHeaderRefuseLineBreaks() {
    String editor = app.staffToken("editor");
    JsonObject created = category("test-header", "Bullying\r\nBcc: someone@example.org");
    assertThat(fields(app.post("/v1/report-categories", editor, created))).containsExactly("label");
    assertThat(
            fields(
                app.post(
                    "/v1/report-categories", editor, created.copy().put("label", "Bullying\nX"))))
        .containsExactly("label");
    assertThat(
            fields(
                app.patch(
                    "/v1/report-categories/weapons",
                    editor,
                    new JsonObject().put("label", "Weapons\rBcc: someone@example.org"))))
        .containsExactly("label");
  }

  @Test
  void contactLinksAreOnlyHttpsTelOrMailto() {
    String editor = app.staffToken("editor");
    for (String bad :
        List.of(
            "javascript:alert(1)",
            "http://example.org",
            "data:text/html,hi",
            "JAVASCRIPT:alert(1)",
            " https://example.org",
            "//example.org")) {
      var r =
          app.patch(
              "/v1/report-categories/weapons",
              editor,
              new JsonObject()
                  .put(
                      "contacts",
                      new JsonArray().add(new JsonObject().put("name", "Link").put("url", bad))));
      assertThat(fields(r)).as(bad).singleElement().asString().startsWith("contacts");
    }
    for (String good :
        List.of(
            "https://crimestoppers-uk.org/give-information",
            "tel:0800555111",
            "mailto:csctreferrals@islington.gov.uk")) {
      var r =
          app.patch(
              "/v1/report-categories/test-links",
              editor,
              new JsonObject()
                  .put(
                      "contacts",
                      new JsonArray().add(new JsonObject().put("name", "Link").put("url", good))));
      assertThat(r.statusCode())
          .as(good + " " + r.bodyAsString())
          .isEqualTo(404); // valid; no such category
    }
  }

  @Test
  void storedReportsHoldDaysNotTimesAndCiphertextNotText() {
    String marker = "stored-" + UUID.randomUUID();
    submitOk(app, report("someone-being-hurt", marker, false));
    assertThat(app.dumpAllTables()).doesNotContain(marker);
    // no column of the reporter-facing tables can hold a time of day
    List<String> timeColumns =
        app
            .sql(
                """
        SELECT table_name || '.' || column_name FROM information_schema.columns
         WHERE table_schema = 'content'
           AND table_name IN ('reports', 'report_messages', 'idempotency_keys')
           AND data_type NOT IN ('uuid', 'bigint', 'integer', 'text', 'boolean', 'bytea', 'date')
        """)
            .stream()
            .map(row -> row.getString(0))
            .toList();
    assertThat(timeColumns).isEmpty();
  }
}
