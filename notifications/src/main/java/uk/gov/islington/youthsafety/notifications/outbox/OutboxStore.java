package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * All SQL of the outbox and the local sink, in one place. Every time that decides who may touch a
 * row (due times, leases) is computed by PostgreSQL's {@code now()}, so that API instances with
 * skewed clocks agree; Java only supplies durations.
 */
final class OutboxStore {

  /** The LISTEN/NOTIFY channel; the notification payload is the outbox channel name. */
  static final String NOTIFY_CHANNEL = "notifications_outbox";

  OutboxStore() {}

  // The insert and the notification are one statement, so that a caller passing a Pool (no
  // transaction) still gets both or neither. NOTIFY inside a transaction is sent at commit.
  private static final String ENQUEUE =
      """
      WITH inserted AS (
        INSERT INTO notifications.outbox (channel, dedupe_key, payload, next_attempt_at)
        VALUES ($1, $2, $3::jsonb, COALESCE($4::timestamptz, now()))
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id, channel)
      SELECT inserted.id
        FROM inserted, LATERAL (SELECT pg_notify('notifications_outbox', inserted.channel)) AS notified
      """;

  // Many messages of one channel in one statement (a bulletin to every e-mail subscriber): one
  // round trip and one notification however many rows.
  private static final String ENQUEUE_EACH =
      """
      WITH inserted AS (
        INSERT INTO notifications.outbox (channel, dedupe_key, payload)
        SELECT $1, k, p::jsonb FROM unnest($2::text[], $3::text[]) AS m(k, p)
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING 1)
      SELECT count(*) AS n, pg_notify('notifications_outbox', $1) IS NULL AS notified FROM inserted
      """;

  private static final String ID_BY_DEDUPE_KEY =
      "SELECT id FROM notifications.outbox WHERE dedupe_key = $1";

  // One short autocommitted statement: lock due rows nobody else holds, lease them, commit.
  // The lease is also written to next_attempt_at, so a row whose dispatcher died is simply due
  // again when the lease ends. attempts + 1 is the claim's fencing token.
  private static final String CLAIM =
      """
      WITH due AS (
        SELECT id FROM notifications.outbox
         WHERE state = 'pending' AND next_attempt_at <= now() AND channel = ANY($1::text[])
         ORDER BY next_attempt_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
      UPDATE notifications.outbox AS o
         SET attempts = o.attempts + 1,
             lease_until = now() + $3::bigint * interval '1 millisecond',
             next_attempt_at = now() + $3::bigint * interval '1 millisecond'
        FROM due
       WHERE o.id = due.id
      RETURNING o.id, o.channel, o.dedupe_key, o.payload, o.attempts, o.created_at
      """;

  // Outcomes are recorded only by the holder of the current claim (same attempts value).
  private static final String MARK_DELIVERED =
      """
      UPDATE notifications.outbox AS o
         SET state = 'delivered', delivered_at = now(), lease_until = NULL, last_error = NULL
        FROM unnest($1::bigint[], $2::int[]) AS d(id, attempt)
       WHERE o.id = d.id AND o.attempts = d.attempt AND o.state = 'pending'
      RETURNING o.id
      """;

  private static final String MARK_RETRY =
      """
      UPDATE notifications.outbox
         SET next_attempt_at = now() + $3::bigint * interval '1 millisecond', lease_until = NULL,
             last_error = $4
       WHERE id = $1 AND attempts = $2 AND state = 'pending'
      """;

  private static final String MARK_FAILED =
      """
      UPDATE notifications.outbox
         SET state = 'failed', lease_until = NULL, last_error = $3
       WHERE id = $1 AND attempts = $2 AND state = 'pending'
      """;

  // A stopping dispatcher lets go of claims it will not finish: due again at once for any other
  // dispatcher. attempts stays as it was, so the claim's fence still tells a late outcome apart.
  private static final String RELEASE =
      """
      UPDATE notifications.outbox AS o
         SET lease_until = NULL, next_attempt_at = now()
        FROM unnest($1::bigint[], $2::int[]) AS held(id, attempts)
       WHERE o.id = held.id AND o.attempts = held.attempts AND o.state = 'pending'
      """;

  private static final String MILLIS_UNTIL_NEXT_DUE =
      """
      SELECT (EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::bigint AS due_in
        FROM notifications.outbox
       WHERE state = 'pending' AND channel = ANY($1::text[])
      """;

  private static final String STATUS_BY_DEDUPE_KEY =
      """
      SELECT id, channel, state, attempts, last_error, next_attempt_at, delivered_at
        FROM notifications.outbox WHERE dedupe_key = $1
      """;

  private static final String ANALYZE = "SELECT notifications.analyze_outbox()";

  private static final String PURGE_FINISHED =
      """
      DELETE FROM notifications.outbox
       WHERE state IN ('delivered', 'failed')
         AND created_at < now() - $1::bigint * interval '1 millisecond'
      """;

  private static final String PURGE_FINISHED_OF_CHANNEL =
      """
      DELETE FROM notifications.outbox
       WHERE state IN ('delivered', 'failed') AND channel = $1
         AND created_at < now() - $2::bigint * interval '1 millisecond'
      """;

  private static final String SINK_PURGE_OF_CHANNEL =
      """
      DELETE FROM notifications.local_sink
       WHERE channel = $1 AND delivered_at < now() - $2::bigint * interval '1 millisecond'
      """;

  private static final String SINK_INSERT =
      """
      INSERT INTO notifications.local_sink (outbox_id, channel, dedupe_key, payload)
      VALUES ($1, $2, $3, $4::jsonb)
      ON CONFLICT (outbox_id) DO NOTHING
      """;

  private static final String SINK_LIST =
      """
      SELECT id, channel, dedupe_key, payload, delivered_at FROM notifications.local_sink
       WHERE ($1::text IS NULL OR channel = $1) ORDER BY id DESC LIMIT $2
      """;

  private static final String SINK_PURGE =
      """
      DELETE FROM notifications.local_sink
       WHERE delivered_at < now() - $1::bigint * interval '1 millisecond'
      """;

  Future<Integer> enqueueEach(
      SqlClient client, String channel, List<String> dedupeKeys, List<String> payloads) {
    return client
        .preparedQuery(ENQUEUE_EACH)
        .execute(
            Tuple.of(channel, dedupeKeys.toArray(String[]::new), payloads.toArray(String[]::new)))
        .map(rows -> (int) rows.iterator().next().getLong("n").longValue());
  }

  Future<Long> enqueue(
      SqlClient client, String channel, String dedupeKey, JsonObject payload, Instant notBefore) {
    OffsetDateTime due = notBefore == null ? null : notBefore.atOffset(ZoneOffset.UTC);
    return client
        .preparedQuery(ENQUEUE)
        .execute(Tuple.of(channel, dedupeKey, payload, due))
        .compose(
            rows -> {
              if (rows.size() == 1) {
                return Future.succeededFuture(rows.iterator().next().getLong("id"));
              }
              // the key exists already (committed, or committed by the transaction we waited for)
              return client
                  .preparedQuery(ID_BY_DEDUPE_KEY)
                  .execute(Tuple.of(dedupeKey))
                  .compose(
                      existing ->
                          existing.size() == 1
                              ? Future.succeededFuture(existing.iterator().next().getLong("id"))
                              : Future.failedFuture(
                                  new IllegalStateException(
                                      "outbox dedupe key conflicted but no row is visible")));
            });
  }

  Future<List<OutboxMessage>> claim(
      SqlClient client, String[] channels, int limit, Duration lease) {
    return client
        .preparedQuery(CLAIM)
        .execute(Tuple.of(channels, limit, lease.toMillis()))
        .map(
            rows -> {
              List<OutboxMessage> claimed = new ArrayList<>(rows.size());
              for (Row row : rows) {
                claimed.add(
                    new OutboxMessage(
                        row.getLong("id"),
                        row.getString("channel"),
                        row.getString("dedupe_key"),
                        row.getJsonObject("payload"),
                        row.getInteger("attempts"),
                        instant(row, "created_at")));
              }
              return claimed;
            });
  }

  /** True when recorded; false when the claim was lost (another dispatcher re-claimed the row). */
  /**
   * Marks these messages delivered, each if its attempt still holds the lease; answers, in order,
   * whether each was marked.
   */
  Future<List<Boolean>> markDelivered(SqlClient client, List<OutboxMessage> messages) {
    return client
        .preparedQuery(MARK_DELIVERED)
        .execute(
            Tuple.tuple()
                .addArrayOfLong(messages.stream().map(OutboxMessage::id).toArray(Long[]::new))
                .addArrayOfInteger(
                    messages.stream().map(OutboxMessage::attempt).toArray(Integer[]::new)))
        .map(
            rows -> {
              Set<Long> marked = new HashSet<>();
              rows.forEach(r -> marked.add(r.getLong(0)));
              return messages.stream().map(m -> marked.contains(m.id())).toList();
            });
  }

  Future<Boolean> markRetry(
      SqlClient client, long id, int attempt, Duration delay, String lastError) {
    return client
        .preparedQuery(MARK_RETRY)
        .execute(Tuple.of(id, attempt, Math.max(0L, delay.toMillis()), lastError))
        .map(OutboxStore::updatedOne);
  }

  Future<Boolean> markFailed(SqlClient client, long id, int attempt, String lastError) {
    return client
        .preparedQuery(MARK_FAILED)
        .execute(Tuple.of(id, attempt, lastError))
        .map(OutboxStore::updatedOne);
  }

  /**
   * Releases these claims (id and the attempt it was claimed as); answers how many were still held.
   */
  Future<Integer> release(SqlClient client, Long[] ids, Integer[] attempts) {
    return client
        .preparedQuery(RELEASE)
        .execute(Tuple.tuple().addArrayOfLong(ids).addArrayOfInteger(attempts))
        .map(RowSet::rowCount);
  }

  /**
   * Milliseconds until the earliest pending row of these channels is due (may be negative), or null
   * if none.
   */
  Future<Long> millisUntilNextDue(SqlClient client, String[] channels) {
    return client
        .preparedQuery(MILLIS_UNTIL_NEXT_DUE)
        .execute(Tuple.of((Object) channels))
        .map(rows -> rows.iterator().next().getLong("due_in"));
  }

  Future<Optional<OutboxStatus>> statusByDedupeKey(SqlClient client, String dedupeKey) {
    return client
        .preparedQuery(STATUS_BY_DEDUPE_KEY)
        .execute(Tuple.of(dedupeKey))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              String state = row.getString("state");
              return Optional.of(
                  new OutboxStatus(
                      row.getLong("id"),
                      row.getString("channel"),
                      state,
                      row.getInteger("attempts"),
                      row.getString("last_error"),
                      OutboxStatus.PENDING.equals(state) ? instant(row, "next_attempt_at") : null,
                      instant(row, "delivered_at")));
            });
  }

  Future<Void> analyze(SqlClient client) {
    return client.query(ANALYZE).execute().mapEmpty();
  }

  Future<Integer> purgeFinished(SqlClient client, Duration olderThan) {
    return client
        .preparedQuery(PURGE_FINISHED)
        .execute(Tuple.of(olderThan.toMillis()))
        .map(RowSet::rowCount);
  }

  Future<Integer> purgeFinished(SqlClient client, String channel, Duration olderThan) {
    return client
        .preparedQuery(PURGE_FINISHED_OF_CHANNEL)
        .execute(Tuple.of(channel, olderThan.toMillis()))
        .map(RowSet::rowCount);
  }

  Future<Integer> sinkPurge(SqlClient client, String channel, Duration olderThan) {
    return client
        .preparedQuery(SINK_PURGE_OF_CHANNEL)
        .execute(Tuple.of(channel, olderThan.toMillis()))
        .map(RowSet::rowCount);
  }

  Future<Void> sinkInsert(SqlClient client, OutboxMessage message) {
    return client
        .preparedQuery(SINK_INSERT)
        .execute(Tuple.of(message.id(), message.channel(), message.dedupeKey(), message.payload()))
        .mapEmpty();
  }

  Future<List<LocalSink.Entry>> sinkList(SqlClient client, String channel, int limit) {
    return client
        .preparedQuery(SINK_LIST)
        .execute(Tuple.of(channel, limit))
        .map(
            rows -> {
              List<LocalSink.Entry> entries = new ArrayList<>(rows.size());
              for (Row row : rows) {
                entries.add(
                    new LocalSink.Entry(
                        row.getLong("id"),
                        row.getString("channel"),
                        row.getString("dedupe_key"),
                        row.getJsonObject("payload"),
                        instant(row, "delivered_at")));
              }
              return entries;
            });
  }

  Future<Integer> sinkPurge(SqlClient client, Duration olderThan) {
    return client
        .preparedQuery(SINK_PURGE)
        .execute(Tuple.of(olderThan.toMillis()))
        .map(RowSet::rowCount);
  }

  private static boolean updatedOne(RowSet<Row> rows) {
    return rows.rowCount() == 1;
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
