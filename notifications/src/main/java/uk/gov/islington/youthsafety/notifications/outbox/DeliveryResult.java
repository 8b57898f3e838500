package uk.gov.islington.youthsafety.notifications.outbox;

import java.time.Duration;

/**
 * What a channel says about one delivery attempt. Transient trouble (SMTP down, HTTP 429/503) is
 * {@link RetryLater}; a destination that will never accept the message (unknown mailbox, token
 * unregistered) is {@link Failed}, which is not retried.
 */
public sealed interface DeliveryResult {

  record Delivered() implements DeliveryResult {}

  /**
   * @param notBefore how long to wait before the next attempt (e.g. a Retry-After header), or null
   *     to use the dispatcher's exponential backoff
   */
  record RetryLater(Duration notBefore, String reason) implements DeliveryResult {}

  /** Permanent: the message is marked failed and never retried. */
  record Failed(String reason) implements DeliveryResult {}

  static DeliveryResult delivered() {
    return new Delivered();
  }

  static DeliveryResult retryLater(Duration notBefore, String reason) {
    return new RetryLater(notBefore, reason);
  }

  static DeliveryResult failed(String reason) {
    return new Failed(reason);
  }
}
