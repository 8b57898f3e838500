package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Hands one batch of a push job to the platform: FCM through the Firebase Admin SDK ({@link
 * FcmSender}), or the local sink on the embedded default ({@link LocalSinkSender}). Must not block
 * the caller's event loop, and must answer within its own deadline.
 */
public interface PushSender {

  /**
   * @param origin the outbox message of the batch (its id is a stable key for the batch)
   * @param tokens at most 500 FCM registration tokens
   * @return {@link SendResult.NotNow} when the rate limit or a server's Retry-After would make the
   *     batch wait too long (nothing was sent), else one outcome per token, in order
   */
  Future<SendResult> send(OutboxMessage origin, PushMessage message, List<String> tokens);

  /**
   * As {@link #send(OutboxMessage, PushMessage, List)}, and tells {@code accepted} the index of
   * each token as soon as the platform has accepted its message, before the batch is done, so that
   * progress can be recorded while the rest is still on its way. Called from any thread.
   */
  default Future<SendResult> send(
      OutboxMessage origin, PushMessage message, List<String> tokens, IntConsumer accepted) {
    return send(origin, message, tokens);
  }

  /**
   * The instance is shutting down: from now on no batch starts sending; one that was waiting for
   * room or for the rate limit answers {@link SendResult.NotNow}. Batches already sending finish.
   */
  default void stop() {}

  /** What became of a batch. */
  sealed interface SendResult {

    record NotNow(Duration delay, String reason) implements SendResult {}

    record Outcomes(List<Outcome> outcomes) implements SendResult {}
  }

  /** What became of the message to one token. Reasons are short and never hold the token. */
  sealed interface Outcome {

    /** FCM accepted it. */
    record Sent() implements Outcome {}

    /**
     * The token is dead (UNREGISTERED, or INVALID_ARGUMENT about the token): remove the
     * subscription.
     */
    record InvalidToken(String reason) implements Outcome {}

    /**
     * Permanent for this message but not the token's fault (e.g. the payload): counted as failed.
     */
    record Failed(String reason) implements Outcome {}

    /**
     * Transient (429, 503, 500, time-out): try this token again, not before {@code after} if given.
     */
    record Retry(Duration after, String reason) implements Outcome {}

    Sent SENT = new Sent();
  }
}
