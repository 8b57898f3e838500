// The staff console's heaviest pages: the server's CPU per render of a page against the JSON call
// that reads the same data, in the same run. Run with bench/console/results.sh (a closed
// consultation's results page — turnout, three questions as SVG charts and tables — against
// getConsultationResults) or bench/console/havens.sh (the editors' list of Safe Havens, a first
// page of 50 of N havens, plain and "open now only", against listHavensForEditors of the same
// page); figures go to docs/benchmarks.md.
//
// The real App starts in this JVM on the embedded PostgreSQL (production settings) in a
// throw-away data directory, with a clock this bench moves: a three-question poll is created
// through the API, devices cast the ballots through the API while it is open, then the clock
// moves past its close. A Youth Council member signs in through the console's own pages
// (password, enrolment, a TOTP code computed here). CPU is the service's threads only, read per
// thread from the JVM, so the client's own work is left out.

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.bench.ConsoleSession;
import uk.gov.islington.youthsafety.bench.InJvmService;

public class ConsoleResults {

  /** The system clock, moved forward by the bench. */
  static final class MovedClock extends Clock {
    volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }

  static App app;
  static WebClient http;
  static ConsoleSession console;
  static final MovedClock CLOCK = new MovedClock();

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("havens")) {
      havens(args.length > 1 ? Integer.parseInt(args[1]) : 300, args.length > 2 ? Integer.parseInt(args[2]) : 400);
      return;
    }
    int ballots = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    start();
    try {
      results(ballots, requests);
    } finally {
      http.close();
      app.close();
    }
  }

  /** The real App in this JVM on a throw-away data directory, and a client of it. */
  static void start() throws Exception {
    Map<String, String> env = InJvmService.settings("bench-console-results");
    env.put("DEMO_CONTENT", "false");
    env.put("HTTP_INSTANCES", "2");
    env.put("DB_POOL_SIZE", "16");
    // the clock jumps past the close: the console session must outlive the jump
    env.put("CONSOLE_SESSION_IDLE", "2d");
    env.put("CONSOLE_SESSION_MAX", "3d");
    env.put("CONSULTATION_MIX_INTERVAL", "0s");
    app = App.start(Config.of(env), CLOCK);
    http = WebClient.create(app.context().vertx(), new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(app.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
    console = new ConsoleSession(http, app.port(), CLOCK);
  }

  static void results(int ballots, int requests) throws Exception {
    {
      String council = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("youth_council")).token();
      Instant now = CLOCK.instant();
      JsonObject created = await(http.post("/v1/consultations").putHeader("Authorization", "Bearer " + council)
          .putHeader("Idempotency-Key", UUID.randomUUID().toString())
          .sendJsonObject(new JsonObject().put("title", "Bench poll").put("description", "A bench consultation.")
              .put("opensAt", now.minus(Duration.ofMinutes(1)).toString())
              .put("closesAt", now.plus(Duration.ofHours(1)).toString())
              .put("ageBands", new JsonArray().add("10-13").add("14-17").add("18-25"))
              .put("questions", new JsonArray()
                  .add(question("single", "Where do you feel least safe?", 5))
                  .add(question("multiple", "Which would you use?", 4))
                  .add(question("ranking", "Put these ideas in order", 3))))).bodyAsJsonObject();
      String id = created.getString("id");
      cast(id, created.getJsonArray("questions"), ballots);
      CLOCK.offset = Duration.ofHours(2);
      // a token lasts minutes: the one that created the poll has expired by the moved clock
      String reader = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("youth_council")).token();

      String admin = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("admin")).token();
      await(http.post("/v1/staff").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
          .put("username", "bench.council").put("password", "a long bench passphrase")
          .put("roles", new JsonArray().add("youth_council"))));
      console.signIn("bench.council", "a long bench passphrase");
      HttpResponse<Buffer> page = console.get("/console/consultations/" + id);
      if (!page.bodyAsString().contains("id=\"turnout-total\">" + ballots + "<")) {
        throw new IllegalStateException("the results page does not show " + ballots + " ballots");
      }
      System.out.printf("a closed poll of %d ballots, 3 questions (5, 4 and 3 choices); results page %d bytes%n",
          ballots, page.body().length());
      for (int round = 0; round < 3; round++) {
        double api = cpuPerRequest(requests, () -> http.get("/v1/consultations/" + id + "/results")
            .putHeader("Authorization", "Bearer " + reader).send());
        double html = cpuPerRequest(requests, () -> http.get("/console/consultations/" + id)
            .putHeader("Cookie", console.cookie()).send());
        System.out.printf("round %d: server CPU per request: GET /v1/consultations/{id}/results %.0f µs, "
            + "GET /console/consultations/{id} %.0f µs, ratio %.2f%n", round + 1, api, html, html / api);
      }
    }
  }

  /**
   * {@code count} havens created through createHaven (a few categories, day and past-midnight hours),
   * an editor signed in through the console's pages; then the first page of the editors' list as
   * HTML (plain, and "open now only", which reads rows in batches and decides each in Java) against
   * listHavensForEditors of the same 50.
   */
  static void havens(int count, int requests) throws Exception {
    start();
    try {
      String editor = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("editor")).token();
      String[] categories = {"shop", "cafe", "pharmacy", "library", "youth_centre"};
      for (int i = 0; i < count; i++) {
        JsonArray weekly = new JsonArray();
        for (String day : new String[] {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}) {
          weekly.add(new JsonObject().put("day", day).put("opens", i % 3 == 0 ? "22:00" : "09:00")
              .put("closes", i % 3 == 0 ? "02:00" : "18:00"));
        }
        JsonObject body = new JsonObject().put("name", String.format("Bench Haven %03d", i))
            .put("address", i + " Upper Street, London").put("postcode", "N1 1AA")
            .put("location", new JsonObject().put("lat", 51.53 + (i % 20) * 0.001).put("lon", -0.10 - (i / 20) * 0.001))
            .put("category", categories[i % categories.length])
            .put("facilities", new JsonArray().add("first_aid").add("toilet"))
            .put("openingHours", new JsonObject().put("weekly", weekly));
        int status = await(http.post("/v1/havens").putHeader("Authorization", "Bearer " + editor)
            .putHeader("Idempotency-Key", UUID.randomUUID().toString()).sendJsonObject(body)).statusCode();
        if (status != 201) {
          throw new IllegalStateException("createHaven answered " + status);
        }
      }
      String admin = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("admin")).token();
      await(http.post("/v1/staff").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
          .put("username", "bench.editor").put("password", "a long bench passphrase")
          .put("roles", new JsonArray().add("editor"))));
      console.signIn("bench.editor", "a long bench passphrase");
      HttpResponse<Buffer> page = console.get("/console/havens");
      int rows = page.bodyAsString().split("data-haven-id", -1).length - 1;
      if (rows != 50) {
        throw new IllegalStateException("the list shows " + rows + " havens, not a page of 50");
      }
      System.out.printf("%d havens; the list's first page: %d rows, %d bytes%n", count, rows, page.body().length());
      for (int round = 0; round < 3; round++) {
        // a staff token lasts minutes: a fresh one per round
        String reader = app.context().tokens().issueStaff(UUID.randomUUID().toString(), List.of("editor")).token();
        double api = cpuPerRequest(requests, () -> http.get("/v1/editor/havens?limit=50")
            .putHeader("Authorization", "Bearer " + reader).send());
        double html = cpuPerRequest(requests, () -> http.get("/console/havens").putHeader("Cookie", console.cookie()).send());
        double open = cpuPerRequest(requests, () -> http.get("/console/havens?open=yes").putHeader("Cookie", console.cookie()).send());
        System.out.printf("round %d: server CPU per request: GET listHavensForEditors?limit=50 %.0f µs, "
            + "GET /console/havens %.0f µs (ratio %.2f), GET /console/havens?open=yes %.0f µs (ratio %.2f)%n",
            round + 1, api, html, html / api, open, open / api);
      }
    } finally {
      http.close();
      app.close();
    }
  }

  static JsonObject question(String type, String text, int choices) {
    JsonArray options = new JsonArray();
    for (int i = 1; i <= choices; i++) {
      options.add(new JsonObject().put("text", "Choice " + i + " of " + text));
    }
    return new JsonObject().put("text", text).put("type", type).put("options", options);
  }

  /**
   * {@code n} ballots of fresh devices, 32 in flight; each answers every question. They go out from
   * 64 loopback addresses (127.0.1.x), so that castVote's per-address rate limit is not what is met.
   */
  static void cast(String id, JsonArray questions, int n) throws Exception {
    WebClient[] clients = new WebClient[64];
    for (int c = 0; c < clients.length; c++) {
      clients[c] = WebClient.create(app.context().vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(app.port()).setLocalAddress("127.0.1." + (c + 1)).setKeepAlive(true));
    }
    String[] bands = {"10-13", "14-17", "18-25"};
    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    List<Runnable> retries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonArray answers = new JsonArray();
      for (int q = 0; q < questions.size(); q++) {
        JsonArray options = questions.getJsonObject(q).getJsonArray("options");
        JsonArray picks = new JsonArray().add(options.getJsonObject(i % options.size()).getString("id"));
        if (q > 0) {
          picks.add(options.getJsonObject((i + 1) % options.size()).getString("id"));
        }
        answers.add(new JsonObject().put("questionId", questions.getJsonObject(q).getString("id")).put("optionIds", picks));
      }
      String device = app.context().tokens().issueDevice(bands[(i * 7) % 3]).token();
      String key = UUID.randomUUID().toString();
      WebClient client = clients[i % clients.length];
      JsonObject body = new JsonObject().put("answers", answers);
      Call send = () -> client.post("/v1/consultations/" + id + "/votes").putHeader("Authorization", "Bearer " + device)
          .putHeader("Idempotency-Key", key).sendJsonObject(body);
      inFlight.add(send.send());
      retries.add(() -> {
        // a loaded machine may answer 503 (no database connection in time): the same key is a safe retry
        for (int attempt = 0; attempt < 10; attempt++) {
          int status = await(send.send()).statusCode();
          if (status == 201) {
            return;
          }
          sleep(500);
        }
        throw new IllegalStateException("castVote did not succeed after retries");
      });
      if (inFlight.size() == 16 || i == n - 1) {
        for (int k = 0; k < inFlight.size(); k++) {
          int status = await(inFlight.get(k)).statusCode();
          if (status == 503) {
            retries.get(k).run();
          } else if (status != 201) {
            throw new IllegalStateException("castVote answered " + status);
          }
        }
        inFlight.clear();
        retries.clear();
      }
    }
    for (WebClient c : clients) {
      c.close();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  interface Call {
    Future<HttpResponse<Buffer>> send();
  }

  /** The service's threads' CPU (not this client's) over {@code n} sequential requests, per request. */
  static double cpuPerRequest(int n, Call call) throws Exception {
    return InJvmService.cpuPerRequest(n, () -> await(call.send()).statusCode());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
