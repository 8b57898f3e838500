package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * Signing in to the console over HTTP: the password, enrolment at the first sign-in, the code
 * afterwards (each code once), recovery codes, sessions (idle time-out, sign-out, disabled
 * accounts, role changes), CSRF and same-origin checks, the headers, and issueStaffToken asking for
 * the same second factor once an account has one.
 */
@WithTestApp({
  "TRUSTED_PROXY_HOPS=0",
  "LOGIN_MAX_FAILURES_PER_USERNAME_AND_NETWORK=3",
  TestApp.CHEAP_HASH_MEMORY,
  TestApp.CHEAP_HASH_ITERATIONS
})
class ConsoleSignInTest {

  static final String PASSWORD = TestApp.STAFF_PASSWORD;
  static TestApp app;

  /**
   * A fresh token each time: the tests move the clock on by whole TOTP steps and idle time-outs.
   */
  static String admin() {
    return app.staffToken("admin");
  }

  static String create(String... roles) {
    return app.newStaff(roles).getString("username");
  }

  static HttpResponse<Buffer> token(String username, String otp) {
    JsonObject body = new JsonObject().put("username", username).put("password", PASSWORD);
    if (otp != null) {
      body.put("otp", otp);
    }
    return app.post("/v1/auth/token", null, body);
  }

  @Test
  void aFirstSignInEnrolsTheAppAndLaterSignInsAskForItsCode() {
    String username = create("moderator");
    ConsoleClient browser = new ConsoleClient(app);

    HttpResponse<Buffer> home = browser.get("/console/triage?status=received");
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.getHeader("Location"))
        .isEqualTo("/console/sign-in?next=%2Fconsole%2Ftriage%3Fstatus%3Dreceived");

    browser.signIn(username, PASSWORD);
    assertThat(browser.recoveryCodes).hasSize(10).doesNotHaveDuplicates();
    // stored as hashes only, and the secret sealed
    String tables = app.dumpAllTables();
    browser.recoveryCodes.forEach(c -> assertThat(tables).doesNotContain(c));
    assertThat(tables).doesNotContain(Totp.base32(browser.secret));
    assertThat(
            app.sql(
                    "SELECT count(*) AS n FROM content.staff_recovery_codes WHERE staff_id = $1",
                    app.staffId(username))
                .get(0)
                .getLong("n"))
        .isEqualTo(10);

    HttpResponse<Buffer> page = browser.get("/console");
    assertThat(page.bodyAsString())
        .contains("Your work", "waiting", "urgent", "oldest waiting", username);

    // sign out: the session ends where it is stored, the old cookie is worth nothing
    String oldCookie = browser.cookies.get(ConsolePages.COOKIE);
    assertThat(browser.post("/console/sign-out", Map.of()).getHeader("Location"))
        .isEqualTo("/console/sign-in?signedOut");
    ConsoleClient replay = new ConsoleClient(app);
    replay.cookies.put(ConsolePages.COOKIE, oldCookie);
    assertThat(replay.get("/console").statusCode()).isEqualTo(303);

    // the next sign-in asks for the code, not for a new enrolment
    browser.signIn(username, PASSWORD);

    // the JSON door asks for the same second factor
    HttpResponse<Buffer> without = token(username, null);
    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.bodyAsJsonObject().getString("type")).endsWith("second-factor-required");
    String code = browser.nextCode();
    assertThat(token(username, code).statusCode()).isEqualTo(200);
    assertThat(token(username, code).statusCode()).as("a code is accepted once").isEqualTo(401);
    assertThat(token(username, browser.recoveryCodes.get(0)).statusCode()).isEqualTo(200);
    assertThat(token(username, browser.recoveryCodes.get(0)).statusCode())
        .as("a recovery code too")
        .isEqualTo(401);
  }

  @Test
  void aReplayedCodeIsRefusedAtTheConsole() {
    String username = create("editor");
    ConsoleClient browser = ConsoleClient.signedIn(app, username);
    String used = Totp.code(browser.secret, app.clock.instant());
    browser.post("/console/sign-out", Map.of());

    assertThat(
            browser
                .post("/console/sign-in", Map.of("username", username, "password", PASSWORD))
                .statusCode())
        .isEqualTo(303);
    browser.get("/console/sign-in/code");
    HttpResponse<Buffer> again = browser.post("/console/sign-in/code", Map.of("code", used));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsString()).contains("Error: Enter your code", "Enter a correct code");
    assertThat(browser.get("/console").statusCode()).as("still not signed in").isEqualTo(303);
  }

  @Test
  void aWrongPasswordGetsOneMessageAndIsCounted() {
    String username = create("moderator");
    ConsoleClient browser = new ConsoleClient(app);
    for (String[] attempt :
        new String[][] {
          {username, "wrong password here"}, {"nobody-" + UUID.randomUUID(), PASSWORD}
        }) {
      HttpResponse<Buffer> r =
          browser.post("/console/sign-in", Map.of("username", attempt[0], "password", attempt[1]));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsString())
          .contains("<title>Error: Sign in", "Enter a correct username and password");
    }
    browser.post("/console/sign-in", Map.of("username", username, "password", "wrong again"));
    browser.post("/console/sign-in", Map.of("username", username, "password", "and again"));
    HttpResponse<Buffer> throttled =
        browser.post("/console/sign-in", Map.of("username", username, "password", PASSWORD));
    assertThat(throttled.statusCode()).as("the API's limit, shared").isEqualTo(429);
    assertThat(throttled.bodyAsString()).contains("Too many");
    assertThat(token(username, null).statusCode()).isEqualTo(429);
  }

  @Test
  void formsWithoutTheTokenOrFromAnotherOriginChangeNothing() {
    String username = create("moderator");
    ConsoleClient browser = ConsoleClient.signedIn(app, username);

    HttpResponse<Buffer> noToken =
        browser.post("/console/sign-out", Map.of("csrf", "not-the-token"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.bodyAsString()).contains("nothing was changed");
    browser.origin = "https://evil.example";
    assertThat(browser.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(403);
    assertThat(
            browser
                .post("/console/sign-in", Map.of("username", username, "password", PASSWORD))
                .statusCode())
        .isEqualTo(403);
    browser.origin =
        "null"; // what a browser sends under Referrer-Policy: no-referrer; Sec-Fetch-Site decides
    assertThat(browser.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(403);
    browser.origin = "http://localhost:" + app.app().port();
    assertThat(browser.get("/console").statusCode()).as("still signed in").isEqualTo(200);
  }

  @Test
  void disablingAnAccountOrChangingItsRolesEndsItsSessionsAtOnce() {
    String username = create("moderator");
    ConsoleClient browser = ConsoleClient.signedIn(app, username);
    assertThat(
            app.patch(
                    "/v1/staff/" + app.staffId(username),
                    admin(),
                    new JsonObject().put("roles", new JsonArray().add("editor")))
                .statusCode())
        .isEqualTo(200);
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);

    browser.signIn(username, PASSWORD);
    assertThat(
            app.patch(
                    "/v1/staff/" + app.staffId(username),
                    admin(),
                    new JsonObject().put("disabled", true))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> after = browser.get("/console");
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.getHeader("Location")).startsWith("/console/sign-in");
  }

  @Test
  void anIdleSessionEndsAndSignInLeadsBackToThePageAskedFor() {
    String username = create("moderator");
    ConsoleClient browser = ConsoleClient.signedIn(app, username);
    app.clock.advance(Duration.ofMinutes(31));
    HttpResponse<Buffer> r = browser.get("/console/triage");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("Location")).isEqualTo("/console/sign-in?next=%2Fconsole%2Ftriage");
    HttpResponse<Buffer> password =
        browser.post(
            "/console/sign-in",
            Map.of("username", username, "password", PASSWORD, "next", "/console/triage"));
    browser.get(password.getHeader("Location"));
    HttpResponse<Buffer> code =
        browser.post(
            "/console/sign-in/code", Map.of("code", browser.nextCode(), "next", "/console/triage"));
    assertThat(code.getHeader("Location")).isEqualTo("/console/triage");
    // never to another site
    assertThat(ConsolePages.safeNext("//evil.example/console")).isEqualTo("/console");
    assertThat(ConsolePages.safeNext("https://evil.example")).isEqualTo("/console");
  }

  @Test
  void anAdminResetsSomeoneElsesSecondFactorNeverTheirOwn() {
    String adminName = create("admin");
    String username = create("moderator");
    ConsoleClient adminBrowser = ConsoleClient.signedIn(app, adminName);
    ConsoleClient browser = ConsoleClient.signedIn(app, username);

    HttpResponse<Buffer> list = adminBrowser.get("/console/staff");
    assertThat(list.bodyAsString()).contains(username);
    assertThat(adminBrowser.get("/console/staff/" + app.staffId(adminName)).bodyAsString())
        .doesNotContain("/console/staff/" + app.staffId(adminName) + "/second-factor");
    assertThat(
            adminBrowser
                .get("/console/staff/" + app.staffId(username) + "/second-factor")
                .bodyAsString())
        .contains("Reset the second factor of " + username);
    HttpResponse<Buffer> reset =
        adminBrowser.post("/console/staff/" + app.staffId(username) + "/second-factor", Map.of());
    assertThat(reset.getHeader("Location"))
        .isEqualTo("/console/staff/" + app.staffId(username) + "?done=reset");
    HttpResponse<Buffer> own =
        adminBrowser.post("/console/staff/" + app.staffId(adminName) + "/second-factor", Map.of());
    assertThat(own.statusCode()).isEqualTo(403);

    assertThat(browser.get("/console").statusCode()).as("their sessions ended").isEqualTo(303);
    assertThat(token(username, null).statusCode()).as("no second factor now").isEqualTo(200);
    HttpResponse<Buffer> password =
        browser.post("/console/sign-in", Map.of("username", username, "password", PASSWORD));
    assertThat(password.getHeader("Location")).startsWith("/console/sign-in/enrol");

    ConsoleClient moderator = ConsoleClient.signedIn(app, create("moderator"));
    assertThat(moderator.get("/console/staff").statusCode()).isEqualTo(403);
  }

  @Test
  void changingMyPasswordSignsMeOutEverywhere() {
    String username = create("youth_council");
    ConsoleClient browser = ConsoleClient.signedIn(app, username);
    HttpResponse<Buffer> wrong =
        browser.post(
            "/console/account/password",
            Map.of(
                "current",
                "not it at all",
                "password",
                "a new long passphrase",
                "confirm",
                "a new long passphrase"));
    assertThat(wrong.bodyAsString()).contains("Enter your current password correctly");
    HttpResponse<Buffer> ok =
        browser.post(
            "/console/account/password",
            Map.of(
                "current",
                PASSWORD,
                "password",
                "a new long passphrase",
                "confirm",
                "a new long passphrase"));
    assertThat(ok.getHeader("Location")).isEqualTo("/console/sign-in?passwordChanged");
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);
    assertThat(
            app.post(
                    "/v1/auth/token",
                    null,
                    new JsonObject()
                        .put("username", username)
                        .put("password", "a new long passphrase")
                        .put("otp", browser.nextCode()))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyPageCarriesTheHeadersAndAssetsAreCachedLong() {
    ConsoleClient browser = new ConsoleClient(app);
    HttpResponse<Buffer> page = browser.get("/console/sign-in");
    assertThat(page.getHeader("Content-Security-Policy"))
        .contains(
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "script-src 'self'");
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.getHeader("Strict-Transport-Security")).contains("max-age=");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.bodyAsString())
        .doesNotContain("<script>", "style=\"", "GDS Transport\"", "govuk-header__logotype");
    java.util.regex.Matcher css =
        java.util.regex.Pattern.compile("href=\"(/console/assets/[^\"]+/govuk-frontend.min.css)\"")
            .matcher(page.bodyAsString());
    assertThat(css.find()).isTrue();
    HttpResponse<Buffer> asset = browser.get(css.group(1));
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(asset.getHeader("Cache-Control")).contains("max-age=31536000", "immutable");
    assertThat(browser.get("/console/assets/0000/govuk-frontend.min.css").statusCode())
        .isEqualTo(404);
    assertThat(browser.get("/console/nothing-here").statusCode()).isEqualTo(404);
  }
}
