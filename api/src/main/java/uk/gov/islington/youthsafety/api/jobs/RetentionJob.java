package uk.gov.islington.youthsafety.api.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.Retention;

/**
 * Runs every retention rule periodically. A PostgreSQL advisory lock makes sure that only one of
 * several instances purges at a time; the others skip that round.
 */
public final class RetentionJob {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final long LOCK_KEY = 0x7953_5245_5445_4eL; // "ySRETEN"

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final List<Retention> rules;
  private long timer = -1;

  public RetentionJob(Vertx vertx, Pool pool, Clock clock, List<Retention> rules) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.rules = List.copyOf(rules);
  }

  public void start(Duration every) {
    if (!rules.isEmpty()) {
      timer =
          vertx.setPeriodic(Duration.ofSeconds(30).toMillis(), every.toMillis(), id -> runOnce());
    }
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * One round of every rule; answers the number of rows purged (0 when another instance holds the
   * lock).
   */
  public Future<Integer> runOnce() {
    return pool.withConnection(
        conn ->
            conn.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ") AS locked")
                .execute()
                .compose(
                    rows ->
                        rows.iterator().next().getBoolean("locked")
                            ? purgeAll(0, 0).eventually(() -> unlock(conn))
                            : Future.succeededFuture(0)));
  }

  private Future<Integer> purgeAll(int index, int total) {
    if (index >= rules.size()) {
      return Future.succeededFuture(total);
    }
    Retention rule = rules.get(index);
    return rule.purge(pool, clock.instant())
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("retention {} purged {} rows", rule.name(), n);
              }
            })
        .recover(
            e -> {
              LOG.warn("retention {} failed: {}", rule.name(), e.getClass().getSimpleName());
              return Future.succeededFuture(0);
            })
        .compose(n -> purgeAll(index + 1, total + n));
  }

  private static Future<Void> unlock(SqlConnection conn) {
    return conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute().mapEmpty();
  }
}
