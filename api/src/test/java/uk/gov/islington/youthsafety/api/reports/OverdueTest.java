package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.DutyAlertTest.CONSOLE;
import static uk.gov.islington.youthsafety.api.reports.DutyAlertTest.alerts;
import static uk.gov.islington.youthsafety.api.reports.DutyAlertTest.alertsReceived;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.MutableClock;

/**
 * A report nobody claims within the working-day target shows as overdue in the queue and is
 * counted, once a working day, in the duty inbox's overdue digest. Christmas 2026 is the test: a
 * report from Thursday 24 December is due by the end of Tuesday 29 (Friday 25 and Monday 28 are
 * bank holidays, the weekend is no working day).
 */
class OverdueTest {

  static boolean overdue(TestApp app, String moderator, String id) {
    return Reports.queueItem(app, moderator, id).getBoolean("overdue");
  }

  static boolean digestRound(TestApp app) {
    boolean sent = app.await(alerts(app.app()).sendOverdueDigest());
    app.await(app.app().dispatcher().runOnce());
    return sent;
  }

  @Test
  void aReportUnclaimedPastTheWorkingDayTargetIsOverdueAndCountedOnceADay() throws Exception {
    Map<String, String> env = new HashMap<>();
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app =
            TestApp.start(
                withDigestSettings(env, smtp),
                new MutableClock(Instant.parse("2026-12-24T10:00:00Z")))) {
      String text = "Christmas Eve worry " + UUID.randomUUID();
      submitOk(app, report("someone-being-hurt", text, false).put("area", "holloway"));
      String id = findReportId(app, app.staffToken("moderator"), text);
      assertThat(overdue(app, app.staffToken("moderator"), id)).isFalse();

      app.clock.set(Instant.parse("2026-12-29T21:00:00Z")); // the Tuesday after two bank holidays
      String moderator = app.staffToken("moderator");
      assertThat(overdue(app, moderator, id)).as("due by the end of Tuesday").isFalse();
      assertThat(digestRound(app)).isFalse();

      app.clock.set(Instant.parse("2026-12-30T07:59:00Z"));
      moderator = app.staffToken("moderator");
      assertThat(overdue(app, moderator, id)).isTrue();
      assertThat(digestRound(app)).as("the digest waits for 08:00").isFalse();

      app.clock.set(Instant.parse("2026-12-30T08:00:00Z"));
      assertThat(digestRound(app)).isTrue();
      eventually(
          "the overdue digest arrives",
          () -> alertsReceived(smtp).stream().anyMatch(m -> subject(m).contains("overdue")));
      String body =
          Smtp.body(
              alertsReceived(smtp).stream()
                  .filter(m -> subject(m).contains("overdue"))
                  .findFirst()
                  .orElseThrow());
      assertThat(body)
          .contains("more than 1 working day")
          .contains("safeguarding: 1")
          .contains(CONSOLE)
          .doesNotContain("Christmas Eve")
          .doesNotContain("olloway")
          .doesNotContain(id);
      assertThat(digestRound(app)).as("once a day").isFalse();

      // a report from today is not overdue; claiming the old one takes it out of the count
      String fresh = "New Year worry " + UUID.randomUUID();
      submitOk(app, report("drugs", fresh, false));
      String freshId = findReportId(app, moderator, fresh);
      assertThat(overdue(app, moderator, freshId)).isFalse();
      actOk(app, moderator, id, new JsonObject().put("action", "claim"));
      assertThat(overdue(app, moderator, id)).isFalse();

      app.clock.set(Instant.parse("2026-12-31T09:00:00Z"));
      assertThat(digestRound(app)).as("nothing is overdue on Thursday").isFalse();
      app.clock.set(
          Instant.parse("2027-01-02T09:00:00Z")); // Saturday: the new one is overdue, but no digest
      assertThat(overdue(app, app.staffToken("moderator"), freshId)).isTrue();
      assertThat(digestRound(app)).isFalse();
      app.clock.set(Instant.parse("2027-01-04T08:30:00Z")); // Monday
      assertThat(digestRound(app)).isTrue();
      eventually(
          "the second overdue digest arrives",
          () ->
              alertsReceived(smtp).stream().filter(m -> subject(m).contains("overdue")).count()
                  == 2);
    }
  }

  @Test
  void aBankHolidayFileThatIsNotGovUksFormatIsRefusedNamingTheSetting() throws Exception {
    Path file = Files.createTempFile("bank-holidays", ".json");
    Files.writeString(file, "{\"england-and-wales\": {\"events\": [{\"date\": \"25/12/2026\"}]}}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ReportSettings.from(
                    Config.of(Map.of("REPORT_BANK_HOLIDAYS_FILE", file.toString()))))
        .hasMessageContaining("REPORT_BANK_HOLIDAYS_FILE")
        .hasMessageContaining("gov.uk");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ReportSettings.from(
                    Config.of(Map.of("REPORT_BANK_HOLIDAYS_FILE", file + ".missing"))))
        .hasMessage("REPORT_BANK_HOLIDAYS_FILE could not be read");
  }

  @Test
  void bankHolidaysThatHaveRunOutAreAWarning() throws Exception {
    Path file = Files.createTempFile("bank-holidays", ".json");
    Files.writeString(
        file,
        "{\"division\": \"england-and-wales\", \"events\": [{\"title\": \"Christmas Day\","
            + " \"date\": \"2025-12-25\"}]}");
    try (TestApp app =
        TestApp.start(
            Map.of("REPORT_BANK_HOLIDAYS_FILE", file.toString()),
            new MutableClock(Instant.parse("2026-03-02T10:00:00Z")))) {
      assertThat(HonestStatusTest.warnings(app).encode())
          .contains("Bank holidays are known only until 2025-12-31")
          .contains("REPORT_BANK_HOLIDAYS_FILE");
    }
    try (TestApp app =
        TestApp.start(Map.of(), new MutableClock(Instant.parse("2026-03-02T10:00:00Z")))) {
      assertThat(HonestStatusTest.warnings(app).encode()).doesNotContain("Bank holidays");
    }
  }

  private static Map<String, String> withDigestSettings(Map<String, String> env, Smtp smtp) {
    env.putAll(DutyAlertTest.settings(smtp));
    env.put("REPORT_OVERDUE_DIGEST_AT", "08:00");
    return env;
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
