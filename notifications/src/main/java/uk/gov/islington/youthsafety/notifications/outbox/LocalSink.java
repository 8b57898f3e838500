package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Read side of {@code notifications.local_sink}: what {@link LocalSinkChannel} "sent" on a machine
 * without SMTP or FCM, for a moderator or editor to read (and for tests).
 */
public final class LocalSink {

  private static final OutboxStore STORE = new OutboxStore();

  /** One stored message. {@code payload} may hold report text: show it only to staff. */
  public record Entry(
      long id, String channel, String dedupeKey, JsonObject payload, Instant deliveredAt) {

    @Override
    public String toString() {
      return "LocalSink.Entry[id=" + id + ", channel=" + channel + "]";
    }
  }

  private LocalSink() {}

  /**
   * The newest {@code limit} messages of a channel (all channels when {@code channel} is null),
   * newest first.
   */
  public static Future<List<Entry>> list(SqlClient client, String channel, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be positive"));
    }
    return STORE.sinkList(client, channel, Math.min(limit, 1000));
  }

  /**
   * Deletes messages stored more than {@code olderThan} ago, for the retention job; returns how
   * many.
   */
  public static Future<Integer> purgeOlderThan(SqlClient client, Duration olderThan) {
    return STORE.sinkPurge(client, olderThan);
  }

  /** As {@link #purgeOlderThan(SqlClient, Duration)} for one channel only. */
  public static Future<Integer> purgeOlderThan(
      SqlClient client, String channel, Duration olderThan) {
    return STORE.sinkPurge(client, channel, olderThan);
  }
}
