package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * Push batches through the real Firebase Admin SDK against the fake FCM server: the requests the
 * SDK makes, and what each FCM answer does to the subscriptions, the counters and the retries. Here
 * over production's transport (the SDK's default, HTTP/2 over TLS); {@link FcmPushHttp11Test} runs
 * every case again over HTTP/1.1.
 */
class FcmPushTest extends PushTestBase {

  private Dispatcher dispatcher() {
    return dispatcher(testOptions());
  }

  private Dispatcher dispatcher(DispatcherOptions options) {
    return dispatcher(
        vertx, pool, options, channel(pool, fcmSender(vertx, testSettings())), completionChannel());
  }

  @Test
  void sendsOneHttpV1RequestPerTokenWithTheProjectPathBearerTokenAndMessageShape() {
    List<String> tokens = subscribe(3, "shape");
    assertThat(start("job-shape", false, 500)).isEqualTo(3);

    drain(dispatcher());

    assertThat(fcm.requests()).hasSize(3);
    for (FakeFcm.Request r : fcm.requests()) {
      assertThat(r.version()).isEqualTo(fcm.protocol().name());
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/v1/projects/demo/messages:send");
      assertThat(r.authorization()).isEqualTo("Bearer " + FakeFcm.ACCESS_TOKEN);
      JsonObject m = r.message();
      assertThat(m.getJsonObject("notification").getString("title"))
          .isEqualTo("Knife crime awareness evening");
      assertThat(m.getJsonObject("notification").getString("body")).startsWith("Join us");
      assertThat(m.getJsonObject("data").getString("bulletinId")).isEqualTo("job-shape");
      assertThat(m.getJsonObject("android").getString("collapse_key")).isEqualTo("job-shape");
      assertThat(m.getJsonObject("android").getString("priority")).isEqualTo("normal");
      assertThat(m.getJsonObject("android").getString("ttl")).isEqualTo("604800s");
      assertThat(m.getJsonObject("android").getJsonObject("notification").getString("tag"))
          .isEqualTo("job-shape");
      assertThat(m.getJsonObject("apns").getJsonObject("headers").getString("apns-collapse-id"))
          .isEqualTo("job-shape");
      assertThat(m.getJsonObject("apns").getJsonObject("headers").getString("apns-priority"))
          .isEqualTo("5");
      assertThat(r.body().getBoolean("validate_only", false)).isFalse();
      assertThat(r.body().encode().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .isLessThan(4096);
    }
    assertThat(fcm.requests())
        .extracting(FakeFcm.Request::token)
        .containsExactlyInAnyOrderElementsOf(tokens);

    PushJobStatus status = status("job-shape");
    assertThat(status.sent()).isEqualTo(3);
    assertThat(status.complete()).isTrue();
    assertThat(completions).containsExactly(new JsonObject().put("job", "job-shape"));
    assertThat(
            count(
                "SELECT count(*) FROM notifications.push_batches WHERE cardinality(remaining) > 0"))
        .isZero();
  }

  @Test
  void twoBulletinsToOnePhoneAreShownAsTwoNotifications() {
    String token = subscribe(1, "two").get(0);
    start("job-first", false, 500);
    start("job-second", false, 500);
    drain(dispatcher());
    assertThat(fcm.acceptedFor(token)).isEqualTo(2);
    // each has a collapse key of its own: the phone replaces only a repeat of the same bulletin
    assertThat(fcm.shownByToken()).containsExactly(Map.entry(token, 2));
  }

  @Test
  void urgentMessagesGoWithHighPriorityAndTheTimeSensitiveLevel() {
    subscribe(1, "urgent");
    start("job-urgent", true, 500);
    drain(dispatcher());
    JsonObject m = fcm.requests().get(0).message();
    assertThat(m.getJsonObject("android").getString("priority")).isEqualTo("high");
    assertThat(m.getJsonObject("android").getJsonObject("notification").getString("channel_id"))
        .isEqualTo("bulletin_urgent");
    assertThat(m.getJsonObject("apns").getJsonObject("headers").getString("apns-priority"))
        .isEqualTo("10");
    assertThat(
            m.getJsonObject("apns")
                .getJsonObject("payload")
                .getJsonObject("aps")
                .getString("interruption-level"))
        .isEqualTo("time-sensitive");
  }

  @Test
  void urgentBatchesAreClaimedBeforeNormalBatchesAlreadyWaiting() {
    subscribe(6, "order");
    start("job-normal", false, 2);
    start("job-urgent-first", true, 2);
    Dispatcher d = dispatcher(testOptions().withBatchSize(1));
    await(d.runOnce());
    assertThat(status("job-urgent-first").sent()).isEqualTo(2);
    assertThat(status("job-normal").sent()).isZero();
  }

  @Test
  void unregisteredAndInvalidTokensAreRemovedAndCountedPayloadErrorsAreNot() {
    List<String> tokens = subscribe(6, "clean");
    fcm.answeringTokens(
        Map.of(
            tokens.get(0), FakeFcm.unregistered(),
            tokens.get(1), FakeFcm.invalidToken(),
            tokens.get(2), FakeFcm.invalidTokenMessageOnly(),
            tokens.get(3), FakeFcm.invalidPayload()));
    start("job-clean", false, 500);

    drain(dispatcher());

    PushJobStatus s = status("job-clean");
    assertThat(s.targeted()).isEqualTo(6);
    assertThat(s.sent()).isEqualTo(2);
    assertThat(s.invalidRemoved()).isEqualTo(3);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.complete()).isTrue();
    assertThat(remainingTokens())
        .containsExactlyInAnyOrder(tokens.get(3), tokens.get(4), tokens.get(5));
    // each got exactly one request: dead tokens and payload errors are not retried
    for (String t : tokens) {
      assertThat(fcm.requestsFor(t)).hasSize(1);
    }
  }

  @Test
  void quotaExceededHonoursRetryAfterForTheBatchAndPausesEverySender() {
    List<String> tokens = subscribe(4, "quota");
    fcm.answeringTokens(Map.of(tokens.get(1), FakeFcm.quotaExceeded(30)));
    start("job-quota", false, 500);
    FcmRateLimiter limiter = new FcmRateLimiter(FcmSettings.PROJECT_QUOTA_PER_MINUTE);
    Dispatcher d =
        dispatcher(
            vertx,
            pool,
            testOptions(),
            channel(pool, fcmSender(vertx, testSettings(), limiter)),
            completionChannel());

    drain(d);

    PushJobStatus s = status("job-quota");
    assertThat(s.sent()).isEqualTo(3);
    assertThat(s.pending()).isEqualTo(1);
    Row outbox =
        row(
            "SELECT state, (EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::bigint AS due_in,"
                + " last_error FROM notifications.outbox WHERE channel = 'push'");
    assertThat(outbox.getString("state")).isEqualTo("pending");
    assertThat(outbox.getLong("due_in")).isBetween(25_000L, 30_000L);
    assertThat(outbox.getString("last_error"))
        .contains("QUOTA_EXCEEDED")
        .doesNotContain(tokens.get(1));
    // the whole process waits: another batch would have to wait ~30 s for the limiter
    FcmRateLimiter.Reservation r = limiter.reserve(1, Duration.ofSeconds(1));
    assertThat(r.granted()).isFalse();
    assertThat(r.delay()).isGreaterThan(Duration.ofSeconds(25));

    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    drain(dispatcher()); // a fresh process (limiter) once the time has come
    assertThat(status("job-quota").sent()).isEqualTo(4);
    assertThat(fcm.acceptedByToken())
        .containsOnlyKeys(tokens)
        .allSatisfy((t, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void batchesThatMustWaitForTheRateLimitAreDeferredWithoutSpendingOutboxAttempts() {
    List<String> first = subscribe(1, "paused");
    fcm.answeringTokens(Map.of(first.get(0), FakeFcm.quotaExceeded(30)));
    start("job-pauser", false, 500);
    subscribe(0, "none");
    Dispatcher d = dispatcher(testOptions().withBatchSize(1));
    await(d.runOnce()); // job-pauser's batch: 429, Retry-After 30 s, every sender paused
    start("job-waiting", false, 500);
    int requests = fcm.requests().size();
    await(d.runOnce()); // job-waiting's batch cannot go for 30 s

    assertThat(fcm.requests()).hasSize(requests);
    Row original =
        row(
            "SELECT state, attempts FROM notifications.outbox WHERE dedupe_key = 'push:job-waiting:0'");
    assertThat(original.getString("state")).isEqualTo("delivered");
    Row deferred =
        row(
            "SELECT state, attempts, (EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::bigint AS due_in"
                + " FROM notifications.outbox WHERE dedupe_key LIKE 'push:job-waiting:0:again-%'");
    assertThat(deferred.getString("state")).isEqualTo("pending");
    assertThat(deferred.getInteger("attempts")).isZero();
    assertThat(deferred.getLong("due_in")).isBetween(20_000L, 31_000L);
    assertThat(
            row("SELECT busy_until IS NULL AS free, sends FROM notifications.push_batches WHERE job_id = 'job-waiting'")
                .getBoolean("free"))
        .isTrue();

    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    drain(dispatcher());
    assertThat(status("job-waiting").sent()).isEqualTo(status("job-waiting").targeted());
    assertThat(status("job-pauser").sent()).isEqualTo(1);
  }

  @Test
  void unavailableWithAShortRetryAfterIsRetriedByTheSdkNoEarlierThanAsked() {
    List<String> tokens = subscribe(1, "busy");
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    fcm.answering(req -> calls.getAndIncrement() == 0 ? FakeFcm.unavailable(1) : FakeFcm.ok());
    start("job-busy", false, 500);

    drain(dispatcher());

    List<FakeFcm.Request> requests = fcm.requestsFor(tokens.get(0));
    assertThat(requests).hasSize(2);
    long gapMillis =
        (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
    assertThat(gapMillis).as("retried after Retry-After: 1").isGreaterThanOrEqualTo(1000);
    assertThat(status("job-busy").sent()).isEqualTo(1);
    assertThat(fcm.acceptedFor(tokens.get(0))).isEqualTo(1);
  }

  @Test
  void unavailableWithALongRetryAfterReschedulesTheBatchForThen() {
    List<String> tokens = subscribe(2, "down");
    fcm.answering(req -> FakeFcm.unavailable(120));
    start("job-down", false, 500);

    drain(dispatcher());

    assertThat(status("job-down").sent()).isZero();
    assertThat(fcm.requests()).hasSize(2); // the SDK does not wait longer than 60 s itself
    Row outbox =
        row(
            "SELECT (EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::bigint AS due_in"
                + " FROM notifications.outbox WHERE channel = 'push'");
    assertThat(outbox.getLong("due_in")).isBetween(110_000L, 120_000L);

    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    drain(dispatcher());
    assertThat(status("job-down").sent()).isEqualTo(2);
    assertThat(fcm.acceptedByToken()).containsOnlyKeys(tokens);
  }

  @Test
  void internalErrorsAreRetriedWithBackoff() {
    List<String> tokens = subscribe(2, "internal");
    fcm.answeringTokens(Map.of(tokens.get(0), FakeFcm.internal()));
    start("job-internal", false, 500);
    drain(dispatcher());
    assertThat(status("job-internal").sent()).isEqualTo(1);
    Row outbox =
        row(
            "SELECT (EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::bigint AS due_in"
                + " FROM notifications.outbox WHERE channel = 'push'");
    assertThat(outbox.getLong("due_in"))
        .isLessThanOrEqualTo(1000L); // the dispatcher's backoff (1 s, jittered)
    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    drain(dispatcher());
    assertThat(status("job-internal").sent()).isEqualTo(2);
  }

  @Test
  void aHangingFcmTimesOutAndTheTokenIsRetried() {
    List<String> tokens = subscribe(3, "hang");
    fcm.answeringTokens(Map.of(tokens.get(2), FakeFcm.hang()));
    start("job-hang", false, 500);

    drain(dispatcher()); // read time-out: DEADLINE_EXCEEDED

    PushJobStatus s = status("job-hang");
    assertThat(s.sent()).isEqualTo(2);
    assertThat(s.pending()).isEqualTo(1);
    assertThat(row("SELECT last_error FROM notifications.push_batches").getString(0))
        .contains("DEADLINE_EXCEEDED");

    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    drain(dispatcher());
    assertThat(status("job-hang").sent()).isEqualTo(3);
    assertThat(fcm.acceptedFor(tokens.get(2))).isEqualTo(1);
  }

  @Test
  void atItsDeadlineABatchKeepsWhatFcmAcceptedAndRetriesOnlyTheUnanswered() {
    List<String> tokens = subscribe(3, "deadline");
    String slow = tokens.get(2);
    fcm.answeringTokens(Map.of(slow, FakeFcm.hang()));
    FcmSettings slowReads =
        new FcmSettings(
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(30),
            4,
            FcmSettings.PROJECT_QUOTA_PER_MINUTE,
            java.time.Duration.ofMillis(500),
            java.time.Duration.ofSeconds(1));
    FcmSender sender = fcmSender(vertx, slowReads);
    start("job-deadline", false, 500);

    drain(dispatcher(vertx, pool, testOptions(), channel(pool, sender), completionChannel()));

    assertThat(sender.stats().deadlines()).isEqualTo(1);
    assertThat(status("job-deadline").sent()).as("answered before the deadline").isEqualTo(2);
    assertThat(status("job-deadline").pending()).isEqualTo(1);
    assertThat(row("SELECT last_error FROM notifications.push_batches").getString(0))
        .contains("deadline");
    fcm.releaseHanging();
    fcm.answering(req -> FakeFcm.ok());
    makeAllDue();
    waitUntil(
        "the cancelled batch is no longer held",
        () ->
            count("SELECT count(*) FROM notifications.push_batches WHERE busy_until > now()") == 0);
    drain(dispatcher());
    assertThat(status("job-deadline").sent()).isEqualTo(3);
    assertThat(fcm.acceptedByToken())
        .as("each token accepted once: the deadline sent nothing again")
        .containsOnlyKeys(tokens)
        .allSatisfy((token, accepted) -> assertThat(accepted).isEqualTo(1));
  }

  @Test
  void tokensThatKeepFailingTransientlyCountAsFailedAfterTheLastSendSoTheJobCompletes() {
    subscribe(2, "giveup");
    fcm.answering(req -> FakeFcm.internal());
    start("job-giveup", false, 500);
    Dispatcher d = dispatcher();
    for (int send = 1; send <= 3; send++) { // channel(...) allows 3 sends
      drain(d);
      makeAllDue();
    }
    PushJobStatus s = status("job-giveup");
    assertThat(s.failed()).isEqualTo(2);
    assertThat(s.complete()).isTrue();
    assertThat(completions).hasSize(1);
    assertThat(fcm.requests()).hasSize(6);
  }

  @Test
  void aBatchHandedOverAgainAfterItIsDoneSendsNothing() {
    subscribe(3, "again");
    start("job-again", false, 500);
    drain(dispatcher());
    assertThat(fcm.requests()).hasSize(3);
    // as if the dispatcher had died after sending but before marking the outbox row delivered
    await(
        pool.query(
                "UPDATE notifications.outbox SET state = 'pending', next_attempt_at = now()"
                    + " WHERE channel = 'push'")
            .execute());
    drain(dispatcher());
    assertThat(fcm.requests()).hasSize(3);
    assertThat(status("job-again").sent()).isEqualTo(3);
    assertThat(completions).hasSize(1);
  }

  @Test
  void startingTheSameJobTwiceStartsItOnce() {
    subscribe(3, "twice");
    start("job-twice", false, 2);
    var again =
        await(
            pool.withTransaction(
                tx ->
                    PushFanout.start(
                        tx,
                        "job-twice",
                        message("job-twice", false),
                        new PushFanout.Target(List.of("parents"), List.of()),
                        null,
                        2,
                        java.time.Instant.now())));
    assertThat(again).isEmpty();
    assertThat(count("SELECT count(*) FROM notifications.outbox WHERE channel = 'push'"))
        .isEqualTo(2);
    drain(dispatcher());
    assertThat(fcm.requests()).hasSize(3);
  }

  @Test
  void aJobWithNobodyToReachCompletesAtOnce() {
    int targeted = start("job-empty", false, 500);
    assertThat(targeted).isZero();
    assertThat(status("job-empty").complete()).isTrue();
    drain(dispatcher());
    assertThat(completions).containsExactly(new JsonObject().put("job", "job-empty"));
  }

  @Test
  void subscriptionsGoneBeforeTheirBatchAreSkippedAndTokenReplacementsFollowed() {
    List<String> tokens = subscribe(3, "gone");
    start("job-gone", false, 500);
    await(subscriptions().unsubscribe("d.device-gone-0"));
    await(
        subscriptions()
            .subscribe(
                "d.device-gone-1",
                "gone-1-new",
                List.of("parents"),
                List.of(),
                java.time.Instant.now()));

    drain(dispatcher());

    PushJobStatus s = status("job-gone");
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(s.sent()).isEqualTo(2);
    assertThat(fcm.acceptedByToken().keySet())
        .containsExactlyInAnyOrder("gone-1-new", tokens.get(2));
  }

  private List<String> remainingTokens() {
    List<String> out = new java.util.ArrayList<>();
    await(pool.query("SELECT fcm_token FROM notifications.push_subscriptions").execute())
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }
}
