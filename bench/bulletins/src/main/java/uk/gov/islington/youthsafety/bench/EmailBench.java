package uk.gov.islington.youthsafety.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Preferences;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * A bulletin to many confirmed e-mail subscribers through a local SMTP server (ScriptedSmtp, on
 * loopback), on the embedded default's real PostgreSQL: messages per second from the start of the
 * send to the last e-mail recorded as sent, and GET /health/live at a fixed rate (the house load
 * generator, open loop) idle before, during the send and idle after. Every subscriber must get
 * the bulletin exactly once.
 *
 * <p>Subscribers sign up through the service itself (so their addresses are sealed and hashed as
 * in production); their confirmation e-mails go through the same SMTP path (the warm-up); then
 * they are marked confirmed in SQL. System properties: subscribers (20000), perSecond
 * (BULLETIN_EMAIL_PER_SECOND, 100000: unpaced), batch (OUTBOX_BATCH_SIZE, 64), connections (8),
 * healthRate (200), idleSeconds (10).
 */
public final class EmailBench {

  public static void main(String[] args) throws Exception {
    System.setProperty("ACCESS_LOG_LEVEL", "WARN");
    int subscribers = Integer.getInteger("subscribers", 20_000);
    int healthRate = Integer.getInteger("healthRate", 200);
    int idleSeconds = Integer.getInteger("idleSeconds", 10);
    ScriptedSmtp smtp = new ScriptedSmtp();
    Map<String, String> env = InJvmService.settings("email-bench");
    Path data = Path.of(env.get("DATA_DIR"));
    env.put("DEMO_CONTENT", "false");
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(smtp.port()));
    env.put("SMTP_STARTTLS", "disabled");
    env.put("PUBLIC_BASE_URL", "https://youth-safety.example.test");
    env.put("BULLETIN_EMAIL_PER_SECOND", System.getProperty("perSecond", "100000"));
    env.put("BULLETIN_EMAIL_CONNECTIONS", System.getProperty("connections", "8"));
    env.put("OUTBOX_BATCH_SIZE", System.getProperty("batch", "64"));
    env.put("REPORT_EMAIL_TRANSPORT", "local-sink");
    App app = App.start(Config.of(env), Clock.systemUTC());
    Vertx clientVertx = Vertx.vertx();
    try {
      Pool pool = app.context().pool();
      ReportCrypto crypto = new ReportCrypto(ReportKeys.from(ReportKeys.readFile(data.resolve("keys/report-keys.properties"))));
      EmailSubscriptions signUps = new EmailSubscriptions(pool, Clock.systemUTC(), crypto, "https://youth-safety.example.test");
      long s0 = System.nanoTime();
      for (int i = 0; i < subscribers; i += 16) {
        List<io.vertx.core.Future<Void>> wave = new java.util.ArrayList<>();
        for (int j = i; j < Math.min(subscribers, i + 16); j++) {
          wave.add(signUps.subscribe("bench-" + j + "@example.org", new Preferences(List.of("parents"), List.of(), "each")));
        }
        BulletinBench.await(io.vertx.core.Future.all(wave));
      }
      waitFor("the confirmation e-mails (warm-up)", () -> smtp.acceptedCount() >= subscribers, Duration.ofMinutes(10));
      double warmSeconds = (System.nanoTime() - s0) / 1e9;
      BulletinBench.await(pool.query("UPDATE content.email_subscribers SET confirmed_at = now(), confirm_nonce = NULL,"
          + " confirm_expires_at = NULL").execute());
      // idle means idle: every confirmation recorded, nothing left for the dispatcher
      waitFor("the outbox to drain", () -> outboxPending(pool) == 0, Duration.ofMinutes(5));
      int warmed = smtp.acceptedCount();
      System.out.printf("%d subscribers signed up and their confirmations sent in %.1f s%n", subscribers, warmSeconds);

      HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(app.port()).setKeepAlive(true));
      String editor = app.context().tokens().issueStaff("bench-editor", List.of("editor")).token();
      BulletinBench.probe(app.port(), healthRate, Duration.ofSeconds(3), new CompletableFuture<>()).join();
      Histogram idleBefore = BulletinBench.probe(app.port(), healthRate, Duration.ofSeconds(idleSeconds), new CompletableFuture<>())
          .join().latency();

      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletableFuture<NioEngine.Result> during = BulletinBench.probe(app.port(), healthRate, Duration.ofHours(1), done);
      long t0 = System.nanoTime();
      String id = send(http, editor);
      waitFor("every e-mail", () -> count(pool, "SELECT count(*) FROM content.bulletin_emails WHERE bulletin_id = $1"
          + " AND state <> 'pending'", id) >= subscribers && smtp.acceptedCount() - warmed >= subscribers,
          Duration.ofMinutes(30));
      double wallSeconds = (System.nanoTime() - t0) / 1e9;
      done.complete(null);
      Histogram busy = during.join().latency();
      waitFor("the outbox to drain", () -> outboxPending(pool) == 0, Duration.ofMinutes(5));
      Histogram idleAfter = BulletinBench.probe(app.port(), healthRate, Duration.ofSeconds(idleSeconds), new CompletableFuture<>())
          .join().latency();
      Histogram idle = idleBefore.copy();
      idle.add(idleAfter);

      Row span = BulletinBench.await(pool.preparedQuery("SELECT count(*) FILTER (WHERE e.state = 'sent') AS sent,"
          + " EXTRACT(EPOCH FROM max(e.finished_at) - b.published_at) AS secs FROM content.bulletin_emails e"
          + " JOIN content.bulletins b ON b.id = e.bulletin_id WHERE e.bulletin_id = $1 GROUP BY b.published_at")
          .execute(Tuple.of(id))).iterator().next();
      List<ScriptedSmtp.Message> bulletins = smtp.accepted().stream().skip(warmed).toList();
      Set<String> distinct = bulletins.stream().flatMap(m -> m.recipients().stream()).collect(Collectors.toSet());
      long sent = span.getLong("sent");
      double seconds = span.getDouble("secs");

      System.out.println();
      System.out.printf("| subscribers (confirmed, each bulletin) | %d |%n", subscribers);
      System.out.printf("| e-mails accepted by the SMTP server / distinct recipients / recorded sent | %d / %d / %d |%n",
          bulletins.size(), distinct.size(), sent);
      System.out.printf("| send: start to last e-mail recorded sent | %.1f s (wall, incl. polling: %.1f s) |%n", seconds,
          wallSeconds);
      System.out.printf("| messages/s | %.0f |%n", sent / seconds);
      System.out.printf("| GET /health/live idle p50 / p99 / max | %s |%n", BulletinBench.percentiles(idle));
      System.out.printf("| GET /health/live during send p50 / p99 / max | %s |%n", BulletinBench.percentiles(busy));
      System.out.printf("| p99 during / idle | %.2f |%n",
          busy.getValueAtPercentile(99) / (double) idle.getValueAtPercentile(99));
      System.out.printf("| health requests idle / during (at %d/s) | %d / %d |%n", healthRate, idle.getTotalCount(),
          busy.getTotalCount());
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      app.close();
      smtp.close();
    }
    System.exit(0);
  }

  private static String send(HttpClient http, String editor) {
    JsonObject draft = new JsonObject().put("title", "Youth Safety Bulletin (benchmark)")
        .put("body", "Services, events, training and reports from across Islington this month.\n\n"
            + "The Lift youth hub runs free boxing and music sessions every Thursday, 5 to 8pm.")
        .put("audiences", new JsonArray().add("parents"));
    JsonObject created = call(http, "/v1/bulletins", editor, draft, Map.of("Idempotency-Key", "bench-" + System.nanoTime()), 201);
    String id = created.getString("id");
    call(http, "/v1/bulletins/" + id + "/send", editor, null, Map.of(), 202);
    return id;
  }

  private static JsonObject call(HttpClient http, String uri, String token, JsonObject body, Map<String, String> headers,
                                 int expected) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    headers.forEach(options::putHeader);
    Buffer answer = BulletinBench.await(http.request(options)
        .compose(req -> (body == null ? req.send() : req.send(body.toBuffer())).compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != expected) {
            throw new IllegalStateException(uri + " answered " + resp.statusCode() + ": " + b);
          }
          return b;
        }))));
    return answer.length() == 0 ? new JsonObject() : answer.toJsonObject();
  }

  private static long outboxPending(Pool pool) {
    return BulletinBench.await(pool.query("SELECT count(*) FROM notifications.outbox WHERE state = 'pending' AND next_attempt_at <= now()").execute())
        .iterator().next().getLong(0);
  }

  private static long count(Pool pool, String sql, String id) {
    return BulletinBench.await(pool.preparedQuery(sql).execute(Tuple.of(id))).iterator().next().getLong(0);
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier condition, Duration longest)
      throws InterruptedException {
    long deadline = System.nanoTime() + longest.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }


}
