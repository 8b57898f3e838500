package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Function;

/**
 * One load at a time. A call while one runs waits for the next, which starts when the running one
 * ends and is shared by every call meanwhile, so what a call gets reflects at least every change
 * committed before it. {@code load} takes whether to start from scratch; a shared next load does
 * when any of its calls asked to.
 */
public final class SingleFlight<T> {

  private final Function<Boolean, Future<T>> load;
  private Future<T> running;
  private Promise<T> queued;
  private boolean queuedFromScratch;

  public SingleFlight(Function<Boolean, Future<T>> load) {
    this.load = load;
  }

  public synchronized Future<T> run(boolean fromScratch) {
    if (running == null) {
      return start(fromScratch, null);
    }
    queuedFromScratch |= fromScratch;
    if (queued == null) {
      queued = Promise.promise();
    }
    return queued.future();
  }

  private Future<T> start(boolean fromScratch, Promise<T> waiting) {
    Future<T> f = load.apply(fromScratch);
    running = f;
    if (waiting != null) {
      f.onComplete(waiting);
    }
    f.onComplete(r -> next());
    return f;
  }

  private synchronized void next() {
    running = null;
    if (queued != null) {
      Promise<T> p = queued;
      boolean fromScratch = queuedFromScratch;
      queued = null;
      queuedFromScratch = false;
      start(fromScratch, p);
    }
  }
}
