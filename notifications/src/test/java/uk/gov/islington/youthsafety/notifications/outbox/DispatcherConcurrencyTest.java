package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several API instances share one database: two dispatchers racing must never share a message. */
class DispatcherConcurrencyTest extends DatabaseTest {

  @Test
  void twoDispatchersRacingOn200MessagesDeliverEachExactlyOnce() {
    int messages = 200;
    await(
        pool.preparedQuery(
                """
        INSERT INTO notifications.outbox (channel, dedupe_key, payload)
        SELECT 'email', 'race-' || n, jsonb_build_object('n', n) FROM generate_series(1, $1) AS n""")
            .execute(Tuple.of(messages)));

    // one channel object shared by both "instances" so that it sees any overlap between them;
    // each delivery takes a little while, so both dispatchers are busy at the same time
    TestChannel email =
        new TestChannel("email")
            .answering(
                m -> {
                  Promise<DeliveryResult> p = Promise.promise();
                  vertx.setTimer(5 + m.id() % 10, t -> p.complete(DeliveryResult.delivered()));
                  return p.future();
                });
    Pool poolA = newPool();
    Pool poolB = newPool();
    DispatcherOptions options =
        testOptions().withBatchSize(10).withPollInterval(Duration.ofMillis(50));
    Dispatcher a = dispatcher(poolA, options, email);
    Dispatcher b = dispatcher(poolB, options, email);
    await(Future.all(a.start(), b.start()));

    waitUntil("every message is delivered", () -> count("state = 'delivered'") == messages);

    assertThat(email.overlaps).as("a message delivered by two dispatchers at once").hasValue(0);
    assertThat(email.deliveredCount).hasSize(messages);
    assertThat(email.deliveredCount.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(email.calls).hasSize(messages);
    Set<Integer> payloads = new HashSet<>();
    email.calls.forEach(m -> payloads.add(m.payload().getInteger("n")));
    assertThat(payloads).hasSize(messages);
    assertThat(a.stats().claimed() + b.stats().claimed()).isEqualTo(messages);
    assertThat(a.stats().claimed()).as("first dispatcher took part").isPositive();
    assertThat(b.stats().claimed()).as("second dispatcher took part").isPositive();
    assertThat(a.stats().leasesLost() + b.stats().leasesLost()).isZero();
    assertThat(count("attempts <> 1")).isZero();
  }
}
