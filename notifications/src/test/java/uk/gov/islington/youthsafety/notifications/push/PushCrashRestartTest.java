package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * Exactly once across a crash: a dispatcher (its own Vert.x, pool, Firebase app) sends three of six
 * batches, starts the fourth, and dies in the middle of it (its Vert.x is closed while FCM has not
 * answered). A new one, started afterwards, must finish the job without skipping or repeating a
 * batch: every token is accepted by FCM exactly once, the totals add up and the job's completion is
 * reported once.
 */
class PushCrashRestartTest extends PushTestBase {

  private static final DispatcherOptions ONE_ROW_AT_A_TIME =
      new DispatcherOptions(
          1,
          Duration.ofMillis(200),
          Duration.ofSeconds(2),
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          20);

  @Test
  void aDispatcherKilledBetweenBatchesIsReplacedAndEveryTokenGetsExactlyOneMessage()
      throws Exception {
    List<String> tokens = subscribe(30, "crash");
    assertThat(start("job-crash", false, 5)).isEqualTo(30);
    assertThat(count("SELECT count(*) FROM notifications.outbox WHERE channel = 'push'"))
        .isEqualTo(6);

    // the first process
    Vertx first = newVertx();
    Pool firstPool = db.pool(first);
    Dispatcher a =
        dispatcher(
            first,
            firstPool,
            ONE_ROW_AT_A_TIME,
            new PushBatchChannel(
                firstPool,
                fcmSender(first, testSettings()),
                new PushBatchChannel.Options(Duration.ofSeconds(2), 3)),
            completionChannel());
    for (int batch = 1; batch <= 3; batch++) {
      assertThat(await(a.runOnce())).isEqualTo(1);
    }
    assertThat(fcm.acceptedTotal()).isEqualTo(15);
    assertThat(status("job-crash").sent()).isEqualTo(15);

    // the fourth batch reaches FCM, which does not answer; then the process dies
    fcm.answering(r -> FakeFcm.hang());
    a.runOnce();
    waitUntil("the fourth batch is in flight", () -> fcm.hangingCount() == 5);
    first.close().await(10, TimeUnit.SECONDS);
    fcm.releaseHanging();
    fcm.answering(r -> FakeFcm.ok());
    assertThat(count("SELECT count(*) FROM notifications.push_batches WHERE state = 'done'"))
        .isEqualTo(3);

    // a new process takes over once the dead one's claims have run out
    Dispatcher b =
        dispatcher(
            vertx,
            pool,
            ONE_ROW_AT_A_TIME,
            new PushBatchChannel(
                pool,
                fcmSender(vertx, testSettings()),
                new PushBatchChannel.Options(Duration.ofSeconds(2), 3)),
            completionChannel());
    await(b.start());
    waitUntil(
        "the job is complete", () -> status("job-crash").complete() && completions.size() == 1);

    assertThat(fcm.acceptedByToken()).containsOnlyKeys(tokens);
    assertThat(fcm.acceptedByToken().values()).allMatch(n -> n == 1);
    assertThat(fcm.acceptedTotal()).isEqualTo(30);
    PushJobStatus s = status("job-crash");
    assertThat(s.sent()).isEqualTo(30);
    assertThat(s.failed() + s.invalidRemoved() + s.skipped()).isZero();
    assertThat(s.pendingBatches()).isZero();
    assertThat(completions).hasSize(1);
    assertThat(count("SELECT count(*) FROM notifications.push_batches WHERE state = 'done'"))
        .isEqualTo(6);
    // the batch that was in flight was sent once more, to the tokens FCM had not accepted
    assertThat(count("SELECT max(claims) FROM notifications.push_batches")).isEqualTo(2);
  }
}
