package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How one dispatcher records outcomes: retries, backoff, permanent failure, leases, unknown
 * channels.
 */
class DispatcherTest extends DatabaseTest {

  @Test
  void retryLaterIsRescheduledWithGrowingBackoffAndDeliveredWhenTheChannelRecovers() {
    AtomicInteger outages = new AtomicInteger(3);
    TestChannel email =
        new TestChannel("email")
            .answering(
                m ->
                    Future.succeededFuture(
                        outages.getAndDecrement() > 0
                            ? DeliveryResult.retryLater(null, "SMTP connection refused")
                            : DeliveryResult.delivered()));
    long id = enqueue("email", "report-9", payload("text"));
    Dispatcher dispatcher = dispatcher(testOptions(), email); // backoff 1 s doubling

    List<Long> delays = new ArrayList<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(await(dispatcher.runOnce())).isEqualTo(1);
      JsonObject r = row(id);
      assertThat(r.getString("state")).isEqualTo("pending");
      assertThat(r.getInteger("attempts")).isEqualTo(attempt);
      assertThat(r.getBoolean("leased")).isFalse();
      assertThat(r.getString("last_error")).isEqualTo("SMTP connection refused");
      long base = 1000L << (attempt - 1);
      // equal jitter: between half the step and the step (a little slack for the statement's own
      // time)
      assertThat(r.getLong("due_in_ms")).isBetween(base / 2 - 200, base);
      delays.add(r.getLong("due_in_ms"));
      assertThat(await(dispatcher.runOnce())).as("not due yet").isZero();
      makeDue(id);
    }
    assertThat(delays.get(1)).isGreaterThan(delays.get(0));
    assertThat(delays.get(2)).isGreaterThan(delays.get(1));

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    OutboxStatus status = await(Outbox.statusByDedupeKey(pool, "report-9")).orElseThrow();
    assertThat(status.isDelivered()).isTrue();
    assertThat(status.attempts()).isEqualTo(4);
    assertThat(status.lastError()).isNull();
    assertThat(email.calls).extracting(OutboxMessage::attempt).containsExactly(1, 2, 3, 4);
    assertThat(email.delivered()).isEqualTo(1);
    assertThat(dispatcher.stats()).isEqualTo(new DispatcherStats(4, 1, 3, 0, 0));
  }

  @Test
  void backoffIsCappedAtMaxBackoff() {
    TestChannel email =
        new TestChannel("email")
            .answering(m -> Future.succeededFuture(DeliveryResult.retryLater(null, "down")));
    long id = enqueue("email", null, payload("x"));
    Dispatcher dispatcher =
        dispatcher(
            testOptions()
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withMaxAttempts(10),
            email);
    for (int attempt = 1; attempt <= 5; attempt++) {
      await(dispatcher.runOnce());
      assertThat(row(id).getLong("due_in_ms")).isLessThanOrEqualTo(3000);
      makeDue(id);
    }
  }

  @Test
  void retryLaterWithNotBeforeIsHonoured() {
    TestChannel push =
        new TestChannel("fcm")
            .answering(
                m ->
                    Future.succeededFuture(
                        DeliveryResult.retryLater(
                            Duration.ofMinutes(10), "HTTP 429, Retry-After 600")));
    long id = enqueue("fcm", null, payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions(), push);

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    JsonObject r = row(id);
    assertThat(r.getLong("due_in_ms"))
        .isBetween(
            Duration.ofMinutes(10).minusSeconds(5).toMillis(), Duration.ofMinutes(10).toMillis());
    assertThat(r.getString("last_error")).isEqualTo("HTTP 429, Retry-After 600");
    assertThat(await(dispatcher.runOnce())).isZero();
    assertThat(push.calls).hasSize(1);
  }

  @Test
  void failedIsPermanentAndNeverRetried() {
    TestChannel email =
        new TestChannel("email")
            .answering(
                m -> Future.succeededFuture(DeliveryResult.failed("550 mailbox unavailable")));
    long id = enqueue("email", "report-10", payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions(), email);

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    makeDue(id); // even if its time came round again
    assertThat(await(dispatcher.runOnce())).isZero();

    OutboxStatus status = await(Outbox.statusByDedupeKey(pool, "report-10")).orElseThrow();
    assertThat(status.isFailed()).isTrue();
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.lastError()).isEqualTo("550 mailbox unavailable");
    assertThat(status.nextAttemptAt()).isNull();
    assertThat(status.deliveredAt()).isNull();
    assertThat(email.calls).hasSize(1);
    assertThat(dispatcher.stats().failed()).isEqualTo(1);
    assertThat(email.gaveUp).as("a failure the channel gave is its own to handle").isEmpty();
  }

  @Test
  void reachingMaxAttemptsFailsTheMessage() {
    TestChannel email =
        new TestChannel("email")
            .answering(m -> Future.succeededFuture(DeliveryResult.retryLater(null, "SMTP down")));
    long id = enqueue("email", null, payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions().withMaxAttempts(3), email);

    for (int i = 0; i < 3; i++) {
      assertThat(await(dispatcher.runOnce())).isEqualTo(1);
      makeDue(id);
    }
    assertThat(await(dispatcher.runOnce())).isZero();
    JsonObject r = row(id);
    assertThat(r.getString("state")).isEqualTo("failed");
    assertThat(r.getInteger("attempts")).isEqualTo(3);
    assertThat(r.getString("last_error")).isEqualTo("gave up after 3 attempts: SMTP down");
    assertThat(email.calls).hasSize(3);
    assertThat(email.gaveUp)
        .as("the channel is told, once")
        .containsExactly(id + ": gave up after 3 attempts: SMTP down");
  }

  @Test
  void aChannelThatThrowsOrFailsItsFutureIsRetriedWithItsExceptionClassAsReason() {
    AtomicInteger calls = new AtomicInteger();
    TestChannel email =
        new TestChannel("email")
            .answering(
                m -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom");
                  }
                  return Future.failedFuture(new java.io.IOException("connection reset"));
                });
    long id = enqueue("email", null, payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions(), email);

    await(dispatcher.runOnce());
    assertThat(row(id).getString("last_error")).isEqualTo("IllegalStateException: boom");
    makeDue(id);
    await(dispatcher.runOnce());
    assertThat(row(id).getString("last_error")).isEqualTo("IOException: connection reset");
    assertThat(row(id).getString("state")).isEqualTo("pending");
  }

  @Test
  void aDeliveryThatOutlivesHalfTheLeaseIsRecordedAsTimedOut() {
    TestChannel email =
        new TestChannel("email").answering(m -> Promise.<DeliveryResult>promise().future());
    long id = enqueue("email", null, payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions().withLease(Duration.ofMillis(400)), email);

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    JsonObject r = row(id);
    assertThat(r.getString("state")).isEqualTo("pending");
    assertThat(r.getString("last_error")).isEqualTo("delivery timed out");
    assertThat(r.getBoolean("leased")).isFalse();
  }

  @Test
  void lastErrorNeverContainsPayloadContent() {
    String reportText = "I saw someone carrying a knife near the estate\nnames: Jo and Sam";
    TestChannel email =
        new TestChannel("email")
            .answering(
                m ->
                    Future.succeededFuture(
                        DeliveryResult.failed(
                            "554 rejected message: "
                                + m.payload().getString("text")
                                + " ("
                                + m.payload().getJsonObject("meta").getString("subject")
                                + ")")));
    long id =
        enqueue(
            "email",
            null,
            new JsonObject()
                .put("text", reportText)
                .put("meta", new JsonObject().put("subject", "Anonymous report 4711")));
    await(dispatcher(testOptions(), email).runOnce());

    String lastError = row(id).getString("last_error");
    assertThat(lastError)
        .startsWith("554 rejected message: ")
        .contains("[redacted]")
        .doesNotContain("knife")
        .doesNotContain("Jo and Sam")
        .doesNotContain("4711")
        .doesNotContain("\n");
  }

  @Test
  void rowsOfChannelsThisProcessDoesNotHaveAreLeftUntouched() {
    TestChannel email = new TestChannel("email");
    long other = enqueue("carrier-pigeon", "pigeon-1", payload("x"));
    long mine = enqueue("email", null, payload("y"));
    JsonObject before = row(other);
    Dispatcher dispatcher = dispatcher(testOptions(), email);

    assertThat(await(dispatcher.runOnce())).isEqualTo(1);
    assertThat(await(dispatcher.runOnce())).isZero();

    JsonObject after = row(other);
    assertThat(after.getString("state")).isEqualTo("pending");
    assertThat(after.getInteger("attempts")).isZero();
    assertThat(after.getBoolean("leased")).isFalse();
    assertThat(after.getString("next_attempt_at")).isEqualTo(before.getString("next_attempt_at"));
    assertThat(email.calls).extracting(OutboxMessage::id).containsExactly(mine);
  }

  @Test
  void aCrashedDispatchersRowsAreDeliveredByAnotherOnceItsLeaseExpires() {
    TestChannel email = new TestChannel("email");
    long id = enqueue("email", "report-11", payload("x"));
    // the crashed dispatcher: claimed with a short lease, then never delivered or recorded anything
    List<OutboxMessage> claimed =
        await(new OutboxStore().claim(pool, new String[] {"email"}, 10, Duration.ofMillis(300)));
    assertThat(claimed).extracting(OutboxMessage::id).containsExactly(id);
    Dispatcher survivor = dispatcher(testOptions(), email);

    assertThat(await(survivor.runOnce())).as("leased to the crashed dispatcher").isZero();
    waitUntil(
        "the lease has expired and the survivor delivered", () -> await(survivor.runOnce()) == 1);

    assertThat(email.calls).extracting(OutboxMessage::attempt).containsExactly(2);
    OutboxStatus status = await(Outbox.statusByDedupeKey(pool, "report-11")).orElseThrow();
    assertThat(status.isDelivered()).isTrue();
    assertThat(status.attempts()).isEqualTo(2);
    // had the crashed dispatcher come back, its stale claim could not overwrite the outcome
    assertThat(await(new OutboxStore().markRetry(pool, id, 1, Duration.ZERO, "late"))).isFalse();
    assertThat(await(new OutboxStore().markFailed(pool, id, 1, "late"))).isFalse();
    assertThat(await(Outbox.statusByDedupeKey(pool, "report-11")).orElseThrow().isDelivered())
        .isTrue();
  }

  @Test
  void aMessageWhoseClaimsKeepEndingWithoutAnOutcomeIsAbandonedAfterMaxAttempts() {
    TestChannel email = new TestChannel("email");
    long id = enqueue("email", null, payload("poison"));
    for (int i = 0; i < 2; i++) { // two dispatchers died while delivering it
      await(new OutboxStore().claim(pool, new String[] {"email"}, 10, Duration.ofMinutes(1)));
      makeDue(id);
    }
    await(dispatcher(testOptions().withMaxAttempts(2), email).runOnce());

    JsonObject r = row(id);
    assertThat(r.getString("state")).isEqualTo("failed");
    assertThat(r.getString("last_error"))
        .isEqualTo("abandoned after 2 attempts without an outcome");
    assertThat(email.calls).isEmpty();
    assertThat(email.gaveUp)
        .containsExactly(id + ": abandoned after 2 attempts without an outcome");
  }

  @Test
  void stopWaitsForDeliveriesInFlightAndRecordsTheirOutcome() {
    Promise<DeliveryResult> release = Promise.promise();
    TestChannel email = new TestChannel("email").answering(m -> release.future());
    long id = enqueue("email", null, payload("x"));
    Dispatcher dispatcher = dispatcher(testOptions().withPollInterval(Duration.ofHours(1)), email);
    await(dispatcher.start());
    waitUntil("the delivery has started", () -> !email.calls.isEmpty());

    Future<Void> stopped = dispatcher.stop();
    assertThat(stopped.isComplete()).isFalse();
    vertx.setTimer(50, t -> release.complete(DeliveryResult.delivered()));
    await(stopped);

    assertThat(row(id).getString("state")).isEqualTo("delivered");
  }

  @Test
  void aDispatcherWithoutChannelsClaimsNothing() {
    long id = enqueue("email", null, payload("x"));
    assertThat(await(dispatcher(testOptions()).runOnce())).isZero();
    assertThat(row(id).getInteger("attempts")).isZero();
  }
}
