package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The admins' staff pages over HTTP (no JavaScript): creating an account (and its errors, which
 * keep what was typed), changing roles, disabling and enabling (the person's console session and
 * API token end at once), ending sessions, the audit of account changes, and who may do any of it.
 */
@WithTestApp({TestApp.CHEAP_HASH_MEMORY, TestApp.CHEAP_HASH_ITERATIONS})
class ConsoleStaffTest {

  static final String PASSWORD = TestApp.STAFF_PASSWORD;
  static TestApp app;
  static ConsoleClient admin;
  static String adminId;

  @BeforeAll
  static void start() throws Exception {
    String name = create("admin");
    adminId = app.staffId(name);
    admin = ConsoleClient.signedIn(app, name);
  }

  static String create(String... roles) {
    return app.newStaff(roles).getString("username");
  }

  static HttpResponse<Buffer> token(ConsoleClient c, String username) {
    return app.post(
        "/v1/auth/token",
        null,
        new JsonObject()
            .put("username", username)
            .put("password", PASSWORD)
            .put("otp", c.nextCode()));
  }

  static Map<String, String> form(String... pairs) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void anAdminCreatesAnAccountAndMistakesAreShownWithWhatWasTyped() {
    HttpResponse<Buffer> page = admin.get("/console/staff/new");
    assertThat(page.statusCode()).isEqualTo(200);

    HttpResponse<Buffer> empty =
        admin.post("/console/staff/new", form("username", "", "password", ""));
    assertThat(ConsoleClient.errorPage(empty))
        .contains(
            "href=\"#username\"",
            "Enter a username",
            "Enter a first password",
            "href=\"#roles\"",
            "Select at least one role");

    String username = "new.moderator." + UUID.randomUUID().toString().substring(0, 6);
    HttpResponse<Buffer> weak =
        admin.post(
            "/console/staff/new",
            form("username", username, "password", "short", "roles", "moderator"));
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(weak.bodyAsString())
        .contains("value=\"" + username + "\"", "The first password", "value=\"moderator\" checked")
        .doesNotContain("value=\"short\"");

    HttpResponse<Buffer> made =
        admin.post(
            "/console/staff/new",
            form("username", username, "password", PASSWORD, "roles", "moderator"));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(303);
    String id = app.staffId(username);
    assertThat(made.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=created");
    HttpResponse<Buffer> person = admin.get(made.getHeader("Location"));
    assertThat(person.bodyAsString())
        .contains("The account is created", "Moderator", "Not signed in");

    HttpResponse<Buffer> twice =
        admin.post(
            "/console/staff/new",
            form("username", username.toUpperCase(), "password", PASSWORD, "roles", "editor"));
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.bodyAsString())
        .contains("There is already a staff account with this username");
    assertThat(
            app.sql(
                    "SELECT count(*) AS n FROM content.staff WHERE lower(username) = lower($1)",
                    username)
                .get(0)
                .getLong("n"))
        .isEqualTo(1);

    HttpResponse<Buffer> audit = admin.get("/console/staff/audit");
    assertThat(audit.bodyAsString())
        .contains("Created the account " + username + " with the roles Moderator")
        .doesNotContain(PASSWORD);
  }

  @Test
  void disablingAPersonEndsTheirConsoleSessionAndTheirTokenAtOnce() {
    String username = create("moderator");
    String id = app.staffId(username);
    ConsoleClient moderator = ConsoleClient.signedIn(app, username);
    HttpResponse<Buffer> issued = token(moderator, username);
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(200);
    String bearer = issued.bodyAsJsonObject().getString("accessToken");
    assertThat(app.get("/v1/moderation/reports", bearer).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> person = admin.get("/console/staff/" + id);
    assertThat(person.bodyAsString()).contains("id=\"sessions-table\"", "Signed in");
    assertThat(admin.get("/console/staff/" + id + "/disable").bodyAsString())
        .contains("Disable the account " + username);
    HttpResponse<Buffer> disabled =
        admin.post("/console/staff/" + id + "/status", form("disabled", "yes"));
    assertThat(disabled.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=disabled");

    HttpResponse<Buffer> after = moderator.get("/console/triage");
    assertThat(after.statusCode()).as("the open session has ended").isEqualTo(303);
    assertThat(after.getHeader("Location")).startsWith("/console/sign-in");
    assertThat(app.get("/v1/moderation/reports", bearer).statusCode())
        .as("the token has ended")
        .isEqualTo(401);
    assertThat(
            app.sql("SELECT count(*) AS n FROM content.staff_sessions WHERE staff_id = $1", id)
                .get(0)
                .getLong("n"))
        .isZero();
    assertThat(admin.get("/console/staff/" + id).bodyAsString())
        .contains("Disabled: cannot sign in", "no-sessions");

    HttpResponse<Buffer> enabled =
        admin.post("/console/staff/" + id + "/status", form("disabled", "no"));
    assertThat(enabled.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=enabled");
    moderator.signIn(username, PASSWORD);
    assertThat(admin.get("/console/staff/audit?staffId=" + id).bodyAsString())
        .contains("Disabled the account " + username, "Enabled the account " + username);
    assertThat(
            admin.post("/console/staff/" + id + "/status", form("disabled", "maybe")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void anAdminChangesRolesButNeverRemovesTheLastAdmin() {
    String username = create("editor");
    String id = app.staffId(username);
    ConsoleClient editor = ConsoleClient.signedIn(app, username);

    HttpResponse<Buffer> none = admin.post("/console/staff/" + id + "/roles", Map.of());
    assertThat(ConsoleClient.errorPage(none)).contains("Select at least one role");
    HttpResponse<Buffer> changed =
        admin.post("/console/staff/" + id + "/roles", form("roles", "youth_council"));
    assertThat(changed.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=roles");
    assertThat(
            app.sql("SELECT roles FROM content.staff WHERE id = $1", id)
                .get(0)
                .getArrayOfStrings("roles"))
        .containsExactly("youth_council");
    assertThat(editor.get("/console").statusCode())
        .as("a change of roles ends the sessions")
        .isEqualTo(303);

    HttpResponse<Buffer> last =
        admin.post("/console/staff/" + adminId + "/roles", form("roles", "moderator"));
    assertThat(last.statusCode()).isEqualTo(409);
    assertThat(last.bodyAsString()).contains("last active admin", "value=\"moderator\" checked");
    assertThat(admin.get("/console/staff").statusCode()).as("nothing changed").isEqualTo(200);
    assertThat(admin.get("/console/staff/audit").bodyAsString())
        .contains("Changed the roles of " + username + " from Editor to Youth Council");
  }

  @Test
  void anAdminEndsOneSessionOrEveryOne() {
    String username = create("youth_council");
    String id = app.staffId(username);
    ConsoleClient first = ConsoleClient.signedIn(app, username);
    ConsoleClient second = new ConsoleClient(app);
    second.secret = first.secret;
    HttpResponse<Buffer> password =
        second.post(
            "/console/sign-in",
            form("username", username, "password", PASSWORD, "next", "/console"));
    second.get(password.getHeader("Location"));
    assertThat(
            second
                .post("/console/sign-in/code", form("code", second.nextCode(), "next", "/console"))
                .statusCode())
        .isEqualTo(303);

    HttpResponse<Buffer> person = admin.get("/console/staff/" + id);
    Matcher handles =
        Pattern.compile("data-session=\"([0-9a-f]{64})\"").matcher(person.bodyAsString());
    List<String> found = handles.results().map(m -> m.group(1)).toList();
    assertThat(found).hasSize(2);
    String firstHandle = ConsoleClient.handle(first);
    assertThat(found).contains(firstHandle);

    HttpResponse<Buffer> one =
        admin.post("/console/staff/" + id + "/sessions", form("session", firstHandle));
    assertThat(one.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=session");
    assertThat(first.get("/console").statusCode()).isEqualTo(303);
    assertThat(second.get("/console").statusCode()).as("the other session goes on").isEqualTo(200);
    assertThat(
            admin
                .post("/console/staff/" + id + "/sessions", form("session", "not-a-handle"))
                .statusCode())
        .as("an unknown session: nothing to end")
        .isEqualTo(303);

    HttpResponse<Buffer> all =
        admin.post("/console/staff/" + id + "/sessions", form("session", "all"));
    assertThat(all.getHeader("Location")).isEqualTo("/console/staff/" + id + "?done=sessions");
    assertThat(second.get("/console").statusCode()).isEqualTo(303);
    assertThat(admin.get("/console/staff/audit?staffId=" + id).bodyAsString())
        .contains("Ended a session of " + username, "Ended every session of " + username);
  }

  @Test
  void onlyAdminsMayAndOnlyWithTheFormsToken() {
    String username = create("moderator");
    String id = app.staffId(username);
    ConsoleClient moderator = ConsoleClient.signedIn(app, username);
    for (String page :
        List.of(
            "/console/staff",
            "/console/staff/new",
            "/console/staff/audit",
            "/console/staff/" + id,
            "/console/staff/" + id + "/roles",
            "/console/staff/" + id + "/disable")) {
      HttpResponse<Buffer> r = moderator.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(403);
      assertThat(r.bodyAsString()).as(page).contains("You cannot open this page");
    }
    HttpResponse<Buffer> selfPromotion =
        moderator.post("/console/staff/" + id + "/roles", form("roles", "admin"));
    assertThat(selfPromotion.statusCode()).isEqualTo(403);

    HttpResponse<Buffer> noToken =
        admin.post(
            "/console/staff/" + id + "/status", form("disabled", "yes", "csrf", "not-the-token"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.bodyAsString()).contains("nothing was changed");
    HttpResponse<Buffer> noTokenCreate =
        admin.post(
            "/console/staff/new",
            form("csrf", "", "username", "sneaky.one", "password", PASSWORD, "roles", "admin"));
    assertThat(noTokenCreate.statusCode()).isEqualTo(403);
    assertThat(
            app.sql("SELECT disabled, roles FROM content.staff WHERE id = $1", id)
                .get(0)
                .getBoolean("disabled"))
        .isFalse();
    assertThat(
            app.sql("SELECT count(*) AS n FROM content.staff WHERE username = 'sneaky.one'")
                .get(0)
                .getLong("n"))
        .isZero();
    assertThat(moderator.get("/console").statusCode()).isEqualTo(200);
    assertThat(admin.get("/console/staff/no-such-id").statusCode()).isEqualTo(404);
  }
}
