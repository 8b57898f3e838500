package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.reports.DutyAlerts;

/**
 * Duty alerts through a real SMTP server: an urgent report is announced at once, exactly once, in
 * an e-mail that holds none of the report; other reports come as a digest at most every interval;
 * two instances on one database send one alert, not two.
 */
class DutyAlertTest {

  static final String DUTY = "duty-officer@example.test";
  static final String CONSOLE = "https://youth-safety.example.test/console/triage";

  static Map<String, String> settings(Smtp smtp) {
    Map<String, String> env = new HashMap<>(smtp.settings());
    env.put("REPORT_DUTY_EMAIL", DUTY);
    env.put("REPORT_CONSOLE_URL", CONSOLE);
    env.put("REPORT_ALERT_DIGEST_INTERVAL", "30m");
    env.put("REPORT_ALERT_CHECK_INTERVAL", "1h"); // the test runs the job's rounds itself
    return env;
  }

  static DutyAlerts alerts(App app) {
    return app.features().stream()
        .filter(ReportsFeature.class::isInstance)
        .map(ReportsFeature.class::cast)
        .findFirst()
        .orElseThrow()
        .alerts();
  }

  static List<MimeMessage> alertsReceived(Smtp smtp) {
    return smtp.received().stream().filter(m -> recipients(m).contains(DUTY)).toList();
  }

  static String recipients(MimeMessage m) {
    try {
      return java.util.Arrays.toString(m.getRecipients(Message.RecipientType.TO));
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anUrgentReportAlertsTheDutyInboxOnceWithNothingOfTheReportInIt() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(settings(smtp))) {
      String text = "Quillfeather is locked in the garage on Ringcross " + UUID.randomUUID();
      JsonObject receipt =
          submitOk(
              app,
              report("someone-being-hurt", text, true)
                  .put("area", "holloway")
                  .put("happenedWhen", "happening_now"));
      String code = receipt.getString("receiptCode");
      String reference = app.sql("SELECT reference FROM content.reports").get(0).getString(0);
      String reportId = app.sql("SELECT id::text FROM content.reports").get(0).getString(0);

      eventually("the duty alert arrives", () -> alertsReceived(smtp).size() >= 1);
      app.await(app.app().dispatcher().runOnce());
      app.await(
          alerts(app.app()).sendDigest()); // an urgent report is not announced again in a digest
      app.await(app.app().dispatcher().runOnce());
      assertThat(alertsReceived(smtp)).hasSize(1);

      String raw = GreenMailUtil.getWholeMessage(alertsReceived(smtp).get(0));
      assertThat(raw)
          .contains("urgent report is waiting")
          .contains("safeguarding")
          .contains(CONSOLE);
      assertThat(raw.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain("quillfeather")
          .doesNotContain("ringcross")
          .doesNotContain("garage")
          .doesNotContain("holloway")
          .doesNotContain(code.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(code.replace("-", "").toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(reference.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(reportId);
      // nor does the outbox row name the report
      String rows =
          app.sql(
                  "SELECT payload::text, coalesce(dedupe_key, '') FROM notifications.outbox"
                      + " WHERE channel = 'report-duty-alert'")
              .toString();
      assertThat(rows)
          .doesNotContain(reportId)
          .doesNotContain(reference)
          .doesNotContain("holloway");

      // a sent alert's row says when a report arrived: it goes at the next retention round
      app.await(app.app().retention().runOnce());
      assertThat(
              app.sql(
                      "SELECT count(*) FROM notifications.outbox WHERE channel = 'report-duty-alert'")
                  .get(0)
                  .getLong(0))
          .isZero();
    }
  }

  @Test
  void otherReportsComeAsOneDigestAtMostEveryInterval() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(settings(smtp))) {
      DutyAlerts alerts = alerts(app.app());
      submitOk(app, report("drugs", "digest one " + UUID.randomUUID(), false));
      submitOk(app, report("someone-being-hurt", "digest two " + UUID.randomUUID(), false));
      app.await(app.app().dispatcher().runOnce());
      assertThat(alertsReceived(smtp)).as("no alert per non-urgent report").isEmpty();

      assertThat(app.await(alerts.sendDigest())).isTrue();
      eventually("the digest arrives", () -> alertsReceived(smtp).size() == 1);
      String body = Smtp.body(alertsReceived(smtp).get(0));
      assertThat(body)
          .contains("crime: 1")
          .contains("safeguarding: 1")
          .contains(CONSOLE)
          .doesNotContain("digest one")
          .doesNotContain("digest two");

      submitOk(app, report("drugs", "digest three " + UUID.randomUUID(), false));
      assertThat(app.await(alerts.sendDigest())).as("within the interval").isFalse();
      app.clock.advance(Duration.ofMinutes(29));
      assertThat(app.await(alerts.sendDigest())).as("still within the interval").isFalse();
      app.clock.advance(Duration.ofMinutes(1));
      assertThat(app.await(alerts.sendDigest())).isTrue();
      eventually("the second digest arrives", () -> alertsReceived(smtp).size() == 2);
      assertThat(Smtp.body(alertsReceived(smtp).get(1)))
          .contains("crime: 1")
          .doesNotContain("safeguarding");

      app.clock.advance(Duration.ofHours(2));
      assertThat(app.await(alerts.sendDigest())).as("nothing new is waiting").isFalse();
      app.await(app.app().dispatcher().runOnce());
      assertThat(alertsReceived(smtp)).hasSize(2);
    }
  }

  @Test
  void twoInstancesOnOneDatabaseSendOneAlertNotTwo() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(settings(smtp));
        App second = app.startAnotherInstance(settings(smtp))) {
      submitOk(app, report("weapons", "two instances " + UUID.randomUUID(), true));
      eventually("the alert arrives", () -> alertsReceived(smtp).size() >= 1);
      app.await(Future.all(app.app().dispatcher().runOnce(), second.dispatcher().runOnce()));
      assertThat(alertsReceived(smtp)).hasSize(1);
      assertThat(GreenMailUtil.getWholeMessage(alertsReceived(smtp).get(0))).contains("crime");

      for (int i = 0; i < 3; i++) {
        submitOk(
            app, report("drugs", "both instances' digest " + i + " " + UUID.randomUUID(), false));
      }
      // both instances' jobs run the same round at once: one of them sends the digest
      var rounds =
          app.await(Future.all(alerts(app.app()).sendDigest(), alerts(second).sendDigest()));
      assertThat(List.of((Boolean) rounds.resultAt(0), (Boolean) rounds.resultAt(1)))
          .containsOnlyOnce(true);
      eventually("the digest arrives", () -> alertsReceived(smtp).size() == 2);
      app.await(Future.all(app.app().dispatcher().runOnce(), second.dispatcher().runOnce()));
      assertThat(alertsReceived(smtp)).hasSize(2);
      assertThat(Smtp.body(alertsReceived(smtp).get(1))).contains("crime: 3");
    }
  }
}
