package uk.gov.islington.youthsafety.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.auth.KeyRing;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * The real service for a test class: its own fresh database on the test PostgreSQL, the same {@link
 * App} that Main starts, on a random port, with a clock the test controls. Calls are blocking
 * ({@link #await}) so tests read top to bottom.
 *
 * <p>A test class usually gets one through {@link WithTestApp}; {@link #start} is for tests that
 * start several (instances on one database, restarts).
 */
public final class TestApp implements AutoCloseable {

  /**
   * Cheap password hashing, for tests that sign staff in: it keeps them fast (the defaults are
   * covered in content and EmbeddedDefaultTest). Settings for {@link WithTestApp}.
   */
  public static final String CHEAP_HASH_MEMORY = "PASSWORD_HASH_MEMORY_KIB=1024";

  public static final String CHEAP_HASH_ITERATIONS = "PASSWORD_HASH_ITERATIONS=1";

  /** The password of the accounts {@link #newStaff} makes. */
  public static final String STAFF_PASSWORD = "a long staff passphrase";

  public final MutableClock clock;
  private final TestDatabase database;
  private final App app;
  private final WebClient client;
  private final Path dataDir;

  private TestApp(MutableClock clock, TestDatabase database, App app, Path dataDir) {
    this.clock = clock;
    this.database = database;
    this.app = app;
    this.dataDir = dataDir;
    this.client =
        WebClient.create(
            app.context().vertx(),
            new WebClientOptions()
                .setDefaultHost("localhost")
                .setDefaultPort(app.port())
                .setKeepAlive(true));
  }

  public static TestApp start() throws Exception {
    return start(Map.of());
  }

  /** Starts with extra environment settings (e.g. SMTP_PORT for a GreenMail server). */
  public static TestApp start(Map<String, String> env) throws Exception {
    return start(env, MutableClock.startingNow());
  }

  public static TestApp start(Map<String, String> env, MutableClock clock) throws Exception {
    TestDatabase db = TestPostgres.freshDatabase("notifications", "content");
    Path dataDir = Files.createTempDirectory("youth-safety-test");
    return startOn(db, dataDir, env, clock);
  }

  /**
   * Stops this service as a deploy or crash would (its database and data folder stay) and starts a
   * new one on them, e.g. with {@code SMTP_PORT} of a mail server that is up now. Use the returned
   * TestApp from then on; this one is finished.
   */
  public TestApp restart(Map<String, String> env) throws Exception {
    client.close();
    app.close();
    return startOn(database, dataDir, env, clock);
  }

  private static TestApp startOn(
      TestDatabase db, Path dataDir, Map<String, String> env, MutableClock clock) throws Exception {
    Map<String, String> settings = settings(db.runtimeUrl(), dataDir);
    // as production runs: migrations as the owner, the service as an ordinary role
    if (!db.runtimeUser().equals(db.user())) {
      settings.put("DATABASE_MIGRATION_URL", db.url());
    }
    settings.putAll(env);
    App app = App.start(Config.of(settings), clock);
    return new TestApp(clock, db, app, dataDir);
  }

  /**
   * Another instance of the service on this test's database, with the same keys and clock, as a
   * second instance behind a load balancer would be. The caller closes it.
   */
  public App startAnotherInstance(Map<String, String> env) throws Exception {
    Map<String, String> settings = settings(database.url(), dataDir);
    settings.putAll(env);
    return App.start(Config.of(settings), clock);
  }

  /**
   * Another instance (as {@link #startAnotherInstance}) that only serves requests: a pool of 4 and
   * no outbox dispatcher, with {@code env} added.
   */
  public App startServingInstance(Map<String, String> env) throws Exception {
    Map<String, String> settings = new HashMap<>(env);
    settings.put("DB_POOL_SIZE", "4");
    settings.put("OUTBOX_DISPATCHER", "false");
    return startAnotherInstance(settings);
  }

  /**
   * Everything the service needs to start on {@code databaseUrl} the way production does (keys
   * generated into {@code dataDir}, shared by every instance started with the same directory), for
   * tests that start {@link App} themselves. Add here what a new feature requires.
   */
  public static Map<String, String> settings(String databaseUrl, Path dataDir) throws Exception {
    Path key = dataDir.resolve("keys/jwt-signing.pem");
    KeyRing.generateIfMissing(key);
    Path reportKeys = dataDir.resolve("keys/report-keys.properties");
    ReportKeys.generateIfMissing(reportKeys);
    Map<String, String> settings = new HashMap<>();
    settings.put("DATABASE_URL", databaseUrl);
    settings.put("PORT", "0");
    settings.put("MANAGEMENT_PORT", "0");
    settings.put("HOST", "127.0.0.1");
    settings.put("DATA_DIR", dataDir.toString());
    settings.put("JWT_SIGNING_KEY", key.toString());
    settings.put("HTTP_INSTANCES", "1");
    settings.put("DB_POOL_SIZE", "8");
    settings.put("OUTBOX_POLL_INTERVAL", "200ms");
    // no load balancer to wait for (GracefulShutdownTest sets its own)
    settings.put("SHUTDOWN_DRAIN", "0s");
    settings.put("REPORT_KEYS_FILE", reportKeys.toString());
    // links in e-mails and feeds: production must name its public address
    settings.put("PUBLIC_BASE_URL", "https://youth-safety.example.test");
    // report e-mails go to the local sink unless a test sets SMTP_HOST and
    // REPORT_EMAIL_TRANSPORT=smtp
    settings.put("REPORT_EMAIL_TRANSPORT", "local-sink");
    // the test machine is shared and often overloaded: a new PostgreSQL connection can take
    // seconds, which must not fail a test (FailFastTest sets its own, short timeouts)
    settings.put("DB_ACQUIRE_TIMEOUT", "15s");
    settings.put("DB_CONNECT_TIMEOUT", "15s");
    return settings;
  }

  public App app() {
    return app;
  }

  public WebClient http() {
    return client;
  }

  public Pool pool() {
    return app.context().pool();
  }

  public TestDatabase database() {
    return database;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A valid staff token with these roles, issued by the service's own key. */
  public String staffToken(String... roles) {
    return app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of(roles)).token();
  }

  /** A valid device token with this age band (null for none). */
  public String deviceToken(String ageBand) {
    return app.context().tokens().issueDevice(ageBand).token();
  }

  /**
   * A new staff account with these roles and {@link #STAFF_PASSWORD}, made through the JSON API;
   * answers the account as the API does (id, username, roles).
   */
  public JsonObject newStaff(String... roles) {
    HttpResponse<Buffer> r =
        post(
            "/v1/staff",
            staffToken("admin"),
            new JsonObject()
                .put("username", "staff." + UUID.randomUUID().toString().substring(0, 8))
                .put("password", STAFF_PASSWORD)
                .put("roles", new JsonArray(List.of(roles))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  /** The id of the staff account with this username. */
  public String staffId(String username) {
    return sql("SELECT id FROM content.staff WHERE username = $1", username).get(0).getString("id");
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }

  public <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- HTTP shortcuts

  /** The Prometheus text from the management port. */
  public String metrics() {
    HttpResponse<Buffer> r =
        await(client.get(app.managementPort(), "localhost", "/metrics").send());
    if (r.statusCode() != 200) {
      throw new AssertionError("metrics answered " + r.statusCode());
    }
    return r.bodyAsString();
  }

  public HttpResponse<Buffer> get(String uri, String token) {
    return send(client.get(uri), token, null);
  }

  public HttpResponse<Buffer> post(String uri, String token, JsonObject body) {
    return send(client.post(uri), token, body);
  }

  public HttpResponse<Buffer> put(String uri, String token, JsonObject body) {
    return send(client.put(uri), token, body);
  }

  public HttpResponse<Buffer> patch(String uri, String token, JsonObject body) {
    return send(client.patch(uri), token, body);
  }

  public HttpResponse<Buffer> delete(String uri, String token) {
    return send(client.delete(uri), token, null);
  }

  public HttpResponse<Buffer> send(HttpRequest<Buffer> request, String token, JsonObject body) {
    if (token != null) {
      request.putHeader("Authorization", bearer(token));
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  // ---- SQL shortcuts for assertions about what is (not) stored

  public List<Row> sql(String sql, Object... params) {
    RowSet<Row> rows = await(pool().preparedQuery(sql).execute(Tuple.from(params)));
    List<Row> out = new ArrayList<>();
    rows.forEach(out::add);
    return out;
  }

  /** Every text-ish value in every table of our schemas, for "this never got stored" assertions. */
  public String dumpAllTables() {
    StringBuilder sb = new StringBuilder();
    for (Row t :
        sql(
            "SELECT table_schema, table_name FROM information_schema.tables "
                + "WHERE table_schema IN ('content','notifications') AND table_type = 'BASE TABLE'")) {
      String table = t.getString(0) + "." + t.getString(1);
      for (Row r : sql("SELECT t::text FROM " + table + " t")) {
        sb.append(table).append(' ').append(r.getString(0)).append('\n');
      }
    }
    return sb.toString();
  }

  public void setNow(Instant instant) {
    clock.set(instant);
  }

  @Override
  public void close() throws Exception {
    client.close();
    app.close();
    TestPostgres.drop(database);
  }
}
