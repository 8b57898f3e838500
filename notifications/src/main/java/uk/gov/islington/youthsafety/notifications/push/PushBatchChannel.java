package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Delivers one batch of a push job (outbox channel {@value #NAME}; payload {@code {job, batch}}).
 *
 * <p>Exactly once, however often the dispatcher hands the same batch over (a lease that ran out, a
 * restart):
 *
 * <ol>
 *   <li>take the batch: {@code claims + 1} and {@code busy_until} in one statement, only if it is
 *       pending and nobody holds it; a done batch is "delivered" at once without sending anything;
 *   <li>resolve its remaining subscription ids to their current tokens (an unsubscribed one is
 *       skipped: its token is gone everywhere);
 *   <li>send through the {@link PushSender} (FCM, or the local sink); every {@code progressEvery}
 *       while it sends, the subscriptions whose message FCM has accepted leave {@code remaining}
 *       and count as sent (fenced by the claim);
 *   <li>in one transaction, fenced by the claim: remove subscriptions whose token FCM reported
 *       dead, keep only the tokens that need another try in {@code remaining}, add the counters to
 *       the batch and the job, and, if this was the job's last batch, enqueue its completion.
 * </ol>
 *
 * Tokens that got a transient error (429, 503, time-out) stay in the batch, which is retried after
 * the longest Retry-After they reported; on the last allowed send they count as failed so that the
 * job always completes. What cannot be made exactly-once is the moment between FCM accepting a
 * message and its progress being recorded: a crash there repeats the messages accepted since the
 * last record and those on their way (at most {@code progressEvery} of sending, not the whole
 * batch). FCM has no idempotency key, so the message carries a collapse key / tag / APNs collapse
 * id that makes the phone replace, not add.
 */
public final class PushBatchChannel implements Channel {

  public static final String NAME = "push";
  private static final Logger LOG = LoggerFactory.getLogger(PushBatchChannel.class);

  /**
   * @param busyFor how long a worker holds a batch; must exceed the sender's deadline plus the HTTP
   *     read time-out (requests still finishing after a deadline must not overlap a new attempt)
   * @param maxSends sends after which tokens that keep failing transiently count as failed
   * @param progressEvery how often what FCM has accepted is recorded while a batch sends
   */
  public record Options(Duration busyFor, int maxSends, Duration progressEvery) {

    static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

    public Options(Duration busyFor, int maxSends) {
      this(busyFor, maxSends, PROGRESS_EVERY);
    }

    public Options {
      Objects.requireNonNull(busyFor, "busyFor");
      Objects.requireNonNull(progressEvery, "progressEvery");
      if (progressEvery.toMillis() < 1) {
        throw new IllegalArgumentException("progressEvery must be at least 1ms");
      }
      if (busyFor.toMillis() < 100) {
        throw new IllegalArgumentException("busyFor must be at least 100ms");
      }
      if (maxSends < 1) {
        throw new IllegalArgumentException("maxSends must be at least 1");
      }
    }

    public static Options defaults() {
      return new Options(Duration.ofSeconds(90), 10);
    }
  }

  private final PushStore store = new PushStore();
  private final Pool pool;
  private final PushSender sender;
  private final Options options;
  // batches taken by this instance and not yet recorded or let go of, by "job:batch"
  private final Map<String, PushStore.Claim> held = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopping;

  public PushBatchChannel(Pool pool, PushSender sender, Options options) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    String job = message.payload().getString("job");
    Integer batch = message.payload().getInteger("batch");
    if (job == null || batch == null) {
      return Future.succeededFuture(
          DeliveryResult.failed("push batch message without job or batch"));
    }
    return store
        .claimBatch(pool, job, batch, options.busyFor())
        .compose(
            taken -> {
              if (taken instanceof PushStore.NotClaimed.Done) {
                return Future.succeededFuture(DeliveryResult.delivered());
              }
              if (taken instanceof PushStore.NotClaimed.Busy busy) {
                return Future.succeededFuture(
                    DeliveryResult.retryLater(
                        busy.delay().plusMillis(50), "push batch is being sent by another worker"));
              }
              PushStore.Claim claim = (PushStore.Claim) taken;
              if (stopping) {
                return letGo(claim);
              }
              String key = claim.jobId() + ":" + claim.batchNo();
              held.put(key, claim);
              return send(message, claim).andThen(done -> held.remove(key, claim));
            });
  }

  /**
   * Shutting down: send nothing more and free every batch this instance holds (fenced by its
   * claim), so that another instance takes it at once instead of after {@code busyFor}. A batch
   * whose messages are on their way to FCM right now may then be sent twice, as after a crash.
   */
  @Override
  public Future<Void> release() {
    stopping = true;
    sender.stop();
    List<Future<Instant>> releasing = new ArrayList<>();
    for (PushStore.Claim claim : List.copyOf(held.values())) {
      releasing.add(store.releaseBatch(pool, claim));
    }
    return Future.join(releasing).mapEmpty();
  }

  private Future<DeliveryResult> letGo(PushStore.Claim claim) {
    return store
        .releaseBatch(pool, claim)
        .map(released -> DeliveryResult.retryLater(Duration.ZERO, "instance shutting down"));
  }

  private Future<DeliveryResult> send(OutboxMessage origin, PushStore.Claim claim) {
    return store
        .tokens(pool, claim.remaining())
        .compose(
            tokens -> {
              int skipped = claim.remaining().size() - tokens.size();
              if (tokens.isEmpty()) {
                return record(
                    claim,
                    new PushStore.Progress(List.of(), 0, 0, Map.of(), skipped, false, null),
                    null);
              }
              List<Long> ids = new ArrayList<>(tokens.keySet());
              List<String> values = new ArrayList<>(tokens.values());
              AcceptedSoFar progress = new AcceptedSoFar(claim, ids);
              Future<PushSender.SendResult> sending;
              try {
                sending = sender.send(origin, claim.message(), values, progress::accepted);
              } catch (RuntimeException e) {
                // answered like a failed send, so that the progress timer is stopped below
                sending = Future.failedFuture(e);
              }
              return sending
                  .recover(
                      error ->
                          Future.succeededFuture(
                              new PushSender.SendResult.Outcomes(
                                  retryAll(
                                      values.size(),
                                      "sender failed: " + error.getClass().getSimpleName()))))
                  .compose(result -> progress.stop().map(v -> result))
                  .compose(
                      result -> {
                        if (result instanceof PushSender.SendResult.NotNow notNow) {
                          return stopping ? letGo(claim) : defer(origin, claim, notNow);
                        }
                        List<PushSender.Outcome> outcomes =
                            ((PushSender.SendResult.Outcomes) result).outcomes();
                        if (outcomes.size() != ids.size()) {
                          return Future.failedFuture(
                              new IllegalStateException(
                                  "sender answered "
                                      + outcomes.size()
                                      + " outcomes for "
                                      + ids.size()
                                      + " tokens"));
                        }
                        return tally(claim, ids, values, outcomes, skipped, progress.recorded);
                      });
            });
  }

  /**
   * Flow control, not failure: the sender has no room or the rate limit (or a Retry-After) says
   * wait. Rather than "retry later", which would spend one of the outbox message's limited attempts
   * each time a long send makes batches wait their turn, the batch is let go and handed to a fresh
   * outbox message due after the wait, in one transaction; this one is done. Two messages for one
   * batch are harmless: the batch's own state decides who sends.
   */
  private Future<DeliveryResult> defer(
      OutboxMessage origin, PushStore.Claim claim, PushSender.SendResult.NotNow notNow) {
    return pool.withTransaction(
            tx ->
                store
                    .releaseBatch(tx, claim)
                    .compose(
                        dbNow ->
                            dbNow == null
                                ? Future.succeededFuture()
                                : Outbox.enqueue(
                                        tx,
                                        NAME,
                                        PushFanout.batchKey(claim.jobId(), claim.batchNo())
                                            + ":again-"
                                            + claim.claims(),
                                        origin.payload(),
                                        dbNow.plus(notNow.delay()))
                                    .mapEmpty()))
        .map(
            v -> {
              LOG.debug(
                  "push job {} batch {} deferred {} ms: {}",
                  claim.jobId(),
                  claim.batchNo(),
                  notNow.delay().toMillis(),
                  notNow.reason());
              return DeliveryResult.delivered();
            });
  }

  private Future<DeliveryResult> tally(
      PushStore.Claim claim,
      List<Long> ids,
      List<String> tokens,
      List<PushSender.Outcome> outcomes,
      int skipped,
      BitSet recorded) {
    boolean lastSend = claim.sends() + 1 >= options.maxSends();
    List<Long> retry = new ArrayList<>();
    Map<Long, String> invalid = new LinkedHashMap<>();
    int sent = 0;
    int failed = 0;
    Duration retryAfter = null;
    String lastError = null;
    for (int i = 0; i < ids.size(); i++) {
      PushSender.Outcome outcome = outcomes.get(i);
      if (outcome instanceof PushSender.Outcome.Sent) {
        sent += recorded.get(i) ? 0 : 1;
      } else if (outcome instanceof PushSender.Outcome.InvalidToken bad) {
        invalid.put(ids.get(i), tokens.get(i));
        lastError = bad.reason();
      } else if (outcome instanceof PushSender.Outcome.Failed f) {
        failed++;
        lastError = f.reason();
      } else if (outcome instanceof PushSender.Outcome.Retry r) {
        lastError = r.reason();
        if (lastSend) {
          failed++;
        } else {
          retry.add(ids.get(i));
          if (r.after() != null && (retryAfter == null || r.after().compareTo(retryAfter) > 0)) {
            retryAfter = r.after();
          }
        }
      }
    }
    String reason = lastError == null ? null : lastError;
    PushStore.Progress progress =
        new PushStore.Progress(retry, sent, failed, invalid, skipped, true, reason);
    return record(claim, progress, retryAfter);
  }

  private Future<DeliveryResult> record(
      PushStore.Claim claim, PushStore.Progress progress, Duration retryAfter) {
    return pool.withTransaction(
            tx ->
                store
                    .recordBatch(tx, claim, progress)
                    .compose(
                        recorded -> {
                          if (recorded.jobComplete() && recorded.completionChannel() != null) {
                            return Outbox.enqueue(
                                    tx,
                                    recorded.completionChannel(),
                                    PushFanout.completionKey(claim.jobId()),
                                    recorded.completionPayload())
                                .map(id -> recorded);
                          }
                          return Future.succeededFuture(recorded);
                        }))
        .map(
            recorded -> {
              if (recorded.invalidRemoved() > 0) {
                LOG.info(
                    "push job {} batch {}: removed {} subscriptions whose token FCM reported invalid",
                    claim.jobId(),
                    claim.batchNo(),
                    recorded.invalidRemoved());
              }
              if (recorded.jobComplete()) {
                LOG.info("push job {} complete", claim.jobId());
              }
              if (progress.retry().isEmpty()) {
                return DeliveryResult.delivered();
              }
              return DeliveryResult.retryLater(
                  retryAfter,
                  progress.retry().size() + " of the batch to retry: " + progress.lastError());
            })
        .recover(
            error -> {
              if (error instanceof PushStore.FenceLost) {
                LOG.warn(
                    "push job {} batch {}: taken over by another worker before the outcome was recorded"
                        + " (busyFor {} ms too short?)",
                    claim.jobId(),
                    claim.batchNo(),
                    options.busyFor().toMillis());
                return Future.succeededFuture(
                    DeliveryResult.retryLater(null, "push batch taken over"));
              }
              // not recorded: the batch stays busy until busy_until and is then retried from its
              // last record
              return Future.failedFuture(error);
            });
  }

  /**
   * While a batch sends: collects the indexes FCM has accepted (from the SDK's threads) and records
   * them every {@code progressEvery} on the batch's context, one write at a time. An index whose
   * write failed is not in {@link #recorded}: the batch's final record counts it.
   */
  private final class AcceptedSoFar {

    private final PushStore.Claim claim;
    private final List<Long> ids;
    private final Queue<Integer> accepted = new ConcurrentLinkedQueue<>();
    private final BitSet recorded = new BitSet();
    private final Vertx vertx;
    private final long timer;
    private Future<Void> writing = Future.succeededFuture();
    private boolean fenceLost;

    AcceptedSoFar(PushStore.Claim claim, List<Long> ids) {
      this.claim = claim;
      this.ids = ids;
      this.vertx = Vertx.currentContext().owner();
      this.timer = vertx.setPeriodic(options.progressEvery().toMillis(), id -> write());
    }

    void accepted(int index) {
      accepted.add(index);
    }

    private void write() {
      if (!writing.isComplete() || fenceLost || accepted.isEmpty()) {
        return;
      }
      List<Integer> indexes = new ArrayList<>();
      for (Integer i = accepted.poll(); i != null; i = accepted.poll()) {
        indexes.add(i);
      }
      writing =
          store
              .recordAccepted(pool, claim, indexes.stream().map(ids::get).toList())
              .onSuccess(v -> indexes.forEach(recorded::set))
              .recover(
                  error -> {
                    fenceLost = error instanceof PushStore.FenceLost;
                    return Future.succeededFuture();
                  });
    }

    /** No more writes; completes once the last one has, so that {@link #recorded} is final. */
    Future<Void> stop() {
      vertx.cancelTimer(timer);
      return writing;
    }
  }

  private static List<PushSender.Outcome> retryAll(int n, String reason) {
    List<PushSender.Outcome> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(new PushSender.Outcome.Retry(null, reason));
    }
    return all;
  }
}
