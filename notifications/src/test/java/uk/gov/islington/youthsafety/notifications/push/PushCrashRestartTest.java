package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  private static final PushBatchChannel.Options HELD_2S =
      new PushBatchChannel.Options(Duration.ofSeconds(2), 3);

  /** A dispatcher of one process: its own Vert.x, pool and Firebase app. */
  private Dispatcher process(Vertx v, Pool p, PushBatchChannel.Options options) {
    return dispatcher(
        v,
        p,
        ONE_ROW_AT_A_TIME,
        new PushBatchChannel(p, fcmSender(v, testSettings()), options),
        completionChannel());
  }

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
    Dispatcher a = process(first, firstPool, HELD_2S);
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
    Dispatcher b = process(vertx, pool, HELD_2S);
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

  @Test
  void aDispatcherKilledInTheMiddleOfABatchRepeatsNothingFcmAcceptedBeforeItsLastRecord()
      throws Exception {
    SendingWithThreeHanging sending = sendingWithThreeHanging("midbatch");
    List<String> tokens = sending.tokens();
    assertThat(count("SELECT cardinality(remaining) FROM notifications.push_batches")).isEqualTo(3);
    sending.process().close().await(10, TimeUnit.SECONDS);
    fcm.releaseHanging();
    fcm.answering(r -> FakeFcm.ok());

    Dispatcher b = process(vertx, pool, HELD_2S);
    await(b.start());
    waitUntil(
        "the job is complete", () -> status("job-midbatch").complete() && completions.size() == 1);

    assertThat(fcm.acceptedByToken())
        .as("each token accepted once: the new process sent only the 3 unanswered")
        .containsOnlyKeys(tokens)
        .allSatisfy((token, accepted) -> assertThat(accepted).isEqualTo(1));
    PushJobStatus s = status("job-midbatch");
    assertThat(s.sent()).isEqualTo(10);
    assertThat(s.failed() + s.invalidRemoved() + s.skipped()).isZero();
  }

  @Test
  void aSenderWhoseBatchWasTakenOverRecordsNothingMoreAndTheNewOwnerSendsTheRest()
      throws Exception {
    SendingWithThreeHanging sending = sendingWithThreeHanging("fenced");
    List<String> tokens = sending.tokens();
    List<String> slow = tokens.subList(7, 10);

    // another worker claims the batch, as one does once a claim has outlived its lease
    row("UPDATE notifications.push_batches SET claims = claims + 1 RETURNING claims");
    fcm.acceptHanging(slow.get(0));
    Thread.sleep(500); // ten progress periods: time for a record, were one still allowed
    assertThat(status("job-fenced").sent()).isEqualTo(7);
    fcm.acceptHanging(slow.get(1));
    fcm.acceptHanging(slow.get(2));
    await(sending.run());
    assertThat(status("job-fenced").sent())
        .as("the batch's final record is refused too")
        .isEqualTo(7);
    assertThat(count("SELECT cardinality(remaining) FROM notifications.push_batches")).isEqualTo(3);
    sending.process().close().await(10, TimeUnit.SECONDS);
    fcm.answering(r -> FakeFcm.ok());

    Dispatcher b = process(vertx, pool, HELD_2S);
    await(b.start());
    waitUntil(
        "the job is complete", () -> status("job-fenced").complete() && completions.size() == 1);
    assertThat(status("job-fenced").sent()).isEqualTo(10);
    // what the worker that lost its claim sent after its last record is sent again
    assertThat(fcm.acceptedByToken())
        .containsOnlyKeys(tokens)
        .allSatisfy(
            (token, accepted) -> assertThat(accepted).isEqualTo(slow.contains(token) ? 2 : 1));
  }

  /** A first process sending one batch of ten, of which FCM leaves the last three unanswered. */
  private record SendingWithThreeHanging(List<String> tokens, Vertx process, Future<Integer> run) {}

  /** Returns once the 7 that FCM accepted are recorded, while the batch is still sending. */
  private SendingWithThreeHanging sendingWithThreeHanging(String name) {
    List<String> tokens = subscribe(10, name);
    assertThat(start("job-" + name, false, 10)).isEqualTo(10);
    List<String> slow = tokens.subList(7, 10);
    fcm.answeringTokens(
        Map.of(
            slow.get(0), FakeFcm.hang(), slow.get(1), FakeFcm.hang(), slow.get(2), FakeFcm.hang()));
    Vertx first = newVertx();
    Dispatcher a =
        process(
            first,
            db.pool(first),
            new PushBatchChannel.Options(Duration.ofSeconds(2), 3, Duration.ofMillis(50)));
    Future<Integer> run = a.runOnce();
    waitUntil(
        "what FCM accepted is recorded while the batch is still sending",
        () -> fcm.hangingCount() == 3 && status("job-" + name).sent() == 7);
    return new SendingWithThreeHanging(tokens, first, run);
  }
}
