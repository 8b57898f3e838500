package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells open triage pages, on every instance, that new reports arrived: an empty NOTIFY on {@link
 * #CHANNEL}, sent after the reports' own transactions and at most once per {@link
 * #COALESCE_MILLIS}. A NOTIFY inside the inserting transaction would make every report's commit
 * wait for the others' (PostgreSQL takes one lock for all notifying commits), and the pages only
 * fetch the queue again, so one notice serves a burst.
 */
final class QueueChanged {

  static final String CHANNEL = "content_reports_changed";
  static final long COALESCE_MILLIS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(QueueChanged.class);

  private final Vertx vertx;
  private final Pool pool;
  private final AtomicBoolean pending = new AtomicBoolean();

  QueueChanged(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  void signal() {
    if (pending.compareAndSet(false, true)) {
      vertx.setTimer(
          COALESCE_MILLIS,
          id -> {
            pending.set(false);
            pool.query("SELECT pg_notify('" + CHANNEL + "', '')")
                .execute()
                // an open page misses one live update and shows it at its next fetch
                .onFailure(e -> LOG.debug("triage notice not sent: {}", e.getClass().getName()));
          });
    }
  }
}
