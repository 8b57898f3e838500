package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A started dispatcher wakes up on NOTIFY at commit and when a row falls due, not only on its poll:
 * the poll interval here is an hour, so anything delivered within the test's wait came another way.
 */
class DispatcherListenTest extends DatabaseTest {

  private static final DispatcherOptions HOURLY_POLL =
      testOptions().withPollInterval(Duration.ofHours(1));

  @Test
  void notifyAtCommitWakesAStartedDispatcher() {
    TestChannel email = new TestChannel("email");
    Dispatcher dispatcher = listeningDispatcher(HOURLY_POLL, email);
    await(dispatcher.start());

    long id = enqueue("email", null, payload("x"));

    waitUntil("the message is delivered", () -> email.delivered() == 1);
    waitUntil("the outcome is recorded", () -> "delivered".equals(row(id).getString("state")));
    assertThat(email.calls).extracting(OutboxMessage::id).containsExactly(id);
  }

  @Test
  void aNotificationForAChannelThisProcessDoesNotHaveIsIgnoredButItsOwnStillArrive() {
    TestChannel email = new TestChannel("email");
    Dispatcher dispatcher = listeningDispatcher(HOURLY_POLL, email);
    await(dispatcher.start());

    long other = enqueue("fcm", null, payload("x"));
    long mine = enqueue("email", null, payload("y"));

    waitUntil("the email is delivered", () -> email.delivered() == 1);
    assertThat(email.calls).extracting(OutboxMessage::id).containsExactly(mine);
    assertThat(row(other).getInteger("attempts")).isZero();
  }

  @Test
  void afterItsListenConnectionIsKilledTheDispatcherReconnectsAndIsWokenAgain() {
    TestChannel email = new TestChannel("email");
    Dispatcher dispatcher = listeningDispatcher(HOURLY_POLL, email);
    await(dispatcher.start());
    int before = listenerPid();

    await(pool.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(before)));
    waitUntil(
        "a new LISTEN connection is up",
        () -> {
          Integer now = listenerPidOrNull();
          return now != null && now != before;
        });
    long id = enqueue("email", null, payload("after the reconnect"));

    waitUntil("the message is delivered", () -> email.delivered() == 1);
    assertThat(email.calls).extracting(OutboxMessage::id).containsExactly(id);
  }

  private int listenerPid() {
    Integer pid = listenerPidOrNull();
    assertThat(pid).as("the dispatcher's LISTEN connection").isNotNull();
    return pid;
  }

  private Integer listenerPidOrNull() {
    RowSet<Row> rows =
        await(
            pool.preparedQuery(
                    """
        SELECT pid FROM pg_stat_activity
         WHERE datname = $1 AND query LIKE 'LISTEN%notifications_outbox%' AND pid <> pg_backend_pid()""")
                .execute(Tuple.of(db.database())));
    return rows.size() == 1 ? rows.iterator().next().getInteger("pid") : null;
  }

  @Test
  void aHungChannelDoesNotHoldBackAnother() {
    Promise<DeliveryResult> hang = Promise.promise();
    TestChannel fcm = new TestChannel("fcm").answering(m -> hang.future());
    TestChannel email = new TestChannel("email");
    Dispatcher dispatcher = listeningDispatcher(HOURLY_POLL, fcm, email);
    await(dispatcher.start());

    long push = enqueue("fcm", null, payload("bulletin"));
    waitUntil("the push delivery has started", () -> !fcm.calls.isEmpty());
    long mail = enqueue("email", null, payload("report forward"));

    waitUntil("the e-mail is delivered", () -> "delivered".equals(row(mail).getString("state")));
    assertThat(row(push).getString("state")).isEqualTo("pending");
    assertThat(row(push).getBoolean("leased")).isTrue();

    hang.complete(DeliveryResult.delivered());
    waitUntil("the push is recorded", () -> "delivered".equals(row(push).getString("state")));
  }

  @Test
  void aStartedDispatcherWakesWhenADeferredMessageFallsDue() {
    TestChannel email = new TestChannel("email");
    Dispatcher dispatcher = dispatcher(HOURLY_POLL, email); // no LISTEN at all
    long id =
        await(
            pool.withTransaction(
                tx ->
                    Outbox.enqueue(
                        tx, "email", null, payload("x"), Instant.now().plusMillis(300))));
    await(dispatcher.start());

    waitUntil("the deferred message is delivered", () -> email.delivered() == 1);
    assertThat(email.calls).extracting(OutboxMessage::id).containsExactly(id);
  }

  @Test
  void aStartedDispatcherDeliversTheBacklogAtStart() {
    TestChannel email = new TestChannel("email");
    for (int i = 0; i < 25; i++) {
      enqueue("email", null, payload("backlog " + i));
    }
    Dispatcher dispatcher = dispatcher(HOURLY_POLL.withBatchSize(10), email);
    await(dispatcher.start());

    waitUntil("the backlog is delivered", () -> count("state = 'delivered'") == 25);
    assertThat(email.delivered()).isEqualTo(25);
  }
}
