package uk.gov.islington.youthsafety.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition instead of sleeping a fixed time, and waits for a future's result for a bounded
 * time: tests share the machine, so no timing is assumed.
 */
public final class Waiting {

  private Waiting() {}

  /**
   * Waits until {@code condition} holds, for up to 30 s; fails naming {@code what} if it never
   * does.
   */
  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(30), condition);
  }

  /**
   * Waits until {@code condition} holds, for up to {@code wait}; fails naming {@code what} if it
   * never does.
   */
  public static void until(String what, Duration wait, BooleanSupplier condition) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The result of {@code future}, waited for up to {@code wait}; fails if it takes longer. */
  public static <T> T await(Future<T> future, Duration wait) {
    try {
      return future.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + wait, e);
    }
  }
}
