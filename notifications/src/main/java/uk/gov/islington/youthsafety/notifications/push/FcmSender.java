package uk.gov.islington.youthsafety.notifications.push;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.messaging.FirebaseMessaging;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Sends a batch through the Firebase Admin SDK with {@code sendAsync}, one HTTP v1 request per
 * token, made by the SDK's own worker threads (see {@link FirebaseSetup}), so the event loop only
 * builds the messages and is called back with the results. Before sending, the batch reserves its
 * messages from the process-wide {@link FcmRateLimiter}; a 429/503 with Retry-After pauses that
 * limiter for everyone. At the batch's deadline the messages still unanswered are cancelled (which
 * also stops the SDK's own 503 retry sleeps) and retried later; those already answered keep their
 * outcome.
 */
public final class FcmSender implements PushSender {

  private static final Logger LOG = LoggerFactory.getLogger(FcmSender.class);
  private static final SendResult SHUTTING_DOWN =
      new SendResult.NotNow(Duration.ZERO, "instance shutting down");
  private static final Outcome DEADLINE_PASSED = new Outcome.Retry(null, "batch deadline passed");

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
    return send(origin, message, tokens, index -> {});
  }

  @Override
  public Future<SendResult> send(
      OutboxMessage origin, PushMessage message, List<String> tokens, IntConsumer accepted) {
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
                              : sendNow(context, message, tokens, accepted))
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

  private Future<SendResult> sendNow(
      Context context, PushMessage message, List<String> tokens, IntConsumer accepted) {
    // building 500 SDK messages and handing them to its pool is CPU work: keep it off the event
    // loop
    return vertx
        .executeBlocking(
            () -> {
              Instant now = clock.instant();
              List<ApiFuture<String>> sending = new ArrayList<>(tokens.size());
              for (int i = 0; i < tokens.size(); i++) {
                ApiFuture<String> one =
                    messaging.sendAsync(FcmMessages.build(message, tokens.get(i), now));
                int index = i;
                one.addListener(
                    () -> {
                      if (outcome(one) instanceof Outcome.Sent) {
                        accepted.accept(index);
                      }
                    },
                    MoreExecutors.directExecutor());
                sending.add(one);
              }
              return sending;
            },
            false)
        .compose(sending -> awaitBatch(context, sending));
  }

  /**
   * One future per message, so that a deadline cancels only the messages still unanswered: those
   * FCM has already accepted are recorded as sent, not sent again.
   */
  private Future<SendResult> awaitBatch(Context context, List<ApiFuture<String>> sending) {
    Promise<SendResult> result = Promise.promise();
    ApiFuture<List<String>> answered = ApiFutures.successfulAsList(sending);
    long deadline =
        vertx.setTimer(
            settings.batchDeadline().toMillis(),
            id -> {
              if (!answered.isDone()) {
                deadlines.incrementAndGet();
                long unanswered = sending.stream().filter(f -> !f.isDone()).count();
                LOG.warn(
                    "FCM: {} of a batch of {} still unanswered after {} ms: cancelled, to be retried",
                    unanswered,
                    sending.size(),
                    settings.batchDeadline().toMillis());
                sending.forEach(f -> f.cancel(true));
              }
            });
    answered.addListener(
        () ->
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(deadline);
                  result.tryComplete(new SendResult.Outcomes(outcomes(sending)));
                }),
        MoreExecutors.directExecutor());
    return result.future();
  }

  private List<Outcome> outcomes(List<ApiFuture<String>> sending) {
    List<Outcome> outcomes = new ArrayList<>(sending.size());
    Duration pause = null;
    for (ApiFuture<String> f : sending) {
      Outcome o = outcome(f);
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

  private Outcome outcome(ApiFuture<String> answered) {
    if (answered.isCancelled()) {
      return DEADLINE_PASSED;
    }
    try {
      answered.get();
      return Outcome.SENT;
    } catch (ExecutionException e) {
      return FcmErrors.classify(e.getCause(), clock);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEADLINE_PASSED;
    } catch (CancellationException e) {
      return DEADLINE_PASSED;
    }
  }
}
