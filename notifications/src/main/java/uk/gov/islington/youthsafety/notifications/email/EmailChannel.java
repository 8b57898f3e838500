package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * An outbox channel that e-mails. At delivery time it asks its {@link EmailSource} for the e-mail
 * (the outbox row holds only a reference), hands it to the {@link EmailTransport}, and tells the
 * source it went. Outcomes:
 *
 * <ul>
 *   <li>accepted by the transport: delivered;
 *   <li>refused for good (SMTP 5xx): failed, not retried, and the source is told;
 *   <li>nothing left to send: failed, not retried;
 *   <li>anything else (server down, connection refused, time-out, SMTP 4xx): retried with
 *       exponential backoff and jitter, so a mail server that is down for a while gets the message
 *       once it is back; when the dispatcher runs out of attempts, the source is told.
 * </ul>
 *
 * Reasons never include the server's reply text, which may quote the message.
 */
public final class EmailChannel implements Channel {

  private static final Logger LOG = LoggerFactory.getLogger(EmailChannel.class);

  private final String name;
  private final EmailSource source;
  private final EmailTransport transport;
  private final EmailPace pace;
  private final Duration retryInitial;
  private final Duration retryMax;

  /**
   * @param retryInitial delay after the first failed attempt, doubling per attempt up to {@code
   *     retryMax}; null to leave the delay to the dispatcher's own backoff
   */
  public EmailChannel(
      String name,
      EmailSource source,
      EmailTransport transport,
      Duration retryInitial,
      Duration retryMax) {
    this(name, source, transport, EmailPace.UNPACED, retryInitial, retryMax);
  }

  /**
   * @param pace the slot each e-mail waits for before it is composed and sent
   */
  public EmailChannel(
      String name,
      EmailSource source,
      EmailTransport transport,
      EmailPace pace,
      Duration retryInitial,
      Duration retryMax) {
    this.pace = Objects.requireNonNull(pace, "pace");
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.retryInitial = retryInitial;
    this.retryMax = retryMax == null ? retryInitial : retryMax;
  }

  @Override
  public String name() {
    return name;
  }

  public EmailTransport transport() {
    return transport;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    return pace.slot()
        .compose(v -> source.compose(message))
        .compose(email -> transport.send(message, email))
        .compose(
            sent ->
                source
                    .sent(message, transport.name())
                    .recover(
                        e -> {
                          LOG.warn(
                              "outbox message {} was e-mailed but recording it failed: {}",
                              message.id(),
                              e.getClass().getSimpleName());
                          return Future.succeededFuture();
                        })
                    .map(v -> DeliveryResult.delivered()))
        .recover(
            error ->
                error instanceof EmailTransport.Rejected rejected
                    ? source
                        .refused(message, rejected.getMessage())
                        .recover(
                            e -> {
                              LOG.warn(
                                  "outbox message {} was refused but recording it failed: {}",
                                  message.id(),
                                  e.getClass().getSimpleName());
                              return Future.succeededFuture();
                            })
                        .map(v -> outcome(message, error))
                    : Future.succeededFuture(outcome(message, error)));
  }

  @Override
  public Future<Void> gaveUp(OutboxMessage message, String reason) {
    return source.gaveUp(message, reason);
  }

  private DeliveryResult outcome(OutboxMessage message, Throwable error) {
    if (error instanceof EmailSource.AlreadySent) {
      return DeliveryResult.delivered();
    }
    if (error instanceof EmailSource.NothingToSend gone) {
      return DeliveryResult.failed("nothing to send: " + gone.getMessage());
    }
    if (error instanceof EmailTransport.Rejected rejected) {
      return DeliveryResult.failed(rejected.getMessage());
    }
    String reason =
        error instanceof IllegalStateException
                && error.getMessage() != null
                && (error.getMessage().startsWith("SMTP")
                    || error.getMessage().startsWith("Notify"))
            ? error.getMessage()
            : "mail server unavailable (" + error.getClass().getSimpleName() + ")";
    return DeliveryResult.retryLater(delay(message.attempt()), reason);
  }

  /** Exponential with "equal jitter": half fixed, half random; null when the dispatcher decides. */
  Duration delay(int attempt) {
    if (retryInitial == null) {
      return null;
    }
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    double base =
        Math.min((double) retryMax.toMillis(), retryInitial.toMillis() * Math.pow(2, doublings));
    double jittered = base / 2 + ThreadLocalRandom.current().nextDouble() * base / 2;
    return Duration.ofMillis(Math.max(1L, Math.round(jittered)));
  }
}
