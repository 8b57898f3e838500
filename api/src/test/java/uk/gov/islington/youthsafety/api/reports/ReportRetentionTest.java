package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submit;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The retention rules of reports, run by the real retention job with the clock moved on:
 * idempotency records go after a day or two, spam after 30 days, closed reports 90 days after
 * closing (with their messages, forwards and records), the audit trail after two years; open
 * reports never.
 */
@WithTestApp(value = "REPORT_SUBMIT_RATE_CAPACITY=1000", now = ReportRetentionTest.T0_TEXT)
class ReportRetentionTest {

  static TestApp app;
  static final String T0_TEXT = "2025-03-03T10:00:00Z";
  static final Instant T0 = Instant.parse(T0_TEXT);

  private static void at(Duration sinceStart) {
    app.setNow(T0.plus(sinceStart));
    app.await(app.app().retention().runOnce());
  }

  private static long count(String sql, Object... params) {
    return app.sql(sql, params).get(0).getLong(0);
  }

  @Test
  void reportsAndTheirTracesArePurgedOnScheduleAndOpenReportsNever() {
    String moderator = app.staffToken("moderator");
    String closedText = "closed " + UUID.randomUUID();
    String spamText = "spam " + UUID.randomUUID();
    String openText = "open " + UUID.randomUUID();
    String closedCode =
        submitOk(app, report("someone-being-hurt", closedText, false)).getString("receiptCode");
    String spamCode = submitOk(app, report("drugs", spamText, false)).getString("receiptCode");
    String openCode = submitOk(app, report("weapons", openText, false)).getString("receiptCode");
    String key = UUID.randomUUID().toString();
    JsonObject retried = report("crime-information", "retried " + UUID.randomUUID(), false);
    String retriedCode = submit(app, key, retried).bodyAsJsonObject().getString("receiptCode");
    String closed = findReportId(app, moderator, closedText);
    String spam = findReportId(app, moderator, spamText);
    String open = findReportId(app, moderator, openText);
    actOk(
        app,
        moderator,
        closed,
        new JsonObject().put("action", "ask").put("message", "Anything else?"));
    assertThat(Reports.reply(app, closedCode, "No.").statusCode()).isEqualTo(201);
    actOk(app, moderator, closed, new JsonObject().put("action", "forward"));
    Reports.eventually(
        "in the local sink",
        () ->
            "waiting_to_be_sent"
                .equals(
                    Reports.triageReport(app, moderator, closed)
                        .getJsonArray("forwards")
                        .getJsonObject(0)
                        .getString("state")));
    actOk(app, moderator, closed, new JsonObject().put("action", "close").put("outcome", "Done."));
    actOk(app, moderator, spam, new JsonObject().put("action", "spam"));
    long auditOfClosed =
        count("SELECT count(*) FROM content.report_audit WHERE report_id = $1::uuid", closed);
    assertThat(auditOfClosed).isGreaterThanOrEqualTo(4);

    // a day later the idempotency record still answers a retry; two days later it is gone
    at(Duration.ofDays(1));
    assertThat(submit(app, key, retried).bodyAsJsonObject().getString("receiptCode"))
        .isEqualTo(retriedCode);
    assertThat(count("SELECT count(*) FROM content.idempotency_keys WHERE scope = 'submitReport'"))
        .isEqualTo(4);
    at(Duration.ofDays(2));
    assertThat(count("SELECT count(*) FROM content.idempotency_keys WHERE scope = 'submitReport'"))
        .isZero();
    assertThat(check(app, retriedCode).statusCode()).isEqualTo(200); // the report itself stays

    // spam: 30 days after it was marked
    at(Duration.ofDays(29));
    assertThat(check(app, spamCode).statusCode()).isEqualTo(200);
    at(Duration.ofDays(31));
    assertThat(check(app, spamCode).statusCode()).isEqualTo(404);
    assertThat(check(app, closedCode).statusCode()).isEqualTo(200);

    // closed: 90 days after closing, with its messages and forwards
    at(Duration.ofDays(90));
    assertThat(check(app, closedCode).statusCode()).isEqualTo(200);
    at(Duration.ofDays(92));
    assertThat(check(app, closedCode).statusCode()).isEqualTo(404);
    assertThat(count("SELECT count(*) FROM content.reports WHERE id = $1::uuid", closed)).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM content.report_messages WHERE report_id = $1::uuid", closed))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM content.report_forwards WHERE report_id = $1::uuid", closed))
        .isZero();
    // open reports are never purged: nothing acknowledged is lost
    assertThat(check(app, openCode).statusCode()).isEqualTo(200);
    // the audit trail outlives the report (no text in it), for two years
    assertThat(
            count("SELECT count(*) FROM content.report_audit WHERE report_id = $1::uuid", closed))
        .isEqualTo(auditOfClosed);
    String laterModerator = app.staffToken("moderator");
    actOk(app, laterModerator, open, new JsonObject().put("action", "claim"));

    at(Duration.ofDays(731));
    assertThat(
            count("SELECT count(*) FROM content.report_audit WHERE report_id = $1::uuid", closed))
        .isZero();
    assertThat(count("SELECT count(*) FROM content.report_audit WHERE report_id = $1::uuid", open))
        .isEqualTo(1);
    assertThat(check(app, openCode).statusCode()).isEqualTo(200);
  }
}
