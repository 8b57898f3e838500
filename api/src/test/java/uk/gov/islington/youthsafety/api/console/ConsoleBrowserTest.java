package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.reports.Reports;
import uk.gov.islington.youthsafety.api.reports.Smtp;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * The moderator's journey in a real browser (Debian chromium, headless) against the running
 * service: enrol the authenticator app, sign out, sign in with a code computed here, see a new
 * urgent report appear in the open queue without reloading, read it, ask the reporter a question,
 * get the reply through the JSON API, forward to CSCT (the e-mail arrives at a local SMTP server)
 * and close it. Once with clicks, once with the keyboard alone. axe-core checks every page and
 * every error state on the way (0 violations).
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify -Dtest=ConsoleBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.screenshots=$PWD/docs/console}
 */
@ConsoleBrowserApp
class ConsoleBrowserTest {

  static final String PASSWORD = TestApp.STAFF_PASSWORD;
  static Smtp smtp;
  static TestApp app;

  static String nextCode(byte[] secret) {
    app.clock.advance(Duration.ofSeconds(30));
    return Totp.code(secret, app.clock.instant());
  }

  @ConsoleJourney.Run
  void aModeratorTriagesAReport(ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    String username = app.newStaff("moderator").getString("username");

    // ---- first sign-in: the password, then enrolment
    b.open("/console");
    b.waitForPage("/console/sign-in");
    j.axe("sign-in");
    b.screenshot("sign-in");
    if (j.checkEverything()) {
      hands.fill(By.id("username"), username);
      hands.fill(By.id("password"), "not the password at all");
      j.mistake(
          By.cssSelector("form[action='/console/sign-in'] button"), "sign-in, wrong password");
      b.find(By.id("username")).clear();
    }
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), PASSWORD);
    j.follow(
        By.cssSelector("form[action='/console/sign-in'] button"),
        "/console/sign-in/enrol",
        "enrolment");
    b.screenshot("enrol");
    byte[] secret = Totp.fromBase32(b.find(By.id("totp-key")).getText());
    if (j.checkEverything()) {
      hands.fill(By.id("code"), "000000");
      j.mistake(
          By.cssSelector("form[action='/console/sign-in/enrol'] button"), "enrolment, wrong code");
      b.find(By.id("code")).clear();
    }
    hands.fill(By.id("code"), nextCode(secret));
    hands.activate(By.cssSelector("form[action='/console/sign-in/enrol'] button"));
    assertThat(b.find(By.id("recovery-codes")).findElements(By.tagName("li"))).hasSize(10);
    j.axe("recovery codes");
    hands.activate(By.id("continue"));
    b.waitForPage("/console");
    b.find(By.id("waiting"));
    j.axe("home");
    b.screenshot("home");

    // ---- sign out, and in again with a code computed here
    hands.activate(By.cssSelector(".ys-sign-out__button"));
    b.waitForPage("/console/sign-in");
    b.find(By.className("govuk-notification-banner"));
    j.axe("signed out");
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), PASSWORD);
    j.follow(
        By.cssSelector("form[action='/console/sign-in'] button"), "/console/sign-in/code", "code");
    hands.fill(By.id("code"), nextCode(secret));
    hands.activate(By.cssSelector("form[action='/console/sign-in/code'] button"));
    b.waitForPage("/console");
    b.find(By.id("waiting"));

    // ---- the queue, open; a new urgent report appears without a reload
    hands.activate(By.cssSelector("a.govuk-service-navigation__link[href='/console/triage']"));
    b.waitForPage("/console/triage");
    b.until(
        "the live connection",
        d ->
            "true"
                .equals(
                    b.driver.executeScript("return document.body.dataset.liveConnected || ''")));
    j.axe("triage queue");
    b.driver.executeScript("window.ysSamePage = true");
    String text =
        "Boys from another estate said they will stab my brother tonight " + UUID.randomUUID();
    String receipt =
        Reports.submitOk(
                app, Reports.report("someone-being-hurt", text, true).put("area", "highbury"))
            .getString("receiptCode");
    String id =
        app.sql("SELECT id FROM content.reports ORDER BY seq DESC LIMIT 1")
            .get(0)
            .getUUID("id")
            .toString();
    b.find(By.cssSelector("tr[data-report-id='" + id + "']"));
    assertThat(b.driver.executeScript("return window.ysSamePage === true"))
        .as("no reload")
        .isEqualTo(true);
    b.screenshot("triage-queue");

    // ---- read it
    j.follow(
        By.cssSelector("tr[data-report-id='" + id + "'] a"),
        "/console/triage/reports/" + id,
        "report");
    hands.activate(By.id("show-text"));
    assertThat(b.find(By.id("report-text")).getText()).isEqualTo(text);
    j.axe("report with its text");
    b.screenshot("report");

    // ---- ask the reporter; they reply through the JSON API
    if (j.checkEverything()) {
      hands.activate(By.id("ask"));
      b.find(By.id("message-error"));
      j.axe("report, empty question");
    }
    hands.fill(By.id("message"), "Do you know where they said they would meet?");
    hands.activate(By.id("ask"));
    b.find(By.className("govuk-notification-banner"));
    j.axe("question sent");
    assertThat(Reports.reply(app, receipt, "By the shops on Holloway Road at 8").statusCode())
        .isEqualTo(201);
    hands.activate(By.id("show-text"));
    assertThat(b.find(By.id("conversation")).getText())
        .contains("By the shops on Holloway Road at 8");

    // ---- the page that sends it elsewhere and its error state; cancelled, it stays with CSCT
    if (j.checkEverything()) {
      j.follow(By.id("route"), "/console/triage/reports/" + id + "/route", "send elsewhere");
      hands.activate(By.id("route-button"));
      b.find(By.id("destination-error"));
      j.axe("send elsewhere, nothing chosen");
      hands.activate(By.id("cancel"));
      b.waitForPage("/console/triage/reports/" + id);
    }

    // ---- forward to CSCT: confirmed first; the e-mail reaches the SMTP server
    j.follow(
        By.id("forward"), "/console/triage/reports/" + id + "/confirm/forward", "confirm forward");
    hands.activate(By.id("confirm-button"));
    b.waitForPage("/console/triage/reports/" + id);
    Reports.eventually(
        "the referral e-mail at the SMTP server",
        () -> smtp.received().stream().anyMatch(m -> Smtp.body(m).contains(text)));
    b.until(
        "the delivery shown",
        d -> {
          d.navigate().refresh();
          return !d.findElements(By.cssSelector("[data-forward-state='delivered']")).isEmpty();
        });

    // ---- close with an outcome, confirmed first
    hands.activate(By.id("close"));
    b.waitForPage("/console/triage/reports/" + id + "/confirm/close");
    if (j.checkEverything()) {
      hands.activate(By.id("confirm-button"));
      b.find(By.id("outcome-error"));
      j.axe("close, no outcome");
    }
    hands.fill(By.id("outcome"), "CSCT have the details and are acting on them.");
    hands.activate(By.id("confirm-button"));
    b.until("the report closed", d -> "Closed".equals(b.find(By.id("report-status")).getText()));
    j.axe("closed");
    j.follow(By.id("audit"), "/console/triage/reports/" + id + "/audit", "audit trail");
    assertThat(b.find(By.id("audit-table")).getText())
        .contains("Forwarded", "Closed")
        .doesNotContain(text);

    if (j.checkEverything()) {
      b.open("/console/staff");
      b.find(By.tagName("h1"));
      j.axe("403");
      b.open("/console/no-such-page");
      b.find(By.tagName("h1"));
      j.axe("404");
      b.open("/console/account/password");
      b.find(By.id("current"));
      j.axe("change password");
    }
  }
}
