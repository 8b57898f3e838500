package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
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
class ConsoleBrowserTest {

  static final String PASSWORD = "a long staff passphrase";
  static Smtp smtp;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    smtp = Smtp.onFreePort().start();
    app = TestApp.start(settings(smtp));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    smtp.close();
  }

  /**
   * Settings for the browser tests: cheap password hashing, and e-mail configured as in production,
   * so that the pages (and screenshots) carry no configuration warning.
   */
  static java.util.Map<String, String> settings(Smtp smtp) {
    java.util.Map<String, String> env = new java.util.HashMap<>(smtp.settings());
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    env.put("REPORT_DUTY_EMAIL", "duty@example.test");
    env.put("REPORT_ESCALATION_EMAIL", "escalation@example.test");
    return env;
  }

  static String newModerator() {
    String username = "moderator." + UUID.randomUUID().toString().substring(0, 8);
    var r =
        app.post(
            "/v1/staff",
            app.staffToken("admin"),
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("roles", new JsonArray(List.of("moderator"))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return username;
  }

  static String nextCode(byte[] secret) {
    app.clock.advance(Duration.ofSeconds(30));
    return Totp.code(secret, app.clock.instant());
  }

  /** What the journey does at each step: with the mouse, or with the keyboard alone. */
  interface Hands {
    void fill(By field, String text);

    void activate(By control);

    /** Ticks a checkbox or chooses a radio. */
    void check(By box);
  }

  static Hands mouse(ConsoleBrowser b) {
    return new Hands() {
      @Override
      public void fill(By field, String text) {
        WebElement e = b.find(field);
        e.clear();
        e.sendKeys(text);
      }

      @Override
      public void activate(By control) {
        b.find(control).click();
      }

      @Override
      public void check(By box) {
        b.find(box).click();
      }
    };
  }

  static Hands keyboard(ConsoleBrowser b) {
    return new Hands() {
      @Override
      public void fill(By field, String text) {
        b.tabTo(field);
        b.type(text);
      }

      @Override
      public void activate(By control) {
        b.tabTo(control);
        b.press(Keys.ENTER);
      }

      @Override
      public void check(By box) {
        b.tabTo(box);
        b.press(Keys.SPACE);
      }
    };
  }

  @Test
  void aModeratorTriagesAReportWithTheMouse() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, mouse(b), true);
    }
  }

  @Test
  void aModeratorTriagesAReportWithTheKeyboardAlone() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, keyboard(b), false);
    }
  }

  static void journey(ConsoleBrowser b, Hands hands, boolean checkEverything) throws Exception {
    String username = newModerator();
    Consumer<String> axe =
        page -> {
          if (checkEverything) {
            b.assertAccessible(page);
          }
        };

    // ---- first sign-in: the password, then enrolment
    b.open("/console");
    b.waitForPage("/console/sign-in");
    axe.accept("sign-in");
    b.screenshot("sign-in");
    if (checkEverything) {
      hands.fill(By.id("username"), username);
      hands.fill(By.id("password"), "not the password at all");
      hands.activate(By.cssSelector("form[action='/console/sign-in'] button"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("sign-in, wrong password");
      b.find(By.id("username")).clear();
    }
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), PASSWORD);
    hands.activate(By.cssSelector("form[action='/console/sign-in'] button"));
    b.waitForPage("/console/sign-in/enrol");
    axe.accept("enrolment");
    b.screenshot("enrol");
    byte[] secret = Totp.fromBase32(b.find(By.id("totp-key")).getText());
    if (checkEverything) {
      hands.fill(By.id("code"), "000000");
      hands.activate(By.cssSelector("form[action='/console/sign-in/enrol'] button"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("enrolment, wrong code");
      b.find(By.id("code")).clear();
    }
    hands.fill(By.id("code"), nextCode(secret));
    hands.activate(By.cssSelector("form[action='/console/sign-in/enrol'] button"));
    assertThat(b.find(By.id("recovery-codes")).findElements(By.tagName("li"))).hasSize(10);
    axe.accept("recovery codes");
    hands.activate(By.id("continue"));
    b.waitForPage("/console");
    b.find(By.id("waiting"));
    axe.accept("home");
    b.screenshot("home");

    // ---- sign out, and in again with a code computed here
    hands.activate(By.cssSelector(".ys-sign-out__button"));
    b.waitForPage("/console/sign-in");
    b.find(By.className("govuk-notification-banner"));
    axe.accept("signed out");
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), PASSWORD);
    hands.activate(By.cssSelector("form[action='/console/sign-in'] button"));
    b.waitForPage("/console/sign-in/code");
    axe.accept("code");
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
    axe.accept("triage queue");
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
    hands.activate(By.cssSelector("tr[data-report-id='" + id + "'] a"));
    b.waitForPage("/console/triage/reports/" + id);
    axe.accept("report");
    hands.activate(By.id("show-text"));
    assertThat(b.find(By.id("report-text")).getText()).isEqualTo(text);
    axe.accept("report with its text");
    b.screenshot("report");

    // ---- ask the reporter; they reply through the JSON API
    if (checkEverything) {
      hands.activate(By.id("ask"));
      b.find(By.id("message-error"));
      axe.accept("report, empty question");
    }
    hands.fill(By.id("message"), "Do you know where they said they would meet?");
    hands.activate(By.id("ask"));
    b.find(By.className("govuk-notification-banner"));
    axe.accept("question sent");
    assertThat(Reports.reply(app, receipt, "By the shops on Holloway Road at 8").statusCode())
        .isEqualTo(201);
    hands.activate(By.id("show-text"));
    assertThat(b.find(By.id("conversation")).getText())
        .contains("By the shops on Holloway Road at 8");

    // ---- the page that sends it elsewhere and its error state; cancelled, it stays with CSCT
    if (checkEverything) {
      hands.activate(By.id("route"));
      b.waitForPage("/console/triage/reports/" + id + "/route");
      axe.accept("send elsewhere");
      hands.activate(By.id("route-button"));
      b.find(By.id("destination-error"));
      axe.accept("send elsewhere, nothing chosen");
      hands.activate(By.id("cancel"));
      b.waitForPage("/console/triage/reports/" + id);
    }

    // ---- forward to CSCT: confirmed first; the e-mail reaches the SMTP server
    hands.activate(By.id("forward"));
    b.waitForPage("/console/triage/reports/" + id + "/confirm/forward");
    axe.accept("confirm forward");
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
    if (checkEverything) {
      hands.activate(By.id("confirm-button"));
      b.find(By.id("outcome-error"));
      axe.accept("close, no outcome");
    }
    hands.fill(By.id("outcome"), "CSCT have the details and are acting on them.");
    hands.activate(By.id("confirm-button"));
    b.until("the report closed", d -> "Closed".equals(b.find(By.id("report-status")).getText()));
    axe.accept("closed");
    hands.activate(By.id("audit"));
    b.waitForPage("/console/triage/reports/" + id + "/audit");
    axe.accept("audit trail");
    assertThat(b.find(By.id("audit-table")).getText())
        .contains("Forwarded", "Closed")
        .doesNotContain(text);

    if (checkEverything) {
      b.open("/console/staff");
      b.find(By.tagName("h1"));
      axe.accept("403");
      b.open("/console/no-such-page");
      b.find(By.tagName("h1"));
      axe.accept("404");
      b.open("/console/account/password");
      b.find(By.id("current"));
      axe.accept("change password");
    }
  }
}
