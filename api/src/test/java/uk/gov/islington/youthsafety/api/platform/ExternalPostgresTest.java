package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * The service on an external PostgreSQL, the way production runs it: {@code DATABASE_URL} set, keys
 * from files, migrations from scratch by the service itself (not the test template), and a restart
 * that migrates nothing twice.
 *
 * <p>Runs when {@code EXTERNAL_DATABASE_URL} names a server (whose user may CREATE DATABASE), e.g.
 * {@code postgresql://postgres:secret@127.0.0.1:5432/postgres}; only this class then uses that
 * server. When the whole suite runs with {@code DATABASE_URL}, this class uses that server too.
 * Otherwise it is skipped. It works in a database of its own, dropped afterwards.
 */
@EnabledIf("serverConfigured")
class ExternalPostgresTest {

  static final String ADMIN = "external.admin";
  static final String ADMIN_PASSWORD = "external admin passphrase";

  static URI server;
  static String database;
  static Path dataDir;
  static Vertx vertx;
  static WebClient client;

  static String serverUrl() {
    for (String name : new String[] {"EXTERNAL_DATABASE_URL", "DATABASE_URL"}) {
      String v = System.getenv(name);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  static boolean serverConfigured() {
    return serverUrl() != null;
  }

  @BeforeAll
  static void createDatabase() throws Exception {
    server = URI.create(serverUrl().replaceFirst("^postgres(ql)?://", "postgresql://"));
    database = "ys_external_" + ProcessHandle.current().pid();
    admin("DROP DATABASE IF EXISTS " + database);
    admin("CREATE DATABASE " + database);
    dataDir = Files.createTempDirectory("ys-external");
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  static void admin(String sql) throws Exception {
    String[] user =
        server.getUserInfo() == null
            ? new String[] {"postgres", ""}
            : server.getUserInfo().split(":", 2);
    String jdbc =
        "jdbc:postgresql://"
            + server.getHost()
            + ":"
            + (server.getPort() < 0 ? 5432 : server.getPort())
            + server.getPath();
    try (Connection c = DriverManager.getConnection(jdbc, user[0], user.length > 1 ? user[1] : "");
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static Config config(boolean withKey) throws Exception {
    String url =
        server.getScheme()
            + "://"
            + (server.getRawUserInfo() == null ? "" : server.getRawUserInfo() + "@")
            + server.getHost()
            + (server.getPort() < 0 ? "" : ":" + server.getPort())
            + "/"
            + database
            + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
    Map<String, String> env = TestApp.settings(url, dataDir);
    env.put("ADMIN_USERNAME", ADMIN);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    if (!withKey) {
      env.remove("JWT_SIGNING_KEY");
    }
    return Config.of(env);
  }

  static HttpResponse<Buffer> call(
      App app, String method, String uri, String token, JsonObject body) throws Exception {
    return AppCalls.call(client, app, method, uri, token, body);
  }

  static Row one(App app, String sql) throws Exception {
    return app.context().pool().query(sql).execute().await(30, TimeUnit.SECONDS).iterator().next();
  }

  @Test
  void runsOnTheConfiguredServerMigratingItFromScratchAndRestartsWithoutRemigrating()
      throws Exception {
    String token;
    try (App app = App.start(config(true), Clock.systemUTC())) {
      assertThat(app.context().embedded()).isFalse();
      Row where =
          one(
              app,
              "SELECT current_database(), current_setting('server_version_num')::int, "
                  + "(SELECT count(*) FROM content.flyway_schema_history WHERE success) AS content_migrations, "
                  + "(SELECT count(*) FROM notifications.flyway_schema_history WHERE success) AS notification_migrations");
      assertThat(where.getString(0)).isEqualTo(database);
      System.out.printf(
          "external PostgreSQL %d at %s:%d%n",
          where.getInteger(1), server.getHost(), server.getPort());
      assertThat(where.getInteger(1)).isGreaterThanOrEqualTo(140000);
      assertThat(where.getLong("content_migrations")).isPositive();
      assertThat(where.getLong("notification_migrations")).isPositive();

      assertThat(call(app, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
      assertThat(
              call(app, "GET", "/v1/support-services?category=emergency", null, null)
                  .bodyAsJsonObject()
                  .getJsonArray("items"))
          .isNotEmpty();
      var signIn =
          call(
              app,
              "POST",
              "/v1/auth/token",
              null,
              new JsonObject().put("username", ADMIN).put("password", ADMIN_PASSWORD));
      assertThat(signIn.statusCode()).isEqualTo(200);
      token = signIn.bodyAsJsonObject().getString("accessToken");
      assertThat(
              call(
                      app,
                      "POST",
                      "/v1/staff",
                      token,
                      new JsonObject()
                          .put("username", "external.editor")
                          .put("password", "external editor passphrase")
                          .put("roles", new JsonArray().add("editor")))
                  .statusCode())
          .isEqualTo(201);
    }

    try (App app = App.start(config(true), Clock.systemUTC())) {
      Row history =
          one(
              app,
              "SELECT (SELECT count(*) FROM content.flyway_schema_history) "
                  + "+ (SELECT count(*) FROM notifications.flyway_schema_history)");
      Row again = one(app, "SELECT count(*) FROM content.staff");
      assertThat(again.getLong(0)).isEqualTo(2);
      var staff = call(app, "GET", "/v1/staff", token, null);
      assertThat(staff.statusCode()).isEqualTo(200);
      assertThat(history.getLong(0)).isPositive();
    }
  }

  @Test
  void refusesToStartWithoutASigningKey() throws Exception {
    Config withoutKey = config(false);
    // several instances must share one key; generating one per instance would split them
    assertThatThrownBy(() -> App.start(withoutKey, Clock.systemUTC()))
        .hasMessageContaining("JWT_SIGNING_KEY is required");
  }
}
