package uk.gov.islington.youthsafety.api.staff;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * Staff accounts over HTTP, from the first admin (ADMIN_USERNAME / ADMIN_PASSWORD) to sign-in,
 * creation, listing, role changes, disabling and the failure paths. Every test signs in from its
 * own client address (X-Forwarded-For from a trusted proxy), so that failed sign-ins of one test
 * never throttle another.
 */
@WithTestApp({
  "ADMIN_USERNAME=" + StaffJourneyTest.ADMIN,
  "ADMIN_PASSWORD=" + StaffJourneyTest.ADMIN_PASSWORD,
  "TRUSTED_PROXIES=127.0.0.1/32,::1/128",
  "TRUSTED_PROXY_HOPS=1",
  "LOGIN_MAX_FAILURES_PER_USERNAME_AND_NETWORK=3",
  "LOGIN_MAX_FAILURES_PER_NETWORK=6",
  "LOGIN_ACCOUNT_ALERT_FAILURES=5",
  TestApp.CHEAP_HASH_MEMORY,
  TestApp.CHEAP_HASH_ITERATIONS
})
class StaffJourneyTest {

  static final String ADMIN = "first.admin@islington.gov.uk";
  static final String ADMIN_PASSWORD = "first admin passphrase";
  static final String PASSWORD = "a long staff passphrase";

  static TestApp app;

  private static final AtomicInteger NETWORKS = new AtomicInteger();

  /**
   * An address in a client network no other call of this test class uses (an IPv6 /64 of its own).
   */
  static String newAddress() {
    int n = NETWORKS.incrementAndGet();
    return "2001:db8:"
        + Integer.toHexString(n >>> 16)
        + ":"
        + Integer.toHexString(n & 0xffff)
        + "::1";
  }

  static HttpResponse<Buffer> signIn(String address, String username, String password) {
    var request = app.http().post("/v1/auth/token").putHeader("X-Forwarded-For", address);
    return app.send(
        request, null, new JsonObject().put("username", username).put("password", password));
  }

  static String tokenOf(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("accessToken");
  }

  static String adminToken() {
    return tokenOf(signIn(newAddress(), ADMIN, ADMIN_PASSWORD));
  }

  static JsonObject create(String token, String username, String... roles) {
    var r =
        app.post(
            "/v1/staff",
            token,
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("roles", new JsonArray(List.of(roles))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  static String unique(String prefix) {
    return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  static void assertProblem(HttpResponse<Buffer> r, int status, String field) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    if (field != null) {
      assertThat(
              r.bodyAsJsonObject().getJsonArray("errors").stream()
                  .map(e -> ((JsonObject) e).getString("field")))
          .anyMatch(f -> f.equals(field) || f.startsWith(field + "["));
    }
  }

  @Test
  void theFirstAdminSignsInAndGetsAShortLivedAdminToken() {
    var r = signIn(newAddress(), ADMIN.toUpperCase(), ADMIN_PASSWORD);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(body.getString("tokenType")).isEqualTo("Bearer");
    assertThat(body.getJsonArray("roles")).containsExactly("admin");
    assertThat(java.time.Instant.parse(body.getString("expiresAt")))
        .isEqualTo(app.clock.instant().plus(Duration.ofMinutes(15)));
    var list = app.get("/v1/staff", body.getString("accessToken"));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(
            list.bodyAsJsonObject().getJsonArray("items").stream()
                .map(i -> ((JsonObject) i).getString("username")))
        .contains(ADMIN);
  }

  @Test
  void anAdminCreatesStaffWhoSignInWithTheirRoles() {
    String admin = adminToken();
    String name = unique("Moderator");
    JsonObject created = create(admin, name, "moderator", "editor");
    assertThat(created.fieldNames())
        .containsExactlyInAnyOrder("id", "username", "roles", "disabled", "createdAt", "updatedAt");
    assertThat(created.getString("username")).isEqualTo(name);
    assertThat(created.getJsonArray("roles")).containsExactly("editor", "moderator");
    assertThat(created.getBoolean("disabled")).isFalse();

    var signedIn = signIn(newAddress(), name.toLowerCase(), PASSWORD);
    assertThat(signedIn.bodyAsJsonObject().getJsonArray("roles"))
        .containsExactly("editor", "moderator");
    String token = tokenOf(signedIn);
    // their roles open their operations and nothing else
    assertThat(app.get("/v1/staff", token).statusCode()).isEqualTo(403);
  }

  @Test
  void passwordHashesNeverLeaveTheServiceNorAnyListing() {
    String admin = adminToken();
    create(admin, unique("lister"), "editor");
    String cursor = null;
    List<JsonObject> all = new ArrayList<>();
    do {
      var r = app.get("/v1/staff?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), admin);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsString())
          .doesNotContain("argon2")
          .doesNotContain("hash")
          .doesNotContain(PASSWORD);
      JsonObject body = r.bodyAsJsonObject();
      body.getJsonArray("items").forEach(i -> all.add((JsonObject) i));
      cursor = body.getString("nextCursor");
    } while (cursor != null);
    assertThat(all).hasSizeGreaterThanOrEqualTo(2);
    assertThat(all.stream().map(i -> i.getString("id")).distinct().count()).isEqualTo(all.size());
  }

  @Test
  void aDuplicateUsernameInAnyCaseIs409() {
    String admin = adminToken();
    String name = unique("dup");
    create(admin, name, "editor");
    var again =
        app.post(
            "/v1/staff",
            admin,
            new JsonObject()
                .put("username", name.toUpperCase())
                .put("password", PASSWORD)
                .put("roles", new JsonArray().add("moderator")));
    assertProblem(again, 409, null);
  }

  @Test
  void badInputIs400NamingTheField() {
    String admin = adminToken();
    JsonObject good =
        new JsonObject()
            .put("username", unique("valid"))
            .put("password", PASSWORD)
            .put("roles", new JsonArray().add("editor"));
    for (Map.Entry<JsonObject, String> bad :
        List.of(
            Map.entry(good.copy().put("password", "too short"), "password"),
            Map.entry(good.copy().put("password", "password1234"), "password"),
            Map.entry(good.copy().put("roles", new JsonArray().add("superuser")), "roles"),
            Map.entry(good.copy().put("roles", new JsonArray()), "roles"),
            Map.entry(good.copy().put("username", "a b"), "username"),
            Map.entry(good.copy().put("passwordHash", "x"), "passwordHash"))) {
      assertProblem(app.post("/v1/staff", admin, bad.getKey()), 400, bad.getValue());
    }
    assertProblem(
        app.post("/v1/staff", admin, good.copy().put("roles", new JsonArray().add("superuser"))),
        400,
        null);
    // the unknown role is named as such, not as an unknown field
    var r =
        app.post("/v1/staff", admin, good.copy().put("roles", new JsonArray().add("superuser")));
    assertThat(r.bodyAsJsonObject().getJsonArray("errors")).hasSize(1);
    assertProblem(
        app.patch("/v1/staff/" + UUID.randomUUID(), admin, new JsonObject()), 400, "body");
  }

  @Test
  void onlyAdminsManageStaff() {
    String admin = adminToken();
    String id = create(admin, unique("target"), "editor").getString("id");
    for (String role : List.of("moderator", "youth_council", "editor")) {
      String token = app.staffToken(role);
      assertProblem(app.get("/v1/staff", token), 403, null);
      assertProblem(app.post("/v1/staff", token, new JsonObject()), 403, null);
      assertProblem(
          app.patch("/v1/staff/" + id, token, new JsonObject().put("disabled", true)), 403, null);
    }
    assertProblem(app.get("/v1/staff", app.deviceToken("14-17")), 403, null);
    assertProblem(app.get("/v1/staff", null), 401, null);
    assertProblem(
        app.patch("/v1/staff/" + UUID.randomUUID(), admin, new JsonObject().put("disabled", true)),
        404,
        null);
  }

  @Test
  void wrongPasswordsUnknownUsersAndDisabledAccountsGetTheSame401() {
    String admin = adminToken();
    String name = unique("disabled");
    String id = create(admin, name, "moderator").getString("id");
    assertThat(
            app.patch("/v1/staff/" + id, admin, new JsonObject().put("disabled", true))
                .statusCode())
        .isEqualTo(200);

    var wrong = signIn(newAddress(), ADMIN, "not the admin password");
    var unknown = signIn(newAddress(), unique("nobody"), PASSWORD);
    var disabled = signIn(newAddress(), name, PASSWORD);
    for (var r : List.of(wrong, unknown, disabled)) {
      assertProblem(r, 401, null);
    }
    assertThat(unknown.bodyAsJsonObject())
        .isEqualTo(wrong.bodyAsJsonObject())
        .isEqualTo(disabled.bodyAsJsonObject());
  }

  @Test
  void failedSignInsLockOutTheGuessingNetworkNotTheAccountWithRetryAfter() {
    String admin = adminToken();
    String name = unique("targeted");
    create(admin, name, "editor");
    String attacker = newAddress();
    // three failures use up this username's allowance from this network
    // (LOGIN_MAX_FAILURES_PER_USERNAME_AND_NETWORK=3)
    for (int i = 0; i < 3; i++) {
      assertProblem(signIn(attacker, name, "guess number " + i + "!!"), 401, null);
    }
    // the same /64 is the same network, whatever address in it
    var throttled = signIn(attacker.replace("::1", "::2"), name.toUpperCase(), PASSWORD);
    assertProblem(throttled, 429, null);
    assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isPositive();
    // the member of staff, from their own network, is not locked out by someone who knows their
    // username
    tokenOf(signIn(newAddress(), name, PASSWORD));
    // other accounts are not affected
    tokenOf(signIn(newAddress(), ADMIN, ADMIN_PASSWORD));
  }

  @Test
  void aConcurrentBurstOfWrongPasswordsGetsNoMoreAttemptsThanTheCap() {
    String admin = adminToken();
    String name = unique("burst");
    create(admin, name, "editor");
    String attacker = newAddress();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      burst.add(
          app.http()
              .post("/v1/auth/token")
              .putHeader("X-Forwarded-For", attacker)
              .sendJsonObject(
                  new JsonObject().put("username", name).put("password", "burst guess " + i)));
    }
    app.await(io.vertx.core.Future.join(burst));
    long checked = burst.stream().filter(f -> f.result().statusCode() == 401).count();
    long refused = burst.stream().filter(f -> f.result().statusCode() == 429).count();
    // every failure is counted before its password is checked: no more than 3 guesses were tried
    assertThat(checked).isLessThanOrEqualTo(3);
    assertThat(checked + refused).isEqualTo(12);
  }

  @Test
  void manyFailuresOnOneAccountFromManyNetworksAlertWithoutLockingOrNamingIt() {
    String admin = adminToken();
    String name = unique("spread");
    create(admin, name, "editor");
    Logger ours = (Logger) LoggerFactory.getLogger("uk.gov.islington.youthsafety");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    ours.addAppender(captured);
    double before = alerts();
    try {
      // LOGIN_ACCOUNT_ALERT_FAILURES=5: the sixth failure on one account goes over its slower,
      // global cap
      for (int i = 0; i < 7; i++) {
        assertProblem(signIn(newAddress(), name, "spread guess " + i), 401, null);
      }
    } finally {
      ours.detachAppender(captured);
    }
    assertThat(alerts()).isGreaterThan(before);
    List<String> warnings =
        captured.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("sign-in"));
    assertThat(warnings)
        .allSatisfy(w -> assertThat(w).doesNotContain(name).doesNotContain("2001:db8"));
    // not a lock: the member of staff still signs in
    tokenOf(signIn(newAddress(), name, PASSWORD));
  }

  private static double alerts() {
    var counter = app.app().context().metrics().find("staff_sign_in_account_alerts").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void failedSignInsAreThrottledPerClientNetwork() {
    String address = newAddress();
    // six failures on six usernames from one network (LOGIN_MAX_FAILURES_PER_NETWORK=6)
    for (int i = 0; i < 6; i++) {
      assertProblem(signIn(address, unique("spray"), "wrong password " + i), 401, null);
    }
    var throttled = signIn(address, ADMIN, ADMIN_PASSWORD);
    assertProblem(throttled, 429, null);
    assertThat(throttled.getHeader("Retry-After")).isNotNull();
    // the same admin from another address is fine
    tokenOf(signIn(newAddress(), ADMIN, ADMIN_PASSWORD));
  }

  @Test
  void failedSignInsLeaveNoUsernameNorAddressInLogsOrTables() {
    Logger ours = (Logger) LoggerFactory.getLogger("uk.gov.islington.youthsafety");
    Logger access = (Logger) LoggerFactory.getLogger("access");
    Level oursBefore = ours.getLevel();
    Level accessBefore = access.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    ours.addAppender(captured);
    access.addAppender(captured);
    ours.setLevel(Level.DEBUG);
    access.setLevel(Level.DEBUG);
    try {
      String address = "203.0.113.77";
      String name = "secret.username." + UUID.randomUUID().toString().substring(0, 6);
      for (int i = 0; i < 4; i++) {
        signIn(address, name, "wrong password " + i);
      }
      assertThat(captured.list).isNotEmpty();
      for (ILoggingEvent e : captured.list) {
        assertThat(e.getFormattedMessage())
            .doesNotContain(name)
            .doesNotContain(address)
            .doesNotContain("wrong password");
      }
      assertThat(app.dumpAllTables()).doesNotContain(name).doesNotContain(address);
    } finally {
      ours.detachAppender(captured);
      access.detachAppender(captured);
      ours.setLevel(oursBefore);
      access.setLevel(accessBefore);
    }
  }

  @Test
  void disablingAnAccountEndsItsTokensAtOnce() {
    String admin = adminToken();
    String name = unique("leaver");
    String id = create(admin, name, "admin", "editor").getString("id");
    String token = tokenOf(signIn(newAddress(), name, PASSWORD));
    assertThat(app.get("/v1/staff", token).statusCode()).isEqualTo(200);

    var r = app.patch("/v1/staff/" + id, admin, new JsonObject().put("disabled", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getBoolean("disabled")).isTrue();
    assertProblem(app.get("/v1/staff", token), 401, null);
    assertProblem(signIn(newAddress(), name, PASSWORD), 401, null);
    // the disabled account stays listed
    assertThat(
            app
                .get("/v1/staff?disabled=true", admin)
                .bodyAsJsonObject()
                .getJsonArray("items")
                .stream()
                .map(i -> ((JsonObject) i).getString("id")))
        .contains(id);

    // re-enabled, it signs in again (a second later: tokens from the second of the change are
    // refused)
    app.clock.advance(Duration.ofSeconds(1));
    assertThat(
            app.patch("/v1/staff/" + id, admin, new JsonObject().put("disabled", false))
                .statusCode())
        .isEqualTo(200);
    app.clock.advance(Duration.ofSeconds(1));
    assertThat(app.get("/v1/staff", tokenOf(signIn(newAddress(), name, PASSWORD))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aRoleChangeEndsOldTokensAndTheNextSignInCarriesTheNewRoles() {
    String admin = adminToken();
    String name = unique("promoted");
    String id = create(admin, name, "editor").getString("id");
    String editorToken = tokenOf(signIn(newAddress(), name, PASSWORD));

    app.clock.advance(Duration.ofSeconds(1));
    var r =
        app.patch(
            "/v1/staff/" + id, admin, new JsonObject().put("roles", new JsonArray().add("admin")));
    assertThat(r.bodyAsJsonObject().getJsonArray("roles")).containsExactly("admin");
    assertProblem(app.get("/v1/staff", editorToken), 401, null);

    app.clock.advance(Duration.ofSeconds(1));
    var again = signIn(newAddress(), name, PASSWORD);
    assertThat(again.bodyAsJsonObject().getJsonArray("roles")).containsExactly("admin");
    assertThat(app.get("/v1/staff", tokenOf(again)).statusCode()).isEqualTo(200);
  }

  @Test
  void aPasswordChangeTakesEffectAtTheNextSignIn() {
    String admin = adminToken();
    String name = unique("rotating");
    String id = create(admin, name, "moderator").getString("id");
    assertProblem(
        app.patch("/v1/staff/" + id, admin, new JsonObject().put("password", "short")),
        400,
        "password");
    assertThat(
            app.patch(
                    "/v1/staff/" + id,
                    admin,
                    new JsonObject().put("password", "the next long passphrase"))
                .statusCode())
        .isEqualTo(200);
    app.clock.advance(Duration.ofSeconds(1));
    assertProblem(signIn(newAddress(), name, PASSWORD), 401, null);
    tokenOf(signIn(newAddress(), name, "the next long passphrase"));
  }

  @Test
  void theLastActiveAdminCannotDisableOrDemoteThemselves() {
    // this class's first admin may share the admin role with admins made by other tests: make
    // them all non-admins first, so that exactly one active admin is left
    String admin = adminToken();
    String self = null;
    for (Object o :
        app.get("/v1/staff?limit=100", admin).bodyAsJsonObject().getJsonArray("items")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("username").equals(ADMIN)) {
        self = s.getString("id");
      } else if (s.getJsonArray("roles").contains("admin") && !s.getBoolean("disabled")) {
        assertThat(
                app.patch(
                        "/v1/staff/" + s.getString("id"),
                        admin,
                        new JsonObject().put("disabled", true))
                    .statusCode())
            .isEqualTo(200);
      }
    }
    assertThat(self).isNotNull();
    assertProblem(
        app.patch("/v1/staff/" + self, admin, new JsonObject().put("disabled", true)), 409, null);
    assertProblem(
        app.patch(
            "/v1/staff/" + self,
            admin,
            new JsonObject().put("roles", new JsonArray().add("editor"))),
        409,
        null);
    // still an admin, still signed in
    assertThat(app.get("/v1/staff", admin).statusCode()).isEqualTo(200);

    // with a second admin, the first may step down, and the second may restore them
    String second = unique("second.admin");
    create(admin, second, "admin");
    var stepDown =
        app.patch(
            "/v1/staff/" + self,
            admin,
            new JsonObject().put("roles", new JsonArray().add("editor")));
    assertThat(stepDown.statusCode()).isEqualTo(200);
    assertProblem(app.get("/v1/staff", admin), 401, null);
    String secondToken = tokenOf(signIn(newAddress(), second, PASSWORD));
    var restored =
        app.patch(
            "/v1/staff/" + self,
            secondToken,
            new JsonObject().put("roles", new JsonArray().add("admin")));
    assertThat(restored.statusCode()).isEqualTo(200);
    app.clock.advance(Duration.ofSeconds(1));
    assertThat(app.get("/v1/staff", adminToken()).statusCode()).isEqualTo(200);
  }
}
