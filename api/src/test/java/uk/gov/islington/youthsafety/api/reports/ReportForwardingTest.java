package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.queueItem;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitAndForward;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.triageReport;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.reports.Reports.Held;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Forwarding never loses a report: with the SMTP server down the referral waits in the outbox and
 * is retried with backoff, and it is delivered exactly once when the server comes back; across a
 * restart of the service the outbox rows are picked up again and delivered.
 */
class ReportForwardingTest {

  private static long outboxAttempts(TestApp app) {
    return app.sql("SELECT coalesce(max(attempts), 0) FROM notifications.outbox").get(0).getLong(0);
  }

  @Test
  void aReferralWaitsWhileTheMailServerIsDownAndIsDeliveredOnceWhenItIsBack() throws Exception {
    try (Smtp smtp = Smtp.onFreePort()) { // not started: connections are refused
      TestApp app = TestApp.start(smtp.settings());
      try {
        String moderator = app.staffToken("moderator");
        Held forwarded =
            submitAndForward(app, moderator, "grooming-or-exploitation", "down-then-up");
        String id = forwarded.id();
        String code = forwarded.receiptCode();
        String text = forwarded.text();

        eventually("several failed attempts", () -> outboxAttempts(app) >= 3);
        JsonObject waiting = triageReport(app, moderator, id);
        JsonObject forward = waiting.getJsonArray("forwards").getJsonObject(0);
        assertThat(waiting.getString("status")).isEqualTo("forwarding");
        assertThat(forward.getString("state")).isEqualTo("retrying");
        assertThat(forward.getString("lastError"))
            .contains("mail server unavailable")
            .doesNotContain(text);
        assertThat(forward.getInteger("attempts")).isGreaterThanOrEqualTo(3);
        assertThat(check(app, code).bodyAsJsonObject().getString("status"))
            .isEqualTo("being_looked_at");
        String queueState = queueItem(app, moderator, id).getString("delivery");
        assertThat(queueState).isEqualTo("retrying");

        smtp.start();
        eventually("the referral arrives", () -> smtp.received().size() >= 1);
        eventually(
            "the report shows it",
            () -> "forwarded".equals(triageReport(app, moderator, id).getString("status")));
        // more dispatcher rounds change nothing: exactly once
        app.await(app.app().dispatcher().runOnce());
        app.await(app.app().dispatcher().runOnce());
        assertThat(smtp.received()).hasSize(1);
        assertThat(Smtp.body(smtp.received().get(0))).contains(text);
        assertThat(app.sql("SELECT state FROM notifications.outbox").get(0).getString(0))
            .isEqualTo("delivered");
        JsonObject delivered =
            triageReport(app, moderator, id).getJsonArray("forwards").getJsonObject(0);
        assertThat(delivered.getString("state")).isEqualTo("delivered");
        assertThat(delivered.getString("lastError")).isNull();
        assertThat(check(app, code).bodyAsJsonObject().getString("status"))
            .isEqualTo("passed_to_csct");
      } finally {
        app.close();
      }
    }
  }

  @Test
  void aRestartWithReferralsInTheOutboxResumesDeliveryOnTheSameDatabase() throws Exception {
    try (Smtp smtp = Smtp.onFreePort()) {
      Map<String, String> first = new HashMap<>(smtp.settings());
      first.put("OUTBOX_DISPATCHER", "false"); // the process "dies" before it delivers anything
      TestApp app = TestApp.start(first);
      String moderator = app.staffToken("moderator");
      String[] texts = new String[3];
      String[] ids = new String[3];
      for (int i = 0; i < 3; i++) {
        texts[i] = "restart " + i + " " + UUID.randomUUID();
        submitOk(app, report("someone-being-hurt", texts[i], false));
        ids[i] = findReportId(app, moderator, texts[i]);
        actOk(app, moderator, ids[i], new JsonObject().put("action", "forward"));
      }
      assertThat(
              app.sql("SELECT count(*) FROM notifications.outbox WHERE state = 'pending'")
                  .get(0)
                  .getLong(0))
          .isEqualTo(3);

      smtp.start();
      app = app.restart(smtp.settings()); // a new App on the same database and data folder
      try {
        TestApp restarted = app;
        String moderatorAgain = restarted.staffToken("moderator");
        eventually("all three referrals arrive", () -> smtp.received().size() >= 3);
        for (String id : ids) {
          eventually(
              "report " + id + " forwarded",
              () ->
                  "forwarded"
                      .equals(triageReport(restarted, moderatorAgain, id).getString("status")));
        }
        restarted.await(restarted.app().dispatcher().runOnce());
        assertThat(smtp.received()).hasSize(3);
        String all = smtp.received().stream().map(Smtp::body).reduce("", String::concat);
        for (String text : texts) {
          assertThat(all).contains(text); // decrypted after the restart with the same keys
        }
        assertThat(
                restarted
                    .sql("SELECT count(*) FROM notifications.outbox WHERE state = 'delivered'")
                    .get(0)
                    .getLong(0))
            .isEqualTo(3);
      } finally {
        app.close();
      }
    }
  }
}
