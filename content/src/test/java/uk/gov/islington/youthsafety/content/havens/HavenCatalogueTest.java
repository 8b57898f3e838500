package uk.gov.islington.youthsafety.content.havens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.testing.ConnectionGate;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * The change sequence, delta sync and the in-memory catalogue against a real PostgreSQL: one change
 * number per transaction, no change slipping past a sync token while writers run concurrently,
 * tombstones for deletes, and a second instance kept fresh by NOTIFY alone.
 */
class HavenCatalogueTest {

  static Vertx vertx;
  static TestDatabase db;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = TestPostgres.freshDatabase("notifications", "content");
    pool = db.pool(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static HavenInput.Draft draft(String name) {
    return new HavenInput.Draft(
        name,
        "1 Upper Street, London",
        "N1 0PN",
        51.54 + ThreadLocalRandom.current().nextDouble(0.01),
        -0.10,
        "shop",
        List.of(),
        null,
        null,
        TestHavens.openDaily("09:00", "17:00"),
        LocalDate.parse("2026-06-10"));
  }

  static List<String> insert(int n, String prefix) {
    List<String> ids = new ArrayList<>();
    await(
        pool.withTransaction(
            tx -> {
              Future<?> f = Future.succeededFuture();
              for (int i = 0; i < n; i++) {
                String id = Ids.haven();
                ids.add(id);
                String name = prefix + i;
                f =
                    f.compose(
                        v ->
                            new HavenStore()
                                .insert(tx, id, draft(name), false, null, Instant.now(), "test"));
              }
              return f;
            }));
    return ids;
  }

  static HavenCatalogue catalogue(Duration resync) {
    HavenCatalogue c = new HavenCatalogue(vertx, pool, db.connectOptions(), resync);
    await(c.start());
    return c;
  }

  @Test
  void oneChangeNumberPerTransaction() {
    List<String> ids = insert(3, "batch-");
    List<Long> seqs = new ArrayList<>();
    for (String id : ids) {
      seqs.add(await(new HavenStore().get(pool, id, false)).orElseThrow().changeSeq());
    }
    assertThat(seqs).containsOnly(seqs.get(0));
    String next = insert(1, "single-").get(0);
    assertThat(await(new HavenStore().get(pool, next, false)).orElseThrow().changeSeq())
        .isEqualTo(seqs.get(0) + 1);
  }

  @Test
  void concurrentWritersNeverSlipPastASyncToken() {
    List<String> ids = insert(30, "concurrent-");
    HavenCatalogue catalogue = catalogue(Duration.ofHours(1));
    try {
      // a client following deltas, and a naive reader of the table by change number, both while
      // eight writers commit in overlapping transactions that hold their number for a while
      Map<String, String> client = new HashMap<>();
      Map<String, Boolean> naive = new HashMap<>();
      long[] clientSeq = {0};
      long[] naiveSeq = {0};
      String epoch = await(catalogue.snapshot()).epoch();
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        writers.add(writer(ids, 25));
      }
      Future<Void> all = Future.all(writers).mapEmpty();
      all.onComplete(x -> writing.set(false));
      int rounds = 0;
      while (writing.get() || rounds < 2) {
        if (!writing.get()) {
          rounds++;
        }
        HavenCatalogue.Snapshot s = await(catalogue.refresh());
        HavenCatalogue.Delta d = s.since(clientSeq[0]);
        d.items().forEach(h -> client.put(h.id(), h.name()));
        d.removed().forEach(client::remove);
        clientSeq[0] = s.seq();
        naiveRead(naive, naiveSeq);
      }
      await(all);
      // one last round after every writer has committed
      HavenCatalogue.Snapshot s = await(catalogue.refresh());
      HavenCatalogue.Delta d = s.since(clientSeq[0]);
      d.items().forEach(h -> client.put(h.id(), h.name()));
      d.removed().forEach(client::remove);
      naiveRead(naive, naiveSeq);

      Map<String, String> truth = new HashMap<>();
      Map<String, Boolean> truthAll = new HashMap<>();
      await(pool.query("SELECT id, name, status FROM content.havens").execute())
          .forEach(
              r -> {
                truthAll.put(r.getString(0), r.getString(2).equals("published"));
                if (r.getString(2).equals("published")) {
                  truth.put(r.getString(0), r.getString(1));
                }
              });
      assertThat(client).isEqualTo(truth);
      assertThat(naive).isEqualTo(truthAll);
      assertThat(s.epoch()).isEqualTo(epoch);
      assertThat(s.published())
          .extracting(Haven::id)
          .containsExactlyInAnyOrderElementsOf(truth.keySet());
    } finally {
      await(catalogue.close());
    }
  }

  /** Reads rows above the last number seen, as a client of the raw table would. */
  private static void naiveRead(Map<String, Boolean> into, long[] seq) {
    for (Haven h : await(new HavenStore().changedSince(pool, seq[0], null, 100_000))) {
      into.put(h.id(), h.published());
      seq[0] = Math.max(seq[0], h.changeSeq());
    }
  }

  private static Future<?> writer(List<String> ids, int transactions) {
    Future<?> f = Future.succeededFuture();
    for (int i = 0; i < transactions; i++) {
      f =
          f.compose(
              v ->
                  pool.withTransaction(
                      tx -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        String id = ids.get(r.nextInt(ids.size()));
                        String sql =
                            switch (r.nextInt(3)) {
                              case 0 ->
                                  "UPDATE content.havens SET name = name || '.' WHERE id = $1";
                              case 1 ->
                                  "UPDATE content.havens SET status = 'suspended', suspended_reason = 'test' WHERE id = $1";
                              default ->
                                  "UPDATE content.havens SET status = 'published', suspended_reason = NULL WHERE id = $1";
                            };
                        // the number is taken by the first write and held until commit; the sleep
                        // keeps it in flight
                        return tx.preparedQuery(sql)
                            .execute(Tuple.of(id))
                            .compose(x -> tx.query("SELECT pg_sleep(0.003)").execute());
                      }));
    }
    return f;
  }

  @Test
  void aRefreshWithNothingNewKeepsTheSnapshot() {
    HavenCatalogue catalogue = catalogue(Duration.ofHours(1));
    try {
      // many havens under one change number (one transaction, like a bulk load)
      insert(5, "same-number-");
      HavenCatalogue.Snapshot loaded = await(catalogue.refresh());
      // nothing numbered above what it holds: no reload, no rebuild, the same snapshot
      assertThat(await(catalogue.refresh())).isSameAs(loaded);
      assertThat(await(catalogue.refresh())).isSameAs(loaded);
    } finally {
      await(catalogue.close());
    }
  }

  @Test
  void deletedHavensAreReportedAsRemoved() {
    HavenCatalogue catalogue = catalogue(Duration.ofHours(1));
    try {
      String id = insert(1, "doomed-").get(0);
      long before = await(catalogue.refresh()).seq();
      assertThat(await(catalogue.snapshot()).get(id)).isNotNull();
      await(pool.preparedQuery("DELETE FROM content.havens WHERE id = $1").execute(Tuple.of(id)));
      HavenCatalogue.Snapshot after = await(catalogue.refresh());
      assertThat(after.get(id)).isNull();
      assertThat(after.since(before).removed()).contains(id);
      assertThat(after.seq()).isGreaterThan(before);
    } finally {
      await(catalogue.close());
    }
  }

  @Test
  void anotherInstanceIsKeptFreshByNotifyAlone() throws Exception {
    // no periodic catch-up within the test: only the notification can bring the change
    HavenCatalogue other = catalogue(Duration.ofHours(1));
    try {
      String id = insert(1, "notified-").get(0);
      Waiting.until(
          "seen through LISTEN/NOTIFY",
          Duration.ofSeconds(20),
          () -> await(other.snapshot()).get(id) != null);
    } finally {
      await(other.close());
    }
  }

  @Test
  void aChangeMadeWhileItsListenConnectionWasKilledIsCaughtOnReconnect() throws Exception {
    try (ConnectionGate gate = ConnectionGate.to(vertx, db)) {
      // no periodic catch-up within the test: only the reload after the reconnect can bring it
      HavenCatalogue catalogue =
          new HavenCatalogue(
              vertx,
              pool,
              gate.connectOptions(db).addProperty("application_name", "haven-catalogue-test"),
              Duration.ofHours(1));
      try {
        await(catalogue.start());
        gate.shut();
        int pid =
            await(
                    pool.preparedQuery(
                            """
                SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'haven-catalogue-test'""")
                        .execute(Tuple.of(db.database())))
                .iterator()
                .next()
                .getInteger(0);
        await(pool.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)));
        Waiting.until(
            "the catalogue knows it is not listening", () -> !catalogue.listener().fresh());

        String id = insert(1, "while-away-").get(0);
        assertThat(await(catalogue.snapshot()).get(id))
            .as("its notification went nowhere")
            .isNull();

        gate.open();
        Waiting.until("the catalogue listens again", () -> catalogue.listener().fresh());
        assertThat(await(catalogue.snapshot()).get(id))
            .as("caught by the reload after the reconnect")
            .isNotNull();
      } finally {
        await(catalogue.close());
      }
    }
  }
}
