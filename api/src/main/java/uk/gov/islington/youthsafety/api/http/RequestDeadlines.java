package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a request may wait for its handler's answer. Normally that is {@code REQUEST_TIMEOUT}, a
 * backstop. While PostgreSQL is failing it is {@code OUTAGE_WAIT}: a query sent on a connection the
 * server is closing waits until its backend process has exited, which during a shutdown under load
 * takes seconds, and the client is better served by a fast 503 with Retry-After. Either way the
 * request answers 503 (a {@link TimeoutException}, which {@link DatabaseUnavailable} knows).
 *
 * <p>Requests waiting for an answer are kept per event loop, so that the check, which runs only
 * during an outage, can answer them on their own loop.
 */
public final class RequestDeadlines {

  private static final String WAITING = RequestDeadlines.class.getName();
  private static final long CHECK_EVERY_MILLIS = 50;

  private final Vertx vertx;
  private final long timeoutMillis;
  private final long outageWaitNanos;
  private final long outageMemoryNanos;
  private final Set<Waiting> loops = ConcurrentHashMap.newKeySet();
  private long lastFailure; // guarded by this
  private volatile boolean inOutage;
  private long checkTimer = -1;

  /**
   * @param outageWait the longest a request waits for its answer once PostgreSQL is failing
   * @param outageMemory how long after the last database failure the outage is thought to last
   */
  public RequestDeadlines(
      Vertx vertx, Duration requestTimeout, Duration outageWait, Duration outageMemory) {
    this.vertx = vertx;
    this.timeoutMillis = requestTimeout.toMillis();
    this.outageWaitNanos = outageWait.toNanos();
    this.outageMemoryNanos = outageMemory.toNanos();
  }

  /**
   * The handler's answer, or a {@link TimeoutException} at the request's deadline. Called on the
   * request's event loop.
   */
  Future<Reply> bound(Future<Reply> reply) {
    Context context = Vertx.currentContext();
    Waiting waiting = context.get(WAITING);
    if (waiting == null) {
      waiting = new Waiting(context);
      context.put(WAITING, waiting);
      loops.add(waiting);
    }
    Pending pending = new Pending(System.nanoTime());
    waiting.requests.add(pending);
    Waiting owner = waiting;
    reply
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .onComplete(
            result -> {
              owner.requests.remove(pending);
              settle(pending.answer, result);
            });
    return pending.answer.future();
  }

  /** PostgreSQL was found failing: from now on nobody waits longer than the outage wait. */
  public synchronized void databaseFailed() {
    // under the lock that ends an outage, so that a failure cannot slip in as it ends
    lastFailure = System.nanoTime();
    if (!inOutage) {
      inOutage = true;
      checkTimer = vertx.setPeriodic(CHECK_EVERY_MILLIS, id -> check());
    }
  }

  /** Whether requests are now answered after the outage wait. */
  public boolean inOutage() {
    return inOutage;
  }

  private void check() {
    long now = System.nanoTime();
    synchronized (this) {
      if (now - lastFailure > outageMemoryNanos) {
        inOutage = false;
        vertx.cancelTimer(checkTimer);
        return;
      }
    }
    long startedBefore = now - outageWaitNanos;
    for (Waiting waiting : loops) {
      waiting.context.runOnContext(v -> waiting.answerOlderThan(startedBefore));
    }
  }

  private static void settle(Promise<Reply> answer, AsyncResult<Reply> result) {
    if (result.succeeded()) {
      answer.tryComplete(result.result());
    } else {
      answer.tryFail(result.cause());
    }
  }

  /** Compared by identity: two requests may start in the same nanosecond. */
  private static final class Pending {
    final long started;
    final Promise<Reply> answer = Promise.promise();

    Pending(long started) {
      this.started = started;
    }
  }

  /** One event loop's requests still waiting, oldest first; touched only on that loop. */
  private static final class Waiting {
    final Context context;
    final LinkedHashSet<Pending> requests = new LinkedHashSet<>();

    Waiting(Context context) {
      this.context = context;
    }

    void answerOlderThan(long startedBefore) {
      var it = requests.iterator();
      while (it.hasNext()) {
        Pending p = it.next();
        if (p.started - startedBefore >= 0) {
          return;
        }
        it.remove();
        p.answer.tryFail(new TimeoutException("PostgreSQL is failing"));
      }
    }
  }
}
