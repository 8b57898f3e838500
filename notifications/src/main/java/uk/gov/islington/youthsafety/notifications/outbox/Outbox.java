package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the transactional outbox. A service that changes something and must also
 * make something happen elsewhere (forward a report, push a bulletin) calls {@link #enqueue} with
 * the connection of the transaction that makes the change: the message then exists if and only if
 * the change was committed, and a {@link Dispatcher} delivers it afterwards.
 */
public final class Outbox {

  private static final OutboxStore STORE = new OutboxStore();
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private Outbox() {}

  /** {@link #enqueue(SqlClient, String, String, JsonObject, Instant)}, due at once. */
  public static Future<Long> enqueue(
      SqlClient tx, String channel, String dedupeKey, JsonObject payload) {
    return enqueue(tx, channel, dedupeKey, payload, null);
  }

  /**
   * Inserts a pending message through the caller's connection (so inside its transaction) and
   * notifies dispatchers, which wake up when that transaction commits.
   *
   * @param dedupeKey null, or a key unique across the outbox: enqueueing it again is a no-op that
   *     returns the existing message's id (whatever its channel, payload or state)
   * @param notBefore null, or the earliest time the message may be delivered
   * @return the message id
   */
  public static Future<Long> enqueue(
      SqlClient tx, String channel, String dedupeKey, JsonObject payload, Instant notBefore) {
    if (tx == null || channel == null || channel.isBlank() || channel.length() > 64) {
      return Future.failedFuture(
          new IllegalArgumentException("outbox channel must be 1..64 characters"));
    }
    if (payload == null) {
      return Future.failedFuture(new IllegalArgumentException("outbox payload is required"));
    }
    if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > 200)) {
      return Future.failedFuture(
          new IllegalArgumentException("outbox dedupe key must be 1..200 characters"));
    }
    return STORE.enqueue(tx, channel, dedupeKey, payload, notBefore);
  }

  /**
   * Inserts one pending message per entry of {@code messages} (dedupe key → payload) in one
   * statement through the caller's connection; keys enqueued before are skipped.
   *
   * @return how many were new
   */
  public static Future<Integer> enqueueEach(
      SqlClient tx, String channel, java.util.Map<String, JsonObject> messages) {
    if (tx == null || channel == null || channel.isBlank() || channel.length() > 64) {
      return Future.failedFuture(
          new IllegalArgumentException("outbox channel must be 1..64 characters"));
    }
    if (messages.isEmpty()) {
      return Future.succeededFuture(0);
    }
    java.util.List<String> keys = new java.util.ArrayList<>(messages.size());
    java.util.List<String> payloads = new java.util.ArrayList<>(messages.size());
    for (java.util.Map.Entry<String, JsonObject> m : messages.entrySet()) {
      if (m.getKey() == null
          || m.getKey().isEmpty()
          || m.getKey().length() > 200
          || m.getValue() == null) {
        return Future.failedFuture(
            new IllegalArgumentException(
                "every message needs a key of 1..200 characters and a payload"));
      }
      keys.add(m.getKey());
      payloads.add(m.getValue().encode());
    }
    return STORE.enqueueEach(tx, channel, keys, payloads);
  }

  /** The delivery state of the message enqueued with this key, if there is one. */
  public static Future<Optional<OutboxStatus>> statusByDedupeKey(
      SqlClient client, String dedupeKey) {
    if (dedupeKey == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return STORE.statusByDedupeKey(client, dedupeKey);
  }

  /**
   * Deletes delivered and failed messages created more than {@code olderThan} ago, for the
   * retention job: payloads may hold personal data. Pending messages are never purged.
   *
   * @return how many rows were deleted
   */
  public static Future<Integer> purgeFinished(SqlClient client, Duration olderThan) {
    return STORE.purgeFinished(client, olderThan);
  }

  /**
   * As {@link #purgeFinished(SqlClient, Duration)} for one channel only, for messages whose very
   * existence and time should not be kept as long as the rest.
   */
  public static Future<Integer> purgeFinished(
      SqlClient client, String channel, Duration olderThan) {
    return STORE.purgeFinished(client, channel, olderThan);
  }

  /**
   * Brings PostgreSQL's statistics of the outbox up to date, for a caller that has just committed
   * many messages at once (a bulletin's e-mails, a week's digests). Until autovacuum comes round,
   * the planner still believes almost nothing is pending, and the statement that records each
   * outcome would read every pending message instead of its own rows by key: CPU in PostgreSQL for
   * every send of the batch. Runs through the owner's {@code notifications.analyze_outbox()}, since
   * the service's role does not own the table; never fails, and only the exception's class is
   * logged.
   */
  public static Future<Void> refreshStatistics(SqlClient client) {
    return STORE
        .analyze(client)
        .recover(
            e -> {
              LOG.warn("could not analyze the outbox: {}", e.getClass().getSimpleName());
              return Future.succeededFuture();
            });
  }
}
