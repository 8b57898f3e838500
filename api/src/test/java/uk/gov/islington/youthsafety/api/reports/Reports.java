package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * Shared steps of the report tests: a reporter and a moderator talking to the real service over
 * HTTP.
 */
public final class Reports {

  private Reports() {}

  public static JsonObject report(String categoryId, String description, boolean immediateDanger) {
    return new JsonObject()
        .put("categoryId", categoryId)
        .put("description", description)
        .put("immediateDanger", immediateDanger);
  }

  static HttpResponse<Buffer> submit(TestApp app, String idempotencyKey, JsonObject body) {
    var request = app.http().post("/v1/reports");
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    return app.send(request, null, body);
  }

  /** Submits and answers the receipt, asserting 201. */
  public static JsonObject submitOk(TestApp app, JsonObject body) {
    HttpResponse<Buffer> r = submit(app, UUID.randomUUID().toString(), body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  public static HttpResponse<Buffer> check(TestApp app, String code) {
    return app.post("/v1/reports/status", null, new JsonObject().put("receiptCode", code));
  }

  public static HttpResponse<Buffer> reply(TestApp app, String code, String message) {
    return app.post(
        "/v1/reports/messages",
        null,
        new JsonObject().put("receiptCode", code).put("message", message));
  }

  /** A moderator's action that routes the report to another destination, for this reason. */
  static JsonObject route(String destination, String reason) {
    return new JsonObject()
        .put("action", "route")
        .put("destination", destination)
        .put("reason", reason);
  }

  static HttpResponse<Buffer> act(TestApp app, String token, String reportId, JsonObject action) {
    return app.post("/v1/moderation/reports/" + reportId + "/actions", token, action);
  }

  static JsonObject actOk(TestApp app, String token, String reportId, JsonObject action) {
    HttpResponse<Buffer> r = act(app, token, reportId, action);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonObject triageReport(TestApp app, String token, String reportId) {
    HttpResponse<Buffer> r = app.get("/v1/moderation/reports/" + reportId, token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /**
   * The items of the moderation queue for this query (e.g. {@code "?urgent=true"}), asserting 200.
   */
  static JsonArray queue(TestApp app, String token, String query) {
    HttpResponse<Buffer> r = app.get("/v1/moderation/reports" + query, token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  /** This report's item in the moderation queue (among its first 100). */
  static JsonObject queueItem(TestApp app, String token, String reportId) {
    return queue(app, token, "?limit=100").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("id").equals(reportId))
        .findFirst()
        .orElseThrow();
  }

  /**
   * A report the moderators hold: its id, the receipt code its reporter checks it with, and the
   * text of its description.
   */
  record Held(String id, String receiptCode, String text) {}

  /**
   * Submits a report with this label and a unique text in its description, finds it as the
   * moderator, and forwards it to its destination (asserting 200).
   */
  static Held submitAndForward(TestApp app, String moderator, String categoryId, String label) {
    String text = label + " " + UUID.randomUUID();
    String code = submitOk(app, report(categoryId, text, false)).getString("receiptCode");
    String id = findReportId(app, moderator, text);
    actOk(app, moderator, id, new JsonObject().put("action", "forward"));
    return new Held(id, code, text);
  }

  /**
   * Waits until the report is back with the moderators (in review again), and answers it as they
   * see it then.
   */
  static JsonObject backWithModerators(TestApp app, String moderator, String reportId, String why) {
    eventually(
        why, () -> "in_review".equals(triageReport(app, moderator, reportId).getString("status")));
    return triageReport(app, moderator, reportId);
  }

  /** The state of the report's first forward, as the moderator sees it. */
  static String forwardState(TestApp app, String moderator, String reportId) {
    return triageReport(app, moderator, reportId)
        .getJsonArray("forwards")
        .getJsonObject(0)
        .getString("state");
  }

  /** The actions of a report's history, in order. */
  static List<String> actions(JsonObject report) {
    return report.getJsonArray("history").stream()
        .map(h -> ((JsonObject) h).getString("action"))
        .toList();
  }

  /**
   * The moderator's id of the report with this reference text in its description (via the queue).
   */
  public static String findReportId(TestApp app, String token, String description) {
    List<io.vertx.sqlclient.Row> rows = app.sql("SELECT id FROM content.reports");
    for (io.vertx.sqlclient.Row row : rows) {
      String id = row.getUUID("id").toString();
      if (description.equals(triageDescription(app, token, id))) {
        return id;
      }
    }
    throw new AssertionError("no report with that description");
  }

  private static String triageDescription(TestApp app, String token, String id) {
    return triageReport(app, token, id).getString("description");
  }

  /** The field names of a validation problem. */
  static List<String> fields(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonArray errors = r.bodyAsJsonObject().getJsonArray("errors");
    assertThat(errors).as(r.bodyAsString()).isNotNull();
    return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  /**
   * Waits for something the dispatcher does in the background (not a timing assertion: the limit is
   * generous).
   */
  public static void eventually(String what, BooleanSupplier condition) {
    Waiting.until(what, Duration.ofSeconds(60), condition);
  }
}
