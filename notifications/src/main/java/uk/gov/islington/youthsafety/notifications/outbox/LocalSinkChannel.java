package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers by storing the message in {@code notifications.local_sink}. The embedded default has no
 * SMTP server or FCM project, so it registers this channel under the names "email" and "fcm" and
 * the rest of the system runs unchanged; staff read the result through {@link LocalSink}. Storing
 * is idempotent per outbox id, so a redelivery does not show a message twice.
 */
public final class LocalSinkChannel implements Channel {

  public static final String NAME = "local-sink";
  private static final Logger LOG = LoggerFactory.getLogger(LocalSinkChannel.class);

  private final OutboxStore store = new OutboxStore();
  private final String name;
  private final Pool pool;

  public LocalSinkChannel(Pool pool) {
    this(NAME, pool);
  }

  /**
   * Stands in for the channel called {@code name}, e.g. {@code new LocalSinkChannel("email",
   * pool)}.
   */
  public LocalSinkChannel(String name, Pool pool) {
    this.name = Objects.requireNonNull(name, "name");
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    return store
        .sinkInsert(pool, message)
        .map(
            v -> {
              LOG.info(
                  "outbox message {} for channel {} stored in the local sink", message.id(), name);
              return DeliveryResult.delivered();
            })
        .recover(
            error ->
                Future.succeededFuture(
                    DeliveryResult.retryLater(
                        null, "local sink unavailable: " + error.getClass().getSimpleName())));
  }
}
