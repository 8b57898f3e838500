package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The triage desk over HTTP (no JavaScript): the queue and its filters, a report without and then
 * with its text (each reading audited, never cached), the actions with their confirmations, a
 * report closed by someone else meanwhile, who may open what, and the live "changed" events.
 */
@WithTestApp({
  TestApp.CHEAP_HASH_MEMORY,
  TestApp.CHEAP_HASH_ITERATIONS,
  "CONSOLE_EVENTS_HEARTBEAT=500ms"
})
class ConsoleTriageTest {

  static TestApp app;
  static ConsoleClient moderator;
  static String moderatorId;

  @BeforeAll
  static void start() throws Exception {
    moderator = signedIn("moderator");
    moderatorId =
        app.sql("SELECT id FROM content.staff WHERE 'moderator' = ANY (roles) LIMIT 1")
            .get(0)
            .getString("id");
  }

  static ConsoleClient signedIn(String... roles) {
    return ConsoleClient.newStaff(app, roles);
  }

  static long views(String reportId) {
    return app.sql(
            "SELECT count(*) AS n FROM content.report_audit WHERE report_id = $1::uuid AND action = 'view'",
            reportId)
        .get(0)
        .getLong("n");
  }

  @Test
  void aModeratorSendsAReportSomewhereElseWithAReasonAndMistakesKeepWhatWasTyped() {
    String text = "gang recruiting at the estate " + UUID.randomUUID();
    submitOk(app, report("someone-being-hurt", text, false));
    String id = findReportId(app, app.staffToken("moderator"), text);

    String page = moderator.get("/console/triage/reports/" + id + "/route").bodyAsString();
    assertThat(page)
        .contains(
            "Send report",
            "Islington Integrated Gang Team (IGT)",
            "Islington Exploited and Missing Team",
            "Crimestoppers")
        .doesNotContain("value=\"CSCT\"");

    // no destination chosen: the error summary, and the reason as typed
    HttpResponse<Buffer> missing =
        moderator.post(
            "/console/triage/reports/" + id + "/actions",
            Map.of("action", "route", "reason", "Gang-related: <IGT> leads"));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsString())
        .contains(
            "govuk-error-summary",
            "href=\"#destination\"",
            "Choose where the report should go",
            "Gang-related: &lt;IGT&gt; leads");

    HttpResponse<Buffer> routed =
        moderator.post(
            "/console/triage/reports/" + id + "/actions",
            Map.of(
                "action",
                "route",
                "destination",
                "IGT",
                "reason",
                "Gang-related: the IGT leads on this"));
    assertThat(routed.statusCode()).as(routed.bodyAsString()).isEqualTo(303);
    String after = moderator.get("/console/triage/reports/" + id + "?done=route").bodyAsString();
    assertThat(after)
        .contains("The destination is changed.", "Islington Integrated Gang Team (IGT)");
    assertThat(
            app.get("/v1/moderation/reports/" + id + "/audit", app.staffToken("moderator"))
                .bodyAsString())
        .contains("Gang-related: the IGT leads on this")
        .contains("\"to\":\"IGT\"");
    assertThat(moderator.get("/console/triage?destination=IGT").bodyAsString())
        .contains("data-report-id=\"" + id + "\"");
  }

  @Test
  void aReportNobodyClaimedPastTheTargetIsTaggedOverdueAndCountedOnTheHomePage() {
    String text = "waited a fortnight " + UUID.randomUUID();
    submitOk(app, report("drugs", text, false));
    String id = findReportId(app, app.staffToken("moderator"), text);
    // as if it had arrived two weeks ago: days only, as reports keep
    app.sql(
        "UPDATE content.reports SET created_on = created_on - 14, updated_on = updated_on - 14 WHERE id = $1::uuid",
        id);

    String queue = moderator.get("/console/triage?urgent=false").bodyAsString();
    String row = queue.substring(queue.indexOf("data-report-id=\"" + id + "\""));
    assertThat(row.substring(0, row.indexOf("</tr>"))).contains("Overdue");
    assertThat(moderator.get("/console").bodyAsString()).contains("id=\"overdue\"");
    app.post(
        "/v1/moderation/reports/" + id + "/actions",
        app.staffToken("moderator"),
        new JsonObject().put("action", "claim"));
    String after = moderator.get("/console/triage?urgent=false").bodyAsString();
    String claimed = after.substring(after.indexOf("data-report-id=\"" + id + "\""));
    assertThat(claimed.substring(0, claimed.indexOf("</tr>"))).doesNotContain("Overdue");
  }

  @Test
  void aModeratorTriagesAReportFromTheQueueToItsClose() {
    String text = "Older boys wait at the bus stop with a knife " + UUID.randomUUID();
    String code =
        submitOk(app, report("someone-being-hurt", text, true).put("area", "highbury"))
            .getString("receiptCode");
    String id = findReportId(app, app.staffToken("moderator"), text);

    HttpResponse<Buffer> queue = moderator.get("/console/triage?urgent=true");
    assertThat(queue.statusCode()).isEqualTo(200);
    assertThat(queue.bodyAsString())
        .contains("data-report-id=\"" + id + "\"", "Urgent", "Highbury", "Nobody")
        .doesNotContain(text);
    assertThat(moderator.get("/console/triage?urgent=false").bodyAsString()).doesNotContain(id);
    assertThat(moderator.get("/console").bodyAsString()).contains("id=\"urgent\"");

    // without "Show report text": no text, nothing audited
    long before = views(id);
    HttpResponse<Buffer> outline = moderator.get("/console/triage/reports/" + id);
    assertThat(outline.bodyAsString()).contains("Show report text").doesNotContain(text);
    assertThat(views(id)).isEqualTo(before);
    HttpResponse<Buffer> shown = moderator.get("/console/triage/reports/" + id + "?text=show");
    assertThat(shown.bodyAsString()).contains(text);
    assertThat(views(id)).isEqualTo(before + 1);
    assertThat(shown.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(shown.getHeader("Content-Security-Policy")).contains("default-src 'self'");

    // claim, ask; the reporter sees the question
    assertThat(
            moderator
                .post("/console/triage/reports/" + id + "/actions", Map.of("action", "claim"))
                .getHeader("Location"))
        .endsWith("?done=claim");
    assertThat(moderator.get("/console/triage/reports/" + id).bodyAsString())
        .contains("Hand back to the queue");
    HttpResponse<Buffer> empty =
        moderator.post(
            "/console/triage/reports/" + id + "/actions", Map.of("action", "ask", "message", " "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.bodyAsString())
        .contains("Error: Report", "Enter the question the reporter will see");
    moderator.post(
        "/console/triage/reports/" + id + "/actions",
        Map.of("action", "ask", "message", "Which bus stop?"));
    assertThat(check(app, code).bodyAsString()).contains("Which bus stop?");

    // forwarding asks first, then goes through the outbox; its delivery shows on the page
    HttpResponse<Buffer> unconfirmed =
        moderator.post("/console/triage/reports/" + id + "/actions", Map.of("action", "forward"));
    assertThat(unconfirmed.getHeader("Location")).endsWith("/confirm/forward");
    assertThat(moderator.get(unconfirmed.getHeader("Location")).bodyAsString())
        .contains("Forward report");
    moderator.post(
        "/console/triage/reports/" + id + "/actions",
        Map.of("action", "forward", "confirmed", "yes"));
    // on the local sink the referral reaches no one, and every page says so
    uk.gov.islington.youthsafety.api.reports.Reports.eventually(
        "the e-mail is in the local sink",
        () ->
            moderator
                .get("/console/triage/reports/" + id)
                .bodyAsString()
                .contains("data-forward-state=\"waiting_to_be_sent\""));
    assertThat(moderator.get("/console/triage/reports/" + id).bodyAsString())
        .contains("Waiting to be sent: e-mail is not configured", "Pass it on yourself");
    // every feature's warnings, not only the reports'
    assertThat(moderator.get("/console/triage").bodyAsString())
        .contains(
            "E-mail is not configured",
            "Bulletin e-mail is not configured",
            "Push is not configured");

    // closed by someone else meanwhile: a clear message, nothing overwritten
    ConsoleClient other = signedIn("moderator");
    other.post(
        "/console/triage/reports/" + id + "/actions",
        Map.of(
            "action",
            "close",
            "confirmed",
            "yes",
            "outcome",
            "Passed to CSCT who are looking into it."));
    HttpResponse<Buffer> late =
        moderator.post(
            "/console/triage/reports/" + id + "/actions",
            Map.of("action", "close", "confirmed", "yes", "outcome", "A different outcome"));
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.bodyAsString())
        .contains("Someone else closed this report", "Nothing you sent was saved");
    assertThat(
            app.sql("SELECT outcome FROM content.reports WHERE id = $1::uuid", id)
                .get(0)
                .getString("outcome"))
        .isEqualTo("Passed to CSCT who are looking into it.");

    HttpResponse<Buffer> audit = moderator.get("/console/triage/reports/" + id + "/audit");
    assertThat(audit.bodyAsString())
        .contains(
            "Read the report text",
            "Claimed",
            "Asked the reporter a question",
            "Forwarded",
            "Closed")
        .doesNotContain(text);
  }

  @Test
  void onlyModeratorsOpenReportsAndAdminsSeeTheAuditTrail() {
    String text = "Someone sells vapes to year 7s " + UUID.randomUUID();
    submitOk(app, report("drugs", text, false));
    String id = findReportId(app, app.staffToken("moderator"), text);
    ConsoleClient editor = signedIn("editor");
    HttpResponse<Buffer> refused = editor.get("/console/triage/reports/" + id + "?text=show");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsString()).doesNotContain(text);
    assertThat(editor.get("/console/triage").statusCode()).isEqualTo(403);
    assertThat(editor.get("/console/triage/reports/" + id + "/audit").statusCode()).isEqualTo(403);
    ConsoleClient admin = signedIn("admin");
    assertThat(admin.get("/console/triage/reports/" + id).statusCode()).isEqualTo(403);
    assertThat(admin.get("/console/triage/reports/" + id + "/audit").statusCode()).isEqualTo(200);
    assertThat(moderator.get("/console/triage/reports/" + UUID.randomUUID()).statusCode())
        .isEqualTo(404);
    assertThat(moderator.get("/console/triage/reports/not-an-id").statusCode()).isEqualTo(404);
  }

  @Test
  void anOpenQueueHearsThatSomethingChangedAndNothingMore() throws Exception {
    HttpClient client = app.app().context().vertx().createHttpClient();
    try {
      EventStream events = EventStream.open(client, moderator);
      String text = "A man follows girls home from school " + UUID.randomUUID();
      submitOk(app, report("someone-being-hurt", text, false));
      String stream = events.firstWith("event: changed").get(60, TimeUnit.SECONDS);
      assertThat(stream)
          .contains("event: changed\ndata: \n\n")
          .doesNotContain(text, "someone-being-hurt");
    } finally {
      client.close();
    }
  }

  @Test
  void aStreamEndsSoonAfterItsSessionEndsAndNotBefore() throws Exception {
    HttpClient client = app.app().context().vertx().createHttpClient();
    try {
      ConsoleClient signingOut = signedIn("moderator");
      ConsoleClient staying = signedIn("moderator");
      EventStream ofSignedOut = EventStream.open(client, signingOut);
      EventStream ofStaying = EventStream.open(client, staying);
      assertThat(signingOut.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(303);

      String ended = ofSignedOut.closed.get(60, TimeUnit.SECONDS);
      assertThat(ended).endsWith("event: ended\ndata: \n\n");
      // two more heartbeats: the stream of a live session stays open, with keep-alives only
      int beats = ofStaying.count(": keep-alive");
      ofStaying.firstWithCount(": keep-alive", beats + 2).get(60, TimeUnit.SECONDS);
      assertThat(ofStaying.closed).isNotDone();
      assertThat(ofStaying.received.toString()).doesNotContain("event: ended");
    } finally {
      client.close();
    }
  }

  /** An open triage page's event stream, as the browser's EventSource holds it. */
  record EventStream(
      StringBuffer received, CompletableFuture<String> closed, List<Runnable> waiting) {

    static EventStream open(HttpClient client, ConsoleClient who) throws Exception {
      HttpClientResponse response =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost("localhost")
                      .setPort(app.app().port())
                      .setURI("/console/triage/events")
                      .putHeader(
                          "Cookie",
                          ConsolePages.COOKIE + "=" + who.cookies.get(ConsolePages.COOKIE)))
              .compose(req -> req.send())
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
      EventStream stream =
          new EventStream(
              new StringBuffer(),
              new CompletableFuture<>(),
              new java.util.concurrent.CopyOnWriteArrayList<>());
      response.handler(
          chunk -> {
            stream.received.append(chunk.toString());
            stream.waiting.forEach(Runnable::run);
          });
      response.endHandler(v -> stream.closed.complete(stream.received.toString()));
      return stream;
    }

    CompletableFuture<String> firstWith(String text) {
      return firstWithCount(text, 1);
    }

    CompletableFuture<String> firstWithCount(String text, int times) {
      CompletableFuture<String> found = new CompletableFuture<>();
      Runnable check =
          () -> {
            if (count(text) >= times) {
              found.complete(received.toString());
            }
          };
      waiting.add(check);
      check.run();
      return found;
    }

    int count(String text) {
      String all = received.toString();
      int n = 0;
      for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
        n++;
      }
      return n;
    }
  }
}
