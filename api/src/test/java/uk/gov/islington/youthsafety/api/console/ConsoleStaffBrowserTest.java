package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.reports.Smtp;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * The admin's journey in a real browser (Debian chromium, headless): sign in, create a moderator
 * (after a form sent empty), see the moderator's open session, disable the account, and find that
 * session and the moderator's API token ended, through the console and the JSON API. Once with
 * clicks and axe-core on every page and error state (0 violations), once with the keyboard alone.
 *
 * <p>Screenshots for docs/console: {@code mvn -B -pl api -am verify -Dtest=ConsoleStaffBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.screenshots=$PWD/docs/console}
 */
class ConsoleStaffBrowserTest {

  static final String PASSWORD = "a long staff passphrase";
  static Smtp smtp;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    smtp = Smtp.onFreePort().start();
    app = TestApp.start(ConsoleBrowserTest.settings(smtp));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    smtp.close();
  }

  /** A new account with these roles, made through the JSON API. */
  static String newAccount(TestApp app, String... roles) {
    String username = "staff." + UUID.randomUUID().toString().substring(0, 8);
    var r =
        app.post(
            "/v1/staff",
            app.staffToken("admin"),
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("roles", new JsonArray(List.of(roles))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return username;
  }

  /** The first sign-in in the browser: password, then enrolment with a code computed here. */
  static byte[] signIn(
      TestApp app, ConsoleBrowser b, ConsoleBrowserTest.Hands hands, String username) {
    b.open("/console");
    b.waitForPage("/console/sign-in");
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), PASSWORD);
    hands.activate(By.cssSelector("form[action='/console/sign-in'] button"));
    b.waitForPage("/console/sign-in/enrol");
    byte[] secret = Totp.fromBase32(b.find(By.id("totp-key")).getText());
    app.clock.advance(java.time.Duration.ofSeconds(30));
    hands.fill(By.id("code"), Totp.code(secret, app.clock.instant()));
    hands.activate(By.cssSelector("form[action='/console/sign-in/enrol'] button"));
    b.find(By.id("recovery-codes"));
    hands.activate(By.id("continue"));
    b.waitForPage("/console");
    return secret;
  }

  @Test
  void anAdminDisablesAModeratorWithTheMouse() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, ConsoleBrowserTest.mouse(b), true);
    }
  }

  @Test
  void anAdminDisablesAModeratorWithTheKeyboardAlone() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      journey(b, ConsoleBrowserTest.keyboard(b), false);
    }
  }

  static void journey(ConsoleBrowser b, ConsoleBrowserTest.Hands hands, boolean checkEverything)
      throws Exception {
    Consumer<String> axe =
        page -> {
          if (checkEverything) {
            b.assertAccessible(page);
          }
        };
    signIn(app, b, hands, newAccount(app, "admin"));

    // ---- the list, and a new account (after a form sent empty)
    hands.activate(By.cssSelector("a.govuk-service-navigation__link[href='/console/staff']"));
    b.waitForPage("/console/staff");
    b.find(By.id("staff-table"));
    axe.accept("staff list");
    hands.activate(By.id("create-staff"));
    b.waitForPage("/console/staff/new");
    axe.accept("new account");
    String username = "moderator." + UUID.randomUUID().toString().substring(0, 8);
    if (checkEverything) {
      hands.fill(By.id("username"), username);
      hands.activate(By.id("create-button"));
      b.find(By.className("govuk-error-summary"));
      assertThat(b.find(By.id("username")).getAttribute("value"))
          .as("kept what was typed")
          .isEqualTo(username);
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      axe.accept("new account, errors");
    } else {
      hands.fill(By.id("username"), username);
    }
    hands.fill(By.id("password"), PASSWORD);
    hands.check(By.id("roles"));
    hands.activate(By.id("create-button"));
    b.waitForPage("/console/staff/");
    b.find(By.className("govuk-notification-banner"));
    assertThat(b.find(By.id("person-roles")).getText()).isEqualTo("Moderator");
    axe.accept("person, created");
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
    axe.accept("person, with a session");
    b.screenshot("staff-person");

    // ---- roles: the form, and sent with none chosen
    if (checkEverything) {
      hands.activate(By.id("change-roles"));
      b.waitForPage(personPath + "/roles");
      axe.accept("change roles");
      hands.check(By.id("roles"));
      hands.activate(By.id("save-roles"));
      b.find(By.className("govuk-error-summary"));
      axe.accept("change roles, none chosen");
      b.open(personPath);
    }

    // ---- disable, confirmed first
    hands.activate(By.id("disable"));
    b.waitForPage(personPath + "/disable");
    axe.accept("confirm disable");
    hands.activate(By.id("confirm-button"));
    b.until("the account disabled", d -> b.path().startsWith(personPath + "?done=disabled"));
    assertThat(b.find(By.id("person-status")).getText()).startsWith("Disabled");
    b.find(By.id("no-sessions"));
    axe.accept("person, disabled");

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
    axe.accept("audit, one person");
    b.open("/console/staff/audit");
    b.find(By.id("staff-audit-table"));
    axe.accept("audit");
    if (checkEverything) {
      b.screenshot("staff-audit");
      b.open("/console/staff");
      b.find(By.id("staff-table"));
      b.screenshot("staff-list");
    }
  }
}
