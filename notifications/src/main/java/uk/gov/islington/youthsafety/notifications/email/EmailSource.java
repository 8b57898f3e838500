package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * What a feature supplies to an {@link EmailChannel}: the e-mail for an outbox message, composed at
 * delivery time (so that outbox payloads carry references, never the text itself), and a hook told
 * when the e-mail was handed over.
 */
public interface EmailSource {

  /**
   * The e-mail to send for this message. Fail with {@link NothingToSend} when the thing it refers
   * to is gone (e.g. purged); any other failure is retried.
   */
  Future<Email> compose(OutboxMessage message);

  /**
   * Called once the transport accepted the e-mail. A failure here is logged and not retried (the
   * e-mail has gone; sending it again would duplicate it).
   *
   * @param transport "smtp" or "local-sink"
   */
  default Future<Void> sent(OutboxMessage message, String transport) {
    return Future.succeededFuture();
  }

  /**
   * Called once when the server refused the e-mail for good (e.g. SMTP 550): it will not be
   * retried. A failure here is logged; the message is marked failed all the same.
   *
   * @param reason short, without the server's reply text
   */
  default Future<Void> refused(OutboxMessage message, String reason) {
    return Future.succeededFuture();
  }

  /**
   * Called once when the outbox stopped trying: the server kept deferring or stayed unreachable
   * until the attempts ran out. Unlike {@link #refused}, the address may be fine (the relay may
   * have been down), so it is no bounce. A failure here is logged only.
   */
  default Future<Void> gaveUp(OutboxMessage message, String reason) {
    return Future.succeededFuture();
  }

  /**
   * The e-mail was sent on an earlier attempt whose outcome the outbox did not record (delivery is
   * at-least-once): count it as delivered without sending it again.
   */
  final class AlreadySent extends RuntimeException {
    public AlreadySent() {
      super("already sent", null, false, false);
    }
  }

  /** The message refers to something that no longer exists: fail it permanently, do not retry. */
  final class NothingToSend extends RuntimeException {
    public NothingToSend(String reason) {
      super(reason, null, false, false);
    }
  }
}
