package uk.gov.islington.youthsafety.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.islington.youthsafety.api.auth.KeyRing;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.cluster.SteadyLoad.Outcome;

/**
 * The faults that come with several instances, on the scale-out bed ({@link ClusterBed}: Debian's
 * PostgreSQL, HAProxy, two instances in their own JVMs, local SMTP, the fake FCM), every request
 * through the balancer as a phone's would go. Skipped, saying why, where the bed cannot run (not
 * root, no Debian PostgreSQL or haproxy; .ci/run installs haproxy).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {

  static final int INSTANCES = 2;
  // Highbury Corner: a Safe Haven lookup, answered from memory
  static final String NEARBY = "/v1/havens/nearby?lat=51.5465&lon=-0.1058&openNow=true";

  static ClusterBed bed;
  static Vertx vertx;
  static WebClient client;
  static Tokens tokens;

  @BeforeAll
  static void startBed() throws Exception {
    String missing = ClusterBed.unavailable();
    assumeTrue(missing == null, () -> "scale-out bed skipped: " + missing);
    bed =
        ClusterBed.start(
            new ClusterBed.Options(
                INSTANCES,
                true,
                Map.ofEntries(
                    // a killed instance's claims come back after the lease: shorter than
                    // production's, so the test stays short, yet more than twice the batch deadline
                    // (40 s, kept: on a busy machine a shorter one cancels slow batches, whose
                    // accepted messages are then sent again)
                    Map.entry("OUTBOX_LEASE", "100s"),
                    Map.entry("FCM_READ_TIMEOUT", "10s"),
                    Map.entry("FCM_CONNECT_TIMEOUT", "2s"),
                    Map.entry("FCM_MAX_LIMITER_WAIT", "2s"),
                    // every test client is one address behind the balancer
                    Map.entry("REPORT_SUBMIT_RATE_CAPACITY", "1000"),
                    Map.entry("REPORT_CODE_LOOKUPS_PER_NETWORK_CAPACITY", "1000")),
                false));
    vertx = Vertx.vertx();
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(bed.balancerPort())
                .setKeepAlive(true)
                .setKeepAliveTimeout(ClusterBed.CLIENT_KEEP_ALIVE_SECONDS),
            new PoolOptions().setHttp1MaxSize(64));
    tokens =
        new Tokens(
            KeyRing.load(bed.keys().resolve("jwt-signing.pem"), List.of()),
            "youth-safety-api",
            "youth-safety-app",
            Duration.ofDays(1),
            Duration.ofMinutes(15),
            Clock.systemUTC());
  }

  @AfterAll
  static void stopBed() throws Exception {
    if (client != null) {
      client.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (bed != null) {
      bed.close();
    }
  }

  /** Each test starts with every instance up and in the balancer. */
  @BeforeEach
  void everyInstanceUp() throws Exception {
    for (ClusterBed.Instance instance : bed.instances()) {
      if (!instance.alive()) {
        instance.start();
      }
    }
    for (ClusterBed.Instance instance : bed.instances()) {
      instance.awaitReady(Duration.ofSeconds(120));
    }
    bed.awaitBalancerSees(INSTANCES, Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void aRollingRestartUnderSteadyLoadFailsNoRequest() throws Exception {
    List<Outcome> outcomes;
    try (SteadyLoad load =
        SteadyLoad.start(
            vertx,
            bed.balancerPort(),
            List.of("/v1/bulletins", "/v1/support-services?age=15", "/health/live"),
            100)) {
      Thread.sleep(1_000);
      for (ClusterBed.Instance instance : bed.instances()) {
        assertThat(instance.terminate(Duration.ofSeconds(60)))
            .as("exit code after SIGTERM")
            .isZero();
        instance.start();
        instance.awaitReady(Duration.ofSeconds(120));
        bed.awaitBalancerSees(INSTANCES, Duration.ofSeconds(30));
      }
      Thread.sleep(1_000);
      outcomes = load.stop();
    }
    assertThat(outcomes).hasSizeGreaterThan(500);
    assertThat(outcomes)
        .allSatisfy(o -> assertThat(o.status()).as(o.path() + " " + o.error()).isEqualTo(200));
    List<Long> took = outcomes.stream().map(Outcome::tookNanos).sorted().toList();
    System.out.printf(
        "cluster (d): rolling restart of %d instances, %d requests, all 200; p50 %.1f ms, p99 %.1f ms,"
            + " max %.1f ms%n",
        INSTANCES,
        outcomes.size(),
        percentile(took, 0.5),
        percentile(took, 0.99),
        percentile(took, 1.0));
  }

  @Test
  @Order(2)
  void postgresRestartedUnderLoadGivesFast503sAndEveryInstanceIsReadyWithinTenSeconds()
      throws Exception {
    List<Outcome> outcomes;
    long stopping;
    long stopped;
    long back;
    long allReady;
    try (SteadyLoad load =
        SteadyLoad.start(vertx, bed.balancerPort(), List.of("/v1/bulletins", NEARBY), 100)) {
      Thread.sleep(1_000);
      stopping = System.nanoTime();
      bed.stopPostgres();
      stopped = System.nanoTime();
      Thread.sleep(4_000);
      bed.startPostgresAgain();
      back = System.nanoTime();
      waitUntil(
          Duration.ofSeconds(60),
          () -> bed.instances().stream().allMatch(ClusterBed.Instance::ready));
      allReady = System.nanoTime();
      bed.awaitBalancerSees(INSTANCES, Duration.ofSeconds(30));
      Thread.sleep(1_000);
      outcomes = load.stop();
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(allReady - back))
        .as("ms until every instance is ready again")
        .isLessThanOrEqualTo(10_000);
    assertThat(outcomes)
        .allSatisfy(
            o -> {
              assertThat(o.error()).as("no hang, no broken connection").isNull();
              if (o.path().equals(NEARBY)) {
                assertThat(o.status()).as("Safe Havens are served from memory").isEqualTo(200);
              }
              assertThat(o.status()).isIn(200, 503);
              if (o.status() == 503) {
                assertThat(o.retryAfter()).isNotNull();
                assertThat(o.contentType()).startsWith("application/problem+json");
              }
            });
    List<Long> unavailable =
        outcomes.stream().filter(o -> o.status() == 503).map(Outcome::tookNanos).sorted().toList();
    assertThat(unavailable)
        .as("PostgreSQL was down for 4 s under 100 requests a second")
        .isNotEmpty();
    System.out.printf(
        "cluster (c): %d requests (half of them nearby havens, every one 200), %d answered 503; time to the 503 p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
            + " %d over 1 s; PostgreSQL's fast stop took %d ms; every instance ready %d ms after PostgreSQL was back%n",
        outcomes.size(),
        unavailable.size(),
        percentile(unavailable, 0.50),
        percentile(unavailable, 0.99),
        percentile(unavailable, 1.0),
        unavailable.stream().filter(n -> n > 1_000_000_000L).count(),
        TimeUnit.NANOSECONDS.toMillis(stopped - stopping),
        TimeUnit.NANOSECONDS.toMillis(allReady - back));
  }

  @Test
  @Order(3)
  void killedInTheMiddleOf300ReportsNoAcknowledgedReportIsLostOrStoredTwice() throws Exception {
    String body =
        new JsonObject()
            .put("categoryId", "grooming-or-exploitation")
            .put(
                "description",
                "A man waits outside the chicken shop after school and gives younger kids phones.")
            .put("immediateDanger", false)
            .put("area", "holloway")
            .put("happenedWhen", "past_week")
            .encode();
    long before = count("SELECT count(*) FROM content.reports");
    Map<String, String> receipts = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String key = UUID.randomUUID().toString();
      all.add(
          submit(key, body, 0, retries)
              .map(
                  receipt -> {
                    receipts.put(key, receipt);
                    answered.incrementAndGet();
                    return null;
                  }));
    }
    waitUntil(Duration.ofSeconds(120), () -> answered.get() >= 60);
    bed.instances().get(0).kill();
    Future.all(all).await(180, TimeUnit.SECONDS);

    assertThat(receipts).hasSize(300);
    assertThat(count("SELECT count(*) FROM content.reports") - before)
        .as("reports stored")
        .isEqualTo(300);
    for (String receipt : receipts.values()) {
      HttpResponse<Buffer> r =
          client
              .post("/v1/reports/status")
              .sendJsonObject(new JsonObject().put("receiptCode", receipt))
              .await(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    }
    System.out.printf(
        "cluster (b): 300 reports, instance killed after %d answers, %d retries with the same"
            + " Idempotency-Key, 300 stored, 300 found by receipt%n",
        60, retries.get());
  }

  /**
   * POST /v1/reports until a 201, retrying as the app does (same key and body) when the instance is
   * gone.
   */
  private Future<String> submit(String key, String body, int attempt, AtomicInteger retries) {
    return client
        .post("/v1/reports")
        .putHeader("Idempotency-Key", key)
        .putHeader("Content-Type", "application/json")
        .timeout(30_000)
        .sendBuffer(Buffer.buffer(body))
        .transform(
            ar -> {
              if (ar.succeeded() && ar.result().statusCode() == 201) {
                return Future.succeededFuture(
                    ar.result().bodyAsJsonObject().getString("receiptCode"));
              }
              boolean transientFailure =
                  ar.failed()
                      || ar.result().statusCode() == 502
                      || ar.result().statusCode() == 503
                      || ar.result().statusCode() == 504;
              if (!transientFailure || attempt >= 20) {
                return Future.failedFuture(
                    new AssertionError(
                        "report "
                            + key
                            + ": "
                            + (ar.failed()
                                ? ar.cause().toString()
                                : ar.result().statusCode() + " " + ar.result().bodyAsString())));
              }
              retries.incrementAndGet();
              return vertx.timer(200).compose(t -> submit(key, body, attempt + 1, retries));
            });
  }

  @Test
  @Order(4)
  void killedInTheMiddleOfABulletinSendEveryTokenGetsItAndOnlyBatchesInFlightRepeat()
      throws Exception {
    int subscribers = Integer.getInteger("cluster.subscribers", 3_000);
    bed.fcm().reset();
    try (Connection sql = bed.sql();
        Statement st = sql.createStatement()) {
      st.executeUpdate("TRUNCATE notifications.push_subscriptions CASCADE");
      st.executeUpdate(
          """
          INSERT INTO notifications.push_subscriptions (subscriber, fcm_token, audiences, areas, created_at, refreshed_at)
          SELECT decode(md5('bed' || i::text) || md5('k' || i::text), 'hex'),
                 'bed-' || i::text || ':APA91b' || repeat(md5(i::text), 4), ARRAY['parents'], '{}', now(), now()
            FROM generate_series(1, %d) AS i
          """
              .formatted(subscribers));
    }
    String editor =
        "Bearer " + tokens.issueStaff(UUID.randomUUID().toString(), List.of("editor")).token();
    HttpResponse<Buffer> created =
        client
            .post("/v1/bulletins")
            .putHeader("Authorization", editor)
            .putHeader("Idempotency-Key", UUID.randomUUID().toString())
            .sendJsonObject(
                new JsonObject()
                    .put("title", "Youth Safety Bulletin: May")
                    .put(
                        "body",
                        "The Lift youth hub runs free boxing and music sessions every Thursday, 5 to 8pm.")
                    .put("audiences", new JsonArray().add("parents")))
            .await(30, TimeUnit.SECONDS);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> sent =
        client
            .post("/v1/bulletins/" + id + "/send")
            .putHeader("Authorization", editor)
            .send()
            .await(30, TimeUnit.SECONDS);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);

    waitUntil(Duration.ofSeconds(120), () -> bed.fcm().acceptedTotal() >= subscribers / 4);
    // the batches being sent right now, by either instance: only these can repeat anything
    long inFlight =
        count(
            "SELECT count(*) FROM notifications.push_batches WHERE state = 'pending' AND busy_until > now()");
    bed.instances().get(0).kill();
    long acceptedAtKill = bed.fcm().acceptedTotal();
    waitUntil(
        Duration.ofSeconds(300),
        () ->
            count("SELECT count(*) FROM notifications.push_jobs WHERE completed_at IS NULL") == 0
                && count("SELECT count(*) FROM notifications.push_jobs") == 1);

    // which batch each token was in, and whether another instance had to take that batch over
    Map<String, Integer> batchOf = new HashMap<>();
    Map<Integer, Integer> claimsOf = new HashMap<>();
    try (Connection sql = bed.sql();
        Statement st = sql.createStatement()) {
      try (ResultSet r =
          st.executeQuery(
              """
          SELECT fcm_token, ((row_number() OVER (ORDER BY id)) - 1) / 500 AS batch_no
            FROM notifications.push_subscriptions
          """)) {
        while (r.next()) {
          batchOf.put(r.getString(1), r.getInt(2));
        }
      }
      try (ResultSet r =
          st.executeQuery("SELECT batch_no, claims FROM notifications.push_batches")) {
        while (r.next()) {
          claimsOf.put(r.getInt(1), r.getInt(2));
        }
      }
    }
    Map<String, Integer> accepted = bed.fcm().acceptedByToken();
    assertThat(batchOf).hasSize(subscribers);
    List<String> lost =
        batchOf.keySet().stream().filter(t -> accepted.getOrDefault(t, 0) == 0).toList();
    List<String> repeated =
        batchOf.keySet().stream().filter(t -> accepted.getOrDefault(t, 0) > 1).toList();
    assertThat(lost).as("tokens that never got the bulletin").isEmpty();
    Map<String, Integer> shown = bed.fcm().shownByToken();
    assertThat(batchOf.keySet())
        .as("phones that would show the bulletin twice")
        .allSatisfy(t -> assertThat(shown.get(t)).as(t).isEqualTo(1));
    // FCM has no idempotency key: a batch whose messages were on their way when the instance died
    // is sent again by the instance that takes it over (the collapse key makes the phone replace,
    // not add). No other batch may repeat anything.
    Map<Integer, Long> repeatsByBatch =
        repeated.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    batchOf::get, java.util.stream.Collectors.counting()));
    assertThat(repeatsByBatch.size())
        .as("batches that repeated messages, against those in flight at the kill")
        .isLessThanOrEqualTo((int) inFlight);
    System.out.printf(
        "cluster (a): %d subscribers in %d batches, instance killed at %d accepted with %d batches in"
            + " flight; %d lost, %d received twice (in %d batches), each time with the same collapse"
            + " key, so 0 shown twice%n",
        subscribers,
        claimsOf.size(),
        acceptedAtKill,
        inFlight,
        lost.size(),
        repeated.size(),
        repeatsByBatch.size());
  }

  @Test
  @Order(5)
  void wrongReceiptCodesThroughTheBalancerAreLimitedPerClientToInstancesTimesTheCapacity()
      throws Exception {
    // two clients on addresses of their own: the balancer appends each one's to X-Forwarded-For
    WebClient guesser =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(bed.balancerPort())
                .setLocalAddress("127.0.1.21"));
    WebClient someoneElse =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(bed.balancerPort())
                .setLocalAddress("127.0.1.22"));
    try {
      int capacity = 10; // REPORT_CODE_FAILURES_CAPACITY's default
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4 * capacity * INSTANCES; i++) {
        var request = guesser.post("/v1/reports/status");
        if (i % 2 == 1) {
          // what the client writes itself does not make it someone else
          request.putHeader("X-Forwarded-For", "192.0.2." + i);
        }
        statuses.add(
            request
                .sendJsonObject(new JsonObject().put("receiptCode", wrongCode()))
                .await(30, TimeUnit.SECONDS)
                .statusCode());
      }
      long allowed = statuses.stream().filter(s -> s != 429).count();
      assertThat(allowed)
          .as("wrong codes looked up before 429, per instance buckets: " + statuses)
          .isGreaterThan(capacity)
          .isLessThanOrEqualTo((long) capacity * INSTANCES);
      assertThat(statuses.subList(statuses.size() - 2 * INSTANCES, statuses.size()))
          .containsOnly(429);
      int other =
          someoneElse
              .post("/v1/reports/status")
              .sendJsonObject(new JsonObject().put("receiptCode", wrongCode()))
              .await(30, TimeUnit.SECONDS)
              .statusCode();
      assertThat(other).as("another client behind the same balancer").isNotEqualTo(429);
      System.out.printf(
          "cluster (rate limits): %d wrong receipt codes looked up of %d tried before 429, with %d"
              + " instances of capacity %d%n",
          allowed, statuses.size(), INSTANCES, capacity);
    } finally {
      guesser.close();
      someoneElse.close();
    }
  }

  private static String wrongCode() {
    String alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    StringBuilder code = new StringBuilder();
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < 16; i++) {
      code.append(alphabet.charAt(random.nextInt(alphabet.length())));
      if (i % 4 == 3 && i < 15) {
        code.append('-');
      }
    }
    return code.toString();
  }

  // ---- helpers -------------------------------------------------------------------------------

  static long count(String sql) {
    try (Connection c = bed.sql();
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void waitUntil(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + within);
      }
      Thread.sleep(50);
    }
  }

  static double percentile(List<Long> sortedNanos, double p) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
    return sortedNanos.get(Math.max(0, i)) / 1e6;
  }
}
