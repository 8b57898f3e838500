package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.fields;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.reply;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The reporter's side by receipt code: honest status, questions and replies, codes never stored
 * readable, wrong codes and floods throttled. The throttling tests run last: they use up this
 * client's buckets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestApp({
  "REPORT_CODE_FAILURES_CAPACITY=3",
  "REPORT_CODE_FAILURES_PER_HOUR=1",
  "REPORT_SUBMIT_RATE_CAPACITY=12",
  "REPORT_SUBMIT_RATE_PER_HOUR=1"
})
class ReporterSideTest {

  static TestApp app;
  static String moderator;

  @BeforeAll
  static void start() throws Exception {
    moderator = app.staffToken("moderator");
  }

  @Test
  @Order(1)
  void theReporterSeesAnHonestStatusAndTheModeratorsQuestionsAndCanAnswer() {
    String text = "worried-" + UUID.randomUUID();
    String code = submitOk(app, report("someone-being-hurt", text, false)).getString("receiptCode");
    JsonObject view = check(app, code).bodyAsJsonObject();
    assertThat(view.getString("status")).isEqualTo("received");
    assertThat(view.getString("destination")).isEqualTo("CSCT");
    assertThat(view.getJsonArray("messages")).isEmpty();
    assertThat(view.getBoolean("awaitingReply")).isFalse();
    assertThat(view.getString("updatedOn")).matches("\\d{4}-\\d{2}-\\d{2}");

    String id = findReportId(app, moderator, text);
    actOk(app, moderator, id, new JsonObject().put("action", "claim"));
    assertThat(check(app, code).bodyAsJsonObject().getString("status"))
        .isEqualTo("being_looked_at");

    actOk(
        app,
        moderator,
        id,
        new JsonObject().put("action", "ask").put("message", "Is your friend safe tonight?"));
    view = check(app, code).bodyAsJsonObject();
    assertThat(view.getBoolean("awaitingReply")).isTrue();
    assertThat(view.getJsonArray("messages").getJsonObject(0).getString("from"))
        .isEqualTo("moderator");
    assertThat(view.getJsonArray("messages").getJsonObject(0).getString("text"))
        .isEqualTo("Is your friend safe tonight?");

    HttpResponse<Buffer> replied = reply(app, code, "Yes, but not at the weekend.");
    assertThat(replied.statusCode()).as(replied.bodyAsString()).isEqualTo(201);
    // a retry of the same reply is stored once
    assertThat(reply(app, code, "Yes, but not at the weekend.").statusCode()).isEqualTo(201);
    view = check(app, code).bodyAsJsonObject();
    assertThat(view.getBoolean("awaitingReply")).isFalse();
    assertThat(view.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("from")))
        .containsExactly("moderator", "you");

    JsonObject triage = Reports.triageReport(app, moderator, id);
    assertThat(triage.getJsonArray("messages").getJsonObject(1).getString("text"))
        .isEqualTo("Yes, but not at the weekend.");
    assertThat(Reports.queueItem(app, moderator, id).getBoolean("awaitingModerator")).isTrue();

    actOk(
        app,
        moderator,
        id,
        new JsonObject()
            .put("action", "close")
            .put("outcome", "Passed to the right people. Thank you for telling us."));
    view = check(app, code).bodyAsJsonObject();
    assertThat(view.getString("status")).isEqualTo("closed");
    assertThat(view.getString("outcome"))
        .isEqualTo("Passed to the right people. Thank you for telling us.");
    assertThat(view.getBoolean("open")).isFalse();
    HttpResponse<Buffer> late = reply(app, code, "One more thing");
    assertThat(late.statusCode()).isEqualTo(409);
  }

  @Test
  @Order(2)
  void aCodeIsAcceptedInAnyCaseWithSpacesOrWithoutDashes() {
    String code =
        submitOk(app, report("drugs", "case-" + UUID.randomUUID(), false)).getString("receiptCode");
    assertThat(check(app, code.toLowerCase()).statusCode()).isEqualTo(200);
    assertThat(check(app, code.replace("-", " ")).statusCode()).isEqualTo(200);
    assertThat(check(app, code.replace("-", "")).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void receiptCodesAreNeverStoredInPlaintext() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      codes.add(
          submitOk(app, report("weapons", "codes-" + i, i % 2 == 0)).getString("receiptCode"));
    }
    // and one that has been replayed from the idempotency record, and one used for a reply
    String key = UUID.randomUUID().toString();
    JsonObject body = report("crime-information", "replayed", false);
    String replayed = Reports.submit(app, key, body).bodyAsJsonObject().getString("receiptCode");
    assertThat(Reports.submit(app, key, body).bodyAsJsonObject().getString("receiptCode"))
        .isEqualTo(replayed);
    codes.add(replayed);
    assertThat(reply(app, codes.get(0), "more detail").statusCode()).isEqualTo(201);

    String everything = app.dumpAllTables();
    String upper = everything.toUpperCase();
    for (String code : codes) {
      String bare = code.replace("-", "");
      assertThat(upper).doesNotContain(code).doesNotContain(bare);
      assertThat(everything)
          .doesNotContain(java.util.Base64.getEncoder().encodeToString(bare.getBytes()));
      assertThat(everything.toLowerCase())
          .doesNotContain(java.util.HexFormat.of().formatHex(bare.getBytes()));
    }
    assertThat(everything)
        .contains("content.idempotency_keys"); // the records are there, only sealed
  }

  @Test
  @Order(4)
  void forwardedEmailsOnTheEmbeddedDefaultCanBeReadFromTheLocalSinkButAreNotStoredReadable() {
    String text = "sink-" + UUID.randomUUID();
    String code =
        submitOk(app, report("pulled-into-gangs", text, false).put("area", "tollington"))
            .getString("receiptCode");
    String id = findReportId(app, moderator, text);
    JsonObject forwarded = actOk(app, moderator, id, new JsonObject().put("action", "forward"));
    assertThat(forwarded.getString("status")).isEqualTo("forwarding");
    // the local sink is not CSCT: the referral waits to be sent, and the reporter is not told it
    // went
    eventually(
        "the e-mail is in the local sink",
        () -> "waiting_to_be_sent".equals(Reports.forwardState(app, moderator, id)));
    JsonObject f =
        Reports.triageReport(app, moderator, id).getJsonArray("forwards").getJsonObject(0);
    assertThat(f.getString("deliveredAt")).isNull();
    assertThat(Reports.triageReport(app, moderator, id).getString("status"))
        .isEqualTo("forwarding");
    assertThat(check(app, code).bodyAsJsonObject().getString("status"))
        .isEqualTo("being_looked_at");

    String mailReads =
        "SELECT count(*) FROM content.report_audit WHERE report_id = $1::uuid AND action = 'view' "
            + "AND detail ? 'mail'";
    assertThat(app.sql(mailReads, id).get(0).getLong(0)).isZero();
    HttpResponse<Buffer> sink = app.get("/v1/moderation/report-mail", moderator);
    assertThat(sink.statusCode()).isEqualTo(200);
    // reading the referral e-mail is reading the report: audited like opening it
    assertThat(app.sql(mailReads, id).get(0).getLong(0)).isEqualTo(1);
    JsonObject mail = sink.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertThat(mail.getJsonArray("to").getString(0)).isEqualTo("csctreferrals@islington.gov.uk");
    assertThat(mail.getString("text"))
        .contains(text)
        .contains("Tollington")
        .contains(Reports.triageReport(app, moderator, id).getString("reference"));
    assertThat(app.dumpAllTables()).doesNotContain(text);
    assertThat(app.get("/v1/moderation/report-mail", app.staffToken("editor")).statusCode())
        .isEqualTo(403);
    assertThat(app.get("/v1/moderation/report-mail", null).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(10)
  void aCodeWithATypoIsCaughtByItsCheckSymbol() {
    String code =
        submitOk(app, report("drugs", "typo-" + UUID.randomUUID(), false)).getString("receiptCode");
    char first = code.charAt(0);
    String typo = (first == '2' ? '3' : '2') + code.substring(1);
    assertThat(fields(check(app, typo))).containsExactly("receiptCode");
  }

  @Test
  @Order(11)
  void wrongCodesAreThrottledAndThenEvenTheRightCodeWaits() {
    // one failure was used by the typo above; capacity is 3
    String code =
        submitOk(app, report("drugs", "throttle-" + UUID.randomUUID(), false))
            .getString("receiptCode");
    assertThat(check(app, code).statusCode()).isEqualTo(200); // right codes cost nothing
    assertThat(check(app, "ABCD-EFGH-JKMN-PQR2").statusCode()).isIn(400, 404);
    assertThat(check(app, unknownButWellFormed()).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> throttled = check(app, unknownButWellFormed());
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isPositive();
    assertThat(throttled.getHeader("Content-Type")).isEqualTo("application/problem+json");
    // refused before any look-up: the right code gets no answer either, so there is nothing to
    // learn
    assertThat(check(app, code).statusCode()).isEqualTo(429);
    assertThat(reply(app, code, "hello").statusCode()).isEqualTo(429);
  }

  @Test
  @Order(12)
  void aFloodOfSubmissionsFromOneAddressIsRateLimited() {
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 13 && (last == null || last.statusCode() == 201); i++) {
      last =
          Reports.submit(app, UUID.randomUUID().toString(), report("drugs", "flood " + i, false));
    }
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.getHeader("Retry-After")).isNotNull();
    assertThat(last.bodyAsJsonObject().getString("detail")).contains("999");
  }

  /** A code with a valid check symbol that was never issued. */
  private static String unknownButWellFormed() {
    return new uk.gov.islington.youthsafety.content.reports.ReceiptCodes(null).generate();
  }
}
