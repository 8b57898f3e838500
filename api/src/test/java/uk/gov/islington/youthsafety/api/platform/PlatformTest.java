package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The platform edge: rate limits, the access log, metrics, caching headers and the documentation.
 */
@WithTestApp({"TRUSTED_PROXIES=127.0.0.1/32,::1/128", "TRUSTED_PROXY_HOPS=1"})
class PlatformTest {

  static TestApp app;

  @Test
  void registerDeviceIsRateLimitedPerClientAddressWithRetryAfter() {
    // x-rate-limit of registerDevice: capacity 20; TRUSTED_PROXIES (the test client is the proxy)
    // makes X-Forwarded-For the key
    String address = "192.0.2.10";
    for (int i = 0; i < 20; i++) {
      var r =
          app.send(
              app.http().post("/v1/devices").putHeader("X-Forwarded-For", address),
              null,
              new JsonObject());
      assertThat(r.statusCode()).isEqualTo(201);
      // the budget left, announced on every answer (capacity 20, refilled at 10 a minute: 120 s to
      // fill)
      assertThat(r.getHeader("RateLimit-Policy")).isEqualTo("\"registerDevice\";q=20;w=120");
      assertThat(r.getHeader("RateLimit")).startsWith("\"registerDevice\";r=" + (19 - i) + ";t=");
    }
    var limited =
        app.send(
            app.http().post("/v1/devices").putHeader("X-Forwarded-For", address),
            null,
            new JsonObject());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.getHeader("RateLimit"))
        .isEqualTo("\"registerDevice\";r=0;t=" + limited.getHeader("Retry-After"));
    assertThat(limited.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:too-many-requests");

    // a proxy that appends its entry as a header line of its own (HAProxy's option forwardfor): the
    // line the client wrote itself does not make it someone else
    var ownLine =
        app.send(
            app.http()
                .post("/v1/devices")
                .putHeader("X-Forwarded-For", java.util.List.of("192.0.2.77", address)),
            null,
            new JsonObject());
    assertThat(ownLine.statusCode()).isEqualTo(429);

    // another client (the entry our trusted proxy appended differs; what the client wrote is
    // ignored)
    var other =
        app.send(
            app.http().post("/v1/devices").putHeader("X-Forwarded-For", address + ", 192.0.2.11"),
            null,
            new JsonObject());
    assertThat(other.statusCode()).isEqualTo(201);
  }

  @Test
  void noAnswerAllowsCrossOriginReads() {
    // the callers are the native app and our own pages: another site's script gets nothing
    var simple =
        app.send(
            app.http().get("/v1/support-services").putHeader("Origin", "https://elsewhere.example"),
            null,
            null);
    assertThat(simple.statusCode()).isEqualTo(200);
    assertThat(simple.headers().names())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

    var preflight =
        app.send(
            app.http()
                .request(io.vertx.core.http.HttpMethod.OPTIONS, "/v1/reports")
                .putHeader("Origin", "https://elsewhere.example")
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "content-type,idempotency-key"),
            null,
            null);
    assertThat(preflight.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(preflight.headers().names())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void rotatingAddressesWithinOneIpv6Slash64CountsAsOneClient() {
    int limited = 0;
    for (int i = 0; i < 40; i++) {
      var r =
          app.send(
              app.http()
                  .post("/v1/devices")
                  .putHeader("X-Forwarded-For", "2001:db8:40:1::" + Integer.toHexString(i + 1)),
              null,
              new JsonObject());
      assertThat(r.statusCode()).isIn(201, 429);
      limited += r.statusCode() == 429 ? 1 : 0;
    }
    // capacity 20, refilled at 10 a minute: the calls take far less than a minute
    assertThat(limited).isBetween(15, 20);
  }

  @Test
  void accessLogLinesCarryNoAddressUserAgentQueryNorBody() {
    Logger access = (Logger) LoggerFactory.getLogger("access");
    Level before = access.getLevel();
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    access.setLevel(Level.INFO);
    try {
      app.send(
          app.http()
              .get("/v1/support-services?category=emergency&age=15")
              .putHeader("User-Agent", "SecretAgent/7.0")
              .putHeader("X-Forwarded-For", "192.0.2.99")
              .putHeader("Referer", "https://example.org/secret-referrer"),
          null,
          null);
      app.send(
          app.http().post("/v1/auth/token").putHeader("User-Agent", "SecretAgent/7.0"),
          null,
          new JsonObject()
              .put("username", "body.secret.user")
              .put("password", "body secret password"));
      app.get("/v1/nothing-here?q=query-secret", app.deviceToken("14-17"));
    } finally {
      access.detachAppender(lines);
      access.setLevel(before);
    }
    assertThat(lines.list).hasSize(3);
    assertThat(lines.list.get(0).getFormattedMessage()).startsWith("GET listSupportServices 200 ");
    assertThat(lines.list.get(1).getFormattedMessage()).startsWith("POST issueStaffToken 401 ");
    assertThat(lines.list.get(2).getFormattedMessage()).startsWith("GET (unmatched) 404 ");
    for (ILoggingEvent line : lines.list) {
      assertThat(line.getFormattedMessage())
          .doesNotContain("127.0.0.1")
          .doesNotContain("192.0.2.99")
          .doesNotContain("SecretAgent")
          .doesNotContain("emergency")
          .doesNotContain("age=")
          .doesNotContain("?")
          .doesNotContain("secret")
          .doesNotContain("support-services")
          .doesNotContain("nothing-here")
          .doesNotContain("eyJ")
          .matches("[A-Z]+ \\S+ \\d{3} \\d+ms id=[0-9a-f]{16,36}");
      assertThat(line.getMDCPropertyMap()).isEmpty();
      assertThat(line.getArgumentArray())
          .allSatisfy(a -> assertThat(String.valueOf(a)).doesNotContain("192.0.2"));
    }
  }

  @Test
  void aStartLogsNoLibraryWarningsAndItsOwnMetrics() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    root.addAppender(lines);
    try (TestApp another = TestApp.start()) {
      // several pool connections at once (each registers the SQL client meters again)
      List<Future<?>> sleeps = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sleeps.add(another.pool().query("SELECT pg_sleep(0.05)").execute());
      }
      another.await(Future.all(sleeps));
      // every SQL client reports under its own name once it has run a statement (the LISTEN
      // connections connect after the start): wait for all, so that a clash would have warned
      Set<String> clients =
          Set.of(
              "pool",
              "outbox-listener",
              "events-listener",
              "havens-listener",
              "support-listener",
              "staff-revocations-listener",
              "triage-events-listener",
              "bulletin-delivery-events-listener",
              "database-watch");
      String metrics = "";
      for (int i = 0; i < 100 && !sqlClients(metrics).containsAll(clients); i++) {
        Thread.sleep(100);
        metrics = another.metrics();
      }
      assertThat(metrics)
          .contains("vertx_pool_in_use")
          .doesNotContain(
              "vertx_net_client", "vertx_sql_processing_pending", "vertx_http_server_active_");
      assertThat(sqlClients(metrics)).containsExactlyInAnyOrderElementsOf(clients);
    } finally {
      root.detachAppender(lines);
    }
    // our own warnings name a setting to change (TestApp leaves several unset); a library's would
    // be noise
    assertThat(
            lines.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()))
        .allMatch(
            line -> line.startsWith("uk.gov.islington.youthsafety."),
            "a warning of this service's own");
  }

  private static final Pattern SQL_CLIENT =
      Pattern.compile("vertx_sql_processing_time_seconds_count\\{client_namespace=\"([^\"]*)\"");

  /**
   * The names of the SQL clients in a metrics text (the client_namespace label of their series).
   */
  private static Set<String> sqlClients(String metrics) {
    Set<String> out = new HashSet<>();
    Matcher m = SQL_CLIENT.matcher(metrics);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void metricsArePrometheusTextOnTheManagementPortOnlyWithNoAddresses() {
    app.get("/health/live", null);
    app.get("/v1/support-services?category=emergency", null);
    app.patch(
        "/v1/staff/some-staff-id", app.staffToken("admin"), new JsonObject().put("disabled", true));
    var r = app.await(app.http().get(app.app().managementPort(), "localhost", "/metrics").send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    String body = r.bodyAsString();
    // the public port has no /metrics
    var onPublicPort = app.get("/metrics", null);
    assertThat(onPublicPort.statusCode()).isEqualTo(404);
    assertThat(onPublicPort.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(onPublicPort.bodyAsString()).doesNotContain("jvm_");
    assertThat(body)
        .contains("# TYPE vertx_http_server_requests_total counter")
        .contains("vertx_http_server_response_time_seconds")
        .contains("jvm_memory_used_bytes")
        .contains("vertx_pool_in_use")
        .doesNotContain("127.0.0.1")
        .doesNotContain("192.0.2");
    // latency per operation, labelled with the path template: no ids, no query strings
    assertThat(body)
        .contains("route=\"/v1/support-services\"")
        .contains("route=\"/v1/staff/:staffId\"")
        .doesNotContain("some-staff-id")
        .doesNotContain("emergency");
  }

  @Test
  void authenticatedAnswersAreNeverCachedAndPublicOnesSaySo() {
    String token = app.staffToken("admin");
    var secured = app.get("/v1/staff", token);
    assertThat(secured.statusCode()).isEqualTo(200);
    assertThat(secured.getHeader("Cache-Control")).isEqualTo("no-store");
    var refused = app.get("/v1/staff", null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(refused.getHeader("WWW-Authenticate")).startsWith("Bearer");
    var forbidden = app.get("/v1/staff", app.deviceToken(null));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.getHeader("Cache-Control")).isEqualTo("no-store");
    var device =
        app.send(
            app.http().post("/v1/devices").putHeader("X-Forwarded-For", "192.0.2.50"),
            null,
            new JsonObject().put("ageBand", "10-13"));
    assertThat(device.statusCode()).isEqualTo(201);
    assertThat(device.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(device.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void theContractIsServedAsWritten() throws Exception {
    var r = app.get("/openapi.yaml", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/yaml");
    assertThat(r.bodyAsString())
        .isEqualTo(Files.readString(Path.of("..", "openapi.yaml"), StandardCharsets.UTF_8));
  }

  @Test
  void interactiveDocumentationIsServedFromTheJar() {
    var page = app.get("/docs", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString())
        .contains("swagger-ui")
        .contains("/openapi.yaml")
        .doesNotContain("https://");
    var bundle = app.get("/docs/swagger-ui-bundle.js", null);
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.getHeader("Content-Type")).startsWith("text/javascript");
    assertThat(bundle.body().length()).isGreaterThan(100_000);
    assertThat(app.get("/docs/swagger-ui.css", null).statusCode()).isEqualTo(200);
    var missing = app.get("/docs/nothing.js", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }
}
