// "A popular poll opens": castVote throughput on one consultation vs the same votes spread over 50,
// against GET /health/live in the same run, then castVote p50/p99 at a fixed rate.
// Run with bench/consultations/run.sh (it builds the class path); figures go to docs/benchmarks.md.
//
// The real App starts in this JVM on the embedded PostgreSQL with the production settings
// (fsync, synchronous_commit and full_page_writes on) in a throw-away data directory; device
// tokens are minted with the service's own key (as registerDevice would, minus its rate limit).
// Requests go out from 64 loopback addresses (127.0.1.x) so the per-address castVote rate limit
// (300 burst) is exercised as for 64 clients, not bypassed.

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.bench.InJvmService;

public class PopularPoll {

  static final int CLIENTS = 64;
  static WebClient[] clients;
  static App app;
  static String council;

  public static void main(String[] args) throws Exception {
    int votesPerPhase = intArg(args, 0, 300);
    int concurrency = intArg(args, 1, 32);
    int rate = intArg(args, 2, 20);
    int seconds = intArg(args, 3, 15);

    Map<String, String> env = InJvmService.settings("bench-consultations");
    Path data = Path.of(env.get("DATA_DIR"));
    env.put("DEMO_CONTENT", "false");
    env.put("HTTP_INSTANCES", "2");
    env.put("DB_POOL_SIZE", "16");
    app = App.start(Config.of(env), Clock.systemUTC());
    Vertx client = Vertx.vertx();
    clients = new WebClient[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      clients[i] = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1")
              .setDefaultPort(app.port()).setLocalAddress("127.0.1." + (i + 1)).setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(Math.max(1, concurrency / CLIENTS + 1)).setMaxWaitQueueSize(-1));
    }
    council = app.context().tokens().issueStaff("bench", List.of("youth_council")).token();
    // one fresh device per vote, minted before anything is measured
    TOKENS = new String[200 + 4 * votesPerPhase + rate * seconds];
    for (int i = 0; i < TOKENS.length; i++) {
      TOKENS[i] = app.context().tokens().issueDevice(BANDS[i % BANDS.length]).token();
    }
    StringBuilder out = new StringBuilder();
    try {
      JsonObject warm = create("warm-up");
      List<JsonObject> spread = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        spread.add(create("spread " + i));
      }
      JsonObject popular = create("popular");
      closed(200, concurrency, i -> health(i));
      closed(200, concurrency, vote(warm, null));

      double health = closed(votesPerPhase, concurrency, i -> health(i));
      // alternate the two scenarios twice so that a noisy neighbour hurts both alike
      double[] one = new double[2];
      double[] fifty = new double[2];
      for (int round = 0; round < 2; round++) {
        one[round] = closed(votesPerPhase, concurrency, vote(popular, null));
        fifty[round] = closed(votesPerPhase, concurrency, vote(null, spread));
      }
      double oneRps = (one[0] + one[1]) / 2;
      double fiftyRps = (fifty[0] + fifty[1]) / 2;
      out.append(String.format("closed loop, %d requests per phase, %d in flight:%n", votesPerPhase, concurrency));
      out.append(String.format("  GET /health/live                 %8.0f req/s%n", health));
      out.append(String.format("  castVote, one consultation       %8.0f req/s  (rounds %.0f, %.0f)%n", oneRps, one[0], one[1]));
      out.append(String.format("  castVote, spread over 50         %8.0f req/s  (rounds %.0f, %.0f)%n", fiftyRps, fifty[0], fifty[1]));
      out.append(String.format("  ratio one / spread               %8.2f   (target >= 0.8)%n", oneRps / fiftyRps));
      out.append(String.format("  castVote / health                %8.2f%n", oneRps / health));

      JsonObject fixed = create("fixed rate");
      Histogram h = fixedRate(rate, seconds, i -> health(i));
      Histogram v = fixedRate(rate, seconds, vote(fixed, null));
      out.append(String.format("fixed rate %d req/s for %d s (latency from the intended send time):%n", rate, seconds));
      out.append(line("GET /health/live", h));
      out.append(line("castVote", v));
      JsonObject results = await(clients[0].get("/v1/consultations/" + popular.getString("id") + "/results")
          .putHeader("Authorization", "Bearer " + council).send()).bodyAsJsonObject();
      out.append(String.format("check: popular poll totalBallots = %d (expected %d)%n",
          results.getInteger("totalBallots"), 2 * votesPerPhase));
    } finally {
      System.out.println();
      System.out.println(out);
      client.close().await(10, TimeUnit.SECONDS);
      app.close();
      deleteTree(data);
    }
  }

  static String line(String name, Histogram h) {
    return String.format("  %-32s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (n=%d)%n", name,
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
  }

  static JsonObject create(String title) {
    Instant now = Instant.now();
    JsonArray options = new JsonArray();
    for (int i = 0; i < 5; i++) {
      options.add(new JsonObject().put("text", "Option " + i));
    }
    JsonArray ranking = new JsonArray();
    for (int i = 0; i < 4; i++) {
      ranking.add(new JsonObject().put("text", "Idea " + i));
    }
    JsonObject body = new JsonObject().put("title", "Bench: " + title).put("description", "Benchmark")
        .put("opensAt", now.minusSeconds(60).toString()).put("closesAt", now.plus(Duration.ofHours(1)).toString())
        .put("ageBands", new JsonArray().add("10-13").add("14-17").add("18-25"))
        .put("questions", new JsonArray()
            .add(new JsonObject().put("text", "Pick one").put("type", "single").put("options", options))
            .add(new JsonObject().put("text", "Rank").put("type", "ranking").put("options", ranking)));
    HttpResponse<Buffer> r = await(clients[0].post("/v1/consultations").putHeader("Authorization", "Bearer " + council)
        .putHeader("Idempotency-Key", UUID.randomUUID().toString()).sendJsonObject(body));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  static final String[] BANDS = {"10-13", "14-17", "18-25", null};
  static String[] TOKENS;
  static final AtomicInteger NEXT_TOKEN = new AtomicInteger();

  /** A vote of a fresh device on {@code one}, or on the spread consultations round-robin. */
  static IntFunction<Future<HttpResponse<Buffer>>> vote(JsonObject one, List<JsonObject> spread) {
    return i -> {
      JsonObject c = one != null ? one : spread.get(i % spread.size());
      JsonArray qs = c.getJsonArray("questions");
      JsonArray single = qs.getJsonObject(0).getJsonArray("options");
      JsonArray rank = qs.getJsonObject(1).getJsonArray("options");
      JsonArray answers = new JsonArray()
          .add(new JsonObject().put("questionId", qs.getJsonObject(0).getString("id"))
              .put("optionIds", new JsonArray().add(single.getJsonObject(i % single.size()).getString("id"))))
          .add(new JsonObject().put("questionId", qs.getJsonObject(1).getString("id"))
              .put("optionIds", new JsonArray().add(rank.getJsonObject(i % 4).getString("id"))
                  .add(rank.getJsonObject((i + 1) % 4).getString("id"))));
      String token = TOKENS[NEXT_TOKEN.getAndIncrement()];
      HttpRequest<Buffer> req = clients[i % CLIENTS].post("/v1/consultations/" + c.getString("id") + "/votes")
          .putHeader("Authorization", "Bearer " + token)
          .putHeader("Idempotency-Key", UUID.randomUUID().toString());
      return req.sendJsonObject(new JsonObject().put("answers", answers));
    };
  }

  static Future<HttpResponse<Buffer>> health(int i) {
    return clients[i % CLIENTS].get("/health/live").send();
  }

  /** Runs {@code total} requests with {@code concurrency} in flight; answers requests per second. */
  static double closed(int total, int concurrency, IntFunction<Future<HttpResponse<Buffer>>> request) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      loop(total, request, next, finished, failed, done);
    }
    await(done.future());
    double secs = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " of " + total + " requests failed");
    }
    return total / secs;
  }

  static void loop(int total, IntFunction<Future<HttpResponse<Buffer>>> request, AtomicInteger next,
                   AtomicInteger finished, AtomicInteger failed, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return;
    }
    request.apply(i).onComplete(ar -> {
      if (ar.failed() || ar.result().statusCode() >= 300) {
        if (failed.incrementAndGet() < 5) {
          System.err.println("failed: " + (ar.failed() ? ar.cause() : ar.result().statusCode() + " " + ar.result().bodyAsString()));
        }
      }
      if (finished.incrementAndGet() == total) {
        done.tryComplete();
      } else {
        loop(total, request, next, finished, failed, done);
      }
    });
  }

  /** Open loop: request i is due at start + i/rate; its latency counts from then (no coordinated omission). */
  static Histogram fixedRate(int rate, int seconds, IntFunction<Future<HttpResponse<Buffer>>> request) throws Exception {
    int total = rate * seconds;
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    long intervalNanos = 1_000_000_000L / rate;
    Thread sender = new Thread(() -> {
      for (int i = 0; i < total; i++) {
        long due = start + i * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        int n = i;
        request.apply(n).onComplete(ar -> {
          synchronized (h) {
            h.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
          }
          if (ar.failed() || ar.result().statusCode() >= 300) {
            failed.incrementAndGet();
          }
          if (finished.incrementAndGet() == total) {
            done.tryComplete();
          }
        });
      }
    }, "fixed-rate-sender");
    sender.start();
    await(done.future());
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " of " + total + " requests failed");
    }
    return h;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(300, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int intArg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }

  static void deleteTree(Path p) throws Exception {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
