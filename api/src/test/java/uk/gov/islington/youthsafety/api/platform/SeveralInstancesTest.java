package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * Two instances started at the same moment on one EMPTY database with the same settings, as a
 * deploy behind a load balancer does: both migrate (Flyway's lock lets one do it), exactly one
 * first admin is created, a token from one is accepted by the other, and disabling an account on
 * one ends its tokens on the other (LISTEN/NOTIFY).
 */
class SeveralInstancesTest {

  static TestDatabase database;
  static App a;
  static App b;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void startTwoAtOnce() throws Exception {
    database = TestPostgres.freshDatabase(); // no schema at all: the instances migrate it
    // one directory: both instances share its keys, as instances behind a load balancer must
    Map<String, String> env =
        TestApp.settings(database.url(), Files.createTempDirectory("ys-instances"));
    env.put("DB_POOL_SIZE", "4");
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    // no periodic refresh within the test: only NOTIFY can tell the other instance
    env.put("STAFF_REVOCATION_REFRESH", "1h");
    env.put("ADMIN_USERNAME", "shared.admin");
    env.put("ADMIN_PASSWORD", "shared admin passphrase");
    ExecutorService starters = Executors.newFixedThreadPool(2);
    try {
      Future<App> first = starters.submit(() -> App.start(Config.of(env), Clock.systemUTC()));
      Future<App> second = starters.submit(() -> App.start(Config.of(env), Clock.systemUTC()));
      a = first.get(180, TimeUnit.SECONDS);
      b = second.get(180, TimeUnit.SECONDS);
    } finally {
      starters.shutdown();
    }
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    for (App app : new App[] {a, b}) {
      if (app != null) {
        app.close();
      }
    }
    TestPostgres.drop(database);
  }

  static HttpResponse<Buffer> call(
      App app, String method, String uri, String token, JsonObject body) throws Exception {
    return AppCalls.call(client, app, method, uri, token, body);
  }

  static String signIn(App app, String username, String password) throws Exception {
    var r =
        call(
            app,
            "POST",
            "/v1/auth/token",
            null,
            new JsonObject().put("username", username).put("password", password));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("accessToken");
  }

  @Test
  void bothMigratedOneAdminWasCreatedAndTokensAndRevocationsAreShared() throws Exception {
    var rows =
        a.context()
            .pool()
            .query(
                "SELECT "
                    + "(SELECT count(*) FROM content.staff) AS staff, "
                    + "(SELECT count(*) FROM content.flyway_schema_history WHERE version IS NOT NULL) AS content_versions, "
                    + "(SELECT count(DISTINCT version) FROM content.flyway_schema_history WHERE version IS NOT NULL) AS distinct_versions")
            .execute()
            .await(30, TimeUnit.SECONDS)
            .iterator()
            .next();
    assertThat(rows.getLong("staff")).isEqualTo(1);
    assertThat(rows.getLong("content_versions"))
        .isPositive()
        .isEqualTo(rows.getLong("distinct_versions"));

    String adminOnA = signIn(a, "shared.admin", "shared admin passphrase");
    assertThat(call(b, "GET", "/v1/staff", adminOnA, null).statusCode()).isEqualTo(200);

    var created =
        call(
            b,
            "POST",
            "/v1/staff",
            adminOnA,
            new JsonObject()
                .put("username", "roaming.editor")
                .put("password", "roaming editor passphrase")
                .put("roles", new JsonArray(List.of("editor", "admin"))));
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    String tokenFromA = signIn(a, "roaming.editor", "roaming editor passphrase");
    assertThat(call(b, "GET", "/v1/staff", tokenFromA, null).statusCode()).isEqualTo(200);

    // disabled through B: A learns it through NOTIFY (polled here only as a guard against a hang)
    assertThat(
            call(b, "PATCH", "/v1/staff/" + id, adminOnA, new JsonObject().put("disabled", true))
                .statusCode())
        .isEqualTo(200);
    assertThat(call(b, "GET", "/v1/staff", tokenFromA, null).statusCode()).isEqualTo(401);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int onA;
    while ((onA = call(a, "GET", "/v1/staff", tokenFromA, null).statusCode()) != 401
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(onA).isEqualTo(401);
  }
}
