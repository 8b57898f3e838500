package uk.gov.islington.youthsafety.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.api.http.RequestDeadlines;
import uk.gov.islington.youthsafety.api.platform.Draining;

/**
 * What features are built from: one of each per process, shared by every event loop.
 *
 * @param connectOptions the database's; a feature that needs its own connection (LISTEN/NOTIFY)
 *     takes {@link #listenerOptions} instead
 * @param embedded true on the embedded default (local sinks instead of SMTP and FCM, demo content)
 * @param draining set when the instance starts shutting down (readiness fails from then on)
 * @param deadlines how long requests may wait, shorter while PostgreSQL is failing
 */
public record AppContext(
    Vertx vertx,
    Config config,
    Clock clock,
    Pool pool,
    PgConnectOptions connectOptions,
    Tokens tokens,
    RateLimits rateLimits,
    PrometheusMeterRegistry metrics,
    boolean embedded,
    Draining draining,
    RequestDeadlines deadlines) {

  /**
   * A copy of the connect options for a feature's own connection, named for the metrics (the {@code
   * client_namespace} label of {@code vertx_sql_*}), so it is told apart from the pool's.
   */
  public PgConnectOptions listenerOptions(String name) {
    PgConnectOptions options = new PgConnectOptions(connectOptions);
    options.setMetricsName(name);
    return options;
  }
}
