package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of push subscriptions, push jobs and their batches. Leases ({@code busy_until}) and job
 * times use PostgreSQL's {@code now()}, like the outbox, so instances with skewed clocks agree;
 * subscription times come from the service's clock (the retention rule compares them with it).
 */
final class PushStore {

  PushStore() {}

  // ---- subscriptions -------------------------------------------------------------------------

  private static final String FREE_TOKEN =
      """
      DELETE FROM notifications.push_subscriptions WHERE fcm_token = $1 AND subscriber <> $2
      """;

  private static final String UPSERT =
      """
      INSERT INTO notifications.push_subscriptions (subscriber, fcm_token, audiences, areas, created_at, refreshed_at)
      VALUES ($1, $2, $3::text[], $4::text[], $5, $5)
      ON CONFLICT (subscriber) DO UPDATE
         SET fcm_token = EXCLUDED.fcm_token, audiences = EXCLUDED.audiences, areas = EXCLUDED.areas,
             refreshed_at = EXCLUDED.refreshed_at
      RETURNING id, audiences, areas, created_at, refreshed_at
      """;

  private static final String FIND =
      """
      SELECT id, audiences, areas, created_at, refreshed_at
        FROM notifications.push_subscriptions WHERE subscriber = $1
      """;

  private static final String DELETE =
      "DELETE FROM notifications.push_subscriptions WHERE subscriber = $1";

  private static final String PURGE_IDLE =
      "DELETE FROM notifications.push_subscriptions WHERE refreshed_at < $1";

  Future<PushSubscription> upsert(
      SqlClient tx,
      byte[] subscriber,
      String token,
      List<String> audiences,
      List<String> areas,
      Instant now) {
    Buffer key = Buffer.buffer(subscriber);
    return tx.preparedQuery(FREE_TOKEN)
        .execute(Tuple.of(token, key))
        .compose(
            freed ->
                tx.preparedQuery(UPSERT)
                    .execute(
                        Tuple.of(
                            key,
                            token,
                            audiences.toArray(String[]::new),
                            areas.toArray(String[]::new),
                            utc(now))))
        .map(rows -> subscription(rows.iterator().next()));
  }

  Future<Optional<PushSubscription>> find(SqlClient client, byte[] subscriber) {
    return client
        .preparedQuery(FIND)
        .execute(Tuple.of(Buffer.buffer(subscriber)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(subscription(rows.iterator().next())));
  }

  Future<Boolean> delete(SqlClient client, byte[] subscriber) {
    return client
        .preparedQuery(DELETE)
        .execute(Tuple.of(Buffer.buffer(subscriber)))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<Integer> purgeIdle(SqlClient client, Instant refreshedBefore) {
    return client
        .preparedQuery(PURGE_IDLE)
        .execute(Tuple.of(utc(refreshedBefore)))
        .map(RowSet::rowCount);
  }

  private static PushSubscription subscription(Row r) {
    return new PushSubscription(
        r.getLong("id"),
        List.of(r.getArrayOfStrings("audiences")),
        List.of(r.getArrayOfStrings("areas")),
        instant(r, "created_at"),
        instant(r, "refreshed_at"));
  }

  // ---- jobs ----------------------------------------------------------------------------------

  // One statement: the targeted subscriptions (a snapshot, in id order) cut into batches, the job
  // with its totals, and the batches. A job that exists already is left alone (no rows returned).
  private static final String START_JOB =
      """
      WITH targets AS (
        SELECT id, ((row_number() OVER (ORDER BY id)) - 1) / $8::int AS batch_no
          FROM notifications.push_subscriptions
         WHERE audiences && $5::text[]
           AND (cardinality($6::text[]) = 0 OR cardinality(areas) = 0 OR areas && $6::text[])
      ), cut AS (
        SELECT batch_no::int AS batch_no, count(*)::int AS size, array_agg(id ORDER BY id) AS remaining
          FROM targets GROUP BY batch_no
      ), job AS (
        INSERT INTO notifications.push_jobs (id, message, urgent, completion_channel, completion_payload,
                                             targeted, batches, pending_batches, completed_at)
        SELECT $1::text, $2::jsonb, $3::boolean, $4::text, $7::jsonb, COALESCE(sum(size), 0), count(*), count(*),
               CASE WHEN count(*) = 0 THEN now() END
          FROM cut
        ON CONFLICT (id) DO NOTHING
        RETURNING id, targeted, batches
      ), batches AS (
        INSERT INTO notifications.push_batches (job_id, batch_no, size, remaining)
        SELECT job.id, cut.batch_no, cut.size, cut.remaining FROM job, cut
        RETURNING batch_no
      )
      SELECT job.targeted, job.batches, (SELECT count(*) FROM batches) AS inserted FROM job
      """;

  private static final String JOB_STATUS =
      """
      SELECT id, targeted, sent, failed, invalid_removed, skipped, batches, pending_batches,
             created_at, completed_at
        FROM notifications.push_jobs WHERE id = $1
      """;

  private static final String PURGE_FINISHED_BATCHES =
      """
      DELETE FROM notifications.push_batches b
       USING notifications.push_jobs j
       WHERE b.job_id = j.id AND j.completed_at < now() - $1::bigint * interval '1 millisecond'
      """;

  /**
   * Targeted subscriptions and batches of a newly started job; empty if the job existed already.
   */
  record Started(int targeted, int batches) {}

  Future<Optional<Started>> startJob(
      SqlClient tx,
      String jobId,
      PushMessage message,
      PushFanout.Target target,
      PushFanout.Completion completion,
      int batchSize) {
    Tuple params =
        Tuple.tuple()
            .addString(jobId)
            .addValue(message.toJson())
            .addBoolean(message.urgent())
            .addString(completion == null ? null : completion.channel())
            .addArrayOfString(target.audiences().toArray(String[]::new))
            .addArrayOfString(target.areas().toArray(String[]::new))
            .addValue(completion == null ? null : completion.payload())
            .addInteger(batchSize);
    return tx.preparedQuery(START_JOB)
        .execute(params)
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<Started>empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(new Started(r.getInteger("targeted"), r.getInteger("batches")));
            });
  }

  Future<Optional<PushJobStatus>> jobStatus(SqlClient client, String jobId) {
    return client
        .preparedQuery(JOB_STATUS)
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<PushJobStatus>empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new PushJobStatus(
                      r.getString("id"),
                      r.getInteger("targeted"),
                      r.getInteger("sent"),
                      r.getInteger("failed"),
                      r.getInteger("invalid_removed"),
                      r.getInteger("skipped"),
                      r.getInteger("batches"),
                      r.getInteger("pending_batches"),
                      instant(r, "created_at"),
                      instant(r, "completed_at")));
            });
  }

  Future<Integer> purgeFinishedBatches(SqlClient client, Duration completedBefore) {
    return client
        .preparedQuery(PURGE_FINISHED_BATCHES)
        .execute(Tuple.of(completedBefore.toMillis()))
        .map(RowSet::rowCount);
  }

  // ---- batches -------------------------------------------------------------------------------

  // Take a batch: only while pending and nobody else holds it. claims + 1 fences the progress
  // write.
  private static final String CLAIM_BATCH =
      """
      UPDATE notifications.push_batches AS b
         SET claims = b.claims + 1, busy_until = now() + $3::bigint * interval '1 millisecond'
        FROM notifications.push_jobs AS j
       WHERE b.job_id = $1 AND b.batch_no = $2 AND j.id = b.job_id
         AND b.state = 'pending' AND (b.busy_until IS NULL OR b.busy_until <= now())
      RETURNING b.claims, b.sends, b.remaining, j.message
      """;

  private static final String BATCH_STATE =
      """
      SELECT state, GREATEST(0, (EXTRACT(EPOCH FROM (busy_until - now())) * 1000)::bigint) AS busy_ms
        FROM notifications.push_batches WHERE job_id = $1 AND batch_no = $2
      """;

  private static final String RELEASE_BATCH =
      """
      UPDATE notifications.push_batches SET busy_until = NULL
       WHERE job_id = $1 AND batch_no = $2 AND claims = $3
      RETURNING now() AS now
      """;

  private static final String TOKENS =
      """
      SELECT id, fcm_token FROM notifications.push_subscriptions WHERE id = ANY($1::bigint[])
      """;

  // Only a subscription that still holds the token FCM rejected is removed (the app may have sent a
  // fresh token meanwhile).
  private static final String REMOVE_INVALID =
      """
      DELETE FROM notifications.push_subscriptions AS s
       USING unnest($1::bigint[], $2::text[]) AS dead(id, token)
       WHERE s.id = dead.id AND s.fcm_token = dead.token
      RETURNING s.id
      """;

  private static final String RECORD_BATCH =
      """
      UPDATE notifications.push_batches
         SET remaining = $4::bigint[],
             sent = sent + $5, failed = failed + $6, invalid_removed = invalid_removed + $7,
             skipped = skipped + $8, sends = sends + $9, last_error = $10, busy_until = NULL,
             state = CASE WHEN cardinality($4::bigint[]) = 0 THEN 'done' ELSE 'pending' END,
             done_at = CASE WHEN cardinality($4::bigint[]) = 0 THEN now() END
       WHERE job_id = $1 AND batch_no = $2 AND claims = $3 AND state = 'pending'
      RETURNING state
      """;

  // Progress while the batch is still sending: what FCM accepted leaves `remaining` and counts as
  // sent at once, so that a crash now repeats only what was accepted since.
  private static final String RECORD_ACCEPTED =
      """
      WITH batch AS (
        UPDATE notifications.push_batches
           SET remaining = ARRAY(SELECT r FROM unnest(remaining) AS r WHERE r <> ALL($4::bigint[])),
               sent = sent + cardinality($4::bigint[])
         WHERE job_id = $1 AND batch_no = $2 AND claims = $3 AND state = 'pending'
        RETURNING job_id)
      UPDATE notifications.push_jobs AS j SET sent = j.sent + cardinality($4::bigint[])
        FROM batch WHERE j.id = batch.job_id
      RETURNING j.id
      """;

  private static final String RECORD_JOB =
      """
      UPDATE notifications.push_jobs
         SET sent = sent + $2, failed = failed + $3, invalid_removed = invalid_removed + $4,
             skipped = skipped + $5, pending_batches = pending_batches - $6,
             completed_at = CASE WHEN pending_batches - $6 = 0 THEN now() ELSE completed_at END
       WHERE id = $1
      RETURNING pending_batches, completion_channel, completion_payload
      """;

  /**
   * A batch taken by this worker: its fence, earlier sends, the subscriptions left and the message.
   */
  record Claim(
      String jobId,
      int batchNo,
      int claims,
      int sends,
      List<Long> remaining,
      PushMessage message) {}

  /** Why a batch could not be taken. */
  sealed interface NotClaimed {
    record Done() implements NotClaimed {}

    record Busy(Duration delay) implements NotClaimed {}
  }

  /** A {@link Claim}, or a {@link NotClaimed}. */
  Future<Object> claimBatch(SqlClient client, String jobId, int batchNo, Duration busyFor) {
    return client
        .preparedQuery(CLAIM_BATCH)
        .execute(Tuple.of(jobId, batchNo, busyFor.toMillis()))
        .compose(
            rows -> {
              if (rows.size() == 1) {
                Row r = rows.iterator().next();
                Long[] remaining = r.getArrayOfLongs("remaining");
                return Future.succeededFuture(
                    (Object)
                        new Claim(
                            jobId,
                            batchNo,
                            r.getInteger("claims"),
                            r.getInteger("sends"),
                            Arrays.asList(remaining),
                            PushMessage.fromJson(r.getJsonObject("message"))));
              }
              return client
                  .preparedQuery(BATCH_STATE)
                  .execute(Tuple.of(jobId, batchNo))
                  .map(
                      state -> {
                        if (state.size() == 0
                            || "done".equals(state.iterator().next().getString("state"))) {
                          return (Object) new NotClaimed.Done();
                        }
                        Long ms = state.iterator().next().getLong("busy_ms");
                        return (Object) new NotClaimed.Busy(Duration.ofMillis(ms == null ? 0 : ms));
                      });
            });
  }

  /**
   * Lets go of a batch without progress; answers the database's time, or null if the claim was
   * lost.
   */
  Future<Instant> releaseBatch(SqlClient client, Claim claim) {
    return client
        .preparedQuery(RELEASE_BATCH)
        .execute(Tuple.of(claim.jobId(), claim.batchNo(), claim.claims()))
        .map(rows -> rows.size() == 0 ? null : instant(rows.iterator().next(), "now"));
  }

  /**
   * Current tokens of these subscriptions, by subscription id, in the order given; unsubscribed
   * ones are absent.
   */
  Future<Map<Long, String>> tokens(SqlClient client, List<Long> subscriptionIds) {
    return client
        .preparedQuery(TOKENS)
        .execute(Tuple.of((Object) subscriptionIds.toArray(Long[]::new)))
        .map(
            rows -> {
              Map<Long, String> byId = new java.util.HashMap<>(rows.size() * 2);
              rows.forEach(r -> byId.put(r.getLong("id"), r.getString("fcm_token")));
              Map<Long, String> ordered = new LinkedHashMap<>(byId.size() * 2);
              for (Long id : subscriptionIds) {
                String token = byId.get(id);
                if (token != null) {
                  ordered.put(id, token);
                }
              }
              return ordered;
            });
  }

  /**
   * What one attempt at a batch resolved. {@code invalid} maps subscription id to the token FCM
   * rejected.
   */
  record Progress(
      List<Long> retry,
      int sent,
      int failed,
      Map<Long, String> invalid,
      int skipped,
      boolean reachedFcm,
      String lastError) {}

  /** Totals a recorded attempt added, and whether the job is now complete. */
  record Recorded(
      boolean batchDone,
      int invalidRemoved,
      int failed,
      boolean jobComplete,
      String completionChannel,
      JsonObject completionPayload) {}

  /**
   * Thrown inside the recording transaction when another worker has taken the batch since our
   * claim.
   */
  static final class FenceLost extends RuntimeException {
    FenceLost() {
      super("push batch taken over by another worker", null, false, false);
    }
  }

  /**
   * Records an attempt's progress; call inside a transaction (the job row is locked until it ends).
   */
  /** Records subscriptions whose message FCM accepted while the rest of the batch is on its way. */
  Future<Void> recordAccepted(SqlClient client, Claim claim, List<Long> accepted) {
    return client
        .preparedQuery(RECORD_ACCEPTED)
        .execute(
            Tuple.tuple()
                .addString(claim.jobId())
                .addInteger(claim.batchNo())
                .addInteger(claim.claims())
                .addArrayOfLong(accepted.toArray(Long[]::new)))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new FenceLost()));
  }

  Future<Recorded> recordBatch(SqlClient tx, Claim claim, Progress p) {
    Future<List<Long>> removal =
        p.invalid().isEmpty()
            ? Future.succeededFuture(List.of())
            : tx.preparedQuery(REMOVE_INVALID)
                .execute(
                    Tuple.tuple()
                        .addArrayOfLong(p.invalid().keySet().toArray(Long[]::new))
                        .addArrayOfString(p.invalid().values().toArray(String[]::new)))
                .map(
                    rows -> {
                      List<Long> removed = new ArrayList<>(rows.size());
                      rows.forEach(r -> removed.add(r.getLong("id")));
                      return removed;
                    });
    return removal.compose(
        removed -> {
          int removedCount = removed.size();
          // a token that was replaced meanwhile stays subscribed: its failed message counts as
          // failed
          int failed = p.failed() + (p.invalid().size() - removedCount);
          Tuple batch =
              Tuple.tuple()
                  .addString(claim.jobId())
                  .addInteger(claim.batchNo())
                  .addInteger(claim.claims())
                  .addArrayOfLong(p.retry().toArray(Long[]::new))
                  .addInteger(p.sent())
                  .addInteger(failed)
                  .addInteger(removedCount)
                  .addInteger(p.skipped())
                  .addInteger(p.reachedFcm() ? 1 : 0)
                  .addString(p.lastError());
          return tx.preparedQuery(RECORD_BATCH)
              .execute(batch)
              .compose(
                  rows -> {
                    if (rows.size() != 1) {
                      return Future.failedFuture(new FenceLost());
                    }
                    boolean done = "done".equals(rows.iterator().next().getString("state"));
                    Tuple job =
                        Tuple.of(
                            claim.jobId(),
                            p.sent(),
                            failed,
                            removedCount,
                            p.skipped(),
                            done ? 1 : 0);
                    return tx.preparedQuery(RECORD_JOB)
                        .execute(job)
                        .map(
                            jobRows -> {
                              Row r = jobRows.iterator().next();
                              boolean complete = done && r.getInteger("pending_batches") == 0;
                              return new Recorded(
                                  done,
                                  removedCount,
                                  failed,
                                  complete,
                                  r.getString("completion_channel"),
                                  r.getJsonObject("completion_payload"));
                            });
                  });
        });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
