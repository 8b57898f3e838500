package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;

/**
 * One kind of destination ("email", "fcm", "local-sink", ...). The dispatcher only claims rows
 * whose channel it has, so instances configured with different channels can share one database.
 *
 * <p>{@link #deliver} runs on the dispatcher's event loop: it must never block (wrap blocking SDK
 * calls in {@code vertx.executeBlocking}), and should time out on its own well within half the
 * dispatcher's lease. Reasons given in {@link DeliveryResult} end up in {@code last_error}: keep
 * them short and never include payload content.
 */
public interface Channel {

  String name();

  Future<DeliveryResult> deliver(OutboxMessage message);

  /**
   * Called once when the dispatcher fails a message for good on its own: retries exhausted, or
   * claims that kept ending without an outcome. (A {@link DeliveryResult#failed} the channel gave
   * itself is the channel's to handle in {@link #deliver}.) A failure here is logged only.
   *
   * @param reason short, without payload content
   */
  default Future<Void> gaveUp(OutboxMessage message, String reason) {
    return Future.succeededFuture();
  }

  /**
   * Called when the dispatcher stops (the instance shuts down) with deliveries of this channel
   * still in flight: start nothing more, and let go of whatever the channel holds besides the
   * outbox row (which the dispatcher releases itself), so that another instance can take the work
   * at once rather than when a lease runs out.
   */
  default Future<Void> release() {
    return Future.succeededFuture();
  }
}
