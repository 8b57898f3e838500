package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Way;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * An editor's events journey in a real browser (Debian chromium, headless): a Mon/Wed/Fri series
 * built with the recurrence builder (mistakes on the way), its dates previewed, published, one date
 * cancelled, and the public calendar feed (eventsCalendar) shows that date cancelled. Once with
 * clicks and axe-core on every page and error state (0 violations), once with the keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify -Dtest=ConsoleEventsBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.screenshots=$PWD/docs/console}
 */
@ConsoleBrowserApp
class ConsoleEventsBrowserTest {

  static TestApp app;

  /**
   * The pages and error states the journeys do not pass through: changing an event (a mistake, and
   * another editor's change meanwhile), a rule the form cannot express, cancelling a whole series.
   */
  @ConsoleJourney.Run(value = Way.WITH_THE_MOUSE, signedInAs = "editor")
  void everyOtherEventPageAndErrorStateIsAccessible(ConsoleJourney j, ConsoleBrowser b, Hands hands)
      throws Exception {
    LocalDate first = ConsoleEventsTest.nextMonday(app);
    String id =
        ConsoleEventsTest.createThroughTheApi(app, "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=30", first);
    b.open("/console/events/" + id + "/edit");
    b.find(By.id("title"));
    b.assertAccessible("change an event");
    // the API's events run 18:00 to 19:00: an end at the start is a mistake
    hands.fill(By.id("endTime"), "18:00");
    hands.fill(By.id("title"), "");
    j.mistake(By.id("save"), "change an event, mistakes");
    hands.fill(By.id("title"), "Changed in the browser");
    hands.fill(By.id("endTime"), "19:00");
    // another editor changes it meanwhile
    var other =
        app.patch(
            "/v1/events/" + id,
            app.staffToken("editor"),
            new JsonObject().put("title", "Changed elsewhere"));
    assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(200);
    hands.activate(By.id("save"));
    summarySays(b, "Someone else changed this event");
    assertThat(b.find(By.id("title")).getAttribute("value")).isEqualTo("Changed in the browser");
    b.assertAccessible("change an event, changed meanwhile");
    hands.activate(By.id("save"));
    b.until("saved", d -> b.path().endsWith("?done=saved"));
    b.assertAccessible("event, saved");

    String monthly =
        ConsoleEventsTest.createThroughTheApi(
            app,
            "FREQ=MONTHLY;COUNT=6;BYDAY=1MO",
            first
                .plusMonths(1)
                .with(
                    java.time.temporal.TemporalAdjusters.firstInMonth(java.time.DayOfWeek.MONDAY)));
    b.open("/console/events/" + monthly);
    b.find(By.id("event-rrule"));
    b.assertAccessible("event, a rule the form cannot express");
    b.open("/console/events/" + monthly + "/edit");
    b.find(By.id("locked-rule"));
    b.assertAccessible("change an event, a rule the form cannot express");
    b.screenshot("event-rule-read-only");

    b.open("/console/events/" + id);
    j.follow(By.id("cancel-event"), "/console/events/" + id + "/cancel", "cancel every date");
    hands.activate(By.id("confirm-button"));
    b.until("cancelled", d -> b.path().endsWith("?done=cancelled"));
    assertThat(b.find(By.id("event-status")).getText()).isEqualTo("Cancelled");
    b.assertAccessible("event, cancelled");
    b.open("/console/events/no-such-event");
    b.assertAccessible("no such event");
  }

  /** Waits for the page after a POST whose error summary says {@code text}. */
  static void summarySays(ConsoleBrowser b, String text) {
    b.until(
        "an error summary that says " + text,
        d -> {
          try {
            return d.findElements(By.className("govuk-error-summary")).stream()
                .anyMatch(e -> e.getText().contains(text));
          } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return false;
          }
        });
  }

  @ConsoleJourney.Run(signedInAs = "editor")
  void anEditorRunsASeries(ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    j.follow(By.id("home-events"), "/console/events", "events");
    j.follow(By.id("new-event"), "/console/events/new", "new event");

    String title = "Youth hub " + UUID.randomUUID().toString().substring(0, 6);
    LocalDate first = ConsoleEventsTest.nextMonday(app);
    if (j.checkEverything()) {
      // no title, a time that is not one: the summary, and what was typed stays
      hands.fill(By.id("description"), "Free drop-in: games, music and homework help.");
      hands.fill(By.id("startTime"), "3pm");
      j.mistake(By.id("save"), "new event, mistakes");
      assertThat(b.find(By.id("description")).getAttribute("value")).contains("homework help");
      assertThat(b.find(By.id("startTime")).getAttribute("value")).isEqualTo("3pm");
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      b.find(By.id("startTime")).clear();
    } else {
      hands.fill(By.id("description"), "Free drop-in: games, music and homework help.");
    }
    hands.fill(By.id("title"), title);
    j.radio("category", 0);
    hands.fill(By.id("venueName"), "The Lift");
    hands.fill(By.id("venueAddress"), "45 White Conduit Street, N1 9EZ");
    hands.fill(By.id("date-day"), "" + first.getDayOfMonth());
    hands.fill(By.id("date-month"), "" + first.getMonthValue());
    hands.fill(By.id("date-year"), "" + first.getYear());
    hands.fill(By.id("startTime"), "15:00");
    hands.fill(By.id("endTime"), "18:00");
    j.radio("repeat", 1);
    hands.check(By.id("days"));
    hands.check(By.id("days-3"));
    hands.check(By.id("days-5"));
    j.radio("ends", 0);
    hands.fill(By.id("weeks"), "10");
    if (j.checkEverything()) {
      hands.check(By.id("sensitive"));
    }
    hands.activate(By.id("preview-button"));
    b.find(By.id("preview-dates"));
    assertThat(b.find(By.id("preview-dates")).getText())
        .contains(EventViews.day(first.atTime(15, 0).atZone(ConsoleEventsTest.LONDON)))
        .contains("15:00 to 18:00");
    j.axe("new event, preview");
    if (j.checkEverything()) {
      b.screenshot("event-preview");
    }
    hands.activate(By.id("save"));
    b.until("created", d -> b.path().endsWith("?done=created"));
    b.find(By.className("govuk-notification-banner"));
    assertThat(b.find(By.id("event-schedule")).getText())
        .contains("Every Monday, Wednesday and Friday, 15:00 to 18:00");
    j.axe("event, created");
    String id = b.path().replaceAll("^/console/events/([^?]+).*$", "$1");
    JsonObject event = app.get("/v1/events/" + id, null).bodyAsJsonObject();
    assertThat(event.getString("recurrence"))
        .startsWith("FREQ=WEEKLY;UNTIL=")
        .endsWith("BYDAY=MO,WE,FR");
    assertThat(event.getBoolean("sensitive")).isEqualTo(j.checkEverything());
    if (j.checkEverything()) {
      b.screenshot("event");
    }

    // ---- cancel the first Wednesday
    LocalDate wednesday = first.plusDays(2);
    j.follow(
        By.id("cancel-" + id + "." + wednesday.toString().replace("-", "")),
        "/console/events/" + id + "/cancel",
        "cancel a date");
    if (j.checkEverything()) {
      hands.fill(By.id("reason"), "x".repeat(501));
      j.mistake(By.id("confirm-button"), "cancel a date, reason too long");
      b.find(By.id("reason")).clear();
    }
    hands.fill(By.id("reason"), "Pitch maintenance");
    hands.activate(By.id("confirm-button"));
    b.until("cancelled", d -> b.path().endsWith("?done=date-cancelled"));
    assertThat(b.find(By.id("next-dates")).getText()).contains("Cancelled: Pitch maintenance");
    j.axe("event, a date cancelled");

    // ---- what the public sees: the calendar feed has that date cancelled
    ConsoleEventsTest.assertFeedShowsCancelled(app, wednesday, "150000");

    b.open("/console/events");
    b.find(By.id("upcoming"));
    if (j.checkEverything()) {
      b.screenshot("events");
    }
  }
}
