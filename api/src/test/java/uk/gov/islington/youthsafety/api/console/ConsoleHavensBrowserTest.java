package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.hours.HoursJson;

/**
 * The editor's journeys in a real browser (Debian chromium, headless) against the running service:
 * approve an application that came in through the API, and find the haven it made through getHaven;
 * add a Safe Haven open 22:00–02:00 (after a form sent empty), find it in findNearbyHavens at 01:00
 * London time by the test clock; change it while another editor's change lands first (told, nothing
 * lost); suspend and reinstate it. Once with clicks and axe-core on every page and error state (0
 * violations), once with the keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify -Dtest=ConsoleHavensBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.screenshots=$PWD/docs/console}
 */
@ConsoleBrowserApp
class ConsoleHavensBrowserTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  @ConsoleJourney.Run
  void anEditorApprovesAnApplicationAndAddsANightHaven(
      ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {
    // tomorrow, 20:00 London time: the new haven opens at 22:00 and we look for it at 01:00
    LocalDate day = LocalDate.ofInstant(app.clock.instant(), LONDON).plusDays(1);
    app.setNow(day.atTime(LocalTime.of(20, 0)).atZone(LONDON).toInstant());
    String dayCode = HoursJson.dayCode(day.getDayOfWeek());

    j.signInAsNew("editor");

    // ---- an application, in through the public API, approved in the console
    String shop = "Corner Shop " + UUID.randomUUID().toString().substring(0, 6);
    String applicationId = ConsoleHavensTestData.apply(app, shop);
    hands.activate(
        By.cssSelector("a.govuk-service-navigation__link[href='/console/applications']"));
    b.waitForPage("/console/applications");
    b.find(By.id("applications-table"));
    assertThat(b.find(By.id("retention")).getText()).contains("90 days", "180 days");
    j.axe("applications");
    hands.activate(By.cssSelector("a[href='/console/applications/" + applicationId + "']"));
    b.waitForPage("/console/applications/" + applicationId);
    assertThat(b.find(By.id("contact")).getText()).contains("robin.owner@example.org");
    j.axe("application");
    if (j.checkEverything()) {
      b.screenshot("application");
      j.follow(By.id("reject"), "/console/applications/" + applicationId + "/reject", "reject");
      j.mistake(By.id("confirm-button"), "reject, no reason");
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      b.open("/console/applications/" + applicationId);
    }
    j.follow(By.id("approve"), "/console/applications/" + applicationId + "/approve", "approve");
    hands.activate(By.id("confirm-button"));
    b.until(
        "the application approved",
        d -> b.path().equals("/console/applications/" + applicationId + "?done=approved"));
    b.find(By.className("govuk-notification-banner"));
    j.axe("application, approved");
    String havenId =
        app.get("/v1/haven-applications/" + applicationId, app.staffToken("editor"))
            .bodyAsJsonObject()
            .getString("havenId");
    JsonObject published = app.get("/v1/havens/" + havenId, null).bodyAsJsonObject();
    assertThat(published.getString("name")).as("the public sees the new haven").isEqualTo(shop);

    // ---- a report category's guidance and contacts (after a blank label)
    JsonObject category =
        app.get("/v1/report-categories", null)
            .bodyAsJsonObject()
            .getJsonArray("items")
            .getJsonObject(0);
    String categoryId = category.getString("id");
    hands.activate(By.cssSelector("a.govuk-service-navigation__link[href='/console/categories']"));
    b.waitForPage("/console/categories");
    b.find(By.id("categories-table"));
    j.axe("report categories");
    if (j.checkEverything()) {
      b.screenshot("categories");
    }
    j.follow(
        By.cssSelector("a[href='/console/categories/" + categoryId + "']"),
        "/console/categories/" + categoryId,
        "report category");
    if (j.checkEverything()) {
      b.screenshot("category");
    }
    String guidance = "We read every report within a working day. " + UUID.randomUUID();
    if (j.checkEverything()) {
      b.find(By.id("label")).clear();
      j.mistake(By.id("save-category"), "report category, blank label");
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      hands.fill(By.id("label"), category.getString("label"));
      b.find(By.id("guidance")).clear();
    } else {
      // the keyboard adds to the end of what is there: select it all first
      b.tabTo(By.id("guidance"));
      new org.openqa.selenium.interactions.Actions(b.driver)
          .keyDown(org.openqa.selenium.Keys.CONTROL)
          .sendKeys("a")
          .keyUp(org.openqa.selenium.Keys.CONTROL)
          .sendKeys(org.openqa.selenium.Keys.DELETE)
          .perform();
    }
    hands.fill(By.id("guidance"), guidance);
    String contact =
        category.getJsonArray("contacts").isEmpty()
            ? "contact-1"
            : "contact-" + (category.getJsonArray("contacts").size() + 1);
    hands.fill(By.id(contact + "-name"), "Youth Safety Line");
    hands.fill(By.id(contact + "-phone"), "020 7527 0000");
    hands.activate(By.id("save-category"));
    b.until("the category saved", d -> b.path().startsWith("/console/categories?saved="));
    j.axe("report categories, saved");
    JsonObject seen =
        app.get("/v1/report-categories", null).bodyAsJsonObject().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(c -> c.getString("id").equals(categoryId))
            .findFirst()
            .orElseThrow();
    assertThat(seen.getString("guidance")).as("what the app shows").isEqualTo(guidance);
    assertThat(seen.getJsonArray("contacts").encode()).contains("Youth Safety Line");

    // ---- a new haven, open 22:00 to 02:00 (after a form sent empty)
    hands.activate(By.cssSelector("a.govuk-service-navigation__link[href='/console/havens']"));
    b.waitForPage("/console/havens");
    b.find(By.id("havens-table"));
    j.axe("havens");
    if (j.checkEverything()) {
      b.screenshot("havens");
      j.follow(By.id("due-link"), "/console/havens/due", "due for re-verification");
      b.open("/console/havens");
    }
    j.follow(By.id("add-haven"), "/console/havens/new", "new haven");
    String name = "Late Café " + UUID.randomUUID().toString().substring(0, 6);
    if (j.checkEverything()) {
      hands.fill(By.id("postcode"), "N7 8JL");
      j.mistake(By.id("save-haven"), "new haven, errors");
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      assertThat(b.find(By.id("postcode")).getAttribute("value"))
          .as("kept what was typed")
          .isEqualTo("N7 8JL");
      hands.fill(By.id("name"), name);
    } else {
      hands.fill(By.id("name"), name);
      hands.fill(By.id("postcode"), "N7 8JL");
    }
    hands.fill(By.id("address"), "12 Holloway Road, London");
    hands.fill(By.id("lat"), "51.5536");
    hands.fill(By.id("lon"), "-0.1134");
    j.choose(By.id("category"), "Cafe");
    hands.check(By.id("facilities"));
    hands.fill(By.id("hours-" + dayCode + "-1-opens"), "22:00");
    hands.fill(By.id("hours-" + dayCode + "-1-closes"), "02:00");
    if (j.checkEverything()) {
      // the week's hours, with the session past midnight
      b.driver.executeScript("document.getElementById('hours-help').scrollIntoView()");
      b.screenshot("haven-form");
    }
    hands.activate(By.id("save-haven"));
    b.until("the haven saved", d -> b.path().endsWith("?done=created"));
    String path = b.path().replaceAll("\\?.*", "");
    String id = path.substring("/console/havens/".length());
    assertThat(b.find(By.id("haven-weekly")).getText()).contains("22:00 to 02:00 (next day)");
    j.axe("haven, created");
    if (j.checkEverything()) {
      b.screenshot("haven");
    }

    // ---- changing it while another editor's change lands first
    j.follow(By.id("edit-haven"), path + "/edit", "edit haven");
    String etag = app.get("/v1/havens/" + id, app.staffToken("editor")).getHeader("ETag");
    var other =
        app.send(
            app.http().patch("/v1/havens/" + id).putHeader("If-Match", etag),
            app.staffToken("editor"),
            new JsonObject().put("phone", "020 7527 2000"));
    assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(200);
    hands.fill(By.id("notes"), "Ring the bell after 10pm.");
    hands.activate(By.id("save-haven"));
    b.find(By.id("other-change"));
    assertThat(b.find(By.id("other-change")).getText()).contains("Phone");
    assertThat(b.find(By.id("notes")).getAttribute("value")).isEqualTo("Ring the bell after 10pm.");
    assertThat(b.driver.getTitle()).startsWith("Error: ");
    j.axe("edit haven, saved by someone else first");
    hands.fill(By.id("phone"), "020 7527 2000");
    hands.activate(By.id("save-haven"));
    b.until("the haven saved", d -> b.path().equals(path + "?done=saved"));
    JsonObject saved = app.get("/v1/havens/" + id, null).bodyAsJsonObject();
    assertThat(saved.getString("phone")).isEqualTo("020 7527 2000");
    assertThat(saved.getString("notes")).isEqualTo("Ring the bell after 10pm.");

    // ---- suspend (after no reason) and reinstate
    j.follow(By.id("suspend-haven"), path + "/suspend", "suspend");
    if (j.checkEverything()) {
      j.mistake(By.id("confirm-button"), "suspend, no reason");
    }
    hands.fill(By.id("reason"), "Refurbishment");
    hands.activate(By.id("confirm-button"));
    b.until("suspended", d -> b.path().equals(path + "?done=suspended"));
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(404);
    j.axe("haven, suspended");
    j.follow(By.id("reinstate-haven"), path + "/reinstate", "reinstate");
    hands.activate(By.id("confirm-button"));
    b.until("reinstated", d -> b.path().equals(path + "?done=reinstated"));

    // ---- 01:00 the next morning, London time: the app finds it open
    Instant oneAm = day.plusDays(1).atTime(LocalTime.of(1, 0)).atZone(LONDON).toInstant();
    app.setNow(oneAm);
    JsonArray items =
        app.get("/v1/havens/nearby?lat=51.5537&lon=-0.1135&radius=500&openNow=true&limit=50", null)
            .bodyAsJsonObject()
            .getJsonArray("items");
    JsonObject found =
        items.stream()
            .map(JsonObject.class::cast)
            .filter(h -> h.getString("id").equals(id))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not open at 01:00: " + items.encode()));
    assertThat(found.getBoolean("openNow")).isTrue();
    assertThat(java.time.OffsetDateTime.parse(found.getString("closesAt")).toInstant())
        .isEqualTo(oneAm.plusSeconds(3600));
  }
}
