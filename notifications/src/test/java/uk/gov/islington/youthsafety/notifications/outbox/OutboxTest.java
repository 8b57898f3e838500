package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The producer side: what {@link Outbox#enqueue} writes, within which transaction, and how often.
 */
class OutboxTest extends DatabaseTest {

  @Test
  void enqueueInATransactionThatRollsBackLeavesNothingPending() {
    TestChannel email = new TestChannel("email");
    Future<Long> attempt =
        pool.withTransaction(
            tx ->
                Outbox.enqueue(tx, "email", "report-1", payload("secret"))
                    .compose(
                        id ->
                            Future.failedFuture(
                                new IllegalStateException("the change itself failed"))));
    assertThatThrownBy(() -> await(attempt)).hasMessageContaining("the change itself failed");

    assertThat(count("true")).isZero();
    assertThat(await(dispatcher(testOptions(), email).runOnce())).isZero();
    assertThat(email.calls).isEmpty();
    assertThat(await(Outbox.statusByDedupeKey(pool, "report-1"))).isEmpty();
  }

  @Test
  void committedEnqueueIsDeliveredOnce() {
    TestChannel email = new TestChannel("email");
    long id = enqueue("email", "report-2", payload("hello"));
    Dispatcher dispatcher = dispatcher(testOptions(), email);

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    assertThat(await(dispatcher.runOnce())).isZero();

    assertThat(email.calls).hasSize(1);
    OutboxMessage message = email.calls.get(0);
    assertThat(message.id()).isEqualTo(id);
    assertThat(message.channel()).isEqualTo("email");
    assertThat(message.dedupeKey()).isEqualTo("report-2");
    assertThat(message.payload()).isEqualTo(payload("hello"));
    assertThat(message.attempt()).isEqualTo(1);
    assertThat(message.createdAt()).isNotNull();

    OutboxStatus status = await(Outbox.statusByDedupeKey(pool, "report-2")).orElseThrow();
    assertThat(status.isDelivered()).isTrue();
    assertThat(status.id()).isEqualTo(id);
    assertThat(status.channel()).isEqualTo("email");
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.lastError()).isNull();
    assertThat(status.nextAttemptAt()).isNull();
    assertThat(status.deliveredAt()).isNotNull();
    assertThat(row(id).getBoolean("leased")).isFalse();
    assertThat(dispatcher.stats().delivered()).isEqualTo(1);
  }

  @Test
  void aDedupeKeyIsOneRowWhetherEnqueuedInOneTransactionOrSeveral() {
    long first = enqueue("email", "bulletin-7", payload("one"));
    long again = enqueue("email", "bulletin-7", payload("two"));
    long sameTx =
        await(
            pool.withTransaction(
                tx ->
                    Outbox.enqueue(tx, "email", "bulletin-8", payload("a"))
                        .compose(
                            a ->
                                Outbox.enqueue(tx, "email", "bulletin-8", payload("b"))
                                    .map(
                                        b -> {
                                          assertThat(b).isEqualTo(a);
                                          return b;
                                        }))));

    assertThat(again).isEqualTo(first);
    assertThat(count("dedupe_key = 'bulletin-7'")).isEqualTo(1);
    assertThat(count("dedupe_key = 'bulletin-8'")).isEqualTo(1);
    assertThat(count("id = " + sameTx)).isEqualTo(1);
    JsonObject stored =
        await(
                pool.preparedQuery("SELECT payload FROM notifications.outbox WHERE id = $1")
                    .execute(Tuple.of(first)))
            .iterator()
            .next()
            .getJsonObject("payload");
    assertThat(stored).isEqualTo(payload("one"));
  }

  @Test
  void messagesWithoutADedupeKeyAreNeverMerged() {
    long a = enqueue("email", null, payload("x"));
    long b = enqueue("email", null, payload("x"));
    assertThat(a).isNotEqualTo(b);
    assertThat(count("true")).isEqualTo(2);
  }

  @Test
  void notBeforeKeepsTheMessageBackUntilThen() {
    TestChannel push = new TestChannel("fcm");
    long id =
        await(
            pool.withTransaction(
                tx ->
                    Outbox.enqueue(
                        tx,
                        "fcm",
                        null,
                        payload("later"),
                        Instant.now().plus(Duration.ofHours(1)))));
    Dispatcher dispatcher = dispatcher(testOptions(), push);

    assertThat(await(dispatcher.runOnce())).isZero();
    assertThat(row(id).getLong("due_in_ms"))
        .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    makeDue(id);
    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    assertThat(push.delivered()).isEqualTo(1);
  }

  @Test
  void badArgumentsAreRejectedWithoutTouchingTheDatabase() {
    assertThatThrownBy(() -> await(Outbox.enqueue(pool, "", null, payload("x"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(Outbox.enqueue(pool, "email", null, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(Outbox.enqueue(pool, "email", "k".repeat(201), payload("x"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(count("true")).isZero();
  }

  @Test
  void statusOfAnUnknownOrNullKeyIsEmpty() {
    assertThat(await(Outbox.statusByDedupeKey(pool, "nope"))).isEqualTo(Optional.empty());
    assertThat(await(Outbox.statusByDedupeKey(pool, null))).isEqualTo(Optional.empty());
  }

  @Test
  void statusOfAPendingMessageSaysWhenItIsDue() {
    enqueue("email", "report-3", payload("x"));
    OutboxStatus status = await(Outbox.statusByDedupeKey(pool, "report-3")).orElseThrow();
    assertThat(status.isPending()).isTrue();
    assertThat(status.state()).isEqualTo(OutboxStatus.PENDING);
    assertThat(status.attempts()).isZero();
    assertThat(status.nextAttemptAt()).isNotNull();
    assertThat(status.deliveredAt()).isNull();
  }

  @Test
  void purgeRemovesOnlyOldFinishedMessages() {
    long pending = enqueue("email", null, payload("p"));
    long delivered = enqueue("email", null, payload("d"));
    long failed = enqueue("email", null, payload("f"));
    await(
        pool.query("UPDATE notifications.outbox SET created_at = now() - interval '40 days'")
            .execute());
    await(
        pool.preparedQuery("UPDATE notifications.outbox SET state = 'delivered' WHERE id = $1")
            .execute(Tuple.of(delivered)));
    await(
        pool.preparedQuery("UPDATE notifications.outbox SET state = 'failed' WHERE id = $1")
            .execute(Tuple.of(failed)));
    long recent = enqueue("email", null, payload("r"));
    await(
        pool.preparedQuery("UPDATE notifications.outbox SET state = 'delivered' WHERE id = $1")
            .execute(Tuple.of(recent)));

    assertThat(await(Outbox.purgeFinished(pool, Duration.ofDays(30)))).isEqualTo(2);
    assertThat(count("id = " + pending)).isEqualTo(1);
    assertThat(count("id = " + recent)).isEqualTo(1);
    assertThat(count("true")).isEqualTo(2);
  }

  @Test
  void refreshedStatisticsTellThePlannerThatMessagesArePending() {
    java.util.Map<String, JsonObject> many = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 2000; i++) {
      many.put("bulk-" + i, payload("bulletin"));
    }
    await(pool.withTransaction(tx -> Outbox.enqueueEach(tx, "email", many)));
    long before = analyzeCount();

    await(Outbox.refreshStatistics(pool));

    assertThat(analyzeCount()).isGreaterThan(before);
    String states =
        await(
                pool.query(
                        "SELECT most_common_vals::text FROM pg_stats WHERE schemaname = 'notifications'"
                            + " AND tablename = 'outbox' AND attname = 'state'")
                    .execute())
            .iterator()
            .next()
            .getString(0);
    assertThat(states).contains("pending");
  }

  @Test
  void refreshingStatisticsNeverFails() throws Exception {
    io.vertx.sqlclient.Pool closed = newPool();
    await(closed.close());
    assertThat(Outbox.refreshStatistics(closed).await(10, java.util.concurrent.TimeUnit.SECONDS))
        .isNull();
  }

  private long analyzeCount() {
    return await(
            pool.query("SELECT pg_stat_get_analyze_count('notifications.outbox'::regclass)")
                .execute())
        .iterator()
        .next()
        .getLong(0);
  }
}
