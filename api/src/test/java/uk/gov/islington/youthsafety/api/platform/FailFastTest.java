package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * PostgreSQL goes away under a running service: requests that need it answer 503 problem+json
 * promptly (the bounded pool and connect timeout, not a hang), readiness says DOWN so a load
 * balancer stops sending traffic, sign-in answers 503 rather than "wrong password", and when
 * PostgreSQL is back the same process recovers by itself. Uses a throwaway PostgreSQL of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailFastTest {

  static Path pgData;
  static int pgPort;
  static EmbeddedPostgres pg;
  static App app;
  static io.vertx.ext.web.client.WebClient client;

  @BeforeAll
  static void start() throws Exception {
    pgData = Files.createTempDirectory("ys-failfast-pg");
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    pg = startPostgres();
    Map<String, String> env =
        TestApp.settings(
            "postgresql://postgres:postgres@localhost:" + pgPort + "/postgres",
            Files.createTempDirectory("ys-failfast"));
    env.put("DB_ACQUIRE_TIMEOUT", "2s");
    env.put("DB_CONNECT_TIMEOUT", "2s");
    env.put("REQUEST_TIMEOUT", "3s");
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    env.put("ADMIN_USERNAME", "failfast.admin");
    env.put("ADMIN_PASSWORD", "fail fast passphrase");
    app = App.start(Config.of(env), Clock.systemUTC());
    client =
        io.vertx.ext.web.client.WebClient.create(
            app.context().vertx(),
            new io.vertx.ext.web.client.WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(app.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    app.close();
    pg.close();
    EmbeddedDefaultTest.deleteRecursively(pgData); // about 40 MB
  }

  static EmbeddedPostgres startPostgres() throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setPort(pgPort)
        .start();
  }

  /** The request timeout only guards against a hang; the elapsed time is printed, not asserted. */
  static HttpResponse<Buffer> send(String label, HttpRequest<Buffer> request, JsonObject body)
      throws Exception {
    long started = System.nanoTime();
    request.timeout(20_000);
    HttpResponse<Buffer> r =
        (body == null ? request.send() : request.sendJsonObject(body)).await(30, TimeUnit.SECONDS);
    System.out.printf(
        "%s -> %d in %d ms%n", label, r.statusCode(), (System.nanoTime() - started) / 1_000_000);
    return r;
  }

  static void assertUnavailable(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.getHeader("Retry-After")).isNotNull();
    assertThat(r.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:unavailable");
  }

  @Test
  @Order(1)
  void postgresqlDownMeans503AndReadinessDownThenRecoveryWithoutARestart() throws Exception {
    JsonObject credentials =
        new JsonObject().put("username", "failfast.admin").put("password", "fail fast passphrase");
    assertThat(send("ready, PostgreSQL up", client.get("/health/ready"), null).statusCode())
        .isEqualTo(200);
    assertThat(
            send("consultations, PostgreSQL up", client.get("/v1/consultations"), null)
                .statusCode())
        .isEqualTo(200);

    pg.close();

    assertUnavailable(
        send("consultations, PostgreSQL down", client.get("/v1/consultations"), null));
    assertUnavailable(send("sign-in, PostgreSQL down", client.post("/v1/auth/token"), credentials));
    assertUnavailable(
        send(
            "staff list, PostgreSQL down",
            client
                .get("/v1/staff")
                .putHeader(
                    "Authorization",
                    TestApp.bearer(
                        app.context().tokens().issueStaff("someone", List.of("admin")).token())),
            null));
    // the console answers with a page, not JSON and not a stack trace
    var page =
        send(
            "console, PostgreSQL down",
            client.get("/console").putHeader("Cookie", "__Host-ys-console=" + "a".repeat(43)),
            null);
    assertThat(page.statusCode()).isEqualTo(503);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("<title>Error: Sorry, the console is unavailable");
    var ready = send("ready, PostgreSQL down", client.get("/health/ready"), null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    // what needs no database keeps working, the support directory too (served from memory)
    assertThat(send("live, PostgreSQL down", client.get("/health/live"), null).statusCode())
        .isEqualTo(200);
    assertThat(
            send("directory, PostgreSQL down", client.get("/v1/support-services"), null)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send("register device, PostgreSQL down", client.post("/v1/devices"), new JsonObject())
                .statusCode())
        .isEqualTo(201);

    pg = startPostgres();

    assertThat(send("ready, PostgreSQL back", client.get("/health/ready"), null).statusCode())
        .isEqualTo(200);
    assertThat(
            send("consultations, PostgreSQL back", client.get("/v1/consultations"), null)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send("sign-in, PostgreSQL back", client.post("/v1/auth/token"), credentials)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  @Order(2)
  void aPostgresqlThatStopsAnsweringMeans503AtTheRequestDeadlineNotAHang() throws Exception {
    assertThat(
            send("consultations, before freezing", client.get("/v1/consultations"), null)
                .statusCode())
        .isEqualTo(200);
    // SIGSTOP the server and its backends: connections stay open, nothing answers
    long postmaster =
        Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster);
    signal("STOP", pids);
    // a backend forked just before the postmaster stopped would still answer: stop every child,
    // until no new one appears
    for (boolean more = true; more; ) {
      List<Long> children =
          ProcessHandle.of(postmaster)
              .orElseThrow()
              .descendants()
              .map(ProcessHandle::pid)
              .filter(pid -> !pids.contains(pid))
              .toList();
      more = !children.isEmpty();
      if (more) {
        signal("STOP", children);
        pids.addAll(children);
      }
    }
    try {
      assertUnavailable(
          send("consultations, PostgreSQL frozen", client.get("/v1/consultations"), null));
      assertThat(send("ready, PostgreSQL frozen", client.get("/health/ready"), null).statusCode())
          .isEqualTo(503);
    } finally {
      signal("CONT", pids);
    }
    assertThat(
            send("consultations, PostgreSQL thawed", client.get("/v1/consultations"), null)
                .statusCode())
        .isEqualTo(200);
  }

  static void signal(String name, List<Long> pids) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", "-" + name));
    pids.forEach(p -> command.add(Long.toString(p)));
    assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
  }
}
