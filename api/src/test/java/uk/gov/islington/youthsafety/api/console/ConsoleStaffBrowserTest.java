package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleJourney.Hands;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * The admin's journey in a real browser (Debian chromium, headless): sign in, create a moderator
 * (after a form sent empty), see the moderator's open session, disable the account, and find that
 * session and the moderator's API token ended, through the console and the JSON API. Once with
 * clicks and axe-core on every page and error state (0 violations), once with the keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify -Dtest=ConsoleStaffBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.screenshots=$PWD/docs/console}
 */
@ConsoleBrowserApp
class ConsoleStaffBrowserTest {

  static final String PASSWORD = TestApp.STAFF_PASSWORD;
  static TestApp app;

  @ConsoleJourney.Run(signedInAs = "admin")
  void anAdminDisablesAModerator(ConsoleJourney j, ConsoleBrowser b, Hands hands) throws Exception {

    // ---- the list, and a new account (after a form sent empty)
    hands.activate(By.cssSelector("a.govuk-service-navigation__link[href='/console/staff']"));
    b.waitForPage("/console/staff");
    b.find(By.id("staff-table"));
    j.axe("staff list");
    j.follow(By.id("create-staff"), "/console/staff/new", "new account");
    String username = "moderator." + UUID.randomUUID().toString().substring(0, 8);
    if (j.checkEverything()) {
      hands.fill(By.id("username"), username);
      j.mistake(By.id("create-button"), "new account, errors");
      assertThat(b.find(By.id("username")).getAttribute("value"))
          .as("kept what was typed")
          .isEqualTo(username);
      assertThat(b.driver.getTitle()).startsWith("Error: ");
    } else {
      hands.fill(By.id("username"), username);
    }
    hands.fill(By.id("password"), PASSWORD);
    hands.check(By.id("roles"));
    hands.activate(By.id("create-button"));
    b.waitForPage("/console/staff/");
    b.find(By.className("govuk-notification-banner"));
    assertThat(b.find(By.id("person-roles")).getText()).isEqualTo("Moderator");
    j.axe("person, created");
    String personPath = b.path().replaceAll("\\?.*", "");

    // ---- the moderator signs in elsewhere, to the console and to the API
    ConsoleClient moderator = new ConsoleClient(app);
    moderator.signIn(username, PASSWORD);
    var issued =
        app.post(
            "/v1/auth/token",
            null,
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("otp", moderator.nextCode()));
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(200);
    String token = issued.bodyAsJsonObject().getString("accessToken");
    assertThat(app.get("/v1/moderation/reports", token).statusCode()).isEqualTo(200);
    b.open(personPath);
    b.find(By.id("sessions-table"));
    j.axe("person, with a session");
    b.screenshot("staff-person");

    // ---- roles: the form, and sent with none chosen
    if (j.checkEverything()) {
      j.follow(By.id("change-roles"), personPath + "/roles", "change roles");
      hands.check(By.id("roles"));
      j.mistake(By.id("save-roles"), "change roles, none chosen");
      b.open(personPath);
    }

    // ---- disable, confirmed first
    j.follow(By.id("disable"), personPath + "/disable", "confirm disable");
    hands.activate(By.id("confirm-button"));
    b.until("the account disabled", d -> b.path().startsWith(personPath + "?done=disabled"));
    assertThat(b.find(By.id("person-status")).getText()).startsWith("Disabled");
    b.find(By.id("no-sessions"));
    j.axe("person, disabled");

    // ---- their open session and their token have ended
    var after = moderator.get("/console");
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.getHeader("Location")).startsWith("/console/sign-in");
    assertThat(app.get("/v1/moderation/reports", token).statusCode()).isEqualTo(401);
    var staff =
        app.get("/v1/staff?limit=100", app.staffToken("admin"))
            .bodyAsJsonObject()
            .getJsonArray("items");
    assertThat(
            staff.stream()
                .map(JsonObject.class::cast)
                .filter(s -> s.getString("username").equals(username))
                .findFirst()
                .orElseThrow()
                .getBoolean("disabled"))
        .isTrue();

    // ---- the audit of account changes
    hands.activate(By.id("person-audit"));
    b.waitForPage("/console/staff/audit");
    assertThat(b.find(By.id("staff-audit-table")).getText())
        .contains("Created the account " + username, "Disabled the account " + username)
        .doesNotContain(PASSWORD);
    j.axe("audit, one person");
    b.open("/console/staff/audit");
    b.find(By.id("staff-audit-table"));
    j.axe("audit");
    if (j.checkEverything()) {
      b.screenshot("staff-audit");
      b.open("/console/staff");
      b.find(By.id("staff-table"));
      b.screenshot("staff-list");
    }
  }
}
