package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * Starts a push to every subscription that matches a target, exactly once.
 *
 * <p>{@link #start} runs inside the caller's transaction (the one that, say, moves a bulletin to
 * "sending"). In that transaction it snapshots the matching subscriptions, cuts them into batches
 * of at most 500 (by subscription id), stores the batches and enqueues one outbox message per batch
 * with the dedupe key {@code push:<job>:<batch>}. So either the change and every batch exist, or
 * neither; a job started twice is started once; and after a crash each batch's outbox message is
 * still there, with the batch's own progress in {@code push_batches}. See {@link PushBatchChannel}.
 *
 * <p>When the last batch is done, {@code completion} (an outbox message on the starter's channel,
 * dedupe key {@code push-complete:<job>}) is enqueued in the same transaction as that batch's
 * progress.
 */
public final class PushFanout {

  private static final PushStore STORE = new PushStore();

  /** FCM's limit for one sendEach call. */
  public static final int MAX_BATCH_SIZE = 500;

  /** Where to report completion: an outbox channel and its payload. */
  public record Completion(String channel, JsonObject payload) {
    public Completion {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * Whom to push to: subscriptions with any of these audiences, and (if areas are given) any of
   * these areas or none.
   */
  public record Target(List<String> audiences, List<String> areas) {
    public Target {
      audiences = List.copyOf(audiences);
      areas = areas == null ? List.of() : List.copyOf(areas);
      if (audiences.isEmpty()) {
        throw new IllegalArgumentException("a push needs at least one audience");
      }
    }
  }

  private PushFanout() {}

  /**
   * @param jobId unique per push, e.g. {@code bulletin:<id>}; starting the same id again does
   *     nothing
   * @param now the service's time: urgent batches are enqueued as due a day earlier, so that the
   *     dispatcher (which claims in due order) sends them before normal batches already waiting
   * @return the number of targeted subscriptions, or empty if the job had been started before
   */
  public static Future<Optional<Integer>> start(
      SqlClient tx,
      String jobId,
      PushMessage message,
      Target target,
      Completion completion,
      int batchSize,
      Instant now) {
    if (jobId == null || jobId.isEmpty() || jobId.length() > 100) {
      return Future.failedFuture(new IllegalArgumentException("job id must be 1..100 characters"));
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      return Future.failedFuture(
          new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE));
    }
    return STORE
        .startJob(tx, jobId, message, target, completion, batchSize)
        .compose(
            started -> {
              if (started.isEmpty()) {
                return Future.succeededFuture(Optional.<Integer>empty());
              }
              Instant due = message.urgent() ? now.minus(Duration.ofDays(1)) : null;
              List<Future<Long>> enqueued = new ArrayList<>(started.get().batches() + 1);
              for (int batch = 0; batch < started.get().batches(); batch++) {
                // pipelined on the transaction's connection
                enqueued.add(
                    Outbox.enqueue(
                        tx,
                        PushBatchChannel.NAME,
                        batchKey(jobId, batch),
                        new JsonObject().put("job", jobId).put("batch", batch),
                        due));
              }
              if (started.get().batches() == 0 && completion != null) {
                enqueued.add(
                    Outbox.enqueue(
                        tx, completion.channel(), completionKey(jobId), completion.payload()));
              }
              return Future.all(enqueued).map(all -> Optional.of(started.get().targeted()));
            });
  }

  public static Future<Optional<PushJobStatus>> status(SqlClient client, String jobId) {
    return STORE.jobStatus(client, jobId);
  }

  /** Retention: deletes the batch rows of jobs completed longer ago than this; job totals stay. */
  public static Future<Integer> purgeFinishedBatches(SqlClient client, Duration completedBefore) {
    return STORE.purgeFinishedBatches(client, completedBefore);
  }

  static String batchKey(String jobId, int batch) {
    return "push:" + jobId + ":" + batch;
  }

  static String completionKey(String jobId) {
    return "push-complete:" + jobId;
  }
}
