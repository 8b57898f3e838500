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
}
