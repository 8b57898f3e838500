package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Way;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * An editor's bulletin journey in a real browser (Debian chromium, headless), with push through the
 * real Firebase Admin SDK to the fake FCM server: compose a draft (mistakes on the way), see it as
 * a phone's notification and as the archive page, schedule it (a time in the past first), and watch
 * the delivery page, open and never reloaded, follow the push to the end: targeted, sent, the dead
 * token removed. Once with clicks and axe-core on every page and error state (0 violations), once
 * with the keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify
 * -Dtest=ConsoleBulletinsBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconsole.screenshots=$PWD/docs/console}
 */
@ConsoleBrowserApp
@WithTestApp(fcm = true)
class ConsoleBulletinsBrowserTest {

  static FakeFcm fcm;
  static TestApp app;

  /** A phone subscribed to an audience; answers its FCM token. */
  static String subscribe(String audience) {
    String token =
        "f"
            + audience.replace("_", "")
            + ":APA91b"
            + UUID.randomUUID().toString().replace("-", "")
            + "x".repeat(100);
    var r =
        app.put(
            "/v1/subscriptions/me",
            app.deviceToken(null),
            new JsonObject()
                .put("fcmToken", token)
                .put("audiences", new JsonArray().add(audience)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return token;
  }

  @ConsoleJourney.Run
  void anEditorSchedulesABulletinAndWatchesItsDelivery(
      ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    // an audience of its own per run, so that each run counts only its own phones
    String audience = j.keyboardOnly ? "professionals" : "parents";
    String alive1 = subscribe(audience);
    String alive2 = subscribe(audience);
    String dead = subscribe(audience);
    fcm.answeringTokens(Map.of(dead, FakeFcm.unregistered()));

    j.signInAsNew("editor");
    j.follow(By.id("home-bulletins"), "/console/bulletins", "bulletins");
    j.follow(By.id("new-bulletin"), "/console/bulletins/new", "compose");

    String title = "Half-term activities " + UUID.randomUUID().toString().substring(0, 6);
    String text =
        "Free sessions at The Lift and Platform all week.\n\nBook at the youth hub reception.";
    if (j.checkEverything()) {
      hands.fill(By.id("body"), text);
      j.mistake(By.id("save"), "compose, mistakes");
      assertThat(b.find(By.id("body")).getAttribute("value")).contains("Book at the youth hub");
      assertThat(b.driver.getTitle()).startsWith("Error: ");
    } else {
      hands.fill(By.id("body"), text);
    }
    hands.fill(By.id("title"), title);
    int box = j.keyboardOnly ? 3 : 1;
    hands.check(By.id(box == 1 ? "audiences" : "audiences-" + box));
    hands.activate(By.id("save"));
    b.until("saved", d -> b.path().endsWith("?done=saved"));
    assertThat(b.find(By.id("notification-preview")).getText()).contains(title, "Free sessions");
    assertThat(b.find(By.id("archive-preview")).getText()).contains(title, "Book at the youth hub");
    j.axe("draft with previews");
    if (j.checkEverything()) {
      b.screenshot("bulletin-preview");
    }
    String id = b.path().replaceAll("^/console/bulletins/([^?]+).*$", "$1");

    // ---- schedule it: a time in the past first
    j.follow(By.id("send"), "/console/bulletins/" + id + "/send", "send");
    j.radio("when", 1);
    ZonedDateTime at =
        app.clock.instant().plus(Duration.ofHours(2)).atZone(ConsoleEventsTest.LONDON);
    if (j.checkEverything()) {
      ZonedDateTime past = at.minusDays(2);
      j.fillDateTime("sendAt", past);
      j.mistake(By.id("confirm-send"), "send, in the past");
      assertThat(b.find(By.className("govuk-error-summary")).getText())
          .contains("The time to send must be in the future");
      j.fillDateTime("sendAt", at);
    } else {
      j.fillDateTime("sendAt", at);
    }
    hands.activate(By.id("confirm-send"));
    b.until("scheduled", d -> b.path().endsWith("?done=scheduled"));
    assertThat(b.find(By.id("delivery-state")).getText()).isEqualTo("Scheduled");
    j.axe("delivery, scheduled");

    // ---- the page stays open; its time comes (the outbox reads due times from the database)
    b.until(
        "the live updates are connected",
        d -> "true".equals(b.find(By.tagName("body")).getAttribute("data-live-connected")));
    b.driver.executeScript("window.ysNotReloaded = true");
    app.sql(
        "UPDATE notifications.outbox SET next_attempt_at = now() WHERE channel = 'bulletin-fanout'"
            + " AND payload->>'bulletinId' = $1",
        id);
    b.until(
        "the delivery page shows the push done",
        d -> "Delivered".equals(d.findElement(By.id("delivery-state")).getText()));
    assertThat(b.driver.executeScript("return window.ysNotReloaded === true")).isEqualTo(true);
    assertThat(b.find(By.id("targeted")).getText()).isEqualTo("3");
    assertThat(b.find(By.id("sent")).getText()).isEqualTo("2");
    assertThat(b.find(By.id("invalid-removed")).getText()).isEqualTo("1");
    assertThat(b.find(By.id("failed")).getText()).isEqualTo("0");
    assertThat(b.find(By.id("delivery-status")).getText()).startsWith("The delivery was updated");
    j.axe("delivery, done");
    if (j.checkEverything()) {
      b.screenshot("bulletin-delivery");
    }

    // ---- what the phones and the public got
    assertThat(fcm.acceptedFor(alive1)).isEqualTo(1);
    assertThat(fcm.acceptedFor(alive2)).isEqualTo(1);
    assertThat(
            fcm.requestsFor(alive1)
                .get(0)
                .message()
                .getJsonObject("notification")
                .getString("title"))
        .isEqualTo(title);
    assertThat(app.get("/v1/bulletins/" + id, null).statusCode()).isEqualTo(200);
    b.open("/console/bulletins");
    b.find(By.id("sent"));
    if (j.checkEverything()) {
      b.screenshot("bulletins");
    }
  }

  /**
   * The pages and error states the journeys do not pass through: changing a draft (a mistake), a
   * send time that is not one, and a draft that was scheduled meanwhile.
   */
  @ConsoleJourney.Run(value = Way.WITH_THE_MOUSE, signedInAs = "editor")
  void everyOtherBulletinPageAndErrorStateIsAccessible(
      ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    b.open("/console/bulletins/new");
    hands.fill(By.id("title"), "A draft to change");
    hands.fill(By.id("body"), "Some text.");
    hands.check(By.id("audiences-2"));
    hands.activate(By.id("save"));
    b.until("saved", d -> b.path().endsWith("?done=saved"));
    String id = b.path().replaceAll("^/console/bulletins/([^?]+).*$", "$1");
    j.follow(By.id("change"), "/console/bulletins/" + id + "/edit", "change a draft");
    hands.fill(By.id("link"), "http://not-https.example");
    j.mistake(By.id("save"), "change a draft, mistakes");
    b.open("/console/bulletins/" + id + "/send");
    hands.check(By.id("when-2"));
    hands.fill(By.id("sendAt-day"), "31");
    hands.fill(By.id("sendAt-month"), "2");
    hands.fill(By.id("sendAt-year"), "2027");
    hands.fill(By.id("sendAt-time"), "9am");
    j.mistake(By.id("confirm-send"), "send, not a date");
    // scheduled meanwhile (through the API): the draft's form says so and keeps what was
    // typed
    b.open("/console/bulletins/" + id + "/edit");
    hands.fill(By.id("title"), "Too late");
    var sent =
        app.post(
            "/v1/bulletins/" + id + "/send",
            app.staffToken("editor"),
            new JsonObject()
                .put(
                    "sendAt",
                    java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        app.clock
                            .instant()
                            .plus(Duration.ofDays(2))
                            .atOffset(java.time.ZoneOffset.UTC))));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    hands.activate(By.id("save"));
    ConsoleEventsBrowserTest.summarySays(b, "only drafts");
    assertThat(b.find(By.id("title")).getAttribute("value")).isEqualTo("Too late");
    b.assertAccessible("change a draft, scheduled meanwhile");
    b.open("/console/bulletins/bul_nosuchbulletin0000000");
    b.assertAccessible("no such bulletin");
  }
}
