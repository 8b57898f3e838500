package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static uk.gov.islington.youthsafety.api.reports.Reports.act;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.actions;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.fields;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.queue;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.triageReport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The whole moderator journey through HTTP, with CSCT's referral e-mailed through a real local SMTP
 * server and Crimestoppers' hand-off done by hand: queue order and filters, reading (audited),
 * claim, ask and the reporter's answer, forward, confirm hand-off, route, close, spam, the
 * reporter's view at each step, roles, and the append-only audit trail.
 */
@WithTestApp(smtp = true)
class ModeratorJourneyTest {

  static Smtp smtp;
  static TestApp app;
  static String moderator;
  static String otherModerator;

  @BeforeAll
  static void start() throws Exception {
    moderator = app.staffToken("moderator");
    otherModerator = app.staffToken("moderator");
  }

  private static String subject(String token) {
    return app.app().context().tokens().verify(token).subject();
  }

  @Test
  void aModeratorTriagesForwardsAndClosesReportsAndTheReporterSeesEachStep() throws Exception {
    // ---- three reporters
    String hurtText = "My friend's uncle hits him and he is scared to go home " + UUID.randomUUID();
    String knifeText = "A boy in year 10 has a knife in his bag " + UUID.randomUUID();
    String drugsText = "People sell drugs by the bins behind the shop " + UUID.randomUUID();
    String hurtCode =
        submitOk(
                app,
                report("someone-being-hurt", hurtText, false)
                    .put("area", "finsbury-park")
                    .put("happenedWhen", "ongoing"))
            .getString("receiptCode");
    String knifeCode =
        submitOk(app, report("weapons", knifeText, true).put("area", "highbury"))
            .getString("receiptCode");
    String drugsCode = submitOk(app, report("drugs", drugsText, false)).getString("receiptCode");
    String hurt = findReportId(app, moderator, hurtText);
    String knife = findReportId(app, moderator, knifeText);
    String drugs = findReportId(app, moderator, drugsText);

    // ---- the queue: urgent first, then oldest; filters; paging keeps the order
    // (other tests of this class add reports of their own: look at these three)
    mine = java.util.Set.of(hurt, knife, drugs);
    JsonArray queue = queue(app, moderator, "?limit=100");
    assertThat(ids(queue)).containsExactly(knife, hurt, drugs);
    JsonObject first =
        queue.stream()
            .map(JsonObject.class::cast)
            .filter(i -> i.getString("id").equals(knife))
            .findFirst()
            .orElseThrow();
    assertThat(first.getString("reference")).matches("R-[2-9A-Z]{4}-[2-9A-Z]{4}");
    assertThat(first.getBoolean("urgent")).isTrue();
    assertThat(first.encode()).doesNotContain(knifeText); // no text in the queue
    assertThat(ids(queue(app, moderator, "?destination=CRIMESTOPPERS")))
        .containsExactly(knife, drugs);
    assertThat(ids(queue(app, moderator, "?urgent=true"))).containsExactly(knife);
    List<String> paged = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          app.get(
                  "/v1/moderation/reports?limit=1" + (cursor == null ? "" : "&cursor=" + cursor),
                  moderator)
              .bodyAsJsonObject();
      paged.addAll(ids(page.getJsonArray("items")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(paged).containsExactly(knife, hurt, drugs);
    assertThat(fields(app.get("/v1/moderation/reports?cursor=not-ours", moderator)))
        .containsExactly("cursor");
    assertThat(fields(app.get("/v1/moderation/reports?status=lost", moderator)))
        .containsExactly("status");

    // ---- reading a report: decrypted, and audited
    JsonObject read = triageReport(app, moderator, hurt);
    assertThat(read.getString("description")).isEqualTo(hurtText);
    assertThat(read.getJsonObject("area").getString("label")).isEqualTo("Finsbury Park");
    assertThat(read.getString("happenedWhen")).isEqualTo("ongoing");
    assertThat(read.getString("createdOn"))
        .isEqualTo(LocalDate.now(ZoneId.of("Europe/London")).toString());
    assertThat(lastAction(read)).isEqualTo("view");
    assertThat(history(read).getJsonObject(0).getString("by")).isEqualTo(subject(moderator));

    // ---- claim, take over, ask; the reporter answers
    assertThat(
            actOk(app, moderator, hurt, new JsonObject().put("action", "claim"))
                .getString("claimedBy"))
        .isEqualTo(subject(moderator));
    JsonObject taken = actOk(app, otherModerator, hurt, new JsonObject().put("action", "claim"));
    assertThat(taken.getString("claimedBy")).isEqualTo(subject(otherModerator));
    assertThat(
            history(taken)
                .getJsonObject(history(taken).size() - 1)
                .getJsonObject("detail")
                .getString("tookOverFrom"))
        .isEqualTo(subject(moderator));
    actOk(
        app,
        otherModerator,
        hurt,
        new JsonObject().put("action", "ask").put("message", "Is he safe tonight?"));
    JsonObject reporterView = check(app, hurtCode).bodyAsJsonObject();
    assertThat(reporterView.getString("status")).isEqualTo("being_looked_at");
    assertThat(reporterView.getBoolean("awaitingReply")).isTrue();
    assertThat(Reports.reply(app, hurtCode, "He stays at mine on Fridays.").statusCode())
        .isEqualTo(201);

    // ---- forward to CSCT by e-mail through the SMTP server
    JsonObject forwarding =
        actOk(app, otherModerator, hurt, new JsonObject().put("action", "forward"));
    assertThat(forwarding.getString("status")).isIn("forwarding", "forwarded");
    assertThat(forwarding.getJsonArray("forwards").getJsonObject(0).getString("channel"))
        .isEqualTo("email");
    eventually("the referral is e-mailed", () -> smtp.received().size() == 1);
    eventually(
        "the report shows the delivery",
        () -> "forwarded".equals(triageReport(app, moderator, hurt).getString("status")));
    MimeMessage mail = smtp.received().get(0);
    String reference = read.getString("reference");
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("csctreferrals@islington.gov.uk");
    assertThat(mail.getSubject()).contains(reference).contains("Someone my age is being hurt");
    assertThat(mail.getHeader("Message-ID")[0]).contains("report-forward-");
    String text = Smtp.body(mail);
    assertThat(text)
        .contains(hurtText)
        .contains("Finsbury Park")
        .contains(reference)
        .contains("Reported on:      " + read.getString("createdOn"))
        .contains("He stays at mine on Fridays.")
        .contains("Is he safe tonight?");
    assertThat(text).doesNotContain(hurtCode).doesNotContain(hurtCode.replace("-", ""));
    JsonObject delivered = triageReport(app, moderator, hurt);
    JsonObject forward = delivered.getJsonArray("forwards").getJsonObject(0);
    assertThat(forward.getString("state")).isEqualTo("delivered");
    assertThat(forward.getString("deliveredVia")).isEqualTo("smtp");
    assertThat(forward.getString("recipient")).isEqualTo("csctreferrals@islington.gov.uk");
    assertThat(check(app, hurtCode).bodyAsJsonObject().getString("status"))
        .isEqualTo("passed_to_csct");
    // never twice, and no re-routing once it has gone
    assertThat(act(app, moderator, hurt, new JsonObject().put("action", "forward")).statusCode())
        .isEqualTo(409);
    assertThat(act(app, moderator, hurt, Reports.route("CRIMESTOPPERS", "too late")).statusCode())
        .isEqualTo(409);

    // ---- close with an outcome the reporter sees
    assertThat(fields(act(app, moderator, hurt, new JsonObject().put("action", "close"))))
        .containsExactly("outcome");
    actOk(
        app,
        moderator,
        hurt,
        new JsonObject()
            .put("action", "close")
            .put("outcome", "CSCT are making sure he is safe. Thank you."));
    JsonObject closed = check(app, hurtCode).bodyAsJsonObject();
    assertThat(closed.getString("status")).isEqualTo("closed");
    assertThat(closed.getString("outcome"))
        .isEqualTo("CSCT are making sure he is safe. Thank you.");
    assertThat(
            act(app, moderator, hurt, new JsonObject().put("action", "ask").put("message", "x"))
                .statusCode())
        .isEqualTo(409);
    assertThat(actions(triageReport(app, moderator, hurt)))
        .containsSubsequence("view", "claim", "claim", "ask", "forward", "delivered", "close");

    // ---- Crimestoppers: a manual hand-off through their anonymous form
    JsonObject handoff = actOk(app, moderator, knife, new JsonObject().put("action", "forward"));
    JsonObject waiting = handoff.getJsonArray("forwards").getJsonObject(0);
    assertThat(waiting.getString("channel")).isEqualTo("manual");
    assertThat(waiting.getString("state")).isEqualTo("awaiting_handoff");
    assertThat(waiting.getJsonObject("handoff").getString("text"))
        .contains(knifeText)
        .contains("Highbury")
        .contains("YES - the reporter said someone is in danger right now");
    assertThat(waiting.getJsonObject("handoff").getString("url"))
        .startsWith("https://crimestoppers-uk.org/");
    assertThat(waiting.getJsonObject("handoff").getString("phone")).isEqualTo("0800 555 111");
    assertThat(check(app, knifeCode).bodyAsJsonObject().getString("status"))
        .isEqualTo("being_looked_at");
    JsonObject confirmed =
        actOk(
            app,
            moderator,
            knife,
            new JsonObject().put("action", "confirm_handoff").put("externalReference", "CS-2291"));
    assertThat(confirmed.getString("status")).isEqualTo("forwarded");
    assertThat(confirmed.getJsonArray("forwards").getJsonObject(0).getString("externalReference"))
        .isEqualTo("CS-2291");
    assertThat(check(app, knifeCode).bodyAsJsonObject().getString("status"))
        .isEqualTo("passed_to_crimestoppers");
    assertThat(
            act(app, moderator, knife, new JsonObject().put("action", "confirm_handoff"))
                .statusCode())
        .isEqualTo(409);

    // ---- route elsewhere, then spam
    assertThat(fields(act(app, moderator, drugs, new JsonObject().put("action", "route"))))
        .containsExactlyInAnyOrder("destination", "reason");
    JsonObject routed =
        actOk(
            app,
            moderator,
            drugs,
            Reports.route("CSCT", "A child is being made to sell: a safeguarding matter."));
    assertThat(routed.getString("destination")).isEqualTo("CSCT");
    assertThat(check(app, drugsCode).bodyAsJsonObject().getString("destination")).isEqualTo("CSCT");
    actOk(app, moderator, drugs, new JsonObject().put("action", "spam"));
    JsonObject spam = check(app, drugsCode).bodyAsJsonObject();
    assertThat(spam.getString("status")).isEqualTo("closed");
    assertThat(spam.getString("outcome")).isNotBlank();
    assertThat(ids(queue(app, moderator, ""))).doesNotContain(drugs, hurt);
    assertThat(ids(queue(app, moderator, "?status=spam"))).containsExactly(drugs);
    assertThat(smtp.received()).hasSize(1);
  }

  /** One report for the validation cases, submitted when the first of them runs. */
  private static String validationReport;

  static Stream<Arguments> invalidActions() {
    return Stream.of(
        arguments("{}", "action"),
        arguments("{\"action\":\"delete\"}", "action"),
        arguments("{\"action\":\"ask\"}", "message"),
        arguments("{\"action\":\"ask\",\"message\":\"  \"}", "message"),
        arguments(
            "{\"action\":\"route\",\"destination\":\"POLICE\",\"reason\":\"no such destination\"}",
            "destination"),
        arguments(
            new JsonObject().put("action", "close").put("outcome", "x".repeat(301)).encode(),
            "outcome"),
        arguments("{\"action\":\"claim\",\"because\":\"x\"}", "because"));
  }

  @ParameterizedTest(name = "[{index}] refused, naming {1}")
  @MethodSource("invalidActions")
  void validationOfActionsNamesTheField(String action, String field) {
    if (validationReport == null) {
      String text = "validation " + UUID.randomUUID();
      submitOk(app, report("something-else", text, false));
      validationReport = findReportId(app, moderator, text);
    }
    assertThat(fields(act(app, moderator, validationReport, new JsonObject(action))))
        .containsExactly(field);
  }

  @Test
  void onlyModeratorsMayTriage() {
    String text = "roles " + UUID.randomUUID();
    submitOk(app, report("something-else", text, false));
    String id = findReportId(app, moderator, text);
    for (String token :
        new String[] {
          app.deviceToken("14-17"),
          app.staffToken("editor"),
          app.staffToken("admin"),
          app.staffToken("youth_council")
        }) {
      assertThat(app.get("/v1/moderation/reports", token).statusCode()).isEqualTo(403);
      assertThat(app.get("/v1/moderation/reports/" + id, token).statusCode()).isEqualTo(403);
      assertThat(act(app, token, id, new JsonObject().put("action", "claim")).statusCode())
          .isEqualTo(403);
    }
    assertThat(app.get("/v1/moderation/reports", null).statusCode()).isEqualTo(401);
    assertThat(app.get("/v1/moderation/reports/" + id, "not-a-token").statusCode()).isEqualTo(401);
    assertThat(app.get("/v1/moderation/reports/" + UUID.randomUUID(), moderator).statusCode())
        .isEqualTo(404);
    assertThat(app.get("/v1/moderation/reports/not-a-uuid", moderator).statusCode()).isEqualTo(404);
    assertThat(
            act(
                    app,
                    moderator,
                    UUID.randomUUID().toString(),
                    new JsonObject().put("action", "claim"))
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theAuditTrailIsAppendOnlyInTheDatabase() {
    String text = "audit " + UUID.randomUUID();
    submitOk(app, report("something-else", text, false));
    String id = findReportId(app, moderator, text);
    actOk(app, moderator, id, new JsonObject().put("action", "claim"));
    long rows = app.sql("SELECT count(*) FROM content.report_audit").get(0).getLong(0);
    assertThat(rows).isPositive();
    // the service's own role may append and read, nothing else
    assertThatThrownBy(() -> app.sql("UPDATE content.report_audit SET staff_id = 'someone-else'"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> app.sql("DELETE FROM content.report_audit"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> app.sql("TRUNCATE content.report_audit"))
        .hasMessageContaining("permission denied");
    // not even through the retention job's switch, with a cut-off of its own choosing
    assertThatThrownBy(
            () ->
                app.await(
                    app.pool()
                        .withTransaction(
                            tx ->
                                tx.query(
                                        "SELECT set_config('content.report_audit_purge_before', '2100-01-01T00:00:00Z', true)")
                                    .execute()
                                    .compose(
                                        v ->
                                            tx.query(
                                                    "DELETE FROM content.report_audit WHERE report_id IS NOT NULL")
                                                .execute()))))
        .hasMessageContaining("permission denied");
    // and the retention job's own way in deletes nothing younger than a year, whatever it asks
    assertThat(
            app.sql("SELECT content.purge_report_audit('2100-01-01T00:00:00Z')").get(0).getLong(0))
        .isZero();
    assertThat(app.sql("SELECT count(*) FROM content.report_audit").get(0).getLong(0))
        .isGreaterThanOrEqualTo(rows);
    assertThat(
            app.sql("SELECT count(*) FROM content.report_audit WHERE staff_id = 'someone-else'")
                .get(0)
                .getLong(0))
        .isZero();
  }

  private static java.util.Set<String> mine = java.util.Set.of();

  /** The ids of this test's own reports, in the order listed. */
  private static List<String> ids(JsonArray items) {
    return items.stream()
        .map(i -> ((JsonObject) i).getString("id"))
        .filter(mine::contains)
        .toList();
  }

  private static JsonArray history(JsonObject report) {
    return report.getJsonArray("history");
  }

  private static String lastAction(JsonObject report) {
    JsonArray h = history(report);
    return h.getJsonObject(h.size() - 1).getString("action");
  }
}
