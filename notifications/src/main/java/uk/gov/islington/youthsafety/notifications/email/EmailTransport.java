package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * How an e-mail leaves: {@link SmtpTransport} in production, {@link LocalSinkTransport} on the
 * embedded default. A transport fails with {@link Rejected} when the server refused the message for
 * good; any other failure (connection refused, time-out, 4xx) is treated as transient.
 */
public interface EmailTransport {

  /** "smtp" or "local-sink": recorded with the delivery so staff can tell where a message went. */
  String name();

  Future<Void> send(OutboxMessage message, Email email);

  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** The server refused the message permanently (e.g. SMTP 550 unknown mailbox). */
  final class Rejected extends RuntimeException {
    public Rejected(String reason) {
      super(reason, null, false, false);
    }
  }
}
