package uk.gov.islington.youthsafety.notifications.push;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.SendResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Sends a batch through the Firebase Admin SDK with {@code sendEachAsync}: one HTTP v1 request per
 * token, made by the SDK's own worker threads (see {@link FirebaseSetup}), so the event loop only
 * builds the messages and is called back with the results. Before sending, the batch reserves its
 * messages from the process-wide {@link FcmRateLimiter}; a 429/503 with Retry-After pauses that
 * limiter for everyone. A batch still in flight at its deadline is cancelled (which also stops the
 * SDK's own 503 retry sleeps) and its messages are retried later.
 */
public final class FcmSender implements PushSender {

  private static final Logger LOG = LoggerFactory.getLogger(FcmSender.class);
  private static final SendResult SHUTTING_DOWN =
      new SendResult.NotNow(Duration.ZERO, "instance shutting down");

  /** Counters since start, for metrics. */
  public record Stats(long sent, long invalidTokens, long failed, long retried, long deadlines) {}

  private final Vertx vertx;
  private final FirebaseMessaging messaging;
  private final FcmRateLimiter limiter;
  private final FcmSettings settings;
  private final Clock clock;
  private final InFlightGate gate;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadlines = new AtomicLong();
  private volatile boolean stopping;

  public FcmSender(
      Vertx vertx,
      FirebaseMessaging messaging,
      FcmRateLimiter limiter,
      FcmSettings settings,
      Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.messaging = Objects.requireNonNull(messaging, "messaging");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    // enough for the workers never to run dry between batches, not so much that batches queue
    this.gate =
        new InFlightGate(
            vertx, Math.max(2 * PushFanout.MAX_BATCH_SIZE, 4 * settings.senderThreads()));
  }

  public Stats stats() {
    return new Stats(sent.get(), invalid.get(), failed.get(), retried.get(), deadlines.get());
  }

  @Override
  public void stop() {
    stopping = true;
  }

  @Override
  public Future<SendResult> send(OutboxMessage origin, PushMessage message, List<String> tokens) {
    if (tokens.isEmpty()) {
      return Future.succeededFuture(new SendResult.Outcomes(List.of()));
    }
    if (tokens.size() > PushFanout.MAX_BATCH_SIZE) {
      return Future.failedFuture(new IllegalArgumentException("at most 500 tokens per batch"));
    }
    Context context = vertx.getOrCreateContext();
    int n = tokens.size();
    return gate.acquire(n, settings.maxLimiterWait())
        .compose(
            admitted -> {
              if (stopping) {
                gate.release(n);
                return Future.succeededFuture((SendResult) SHUTTING_DOWN);
              }
              FcmRateLimiter.Reservation reservation =
                  limiter.reserve(n, settings.maxLimiterWait());
              if (!reservation.granted()) {
                gate.release(n);
                return Future.succeededFuture(
                    (SendResult) new SendResult.NotNow(reservation.delay(), "FCM rate limit"));
              }
              return after(reservation.delay())
                  .compose(
                      v ->
                          stopping
                              ? Future.succeededFuture(SHUTTING_DOWN)
                              : sendNow(context, message, tokens))
                  .andThen(done -> gate.release(n));
            },
            error ->
                error instanceof InFlightGate.NoRoom
                    ? Future.succeededFuture(
                        new SendResult.NotNow(settings.maxLimiterWait(), "sender busy"))
                    : Future.failedFuture(error));
  }

  private Future<Void> after(Duration wait) {
    if (wait.toMillis() < 1) {
      return Future.succeededFuture();
    }
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(wait.toMillis(), id -> waited.complete());
    return waited.future();
  }

  private Future<SendResult> sendNow(Context context, PushMessage message, List<String> tokens) {
    // building 500 SDK messages and handing them to its pool is CPU work: keep it off the event
    // loop
    return vertx
        .executeBlocking(
            () -> {
              List<Message> messages = new ArrayList<>(tokens.size());
              for (String token : tokens) {
                messages.add(FcmMessages.build(message, token, clock.instant()));
              }
              return messaging.sendEachAsync(messages);
            },
            false)
        .compose(sending -> awaitBatch(context, sending, tokens));
  }

  private Future<SendResult> awaitBatch(
      Context context, ApiFuture<BatchResponse> sending, List<String> tokens) {
    Promise<SendResult> result = Promise.promise();
    long deadline =
        vertx.setTimer(
            settings.batchDeadline().toMillis(),
            id -> {
              if (!sending.isDone()) {
                deadlines.incrementAndGet();
                LOG.warn(
                    "FCM batch of {} still in flight after {} ms: cancelled, its messages will be retried",
                    tokens.size(),
                    settings.batchDeadline().toMillis());
                sending.cancel(true);
              }
            });
    ApiFutures.addCallback(
        sending,
        new ApiFutureCallback<>() {
          @Override
          public void onSuccess(BatchResponse response) {
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(deadline);
                  result.tryComplete(new SendResult.Outcomes(outcomes(response, tokens.size())));
                });
          }

          @Override
          public void onFailure(Throwable error) {
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(deadline);
                  String reason =
                      error instanceof java.util.concurrent.CancellationException
                          ? "batch deadline passed"
                          : "send failed: " + error.getClass().getSimpleName();
                  List<Outcome> all = new ArrayList<>(tokens.size());
                  for (int i = 0; i < tokens.size(); i++) {
                    all.add(new Outcome.Retry(null, reason));
                  }
                  retried.addAndGet(tokens.size());
                  result.tryComplete(new SendResult.Outcomes(all));
                });
          }
        },
        MoreExecutors.directExecutor());
    return result.future();
  }

  private List<Outcome> outcomes(BatchResponse response, int expected) {
    List<SendResponse> responses = response.getResponses();
    List<Outcome> outcomes = new ArrayList<>(expected);
    Duration pause = null;
    for (SendResponse r : responses) {
      Outcome o = r.isSuccessful() ? Outcome.SENT : FcmErrors.classify(r.getException(), clock);
      outcomes.add(o);
      if (o instanceof Outcome.Sent) {
        sent.incrementAndGet();
      } else if (o instanceof Outcome.InvalidToken) {
        invalid.incrementAndGet();
      } else if (o instanceof Outcome.Failed) {
        failed.incrementAndGet();
      } else if (o instanceof Outcome.Retry retry) {
        retried.incrementAndGet();
        if (retry.after() != null && (pause == null || retry.after().compareTo(pause) > 0)) {
          pause = retry.after();
        }
      }
    }
    if (pause != null) {
      // the quota (and FCM's health) is the project's: every batch of this process waits
      limiter.pause(pause);
      LOG.info(
          "FCM asked us to wait {} s; all pushes from this instance paused", pause.toSeconds());
    }
    return outcomes;
  }
}
