package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Hands e-mails to another transport no faster than a set rate, so that a bulletin to every
 * subscriber does not trip the mail relay's own limits. Each send reserves the next free slot and
 * waits on a timer for it (never blocking a thread); the dispatcher bounds how many wait at once.
 * The rate is per process: divide the relay's allowance by the number of instances.
 */
public final class PacedTransport implements EmailTransport {

  private final Vertx vertx;
  private final EmailTransport inner;
  private final long nanosPerMessage;
  private final Object lock = new Object();
  private long nextSlot = System.nanoTime();

  public PacedTransport(Vertx vertx, EmailTransport inner, int messagesPerSecond) {
    if (messagesPerSecond < 1) {
      throw new IllegalArgumentException("messagesPerSecond must be at least 1");
    }
    this.vertx = vertx;
    this.inner = inner;
    this.nanosPerMessage = 1_000_000_000L / messagesPerSecond;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Future<Void> send(OutboxMessage message, Email email) {
    long waitMillis = reserve(System.nanoTime()) / 1_000_000L;
    if (waitMillis < 1) {
      return inner.send(message, email);
    }
    Promise<Void> slot = Promise.promise();
    vertx.setTimer(waitMillis, id -> slot.complete());
    return slot.future().compose(v -> inner.send(message, email));
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

  @Override
  public Future<Void> close() {
    return inner.close();
  }
}
