package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * The embedded default, as a new developer gets it: no DATABASE_URL, no keys, an empty DATA_DIR.
 * PostgreSQL is initialised under DATA_DIR/postgres with durable settings, keys are generated under
 * DATA_DIR/keys, and a restart on the same directory keeps the data and the keys. Then the real
 * Main runs in a child JVM on that directory and is sent SIGTERM with a request in flight: the
 * request completes, the process exits 0 and PostgreSQL is stopped cleanly. Slow by nature (initdb,
 * three starts), so everything lives in this one class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDefaultTest {

  static final String ADMIN = "embedded.admin";
  static final String ADMIN_PASSWORD = "embedded admin passphrase";

  static Path dataDir;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void setUp() throws IOException {
    dataDir = Files.createTempDirectory("ys-embedded-default");
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    deleteRecursively(dataDir); // an embedded PostgreSQL data directory is about 40 MB
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Config config() {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", dataDir.toString());
    env.put("PORT", "0");
    env.put("MANAGEMENT_PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("HTTP_INSTANCES", "1");
    env.put("ADMIN_USERNAME", ADMIN);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SHUTDOWN_DRAIN", "0s");
    env.put("DB_ACQUIRE_TIMEOUT", "15s");
    env.put("DB_CONNECT_TIMEOUT", "15s");
    return Config.of(env);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> post(int port, String uri, String token, JsonObject body)
      throws Exception {
    var request = client.post(port, "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.sendJsonObject(body));
  }

  static HttpResponse<Buffer> get(int port, String uri, String token) throws Exception {
    var request = client.get(port, "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.send());
  }

  static String signIn(int port, String username, String password) throws Exception {
    var r =
        post(
            port,
            "/v1/auth/token",
            null,
            new JsonObject().put("username", username).put("password", password));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("accessToken");
  }

  static String setting(App app, String name) throws Exception {
    Row row = await(app.context().pool().query("SHOW " + name).execute()).iterator().next();
    return row.getString(0);
  }

  static String adminToken;
  static String keysBefore;

  @Test
  @Order(1)
  void startsFromAnEmptyDataDirWithDurableSettingsAndGeneratedKeys() throws Exception {
    long started = System.nanoTime();
    try (App app = App.start(config(), Clock.systemUTC())) {
      System.out.printf(
          "embedded cold start (initdb + migrations + start): %d ms%n",
          (System.nanoTime() - started) / 1_000_000);
      assertThat(app.context().embedded()).isTrue();
      assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
      Path key = dataDir.resolve("keys/jwt-signing.pem");
      assertThat(Files.getPosixFilePermissions(key))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      keysBefore = Files.readString(key);
      assertThat(keysBefore)
          .contains("-----BEGIN PRIVATE KEY-----")
          .contains("-----BEGIN PUBLIC KEY-----");
      // a 2xx means committed, on the default too; and the trust-authenticated server is local only
      assertThat(setting(app, "fsync")).isEqualTo("on");
      assertThat(setting(app, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(app, "full_page_writes")).isEqualTo("on");
      assertThat(setting(app, "listen_addresses")).isIn("localhost", "127.0.0.1");
      assertThat(Integer.parseInt(setting(app, "server_version_num")))
          .isGreaterThanOrEqualTo(160000);
      // migrated as the owner, running as an ordinary role that may only append to the audit trail
      Row role =
          await(
                  app.context()
                      .pool()
                      .query(
                          "SELECT current_user, "
                              + "has_table_privilege('content.report_audit', 'INSERT') AS may_insert, "
                              + "has_table_privilege('content.report_audit', 'DELETE') AS may_delete, "
                              + "(SELECT tableowner FROM pg_tables WHERE schemaname = 'content' AND tablename = 'report_audit') AS owner")
                      .execute())
              .iterator()
              .next();
      assertThat(role.getString("current_user")).isEqualTo("youth_safety_app");
      assertThat(role.getBoolean("may_insert")).isTrue();
      assertThat(role.getBoolean("may_delete")).isFalse();
      assertThat(role.getString("owner")).isEqualTo("postgres");

      adminToken = signIn(app.port(), ADMIN, ADMIN_PASSWORD);
      var created =
          post(
              app.port(),
              "/v1/staff",
              adminToken,
              new JsonObject()
                  .put("username", "kept.member")
                  .put("password", "kept member passphrase")
                  .put("roles", new JsonArray().add("editor")));
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(get(app.port(), "/v1/support-services", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Order(2)
  void restartsOnTheSameDataDirWithDataAndKeysKept() throws Exception {
    long started = System.nanoTime();
    try (App app = App.start(config(), Clock.systemUTC())) {
      System.out.printf(
          "embedded warm start (existing DATA_DIR): %d ms%n",
          (System.nanoTime() - started) / 1_000_000);
      assertThat(Files.readString(dataDir.resolve("keys/jwt-signing.pem"))).isEqualTo(keysBefore);
      // a token from before the restart still verifies: same key
      var staff = get(app.port(), "/v1/staff", adminToken);
      assertThat(staff.statusCode()).isEqualTo(200);
      assertThat(
              staff.bodyAsJsonObject().getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("username")))
          .containsExactlyInAnyOrder(ADMIN, "kept.member");
      signIn(app.port(), "kept.member", "kept member passphrase");
    }
  }

  @Test
  @Order(3)
  void sigtermLetsTheRequestInFlightFinishThenStopsPostgres() throws Exception {
    int port = freePort();
    int pgPort = freePort();
    Path log = Path.of("target", "embedded-sigterm.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            "uk.gov.islington.youthsafety.api.Main");
    Map<String, String> env = pb.environment();
    for (String inherited : new String[] {"DATABASE_URL", "JWT_SIGNING_KEY", "JWT_VERIFY_KEYS"}) {
      env.remove(inherited);
    }
    env.put("DATA_DIR", dataDir.toString());
    env.put("PORT", Integer.toString(port));
    env.put("MANAGEMENT_PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("HTTP_INSTANCES", "1");
    env.put("EMBEDDED_PG_PORT", Integer.toString(pgPort));
    env.put("SHUTDOWN_GRACE", "60s");
    env.put("SHUTDOWN_DRAIN", "0s");
    env.put("DB_ACQUIRE_TIMEOUT", "15s");
    env.put("DB_CONNECT_TIMEOUT", "15s");
    Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      waitUntil(Duration.ofSeconds(120), () -> ready(port), process, log);
      try (Connection sql =
          DriverManager.getConnection(
              "jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "postgres")) {
        sql.setAutoCommit(false);
        try (Statement st = sql.createStatement()) {
          st.execute("LOCK TABLE content.consultations IN ACCESS EXCLUSIVE MODE");
        }
        // a request that waits for that lock: in flight until we let go (the support directory and
        // events answer from memory, consultations read PostgreSQL)
        Future<HttpResponse<Buffer>> inFlight =
            client.get(port, "127.0.0.1", "/v1/consultations").send();
        waitUntil(Duration.ofSeconds(60), () -> waitingOnLock(sql), process, log);

        process.destroy(); // SIGTERM
        waitUntil(Duration.ofSeconds(60), () -> !accepts(port), process, log);
        assertThat(inFlight.isComplete()).as("the request waits for the lock").isFalse();
        assertThat(process.isAlive()).as("the service waits for the request").isTrue();

        sql.commit();
        HttpResponse<Buffer> answer = await(inFlight);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.bodyAsJsonObject().getJsonArray("items")).isNotNull();
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
      assertThat(Files.readString(log))
          .contains("SIGTERM received")
          .contains("embedded PostgreSQL stopped")
          .doesNotContain(" ERROR ");
    } finally {
      process.destroyForcibly();
    }
  }

  static boolean ready(int port) {
    try {
      return client
              .get(port, "127.0.0.1", "/health/ready")
              .send()
              .await(5, TimeUnit.SECONDS)
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean waitingOnLock(Connection ignored) {
    try (Connection c =
            DriverManager.getConnection(ignored.getMetaData().getURL(), "postgres", "postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity "
                    + "WHERE application_name = 'youth-safety-api' AND wait_event_type = 'Lock'")) {
      return rs.next() && rs.getInt(1) > 0;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Polls until the condition holds; the deadline only guards against a hang, it is not a speed
   * check.
   */
  static void waitUntil(Duration deadline, BooleanSupplier condition, Process process, Path log)
      throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "condition not met within "
                + deadline
                + "; process alive="
                + process.isAlive()
                + "; log:\n"
                + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
