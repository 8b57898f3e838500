package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import uk.gov.islington.youthsafety.api.reports.Smtp;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * A Youth Council member's journey in a real browser (Debian chromium, headless): write a
 * three-question poll a page at a time (mistakes on the way), check it, preview it and create it;
 * devices vote through the JSON API; the member sees the turnout; the poll closes (the test clock);
 * the member sees the results, publishes them, and getConsultationResults shows them to anyone.
 * Once with clicks and axe-core on every page and error state (0 violations), once with the
 * keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify
 * -Dtest=ConsoleConsultationsBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconsole.screenshots=$PWD/docs/console}
 */
class ConsoleConsultationsBrowserTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static Smtp smtp;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    smtp = Smtp.onFreePort().start();
    Map<String, String> env = ConsoleBrowserTest.settings(smtp);
    env.put("CONSULTATION_LIVE_RESULTS_TTL", "0s");
    env.put("CONSULTATION_MIX_INTERVAL", "0s");
    // the test clock jumps a week to close the poll: the session must outlive the jump
    env.put("CONSOLE_SESSION_IDLE", "30d");
    env.put("CONSOLE_SESSION_MAX", "60d");
    app = TestApp.start(env);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    smtp.close();
  }

  @Test
  void aMemberRunsAPollWithTheMouse() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, ConsoleBrowserTest.mouse(b), false, true);
    }
  }

  @Test
  void aMemberRunsAPollWithTheKeyboardAlone() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, ConsoleBrowserTest.keyboard(b), true, false);
    }
  }

  /**
   * Chooses the radio {@code index} of group {@code name}: by click, or with Tab then the arrow
   * keys.
   */
  static void radio(
      ConsoleBrowser b,
      ConsoleBrowserTest.Hands hands,
      boolean keyboardOnly,
      String name,
      int index) {
    By id = By.id(index == 0 ? name : name + "-" + (index + 1));
    if (!keyboardOnly) {
      hands.check(id);
      return;
    }
    b.tabTo(By.id(name));
    if (index == 0) {
      b.press(Keys.SPACE);
    }
    for (int i = 0; i < index; i++) {
      b.press(Keys.ARROW_DOWN);
    }
    assertThat(b.find(id).isSelected()).as("radio " + index + " of " + name).isTrue();
  }

  static void question(
      ConsoleBrowser b,
      ConsoleBrowserTest.Hands hands,
      boolean keyboardOnly,
      String text,
      int type,
      String maxChoices,
      String... options) {
    hands.fill(By.id("text"), text);
    radio(b, hands, keyboardOnly, "type", type);
    if (maxChoices != null) {
      hands.fill(By.id("maxChoices"), maxChoices);
    }
    hands.fill(By.id("options"), String.join("\n", options));
    hands.activate(By.id("continue"));
  }

  static void journey(
      ConsoleBrowser b,
      ConsoleBrowserTest.Hands hands,
      boolean keyboardOnly,
      boolean checkEverything)
      throws Exception {
    Consumer<String> axe =
        page -> {
          if (checkEverything) {
            b.assertAccessible(page);
          }
        };
    ConsoleStaffBrowserTest.signIn(
        app, b, hands, ConsoleStaffBrowserTest.newAccount(app, "youth_council"));
    hands.activate(By.id("home-consultations"));
    b.waitForPage("/console/consultations");
    axe.accept("consultations");
    hands.activate(By.id("new-consultation"));
    b.waitForPage("/console/consultations/new");
    axe.accept("about");

    // ---- about: sent without a title first
    String title = "Feeling safe after school " + UUID.randomUUID().toString().substring(0, 6);
    if (checkEverything) {
      hands.fill(By.id("description"), "The Youth Council wants to know what would help.");
      hands.activate(By.id("continue"));
      b.find(By.className("govuk-error-summary"));
      assertThat(b.find(By.id("description")).getAttribute("value")).contains("what would help");
      axe.accept("about, no title");
    } else {
      hands.fill(By.id("description"), "The Youth Council wants to know what would help.");
    }
    hands.fill(By.id("title"), title);
    hands.activate(By.id("continue"));
    b.waitForPage("/console/consultations/drafts/");
    String base = b.path().replaceAll("/window.*", "");

    // ---- the window: open from a minute ago for a week (London time)
    axe.accept("window");
    if (checkEverything) {
      hands.fill(By.id("opens-day"), "31");
      hands.fill(By.id("opens-month"), "2");
      hands.fill(By.id("opens-year"), "2027");
      hands.activate(By.id("continue"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("window, not a date");
    }
    ZonedDateTime opens = app.clock.instant().minus(Duration.ofMinutes(1)).atZone(LONDON);
    ZonedDateTime closes = opens.plusDays(7);
    for (var w : List.of(Map.entry("opens", opens), Map.entry("closes", closes))) {
      hands.fill(By.id(w.getKey() + "-day"), "" + w.getValue().getDayOfMonth());
      hands.fill(By.id(w.getKey() + "-month"), "" + w.getValue().getMonthValue());
      hands.fill(By.id(w.getKey() + "-year"), "" + w.getValue().getYear());
      hands.fill(
          By.id(w.getKey() + "-time"),
          String.format("%02d:%02d", w.getValue().getHour(), w.getValue().getMinute()));
    }
    hands.activate(By.id("continue"));
    b.waitForPage(base + "/age-bands");
    axe.accept("age bands");
    if (checkEverything) {
      hands.activate(By.id("continue"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("age bands, none chosen");
    }
    hands.check(By.id("ageBands-2"));
    hands.check(By.id("ageBands-3"));
    hands.activate(By.id("continue"));

    // ---- three questions: one choice, several (at most two), in order
    b.waitForPage(base + "/questions/1");
    axe.accept("question 1");
    if (checkEverything) {
      hands.fill(By.id("text"), "Where do you feel least safe?");
      hands.activate(By.id("continue"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("question 1, no type and no choices");
    }
    question(
        b,
        hands,
        keyboardOnly,
        "Where do you feel least safe?",
        0,
        null,
        "On buses",
        "In parks",
        "Near school");
    b.waitForPage(base + "/questions");
    axe.accept("questions");
    hands.activate(By.id("add-question"));
    b.waitForPage(base + "/questions/2");
    question(
        b,
        hands,
        keyboardOnly,
        "Which would you use?",
        1,
        "2",
        "Safe Havens",
        "Youth workers",
        "A text line");
    b.waitForPage(base + "/questions");
    hands.activate(By.id("add-question"));
    b.waitForPage(base + "/questions/3");
    question(
        b,
        hands,
        keyboardOnly,
        "Put these ideas in order",
        2,
        null,
        "Better lighting",
        "Youth clubs",
        "Safer routes");
    b.waitForPage(base + "/questions");
    hands.activate(By.id("continue"));

    // ---- check, preview, create
    b.waitForPage(base + "/check");
    assertThat(b.find(By.id("consultation-summary")).getText())
        .contains(title, "14 to 17, 18 to 25");
    axe.accept("check your answers");
    b.screenshot("consultation-check");
    hands.activate(By.id("preview"));
    b.waitForPage(base + "/preview");
    assertThat(b.find(By.id("preview-card")).getText())
        .contains("Which would you use?", "Choose up to 2.");
    axe.accept("preview");
    b.screenshot("consultation-preview");
    b.driver.navigate().back();
    b.waitForPage(base + "/check");
    hands.activate(By.id("create-consultation"));
    b.waitForPage("/console/consultations/cns_");
    b.find(By.className("govuk-notification-banner"));
    axe.accept("consultation, created");
    String id = b.path().replaceAll("^/console/consultations/([^?]+).*$", "$1");

    // ---- devices vote through the JSON API; the member sees the turnout
    JsonObject definition = app.get("/v1/consultations/" + id, null).bodyAsJsonObject();
    for (int i = 0; i < 6; i++) {
      JsonArray answers = new JsonArray();
      JsonArray questions = definition.getJsonArray("questions");
      for (int q = 0; q < questions.size(); q++) {
        JsonArray options = questions.getJsonObject(q).getJsonArray("options");
        answers.add(
            new JsonObject()
                .put("questionId", questions.getJsonObject(q).getString("id"))
                .put(
                    "optionIds",
                    new JsonArray()
                        .add(options.getJsonObject(i % options.size()).getString("id"))));
      }
      var vote =
          app.send(
              app.http()
                  .post("/v1/consultations/" + id + "/votes")
                  .putHeader("Idempotency-Key", UUID.randomUUID().toString()),
              app.deviceToken(i < 5 ? "14-17" : "18-25"),
              new JsonObject().put("answers", answers));
      assertThat(vote.statusCode()).as(vote.bodyAsString()).isEqualTo(201);
    }
    b.open("/console/consultations/" + id);
    assertThat(b.find(By.id("turnout-total")).getText()).isEqualTo("6");
    b.find(By.id("frozen"));
    axe.accept("consultation, open with turnout");
    b.screenshot("consultation-turnout");

    // ---- the poll closes; results, then published
    app.clock.advance(Duration.ofDays(8));
    b.open("/console/consultations/" + id);
    b.find(By.id("result-table-1"));
    assertThat(b.find(By.id("result-table-1")).getText())
        .contains("On buses 2", "In parks 2", "Near school 2");
    assertThat(b.driver.findElements(By.cssSelector("svg.ys-chart"))).hasSize(3);
    b.find(By.id("suppression"));
    axe.accept("results");
    b.driver.executeScript("document.getElementById('result-1').scrollIntoView()");
    b.screenshot("consultation-results");
    hands.activate(By.id("publish"));
    b.waitForPage("/console/consultations/" + id + "/publish");
    axe.accept("confirm publish");
    hands.activate(By.id("confirm-button"));
    b.until("published", d -> b.path().endsWith("?done=published"));
    b.find(By.id("download-csv"));
    axe.accept("results, published");

    var results = app.get("/v1/consultations/" + id + "/results", null);
    assertThat(results.statusCode()).as(results.bodyAsString()).isEqualTo(200);
    assertThat(results.bodyAsJsonObject().getBoolean("published")).isTrue();
    assertThat(results.bodyAsJsonObject().getInteger("totalBallots")).isEqualTo(6);
    b.open("/console/consultations");
    b.find(By.id("published"));
    if (checkEverything) {
      b.screenshot("consultations");
    }
  }
}
