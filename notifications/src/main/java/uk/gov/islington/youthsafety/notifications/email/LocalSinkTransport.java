package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSinkChannel;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * The embedded default's "SMTP server": stores the composed e-mail in {@code
 * notifications.local_sink} (once per outbox message), where staff can read it. The feature decides
 * what is stored through {@code toPayload}, e.g. with the text encrypted, so that the sink holds no
 * more in clear than the outbox does.
 */
public final class LocalSinkTransport implements EmailTransport {

  private final Pool pool;
  private final Function<EmailAndMessage, JsonObject> toPayload;

  /** What {@code toPayload} gets: the e-mail and the outbox message it answers. */
  public record EmailAndMessage(Email email, OutboxMessage message) {}

  public LocalSinkTransport(Pool pool, Function<EmailAndMessage, JsonObject> toPayload) {
    this.pool = pool;
    this.toPayload = toPayload;
  }

  @Override
  public String name() {
    return "local-sink";
  }

  @Override
  public Future<Void> send(OutboxMessage message, Email email) {
    JsonObject payload;
    try {
      payload = toPayload.apply(new EmailAndMessage(email, message));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    OutboxMessage stored =
        new OutboxMessage(
            message.id(),
            message.channel(),
            message.dedupeKey(),
            payload,
            message.attempt(),
            message.createdAt());
    return new LocalSinkChannel(message.channel(), pool)
        .deliver(stored)
        .compose(
            result ->
                result instanceof DeliveryResult.Delivered
                    ? Future.succeededFuture()
                    : Future.failedFuture(new IllegalStateException("local sink unavailable")));
  }
}
