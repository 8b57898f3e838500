package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Admits batches to the SDK's worker pool only while fewer than {@code capacity} messages are in
 * flight, first come first served, so that a batch's deadline measures its own sending rather than
 * time spent queued behind other batches inside the SDK's executor (a batch cancelled there would
 * be retried although some of its messages had gone). A batch that cannot start within the wait it
 * is given is refused, to be handed back to the outbox. Never blocks.
 */
final class InFlightGate {

  /** Refused: no room within the wait. */
  static final class NoRoom extends RuntimeException {
    NoRoom() {
      super("no room for the batch", null, false, false);
    }
  }

  private record Waiter(int permits, Promise<Void> promise, long timer) {}

  private final Vertx vertx;
  private final int capacity;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private int inFlight;

  InFlightGate(Vertx vertx, int capacity) {
    this.vertx = vertx;
    this.capacity = capacity;
  }

  /** Completes when {@code permits} may go; fails with {@link NoRoom} after {@code maxWait}. */
  Future<Void> acquire(int permits, Duration maxWait) {
    int n = Math.min(permits, capacity);
    Promise<Void> promise = Promise.promise();
    synchronized (this) {
      if (waiting.isEmpty() && inFlight + n <= capacity) {
        inFlight += n;
        return Future.succeededFuture();
      }
      Waiter[] self = new Waiter[1];
      long timer =
          vertx.setTimer(
              Math.max(1, maxWait.toMillis()),
              id -> {
                boolean removed;
                synchronized (this) {
                  removed = waiting.remove(self[0]);
                }
                if (removed) {
                  promise.tryFail(new NoRoom());
                }
              });
      self[0] = new Waiter(n, promise, timer);
      waiting.addLast(self[0]);
    }
    return promise.future();
  }

  void release(int permits) {
    List<Waiter> admitted = new ArrayList<>();
    synchronized (this) {
      inFlight -= Math.min(permits, capacity);
      while (!waiting.isEmpty() && inFlight + waiting.peekFirst().permits() <= capacity) {
        Waiter w = waiting.pollFirst();
        inFlight += w.permits();
        admitted.add(w);
      }
    }
    for (Waiter w : admitted) {
      vertx.cancelTimer(w.timer());
      w.promise().tryComplete();
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
