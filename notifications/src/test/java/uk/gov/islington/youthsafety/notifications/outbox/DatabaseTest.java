package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * A fresh migrated database per test class, emptied before each test, and small helpers that read
 * the outbox the way an operator would (SQL against the real tables, no mocks).
 */
@ExtendWith(VertxExtension.class)
public abstract class DatabaseTest {

  static final Duration WAIT = Duration.ofSeconds(10);

  static TestDatabase db;

  Vertx vertx;
  Pool pool;
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private final List<Pool> pools = new ArrayList<>();

  @BeforeAll
  static void database() {
    db = TestPostgres.freshDatabase("notifications");
  }

  @BeforeEach
  void connect(Vertx vertx) {
    this.vertx = vertx;
    this.pool = newPool();
    await(
        pool.query("TRUNCATE notifications.outbox, notifications.local_sink RESTART IDENTITY")
            .execute());
  }

  @AfterEach
  void disconnect() {
    for (Dispatcher d : dispatchers) {
      await(d.stop());
    }
    for (Pool p : pools) {
      await(p.close());
    }
  }

  Pool newPool() {
    Pool p = db.pool(vertx);
    pools.add(p);
    return p;
  }

  /**
   * Short backoff and lease so that tests can drive retries without waiting for real time (the push
   * tests' too).
   */
  public static DispatcherOptions testOptions() {
    return new DispatcherOptions(
        10,
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofMinutes(10),
        5);
  }

  Dispatcher dispatcher(DispatcherOptions options, Channel... channels) {
    return dispatcher(pool, options, channels);
  }

  Dispatcher dispatcher(Pool on, DispatcherOptions options, Channel... channels) {
    Dispatcher d = new Dispatcher(vertx, on, null, Clock.systemUTC(), List.of(channels), options);
    dispatchers.add(d);
    return d;
  }

  Dispatcher listeningDispatcher(DispatcherOptions options, Channel... channels) {
    Dispatcher d =
        new Dispatcher(
            vertx, pool, db.connectOptions(), Clock.systemUTC(), List.of(channels), options);
    dispatchers.add(d);
    return d;
  }

  /** Enqueues in its own committed transaction. */
  long enqueue(String channel, String dedupeKey, JsonObject payload) {
    return await(pool.withTransaction(tx -> Outbox.enqueue(tx, channel, dedupeKey, payload)));
  }

  /** The row as stored, plus due_in_ms (next_attempt_at - now() by the database clock). */
  JsonObject row(long id) {
    Row r =
        await(
                pool.preparedQuery(
                        """
        SELECT state, attempts, last_error, lease_until IS NOT NULL AS leased,
               (EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::bigint AS due_in_ms,
               next_attempt_at::text AS next_attempt_at, delivered_at IS NOT NULL AS has_delivered_at
          FROM notifications.outbox WHERE id = $1""")
                    .execute(Tuple.of(id)))
            .iterator()
            .next();
    return new JsonObject()
        .put("state", r.getString("state"))
        .put("attempts", r.getInteger("attempts"))
        .put("last_error", r.getString("last_error"))
        .put("leased", r.getBoolean("leased"))
        .put("due_in_ms", r.getLong("due_in_ms"))
        .put("next_attempt_at", r.getString("next_attempt_at"))
        .put("has_delivered_at", r.getBoolean("has_delivered_at"));
  }

  long count(String where) {
    return await(
            pool.query("SELECT count(*) AS n FROM notifications.outbox WHERE " + where).execute())
        .iterator()
        .next()
        .getLong("n");
  }

  /**
   * Stands in for time passing: the row is due now (the dispatcher reads due times from the
   * database).
   */
  void makeDue(long id) {
    await(
        pool.preparedQuery("UPDATE notifications.outbox SET next_attempt_at = now() WHERE id = $1")
            .execute(Tuple.of(id)));
  }

  static <T> T await(Future<T> future) {
    return Waiting.await(future, WAIT);
  }

  /** Polls a condition instead of sleeping a fixed time. */
  static void waitUntil(String what, BooleanSupplier condition) {
    Waiting.until(what, WAIT, condition);
  }

  static JsonObject payload(String text) {
    return new JsonObject().put("text", text);
  }
}
