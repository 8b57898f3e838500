// The staff console's figures: (1) from a report's 201 to the "changed" event on an open triage
// page's event stream, reports sent at a fixed rate; (2) the server's CPU per triage page render
// against GET /v1/moderation/reports (same 25 reports, same session of the same moderator).
// Run with bench/console/run.sh; figures go to docs/benchmarks.md.
//
// The real App starts in this JVM on the embedded PostgreSQL (production settings) in a
// throw-away data directory. A moderator signs in through the console's own pages (password,
// enrolment, a TOTP code computed here). CPU is the service's threads only (event loops, workers,
// the SQL client), read per thread from the JVM, so the client's own work is left out.

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.bench.ConsoleSession;
import uk.gov.islington.youthsafety.bench.InJvmService;

public class ConsoleQueue {

  static App app;
  static WebClient http;
  static ConsoleSession console;

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    Map<String, String> env = InJvmService.settings("bench-console");
    env.put("HTTP_INSTANCES", "2");
    env.put("REPORT_SUBMIT_RATE_CAPACITY", "100000");
    env.put("REPORT_SUBMIT_RATE_PER_HOUR", "1000000");
    app = App.start(Config.of(env), Clock.systemUTC());
    Vertx vertx = app.context().vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port())
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
    console = new ConsoleSession(http, app.port(), Clock.systemUTC());
    try {
      String username = "bench.moderator";
      String admin = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("admin")).token();
      await(http.post("/v1/staff").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
          .put("username", username).put("password", "a long bench passphrase").put("roles", new JsonArray().add("moderator"))));
      console.signIn(username, "a long bench passphrase");
      for (int i = 0; i < 30; i++) {
        submit(i % 5 == 0);
      }

      // ---- (1) 201 → event, at a fixed rate
      HttpClient sse = vertx.createHttpClient();
      ConcurrentLinkedQueue<Long> events = new ConcurrentLinkedQueue<>();
      HttpClientResponse stream = sse.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
              .setPort(app.port()).setURI("/console/triage/events").putHeader("Cookie", console.cookie()))
          .compose(r -> r.send()).await(30, TimeUnit.SECONDS);
      stream.handler(chunk -> {
        if (chunk.toString().contains("event: changed")) {
          events.add(System.nanoTime());
        }
      });
      Thread.sleep(1000);
      events.clear();
      int total = rate * seconds;
      long[] sent = new long[total];
      long[] acknowledged = new long[total];
      long start = System.nanoTime();
      for (int k = 0; k < total; k++) {
        long due = start + k * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        sent[k] = System.nanoTime();
        int status = submit(k % 10 == 0);
        acknowledged[k] = System.nanoTime();
        if (status != 201) {
          throw new IllegalStateException("submitReport answered " + status);
        }
      }
      Thread.sleep(2000);
      long[] seen = events.stream().mapToLong(Long::longValue).sorted().toArray();
      Histogram latency = new Histogram(3);
      int missed = 0;
      // The event may reach the page before the 201 reaches this client: such a report counts as
      // seen at once, so the first event after the request was sent is the one that shows it.
      for (int k = 0; k < total; k++) {
        long ack = acknowledged[k];
        long first = -1;
        for (long e : seen) {
          if (e >= sent[k]) {
            first = e;
            break;
          }
        }
        if (first < 0) {
          missed++;
        } else {
          latency.recordValue(Math.max(1, (first - ack) / 1000));
        }
      }
      System.out.printf("201 -> event at %d reports/s for %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms, events %d, reports without a later event %d%n",
          rate, seconds, latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0, seen.length, missed);
      sse.close();

      // ---- (2) CPU per request: the triage page against the JSON queue
      String token = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("moderator")).token();
      for (int round = 0; round < 3; round++) {
        double api = cpuPerRequest(requests, () -> http.get("/v1/moderation/reports?limit=25")
            .putHeader("Authorization", "Bearer " + token).send());
        double page = cpuPerRequest(requests, () -> http.get("/console/triage").putHeader("Cookie", console.cookie()).send());
        System.out.printf("round %d: server CPU per request: GET /v1/moderation/reports %.0f µs, GET /console/triage %.0f µs, ratio %.2f%n",
            round + 1, api, page, page / api);
      }
    } finally {
      http.close();
      app.close();
    }
  }

  interface Call {
    io.vertx.core.Future<HttpResponse<Buffer>> send();
  }

  /** The service's threads' CPU (not this client's) over {@code n} sequential requests, per request. */
  static double cpuPerRequest(int n, Call call) throws Exception {
    return InJvmService.cpuPerRequest(n, () -> await(call.send()).statusCode());
  }

  static int submit(boolean urgent) {
    return await(http.post("/v1/reports").putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .sendJsonObject(new JsonObject().put("categoryId", "someone-being-hurt")
            .put("description", "A bench report about a worry " + UUID.randomUUID()).put("immediateDanger", urgent)))
        .statusCode();
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
