package uk.gov.islington.youthsafety.notifications.push;

import com.google.firebase.FirebaseApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DatabaseTest;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;
import uk.gov.islington.youthsafety.testing.FakeFcm;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * A fresh notifications database per test class (emptied before each test), a fake FCM server, and
 * helpers to subscribe devices, start push jobs and read what the tables say.
 */
abstract class PushTestBase {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String COMPLETE = "test-push-complete";
  static final SubscriberKeys KEYS =
      new SubscriberKeys("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  static TestDatabase db;
  static FakeFcm fcm;

  Vertx vertx;
  Pool pool;
  final List<Vertx> vertxes = new ArrayList<>();
  final List<FirebaseApp> apps = new ArrayList<>();
  final List<Dispatcher> dispatchers = new ArrayList<>();
  final List<JsonObject> completions = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAll() {
    db = TestPostgres.freshDatabase("notifications");
    fcm = FakeFcm.start();
  }

  @AfterAll
  static void stopAll() {
    fcm.close();
    TestPostgres.drop(db);
  }

  @BeforeEach
  void setUp() {
    fcm.reset();
    vertx = newVertx();
    pool = db.pool(vertx);
    await(
        pool.query(
                "TRUNCATE notifications.outbox, notifications.local_sink, notifications.push_jobs,"
                    + " notifications.push_batches, notifications.push_subscriptions RESTART IDENTITY CASCADE")
            .execute());
  }

  @AfterEach
  void tearDown() {
    for (Dispatcher d : dispatchers) {
      try {
        d.stop().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // its Vert.x may be gone already (the crash test)
      }
    }
    for (FirebaseApp app : apps) {
      app.delete();
    }
    for (Vertx v : vertxes) {
      try {
        v.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already closed
      }
    }
  }

  Vertx newVertx() {
    Vertx v = Vertx.vertx();
    vertxes.add(v);
    return v;
  }

  /**
   * Short time-outs so that hangs play out in a test's time, yet long enough for a cold fake server
   * on a busy machine to answer.
   */
  static FcmSettings testSettings() {
    return new FcmSettings(
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        16,
        FcmSettings.PROJECT_QUOTA_PER_MINUTE,
        Duration.ofSeconds(8),
        Duration.ofSeconds(2));
  }

  static DispatcherOptions testOptions() {
    return DatabaseTest.testOptions().withMaxAttempts(20);
  }

  FirebaseApp firebase(FcmSettings settings) {
    FirebaseApp app = fcm.firebaseApp("push-test-" + UUID.randomUUID(), settings);
    apps.add(app);
    return app;
  }

  FcmSender fcmSender(Vertx on, FcmSettings settings) {
    return fcmSender(on, settings, new FcmRateLimiter(settings.messagesPerMinute()));
  }

  FcmSender fcmSender(Vertx on, FcmSettings settings, FcmRateLimiter limiter) {
    return new FcmSender(
        on,
        com.google.firebase.messaging.FirebaseMessaging.getInstance(firebase(settings)),
        limiter,
        settings,
        Clock.systemUTC());
  }

  PushBatchChannel channel(Pool on, PushSender sender) {
    return new PushBatchChannel(
        on, sender, new PushBatchChannel.Options(Duration.ofSeconds(15), 3));
  }

  /** A channel that records push-job completions. */
  Channel completionChannel() {
    return new Channel() {
      @Override
      public String name() {
        return COMPLETE;
      }

      @Override
      public Future<DeliveryResult> deliver(OutboxMessage message) {
        completions.add(message.payload());
        return Future.succeededFuture(DeliveryResult.delivered());
      }
    };
  }

  Dispatcher dispatcher(Vertx on, Pool onPool, DispatcherOptions options, Channel... channels) {
    Dispatcher d = new Dispatcher(on, onPool, null, Clock.systemUTC(), List.of(channels), options);
    dispatchers.add(d);
    return d;
  }

  /** Runs the dispatcher until a round handles nothing. */
  int drain(Dispatcher dispatcher) {
    int total = 0;
    int handled;
    do {
      handled = await(dispatcher.runOnce());
      total += handled;
    } while (handled > 0);
    return total;
  }

  // ---- data ----------------------------------------------------------------------------------

  PushSubscriptions subscriptions() {
    return new PushSubscriptions(pool, KEYS);
  }

  /** Subscribes n devices to "parents" with tokens prefix-0 .. prefix-(n-1). */
  List<String> subscribe(int n, String prefix) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String token = prefix + "-" + i;
      await(
          subscriptions()
              .subscribe(
                  "d.device-" + prefix + "-" + i,
                  token,
                  List.of("parents"),
                  List.of(),
                  Instant.now()));
      tokens.add(token);
    }
    return tokens;
  }

  static PushMessage message(String id, boolean urgent) {
    return new PushMessage(
        "Knife crime awareness evening",
        "Join us at the Lift youth hub on Thursday.",
        java.util.Map.of("type", "bulletin", "bulletinId", id),
        id,
        urgent,
        Duration.ofDays(7));
  }

  /** Starts a job for "parents" in its own transaction. */
  int start(String jobId, boolean urgent, int batchSize) {
    return await(
            pool.withTransaction(
                tx ->
                    PushFanout.start(
                        tx,
                        jobId,
                        message(jobId, urgent),
                        new PushFanout.Target(List.of("parents"), List.of()),
                        new PushFanout.Completion(COMPLETE, new JsonObject().put("job", jobId)),
                        batchSize,
                        Instant.now())))
        .orElseThrow();
  }

  PushJobStatus status(String jobId) {
    return await(PushFanout.status(pool, jobId)).orElseThrow();
  }

  long count(String sql, Object... params) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  Row row(String sql, Object... params) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
  }

  /** Stands in for time passing: every pending outbox row is due now. */
  void makeAllDue() {
    await(
        pool.query(
                "UPDATE notifications.outbox SET next_attempt_at = now() WHERE state = 'pending'")
            .execute());
  }

  static <T> T await(Future<T> future) {
    return Waiting.await(future, WAIT);
  }

  static void waitUntil(String what, BooleanSupplier condition) {
    Waiting.until(what, WAIT, condition);
  }
}
