package uk.gov.islington.youthsafety.content.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.testing.ConnectionGate;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * The LISTEN building block against a real PostgreSQL, with a small cache of a table: changes
 * arrive by NOTIFY, and after the connection is killed on the server a change made while it was
 * away (whose notification is lost) is caught by the full reload on reconnect.
 */
class PgListenerTest {

  static final String CHANNEL = "pg_listener_test";

  static Vertx vertx;
  static TestDatabase db;
  static Pool pool;
  ConnectionGate gate;
  final AtomicInteger troubles = new AtomicInteger();
  PgListener listener;

  /** The cache under test: key → value of the table, filled only by the listener. */
  final Map<String, String> cache = new ConcurrentHashMap<>();

  final AtomicInteger reloads = new AtomicInteger();
  final AtomicBoolean failReloads = new AtomicBoolean();

  @BeforeAll
  static void database() {
    vertx = Vertx.vertx();
    db = TestPostgres.freshDatabase("notifications");
    pool = db.pool(vertx);
    await(pool.query("CREATE TABLE cached (k text PRIMARY KEY, v text NOT NULL)").execute());
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  @BeforeEach
  void openGate() throws Exception {
    gate = ConnectionGate.to(vertx, db);
    await(pool.query("TRUNCATE cached").execute());
  }

  @AfterEach
  void stopListener() throws Exception {
    if (listener != null) {
      await(listener.stop());
    }
    gate.close();
  }

  PgListener listener(PgConnectOptions options) {
    return PgListener.builder("test cache")
        .channel(CHANNEL, key -> reloadOne(key))
        .reload(this::reloadAll)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .onTrouble(troubles::incrementAndGet)
        .build(vertx, options.addProperty("application_name", "pg-listener-test"));
  }

  private Future<?> reloadAll() {
    reloads.incrementAndGet();
    if (failReloads.get()) {
      return Future.failedFuture(new IllegalStateException("the test refuses reloads"));
    }
    return pool.query("SELECT k, v FROM cached")
        .execute()
        .onSuccess(
            rows -> {
              cache.clear();
              rows.forEach(r -> cache.put(r.getString(0), r.getString(1)));
            });
  }

  private void reloadOne(String key) {
    pool.preparedQuery("SELECT v FROM cached WHERE k = $1")
        .execute(Tuple.of(key))
        .onSuccess(
            rows -> {
              if (rows.size() == 0) {
                cache.remove(key);
              } else {
                cache.put(key, rows.iterator().next().getString(0));
              }
            });
  }

  static void put(String key, String value) {
    await(
        pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "INSERT INTO cached VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v")
                    .execute(Tuple.of(key, value))
                    .compose(
                        r ->
                            tx.preparedQuery("SELECT pg_notify($1, $2)")
                                .execute(Tuple.of(CHANNEL, key)))));
  }

  @Test
  void aCommittedChangeArrivesByNotify() {
    put("before", "1");
    listener = listener(gate.connectOptions(db));
    await(listener.start());
    assertThat(cache).containsEntry("before", "1");
    assertThat(listener.fresh()).isTrue();

    put("after", "2");
    Waiting.until("the notified change is in the cache", () -> "2".equals(cache.get("after")));
  }

  @Test
  void aChangeMadeWhileTheConnectionWasKilledIsCaughtByTheReloadOnReconnect() {
    put("k", "old");
    listener = listener(gate.connectOptions(db));
    await(listener.start());
    int reloadsBefore = reloads.get();

    // the server ends the LISTEN connection; the gate keeps the listener from coming back yet
    assertThat(troubles.get()).as("no trouble while the connection is healthy").isZero();
    gate.shut();
    assertThat(terminateListener()).isTrue();
    Waiting.until("the listener knows it lost its connection", () -> !listener.fresh());
    int atTheDrop = troubles.get();
    assertThat(atTheDrop).as("the server's error and the drop are told").isPositive();
    Waiting.until("each refused reconnect is told too", () -> troubles.get() > atTheDrop + 1);
    // committed and notified while nobody listens: the notification is lost for good
    put("k", "new");
    put("added", "while away");
    assertThat(listenerPid()).as("no LISTEN connection while the gate is shut").isNull();
    assertThat(cache).containsEntry("k", "old").doesNotContainKey("added");

    gate.open();
    Waiting.until("the listener is back and has reloaded", listener::fresh);
    assertThat(cache).containsEntry("k", "new").containsEntry("added", "while away");
    assertThat(reloads.get()).isGreaterThan(reloadsBefore);

    // and it listens again
    put("later", "3");
    Waiting.until(
        "a change after the reconnect arrives by notify", () -> "3".equals(cache.get("later")));
  }

  @Test
  void aFirstConnectionThatFailsIsRetriedUntilItSucceeds() {
    gate.shut();
    put("k", "v");
    listener = listener(gate.connectOptions(db));
    Future<Void> started = listener.start();
    // several refused connections later, still trying
    Waiting.until("the gate has refused a few attempts", () -> gate.refused() >= 3);
    assertThat(started.isComplete()).isFalse();
    assertThat(listener.fresh()).isFalse();

    gate.open();
    await(started);
    assertThat(listener.fresh()).isTrue();
    assertThat(cache).containsEntry("k", "v");
  }

  @Test
  void aFailedReloadStartsOverAndIsNotCalledFresh() {
    failReloads.set(true);
    put("k", "v");
    listener = listener(gate.connectOptions(db));
    Future<Void> started = listener.start();
    Waiting.until("the reload has been tried a few times", () -> reloads.get() >= 3);
    assertThat(started.isComplete()).isFalse();
    assertThat(listener.fresh()).isFalse();

    failReloads.set(false);
    await(started);
    assertThat(listener.fresh()).isTrue();
    assertThat(cache).containsEntry("k", "v");
  }

  @Test
  void thePeriodicActionRunsOnlyOnceLoaded() {
    AtomicInteger ticks = new AtomicInteger();
    gate.shut();
    listener =
        PgListener.builder("periodic test")
            .channel(CHANNEL, key -> {})
            .every(
                Duration.ofMillis(10),
                () -> {
                  ticks.incrementAndGet();
                  return Future.succeededFuture();
                })
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .build(vertx, gate.connectOptions(db));
    Future<Void> started = listener.start();
    Waiting.until("the gate has refused a few attempts", () -> gate.refused() >= 3);
    assertThat(ticks.get()).as("no periodic action before the first load").isZero();
    gate.open();
    await(started);
    Waiting.until("the periodic action runs", () -> ticks.get() >= 2);
  }

  @Test
  void stopClosesTheConnectionAndDoesNotReconnect() {
    listener = listener(gate.connectOptions(db));
    await(listener.start());
    assertThat(listenerPid()).isNotNull();

    await(listener.stop());
    assertThat(listener.fresh()).isFalse();
    Waiting.until("the LISTEN connection is gone", () -> listenerPid() == null);
    int connections = gate.accepted();
    put("k", "after stop");
    // a later start would be a new connection; none comes by itself
    assertThat(gate.accepted()).isEqualTo(connections);
    assertThat(cache).doesNotContainKey("k");
    listener = null;
  }

  private boolean terminateListener() {
    Integer pid = listenerPid();
    assertThat(pid).as("the listener's connection").isNotNull();
    RowSet<Row> rows =
        await(pool.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)));
    return rows.iterator().next().getBoolean(0);
  }

  private static Integer listenerPid() {
    RowSet<Row> rows =
        await(
            pool.preparedQuery(
                    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg-listener-test'")
                .execute(Tuple.of(db.database())));
    return rows.size() == 0 ? null : rows.iterator().next().getInteger(0);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
