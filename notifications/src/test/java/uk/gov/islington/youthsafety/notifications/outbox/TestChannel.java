package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A channel whose behaviour a test scripts, and which records every call: how often each message
 * was delivered, and whether any message was ever being delivered twice at the same time.
 */
final class TestChannel implements Channel {

  private final String name;
  volatile Function<OutboxMessage, Future<DeliveryResult>> behaviour =
      m -> Future.succeededFuture(DeliveryResult.delivered());
  final List<OutboxMessage> calls = new CopyOnWriteArrayList<>();
  final List<String> gaveUp = new CopyOnWriteArrayList<>();
  final Map<Long, AtomicInteger> deliveredCount = new ConcurrentHashMap<>();
  private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
  final AtomicInteger overlaps = new AtomicInteger();

  TestChannel(String name) {
    this.name = name;
  }

  TestChannel answering(Function<OutboxMessage, Future<DeliveryResult>> behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    calls.add(message);
    if (!inProgress.add(message.id())) {
      overlaps.incrementAndGet();
    }
    return behaviour
        .apply(message)
        .andThen(
            ar -> {
              inProgress.remove(message.id());
              if (ar.succeeded() && ar.result() instanceof DeliveryResult.Delivered) {
                deliveredCount
                    .computeIfAbsent(message.id(), id -> new AtomicInteger())
                    .incrementAndGet();
              }
            });
  }

  @Override
  public Future<Void> gaveUp(OutboxMessage message, String reason) {
    gaveUp.add(message.id() + ": " + reason);
    return Future.succeededFuture();
  }

  int delivered() {
    return deliveredCount.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
