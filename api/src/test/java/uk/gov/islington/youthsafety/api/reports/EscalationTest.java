package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
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

/**
 * An urgent report nobody claims is escalated on time under a test clock, again at each interval,
 * and never once it is claimed; the timer survives a restart, and two instances escalate once.
 */
class EscalationTest {

  static final String ESCALATION = "escalation-manager@example.test";

  static Map<String, String> settings(Smtp smtp) {
    Map<String, String> env = new HashMap<>(DutyAlertTest.settings(smtp));
    env.put("REPORT_ESCALATION_EMAIL", ESCALATION);
    env.put("REPORT_URGENT_ESCALATE_AFTER", "15m");
    return env;
  }

  static List<MimeMessage> escalations(Smtp smtp) {
    return smtp.received().stream()
        .filter(
            m -> {
              try {
                return java.util.Arrays.toString(m.getRecipients(Message.RecipientType.TO))
                    .contains(ESCALATION);
              } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  /** One round of the job, then the dispatcher's, so that whatever the round enqueued has gone. */
  static int round(TestApp app) {
    int escalated = app.await(DutyAlertTest.alerts(app.app()).escalate());
    app.await(app.app().dispatcher().runOnce());
    return escalated;
  }

  @Test
  void anUnclaimedUrgentReportIsEscalatedEveryIntervalUntilClaimed() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(settings(smtp))) {
      String text = "escalate me " + UUID.randomUUID();
      submitOk(app, report("someone-being-hurt", text, true).put("area", "holloway"));
      String moderator = app.staffToken("moderator");
      String id = findReportId(app, moderator, text);

      app.clock.advance(Duration.ofMinutes(14).plusSeconds(59));
      assertThat(round(app)).as("not yet").isZero();
      app.clock.advance(Duration.ofSeconds(1));
      assertThat(round(app)).isEqualTo(1);
      eventually("the escalation arrives", () -> escalations(smtp).size() == 1);
      String raw = GreenMailUtil.getWholeMessage(escalations(smtp).get(0));
      assertThat(raw)
          .contains("waited 15 minutes")
          .contains("safeguarding")
          .contains(DutyAlertTest.CONSOLE);
      assertThat(raw.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain("escalate me")
          .doesNotContain("holloway")
          .doesNotContain(id);

      app.clock.advance(Duration.ofMinutes(14));
      assertThat(round(app)).as("the next one is 15 minutes later").isZero();
      app.clock.advance(Duration.ofMinutes(1));
      assertThat(round(app)).isEqualTo(1);
      eventually("the second escalation arrives", () -> escalations(smtp).size() == 2);
      assertThat(escalations(smtp).get(1).getSubject()).contains("30 minutes");

      actOk(
          app,
          app.staffToken("moderator"),
          id,
          new JsonObject().put("action", "claim")); // a fresh token: 30 min went by
      assertThat(app.sql("SELECT count(*) FROM content.report_escalations").get(0).getLong(0))
          .as("the timer goes with the claim")
          .isZero();
      app.clock.advance(Duration.ofHours(2));
      assertThat(round(app)).isZero();
      assertThat(escalations(smtp)).hasSize(2);
    }
  }

  @Test
  void anUrgentReportHandedBackStartsEscalatingAgain() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(settings(smtp))) {
      String text = "handed back " + UUID.randomUUID();
      submitOk(app, report("someone-being-hurt", text, true));
      String moderator = app.staffToken("moderator");
      String id = findReportId(app, moderator, text);
      actOk(app, moderator, id, new JsonObject().put("action", "claim"));
      app.clock.advance(Duration.ofMinutes(5));
      actOk(app, moderator, id, new JsonObject().put("action", "unclaim"));
      assertThat(app.sql("SELECT count(*) FROM content.report_escalations").get(0).getLong(0))
          .as("the timer starts again at the hand-back")
          .isEqualTo(1);

      app.clock.advance(Duration.ofMinutes(14).plusSeconds(59));
      assertThat(round(app)).as("15 minutes from the hand-back, not from arrival").isZero();
      app.clock.advance(Duration.ofSeconds(1));
      assertThat(round(app)).isEqualTo(1);
      eventually("the escalation arrives", () -> escalations(smtp).size() == 1);
    }
  }

  @Test
  void theTimerSurvivesARestartAndTwoInstancesEscalateOnce() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start()) {
      TestApp app = TestApp.start(settings(smtp));
      try {
        submitOk(app, report("weapons", "restart " + UUID.randomUUID(), true));
        app.clock.advance(Duration.ofMinutes(10));
        app = app.restart(settings(smtp));
        try (App second = app.startAnotherInstance(settings(smtp))) {
          app.clock.advance(Duration.ofMinutes(5));
          var rounds =
              app.await(
                  Future.all(
                      DutyAlertTest.alerts(app.app()).escalate(),
                      DutyAlertTest.alerts(second).escalate()));
          assertThat((Integer) rounds.resultAt(0) + (Integer) rounds.resultAt(1)).isEqualTo(1);
          TestApp restarted = app;
          eventually("the escalation arrives", () -> escalations(smtp).size() == 1);
          restarted.await(
              Future.all(restarted.app().dispatcher().runOnce(), second.dispatcher().runOnce()));
          assertThat(escalations(smtp)).hasSize(1);
          assertThat(escalations(smtp).get(0).getSubject()).contains("15 minutes");
        }
      } finally {
        app.close();
      }
    }
  }

  @Test
  void withoutAnEscalationAddressNoTimerIsKept() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(DutyAlertTest.settings(smtp))) {
      submitOk(app, report("someone-being-hurt", "no timer " + UUID.randomUUID(), true));
      assertThat(app.sql("SELECT count(*) FROM content.report_escalations").get(0).getLong(0))
          .isZero();
      app.clock.advance(Duration.ofHours(1));
      assertThat(round(app)).isZero();
    }
  }
}
