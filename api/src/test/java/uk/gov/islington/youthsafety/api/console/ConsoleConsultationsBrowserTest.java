package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

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
@ConsoleBrowserApp
@WithTestApp({
  "CONSULTATION_LIVE_RESULTS_TTL=0s",
  "CONSULTATION_MIX_INTERVAL=0s",
  // the test clock jumps a week to close the poll: the session must outlive the jump
  "CONSOLE_SESSION_IDLE=30d",
  "CONSOLE_SESSION_MAX=60d"
})
class ConsoleConsultationsBrowserTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  static void question(
      ConsoleJourney j, String text, int type, String maxChoices, String... options) {
    j.hands.fill(By.id("text"), text);
    j.radio("type", type);
    if (maxChoices != null) {
      j.hands.fill(By.id("maxChoices"), maxChoices);
    }
    j.hands.fill(By.id("options"), String.join("\n", options));
    j.hands.activate(By.id("continue"));
  }

  @ConsoleJourney.Run(signedInAs = "youth_council")
  void aMemberRunsAPoll(ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    j.follow(By.id("home-consultations"), "/console/consultations", "consultations");
    j.follow(By.id("new-consultation"), "/console/consultations/new", "about");

    // ---- about: sent without a title first
    String title = "Feeling safe after school " + UUID.randomUUID().toString().substring(0, 6);
    if (j.checkEverything()) {
      hands.fill(By.id("description"), "The Youth Council wants to know what would help.");
      j.mistake(By.id("continue"), "about, no title");
      assertThat(b.find(By.id("description")).getAttribute("value")).contains("what would help");
    } else {
      hands.fill(By.id("description"), "The Youth Council wants to know what would help.");
    }
    hands.fill(By.id("title"), title);
    hands.activate(By.id("continue"));
    b.waitForPage("/console/consultations/drafts/");
    String base = b.path().replaceAll("/window.*", "");

    // ---- the window: open from a minute ago for a week (London time)
    j.axe("window");
    if (j.checkEverything()) {
      hands.fill(By.id("opens-day"), "31");
      hands.fill(By.id("opens-month"), "2");
      hands.fill(By.id("opens-year"), "2027");
      j.mistake(By.id("continue"), "window, not a date");
    }
    ZonedDateTime opens = app.clock.instant().minus(Duration.ofMinutes(1)).atZone(LONDON);
    ZonedDateTime closes = opens.plusDays(7);
    j.fillDateTime("opens", opens);
    j.fillDateTime("closes", closes);
    j.follow(By.id("continue"), base + "/age-bands", "age bands");
    if (j.checkEverything()) {
      j.mistake(By.id("continue"), "age bands, none chosen");
    }
    hands.check(By.id("ageBands-2"));
    hands.check(By.id("ageBands-3"));
    hands.activate(By.id("continue"));

    // ---- three questions: one choice, several (at most two), in order
    b.waitForPage(base + "/questions/1");
    j.axe("question 1");
    if (j.checkEverything()) {
      hands.fill(By.id("text"), "Where do you feel least safe?");
      j.mistake(By.id("continue"), "question 1, no type and no choices");
    }
    question(j, "Where do you feel least safe?", 0, null, "On buses", "In parks", "Near school");
    b.waitForPage(base + "/questions");
    j.axe("questions");
    hands.activate(By.id("add-question"));
    b.waitForPage(base + "/questions/2");
    question(j, "Which would you use?", 1, "2", "Safe Havens", "Youth workers", "A text line");
    b.waitForPage(base + "/questions");
    hands.activate(By.id("add-question"));
    b.waitForPage(base + "/questions/3");
    question(
        j, "Put these ideas in order", 2, null, "Better lighting", "Youth clubs", "Safer routes");
    b.waitForPage(base + "/questions");
    hands.activate(By.id("continue"));

    // ---- check, preview, create
    b.waitForPage(base + "/check");
    assertThat(b.find(By.id("consultation-summary")).getText())
        .contains(title, "14 to 17, 18 to 25");
    j.axe("check your answers");
    b.screenshot("consultation-check");
    hands.activate(By.id("preview"));
    b.waitForPage(base + "/preview");
    assertThat(b.find(By.id("preview-card")).getText())
        .contains("Which would you use?", "Choose up to 2.");
    j.axe("preview");
    b.screenshot("consultation-preview");
    b.driver.navigate().back();
    b.waitForPage(base + "/check");
    hands.activate(By.id("create-consultation"));
    b.waitForPage("/console/consultations/cns_");
    b.find(By.className("govuk-notification-banner"));
    j.axe("consultation, created");
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
    j.axe("consultation, open with turnout");
    b.screenshot("consultation-turnout");

    // ---- the poll closes; results, then published
    app.clock.advance(Duration.ofDays(8));
    b.open("/console/consultations/" + id);
    b.find(By.id("result-table-1"));
    assertThat(b.find(By.id("result-table-1")).getText())
        .contains("On buses 2", "In parks 2", "Near school 2");
    assertThat(b.driver.findElements(By.cssSelector("svg.ys-chart"))).hasSize(3);
    b.find(By.id("suppression"));
    j.axe("results");
    b.driver.executeScript("document.getElementById('result-1').scrollIntoView()");
    b.screenshot("consultation-results");
    j.follow(By.id("publish"), "/console/consultations/" + id + "/publish", "confirm publish");
    hands.activate(By.id("confirm-button"));
    b.until("published", d -> b.path().endsWith("?done=published"));
    b.find(By.id("download-csv"));
    j.axe("results, published");

    var results = app.get("/v1/consultations/" + id + "/results", null);
    assertThat(results.statusCode()).as(results.bodyAsString()).isEqualTo(200);
    assertThat(results.bodyAsJsonObject().getBoolean("published")).isTrue();
    assertThat(results.bodyAsJsonObject().getInteger("totalBallots")).isEqualTo(6);
    b.open("/console/consultations");
    b.find(By.id("published"));
    if (j.checkEverything()) {
      b.screenshot("consultations");
    }
  }
}
