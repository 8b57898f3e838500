package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.actions;
import static uk.gov.islington.youthsafety.api.reports.Reports.backWithModerators;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.queueItem;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitAndForward;
import static uk.gov.islington.youthsafety.api.reports.Reports.triageReport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.reports.Reports.Held;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Every status a reporter reads is true: "passed to CSCT" only once a real channel accepted the
 * referral. The local mail sink is no channel (the referral waits to be sent, and readiness says
 * so); a referral the mail server refuses for good is "not delivered" and back with the moderators.
 */
class HonestStatusTest {

  static JsonArray warnings(TestApp app) {
    var ready = app.get("/health/ready", null);
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    return ready.bodyAsJsonObject().getJsonArray("warnings");
  }

  @Test
  void onTheLocalSinkAReferralWaitsToBeSentAndTheServiceSaysSo() throws Exception {
    try (TestApp app = TestApp.start()) {
      assertThat(warnings(app).encode())
          .contains("E-mail is not configured")
          .contains("REPORT_DUTY_EMAIL");
      String moderator = app.staffToken("moderator");
      Held forwarded = submitAndForward(app, moderator, "someone-being-hurt", "held in the sink");
      String id = forwarded.id();
      String code = forwarded.receiptCode();

      eventually(
          "the e-mail is in the local sink",
          () -> "waiting_to_be_sent".equals(Reports.forwardState(app, moderator, id)));
      app.await(app.app().dispatcher().runOnce());
      JsonObject held = triageReport(app, moderator, id);
      assertThat(held.getString("status")).isEqualTo("forwarding");
      assertThat(held.getJsonArray("forwards").getJsonObject(0).getString("deliveredAt")).isNull();
      assertThat(check(app, code).bodyAsJsonObject().getString("status"))
          .isEqualTo("being_looked_at");
      String delivery = queueItem(app, moderator, id).getString("delivery");
      assertThat(delivery).isEqualTo("waiting_to_be_sent");
      // a second forward cannot pile up behind it
      assertThat(
              Reports.act(app, moderator, id, new JsonObject().put("action", "forward"))
                  .statusCode())
          .isEqualTo(409);

      // a moderator who hands it over by other means records it; only then has CSCT got it
      JsonObject handed =
          actOk(
              app,
              moderator,
              id,
              new JsonObject()
                  .put("action", "confirm_handoff")
                  .put("externalReference", "CSCT-PHONE-1"));
      assertThat(handed.getString("status")).isEqualTo("forwarded");
      assertThat(handed.getJsonArray("forwards").getJsonObject(0).getString("deliveredVia"))
          .isEqualTo("manual");
      assertThat(check(app, code).bodyAsJsonObject().getString("status"))
          .isEqualTo("passed_to_csct");
    }
  }

  @Test
  void aReferralTheMailServerRefusesIsNotDeliveredAndBackWithTheModerators() throws Exception {
    try (RefusingSmtp smtp = new RefusingSmtp()) {
      Map<String, String> env = new HashMap<>(smtp.settings());
      env.put("REPORT_DUTY_EMAIL", "duty@example.test");
      env.put("REPORT_ESCALATION_EMAIL", "escalation@example.test");
      try (TestApp app = TestApp.start(env)) {
        // e-mail configured for everything: what is left is push, which this test does not set up
        assertThat(warnings(app)).singleElement().asString().startsWith("Push is not configured");
        String moderator = app.staffToken("moderator");
        Held forwarded = submitAndForward(app, moderator, "grooming-or-exploitation", "refused");
        String id = forwarded.id();
        String code = forwarded.receiptCode();

        JsonObject back = backWithModerators(app, moderator, id, "the refusal is recorded");
        JsonObject forward = back.getJsonArray("forwards").getJsonObject(0);
        assertThat(forward.getString("state")).isEqualTo("failed");
        assertThat(forward.getString("lastError"))
            .contains("550")
            .doesNotContain("No such mailbox");
        assertThat(forward.getInteger("attempts")).isEqualTo(1);
        assertThat(actions(back)).contains("delivery_failed").doesNotContain("delivered");
        assertThat(check(app, code).bodyAsJsonObject().getString("status"))
            .isEqualTo("being_looked_at");

        // refused for good: never retried
        int refusals = smtp.refusals.get();
        app.await(app.app().dispatcher().runOnce());
        assertThat(smtp.refusals.get()).isEqualTo(refusals);
        assertThat(check(app, code).bodyAsJsonObject().getString("status"))
            .isEqualTo("being_looked_at");

        // the moderators may route it elsewhere now
        JsonObject routed =
            actOk(
                app,
                moderator,
                id,
                Reports.route(
                    "CRIMESTOPPERS", "CSCT's address refuses mail; Crimestoppers by hand"));
        assertThat(routed.getString("destination")).isEqualTo("CRIMESTOPPERS");
      }
    }
  }

  @Test
  void aReferralTheMailServerKeepsDeferringIsNotDeliveredOnceTheAttemptsRunOut() throws Exception {
    try (RefusingSmtp smtp = RefusingSmtp.deferring()) {
      Map<String, String> env = new HashMap<>(smtp.settings());
      env.put("OUTBOX_MAX_ATTEMPTS", "2");
      env.put("REPORT_EMAIL_RETRY_INITIAL", "1ms");
      env.put("REPORT_EMAIL_RETRY_MAX", "1ms");
      try (TestApp app = TestApp.start(env)) {
        String moderator = app.staffToken("moderator");
        Held forwarded = submitAndForward(app, moderator, "grooming-or-exploitation", "deferred");
        String id = forwarded.id();
        String code = forwarded.receiptCode();

        JsonObject back = backWithModerators(app, moderator, id, "the attempts run out");
        JsonObject forward = back.getJsonArray("forwards").getJsonObject(0);
        assertThat(forward.getString("state")).isEqualTo("failed");
        assertThat(forward.getString("lastError"))
            .contains("gave up after 2 attempts")
            .contains("451")
            .doesNotContain("Try again later");
        assertThat(forward.getInteger("attempts")).isEqualTo(2);
        assertThat(smtp.refusals.get()).isEqualTo(2);
        assertThat(actions(back)).containsOnlyOnce("delivery_failed").doesNotContain("delivered");
        assertThat(check(app, code).bodyAsJsonObject().getString("status"))
            .isEqualTo("being_looked_at");
      }
    }
  }
}
