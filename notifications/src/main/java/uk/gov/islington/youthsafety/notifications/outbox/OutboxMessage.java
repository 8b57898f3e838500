package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A claimed outbox row as a channel sees it. {@code attempt} is 1 for the first delivery attempt; a
 * channel may use {@code id} or {@code dedupeKey} as an idempotency key at the destination, because
 * delivery is at-least-once (a dispatcher that dies after sending but before recording the outcome
 * causes a redelivery once its lease expires).
 */
public record OutboxMessage(
    long id, String channel, String dedupeKey, JsonObject payload, int attempt, Instant createdAt) {

  /** Never prints the payload: it may hold report text. */
  @Override
  public String toString() {
    return "OutboxMessage[id=" + id + ", channel=" + channel + ", attempt=" + attempt + "]";
  }
}
