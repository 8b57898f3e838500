package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A retention rule for one kind of personal data (docs/privacy.md lists them all). The api's
 * scheduler runs every rule periodically on one instance at a time; a rule deletes what is older
 * than its period and answers how many rows went.
 */
public interface Retention {

  /** A short name for logs and metrics, e.g. "closed-reports". */
  String name();

  Future<Integer> purge(Pool pool, Instant now);

  /**
   * The purge of a rule: deletes what is past its period at {@code now}, answers how many rows
   * went.
   */
  @FunctionalInterface
  interface Purge {
    Future<Integer> run(Pool pool, Instant now);
  }

  /**
   * Rows dated (in {@code zone}) before the returned day are older than {@code keep}. A row dated D
   * is kept while D + keep (in whole days, rounded up) has not passed: with dates only, a period is
   * honoured to the day, never cut short.
   */
  static LocalDate daysBefore(Instant now, Duration keep, ZoneId zone) {
    long days = (keep.toSeconds() + 86_399) / 86_400;
    return LocalDate.ofInstant(now, zone).minusDays(days);
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
