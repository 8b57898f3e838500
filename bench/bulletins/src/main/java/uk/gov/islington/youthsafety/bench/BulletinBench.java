package uk.gov.islington.youthsafety.bench;

import com.google.firebase.FirebaseApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * A bulletin to N subscribers (default 100,000) against the fake FCM server, through the real App
 * (embedded PostgreSQL with fsync on, the outbox dispatcher, the real Firebase Admin SDK), while the
 * house load generator measures GET /health/live at a fixed rate: idle before, during the send, idle
 * after (the two idle phases together are the baseline, so a neighbour's burst in one of them weighs
 * less; each is printed too). Latency is taken from each request's intended start (no coordinated
 * omission). The CPU of the fake FCM server, of the probe and of the benchmark's own client is
 * counted apart from the service's ({@link CpuByGroup}). Prints the figures as Markdown.
 *
 * <p>System properties: subscribers (100000), threads (FCM sender threads, 64), perMinute (FCM
 * rate limit, 600000), healthRate (requests/s, 200), idleSeconds (10), protocol (HTTP_2, production's
 * transport, or HTTP_1_1), warmup (subscribers of the warm-up bulletin, 50000: the JIT needs tens of
 * thousands of messages before the SDK's path is compiled).
 */
public final class BulletinBench {

  public static void main(String[] args) throws Exception {
    // quiet: one access-log line per health probe would measure the console
    System.setProperty("ACCESS_LOG_LEVEL", "WARN");
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "512");
    }
    int subscribers = Integer.getInteger("subscribers", 100_000);
    int threads = Integer.getInteger("threads", 64);
    int perMinute = Integer.getInteger("perMinute", FcmSettings.PROJECT_QUOTA_PER_MINUTE);
    int healthRate = Integer.getInteger("healthRate", 200);
    int idleSeconds = Integer.getInteger("idleSeconds", 10);
    int warmup = Integer.getInteger("warmup", 50_000);

    FakeFcm.Protocol protocol = FakeFcm.Protocol.valueOf(System.getProperty("protocol", "HTTP_2"));
    FakeFcm fcm = FakeFcm.start(false, protocol);
    FcmSettings settings = new FcmSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), threads, perMinute,
        Duration.ofSeconds(40), Duration.ofSeconds(10));
    FirebaseApp firebase = fcm.firebaseApp("bench", settings);
    Path data = Files.createTempDirectory("bulletin-bench");
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", data.toString());
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("FIREBASE_APP_NAME", "bench");
    env.put("FCM_SENDER_THREADS", Integer.toString(threads));
    env.put("FCM_MESSAGES_PER_MINUTE", Integer.toString(perMinute));
    env.put("DEMO_CONTENT", "false");
    App app = App.start(Config.of(env), Clock.systemUTC());
    Vertx clientVertx = Vertx.vertx();
    try {
      Pool pool = app.context().pool();
      long seeded = seed(pool, subscribers, warmup);
      System.out.printf("seeded %d subscriptions%n", seeded);
      HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(app.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
      String editor = app.context().tokens().issueStaff("bench-editor", List.of("editor")).token();

      // warm-up: JIT the whole path with a bulletin to the "professionals" (its rate is the cold
      // figure: the first bulletin after a start), and the probe
      long w0 = System.nanoTime();
      JsonObject warmed = waitSent(http, editor, createAndSend(http, editor, "professionals"));
      double warmSeconds = (System.nanoTime() - w0) / 1e9;
      probe(app.port(), healthRate, Duration.ofSeconds(3), new CompletableFuture<>()).join();

      NioEngine.Result idleBeforeResult = probe(app.port(), healthRate, Duration.ofSeconds(idleSeconds),
          new CompletableFuture<>()).join();
      Histogram idleBefore = idleBeforeResult.latency();
      String loadBefore = loadAverage();

      long acceptedBefore = fcm.acceptedTotal();
      System.out.printf("warm-up done (%d messages in %.1f s); sending the measured bulletin%n",
          warmed.getInteger("sent"), warmSeconds);
      CpuByGroup.name(fcm.threadIds(), "fake FCM");
      CpuByGroup.name(CLIENT_THREADS, "benchmark client");
      CompletableFuture<Void> sent = new CompletableFuture<>();
      CompletableFuture<NioEngine.Result> during = probe(app.port(), healthRate, Duration.ofHours(1), sent);
      long t0 = System.nanoTime();
      long cpu0 = CpuByGroup.processNanos();
      Map<String, Long> groups0 = CpuByGroup.snapshot();
      String id = createAndSend(http, editor, "parents");
      JsonObject delivery = waitSent(http, editor, id);
      long wallNanos = System.nanoTime() - t0;
      long cpuNanos = CpuByGroup.processNanos() - cpu0;
      Map<String, Long> groups1 = CpuByGroup.snapshot();
      sent.complete(null);
      NioEngine.Result duringResult = during.join();
      Histogram busy = duringResult.latency();
      String loadAfter = loadAverage();
      NioEngine.Result idleAfterResult = probe(app.port(), healthRate, Duration.ofSeconds(idleSeconds),
          new CompletableFuture<>()).join();
      Histogram idleAfter = idleAfterResult.latency();
      Histogram idle = idleBefore.copy();
      idle.add(idleAfter);

      Row job = await(pool.preparedQuery("SELECT targeted, sent, EXTRACT(EPOCH FROM completed_at - created_at) AS secs"
          + " FROM notifications.push_jobs WHERE id = $1").execute(Tuple.of("bulletin:" + id))).iterator().next();
      double jobSeconds = job.getDouble("secs");
      long accepted = fcm.acceptedTotal() - acceptedBefore;
      long distinct = fcm.acceptedByToken().entrySet().stream()
          .filter(e -> e.getKey().startsWith("bench-parent-")).count();
      long repeats = fcm.acceptedByToken().entrySet().stream()
          .filter(e -> e.getKey().startsWith("bench-parent-") && e.getValue() != 1).count();

      System.out.println();
      System.out.println("| figure | value |");
      System.out.println("|---|---|");
      System.out.printf("| subscribers targeted | %d |%n", delivery.getInteger("targeted"));
      System.out.printf("| sent (delivery report) | %d |%n", delivery.getInteger("sent"));
      System.out.printf("| accepted by fake FCM | %d (distinct tokens %d, tokens not exactly once %d) |%n",
          accepted, distinct, repeats);
      System.out.printf("| wall time, send call to 'sent' | %.2f s |%n", wallNanos / 1e9);
      System.out.printf("| wall time, push job start to complete | %.2f s |%n", jobSeconds);
      System.out.printf("| messages/s (job) | %.0f |%n", delivery.getInteger("sent") / jobSeconds);
      System.out.printf("| warm-up bulletin (cold JVM): messages, wall time, messages/s | %d, %.2f s, %.0f |%n",
          warmed.getInteger("sent"), warmSeconds, warmed.getInteger("sent") / warmSeconds);
      System.out.printf("| FCM sender threads / rate limit / transport / fake FCM's TLS | %d / %d per minute / %s / %s |%n",
          threads, perMinute, protocol, fcm.tlsEngine());
      System.out.printf("| CPU of the whole JVM during the send (API, dispatcher, SDK, fake FCM) | %.1f CPU-s = %.2f"
          + " cores, %.0f messages per CPU-second |%n", cpuNanos / 1e9, cpuNanos / (double) wallNanos,
          delivery.getInteger("sent") / (cpuNanos / 1e9));
      System.out.printf("| CPU per message by thread group, and PostgreSQL's processes | %s |%n",
          CpuByGroup.perMessage(groups0, groups1, delivery.getInteger("sent")));
      double serviceMicros = CpuByGroup.serviceNanos(groups0, groups1) / 1e3 / delivery.getInteger("sent");
      System.out.printf("| the service's own CPU per message (all but fake FCM, health probe and benchmark client), and the rate it"
          + " allows on %d cores | %.0f µs, %.0f messages/s |%n", Runtime.getRuntime().availableProcessors(),
          serviceMicros, Runtime.getRuntime().availableProcessors() * 1e6 / serviceMicros);
      System.out.printf("| GET /health/live idle before / after p99 | %.2f / %.2f ms |%n",
          idleBefore.getValueAtPercentile(99) / 1000.0, idleAfter.getValueAtPercentile(99) / 1000.0);
      System.out.printf("| GET /health/live idle p50 / p99 / max | %s |%n", percentiles(idle));
      System.out.printf("| GET /health/live during send p50 / p99 / max | %s |%n", percentiles(busy));
      System.out.printf("| p99 during / idle | %.2f |%n",
          busy.getValueAtPercentile(99) / (double) Math.max(1, idle.getValueAtPercentile(99)));
      System.out.printf("| health requests idle / during (at %d/s), errors idle / during, probe's send lag p99 during"
          + " | %d / %d, %d / %d, %.2f ms |%n", healthRate, idle.getTotalCount(), busy.getTotalCount(),
          idleBeforeResult.errors() + idleAfterResult.errors(), duringResult.errors(),
          duringResult.sendLag().getValueAtPercentile(99) / 1000.0);
      System.out.printf("| load average (1/5/15 min) at send start / end | %s / %s |%n", loadBefore, loadAfter);
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      app.close();
      firebase.delete();
      fcm.close();
    }
  }

  /** n "parents" and m "professionals" with realistic-length tokens, straight into the table. */
  private static long seed(Pool pool, int parents, int professionals) {
    String sql = """
        INSERT INTO notifications.push_subscriptions (subscriber, fcm_token, audiences, areas, created_at, refreshed_at)
        SELECT decode(md5($1 || i::text) || md5('k' || $1 || i::text), 'hex'),
               $1 || i::text || ':APA91b' || repeat(md5(i::text), 4),
               ARRAY[$2], '{}', now(), now()
          FROM generate_series(1, $3) AS i
        """;
    long a = await(pool.preparedQuery(sql).execute(Tuple.of("bench-parent-", "parents", parents))).rowCount();
    long b = await(pool.preparedQuery(sql).execute(Tuple.of("bench-pro-", "professionals", professionals))).rowCount();
    await(pool.query("ANALYZE notifications.push_subscriptions").execute());
    return a + b;
  }

  /** The threads of the Vert.x client that creates and sends the bulletins (and polls their delivery). */
  private static final Set<Long> CLIENT_THREADS = ConcurrentHashMap.newKeySet();

  /**
   * GET /health/live at a fixed rate with the house load generator ({@link NioEngine}, docs/benchmarks.md:
   * open loop, latency from each request's intended time, so no coordinated omission; its thread
   * is "loadgen", counted apart from the service), for {@code longest} or until {@code stop}.
   */
  static CompletableFuture<NioEngine.Result> probe(int port, int rate, Duration longest,
      CompletionStage<?> stop) {
    CompletableFuture<NioEngine.Result> result = new CompletableFuture<>();
    new Thread(() -> {
      try {
        result.complete(NioEngine.run(new NioEngine.Settings(new InetSocketAddress("127.0.0.1", port),
            RequestTemplate.of("GET", "127.0.0.1", List.of("/health/live"), List.of(), null), 4, rate, 0,
            longest.toNanos(), 200, 0), stop));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }, "probe-runner").start();
    return result;
  }

  private static String createAndSend(HttpClient http, String editor, String audience) {
    JsonObject draft = new JsonObject().put("title", "Youth Safety Bulletin (benchmark)")
        .put("body", "Services, events, training and reports from across Islington this month.")
        .put("audiences", new JsonArray().add(audience));
    JsonObject created = call(http, HttpMethod.POST, "/v1/bulletins", editor, draft,
        Map.of("Idempotency-Key", "bench-" + System.nanoTime()), 201);
    String id = created.getString("id");
    call(http, HttpMethod.POST, "/v1/bulletins/" + id + "/send", editor, null, Map.of(), 202);
    return id;
  }

  private static JsonObject waitSent(HttpClient http, String editor, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonObject d = call(http, HttpMethod.GET, "/v1/bulletins/" + id + "/delivery", editor, null, Map.of(), 200);
      if ("sent".equals(d.getString("state"))) {
        return d;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("bulletin not sent within 5 minutes");
  }

  private static JsonObject call(HttpClient http, HttpMethod method, String uri, String token, JsonObject body,
      Map<String, String> headers, int expected) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri)
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    headers.forEach(options::putHeader);
    Buffer answer = await(http.request(options).compose(req -> (body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> {
          CLIENT_THREADS.add(Thread.currentThread().getId());
          if (resp.statusCode() != expected) {
            throw new IllegalStateException(method + " " + uri + " answered " + resp.statusCode() + ": " + b);
          }
          return b;
        }))));
    return answer.length() == 0 ? new JsonObject() : answer.toJsonObject();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  static String percentiles(Histogram h) {
    return String.format("%.2f / %.2f / %.2f ms", h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
