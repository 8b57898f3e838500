package uk.gov.islington.youthsafety.content.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * The Idempotency-Key component against a real PostgreSQL: first answers, reuse, races, retention.
 */
class IdempotencyTest {

  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-10T23:30:00Z"));
  static final Idempotency IDEMPOTENCY = new Idempotency(CLOCK);

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("notifications", "content");
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    // stands for what a creating operation writes in the claim's transaction
    await(pool.query("CREATE TABLE content.test_created (id text PRIMARY KEY)").execute());
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  /**
   * One creating request: claims the key, creates the thing if first, answers the id of what the
   * key created.
   */
  private static Future<String> create(String scope, String owner, String key, String body) {
    String id = UUID.randomUUID().toString();
    Idempotency.Claim claim =
        Idempotency.Claim.of(scope, Idempotency.keyHash(owner, key), Digests.sha256(body), id);
    return pool.withTransaction(
        tx ->
            IDEMPOTENCY
                .claim(tx, claim)
                .compose(
                    first ->
                        first.isEmpty()
                            ? tx.preparedQuery("INSERT INTO content.test_created (id) VALUES ($1)")
                                .execute(Tuple.of(id))
                                .map(id)
                            : Future.succeededFuture(first.get().resultId())));
  }

  @Test
  void aReplayAnswersWhatTheFirstRequestCreated() {
    String key = UUID.randomUUID().toString();
    String first = await(create("createThing", "staff-1", key, "{\"a\":1}"));
    assertThat(await(create("createThing", "staff-1", key, "{\"a\":1}"))).isEqualTo(first);
    assertThat(count("SELECT count(*) FROM content.test_created WHERE id = $1", first))
        .isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherRequestIsRefusedAndCreatesNothing() {
    String key = UUID.randomUUID().toString();
    await(create("createThing", "staff-1", key, "{\"a\":1}"));
    long before = count("SELECT count(*) FROM content.test_created");
    assertThatThrownBy(() -> await(create("createThing", "staff-1", key, "{\"a\":2}")))
        .isInstanceOf(Idempotency.KeyReused.class)
        .hasMessage(
            "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    assertThat(count("SELECT count(*) FROM content.test_created")).isEqualTo(before);
  }

  @Test
  void keysAreScopedByOperationAndOwner() {
    String key = UUID.randomUUID().toString();
    String a = await(create("createThing", "staff-1", key, "{}"));
    assertThat(await(create("createThing", "staff-2", key, "{}"))).isNotEqualTo(a);
    assertThat(await(create("createOther", "staff-1", key, "{}"))).isNotEqualTo(a);
  }

  @Test
  void aMissingKeyIsRefusedNamingTheHeader() {
    for (String missing : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> Idempotency.keyHash("staff-1", missing))
          .isInstanceOfSatisfying(
              InvalidInput.class,
              e ->
                  assertThat(e.errors())
                      .containsExactly(
                          new InvalidInput.FieldError("Idempotency-Key", "is required")));
    }
  }

  @Test
  void theKeyIsStoredOnlyAsAHashWithTheDayOnly() {
    String key = "plain-key-" + UUID.randomUUID();
    await(create("createThing", "", key, "{}"));
    var row =
        await(
                pool.preparedQuery(
                        "SELECT key_hash, created_on::text FROM content.idempotency_keys"
                            + " WHERE key_hash = $1")
                    .execute(
                        Tuple.of(io.vertx.core.buffer.Buffer.buffer(Idempotency.keyHash("", key)))))
            .iterator()
            .next();
    assertThat(row.getBuffer(0).toString()).doesNotContain(key);
    // 23:30 UTC on 10 March is still 10 March in London (GMT)
    assertThat(row.getString(1)).isEqualTo("2026-03-10");
  }

  @Test
  void twentyConcurrentRequestsWithOneKeyMakeOneRecordAndOneAnswer() {
    String key = UUID.randomUUID().toString();
    List<Future<String>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(create("createRace", "staff-1", key, "{\"same\":true}"));
    }
    await(Future.all(all));
    String first = all.get(0).result();
    assertThat(all).allSatisfy(f -> assertThat(f.result()).isEqualTo(first));
    assertThat(count("SELECT count(*) FROM content.test_created WHERE id = $1", first))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM content.idempotency_keys WHERE scope = 'createRace'"))
        .isEqualTo(1);
  }

  @Test
  void aDuplicateInFlightWaitsForTheFirstThenGetsItsAnswer() {
    String key = UUID.randomUUID().toString();
    String id = "in-flight-" + UUID.randomUUID();
    Idempotency.Claim claim =
        Idempotency.Claim.of("createSlow", Idempotency.keyHash("", key), Digests.sha256("b"), id);
    SqlConnection held = await(pool.getConnection());
    var tx = await(held.begin());
    assertThat(await(IDEMPOTENCY.claim(held, claim))).isEmpty();
    await(
        held.preparedQuery("INSERT INTO content.test_created (id) VALUES ($1)")
            .execute(Tuple.of(id)));

    Future<String> duplicate = create("createSlow", "", key, "b");
    waitUntilSomeoneWaitsForALock();
    assertThat(duplicate.isComplete()).isFalse();
    await(tx.commit());
    assertThat(await(duplicate)).isEqualTo(id);
    await(held.close());
  }

  @Test
  void whenTheFirstRollsBackTheWaitingDuplicateBecomesTheFirst() {
    String key = UUID.randomUUID().toString();
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "createFailing", Idempotency.keyHash("", key), Digests.sha256("b"), "never-created");
    SqlConnection held = await(pool.getConnection());
    var tx = await(held.begin());
    assertThat(await(IDEMPOTENCY.claim(held, claim))).isEmpty();

    Future<String> duplicate = create("createFailing", "", key, "b");
    waitUntilSomeoneWaitsForALock();
    await(tx.rollback());
    String created = await(duplicate);
    assertThat(created).isNotEqualTo("never-created");
    assertThat(count("SELECT count(*) FROM content.test_created WHERE id = $1", created))
        .isEqualTo(1);
    await(held.close());
  }

  @Test
  void retentionDeletesWholeDaysOnceTheyAreOlderThanThePeriod() {
    MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));
    Idempotency on1June = new Idempotency(clock);
    String id = "retained-" + UUID.randomUUID();
    Idempotency.Claim claim =
        Idempotency.Claim.of("createRetained", Idempotency.keyHash("", id), Digests.sha256(""), id);
    await(pool.withTransaction(tx -> on1June.claim(tx, claim)));
    Retention rule = Idempotency.retention(Duration.ofDays(1));
    String rows = "SELECT count(*) FROM content.idempotency_keys WHERE scope = 'createRetained'";

    await(rule.purge(pool, Instant.parse("2026-06-02T22:59:00Z"))); // 23:59 on 2 June in London
    assertThat(count(rows)).isEqualTo(1);
    await(rule.purge(pool, Instant.parse("2026-06-02T23:00:00Z"))); // midnight: 1 June is past
    assertThat(count(rows)).isZero();
  }

  private static void waitUntilSomeoneWaitsForALock() {
    for (int i = 0; i < 1000; i++) {
      if (count(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND wait_event_type = 'Lock'")
          > 0) {
        return;
      }
      await(vertx.timer(10));
    }
    throw new AssertionError("the duplicate never waited for the first request's lock");
  }

  private static long count(String sql, Object... params) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
