package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;

/**
 * A retention rule for one kind of personal data (docs/privacy.md lists them all). The api's
 * scheduler runs every rule periodically on one instance at a time; a rule deletes what is older
 * than its period and answers how many rows went.
 */
public interface Retention {

  /** A short name for logs and metrics, e.g. "closed-reports". */
  String name();

  Future<Integer> purge(Pool pool, Instant now);

  /** The purge of a rule: deletes what is past its period at {@code now}, answers how many rows went. */
  @FunctionalInterface
  interface Purge {
    Future<Integer> run(Pool pool, Instant now);
  }

  static Retention of(String name, Purge purge) {
    return new Retention() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Integer> purge(Pool pool, Instant now) {
        return purge.run(pool, now);
      }
    };
  }
}
