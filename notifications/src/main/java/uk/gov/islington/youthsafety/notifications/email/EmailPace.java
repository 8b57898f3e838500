package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Lets e-mails go no faster than a set rate, so that a bulletin to every subscriber does not trip
 * the mail relay's own limits. Each e-mail reserves the next free slot and waits on a timer for it
 * (never blocking a thread); the dispatcher bounds how many wait at once. An {@link EmailChannel}
 * waits for its slot before it composes, so the work of a claimed batch (reading, sealing links,
 * rendering) is spread over the batch's slots instead of landing on an event loop at once. The rate
 * is per process: divide the relay's allowance by the number of instances.
 */
public final class EmailPace {

  /** No pace: every e-mail goes at once. */
  public static final EmailPace UNPACED = new EmailPace(null, 0);

  private final Vertx vertx;
  private final long nanosPerMessage;
  private final Object lock = new Object();
  private long nextSlot = System.nanoTime();

  private EmailPace(Vertx vertx, long nanosPerMessage) {
    this.vertx = vertx;
    this.nanosPerMessage = nanosPerMessage;
  }

  public static EmailPace perSecond(Vertx vertx, int messagesPerSecond) {
    if (messagesPerSecond < 1) {
      throw new IllegalArgumentException("messagesPerSecond must be at least 1");
    }
    return new EmailPace(vertx, 1_000_000_000L / messagesPerSecond);
  }

  /** Completes when the next free slot comes; the caller then has it. */
  public Future<Void> slot() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    long waitMillis = reserve(System.nanoTime()) / 1_000_000L;
    if (waitMillis < 1) {
      return Future.succeededFuture();
    }
    Promise<Void> slot = Promise.promise();
    vertx.setTimer(waitMillis, id -> slot.complete());
    return slot.future();
  }

  /** Nanoseconds to wait for the next free slot, which this call takes. */
  long reserve(long now) {
    synchronized (lock) {
      // an idle spell does not bank a burst: at most one message goes at once after it
      long slot = Math.max(now, nextSlot);
      nextSlot = slot + nanosPerMessage;
      return slot - now;
    }
  }
}
