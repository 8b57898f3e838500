package uk.gov.islington.youthsafety.api;

import java.time.Duration;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.http.ApiRouter;
import uk.gov.islington.youthsafety.api.http.ClientNetwork;

/**
 * The process's own settings (docs/operations.md, "HTTP" and "Outbox, jobs and demo content"): read
 * and checked once at start, before anything listens. The features keep theirs next to their code;
 * the database's are {@code DatabaseSettings}.
 *
 * @param httpInstances event loops serving HTTP, one verticle each
 * @param maxBodyBytes the largest request body accepted, in bytes
 * @param requestTimeout how long a request may take before it is answered 503
 * @param outageWait how long a request may take while PostgreSQL is failing
 * @param shutdownDrain how long a stopping instance still serves while the balancer notices it is
 *     not ready
 * @param shutdownGrace how long requests in flight may then take to finish
 * @param retentionInterval how often the retention rules run
 * @param demoContent whether the embedded default loads the demo content
 */
public record ServerSettings(
    String host,
    int port,
    int httpInstances,
    int maxBodyBytes,
    ClientNetwork clientNetwork,
    Duration requestTimeout,
    Duration outageWait,
    Duration shutdownDrain,
    Duration shutdownGrace,
    String managementHost,
    int managementPort,
    Duration retentionInterval,
    boolean demoContent) {

  public static ServerSettings from(Config config) {
    return new ServerSettings(
        config.host(),
        config.port(),
        config.integer("HTTP_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        config.integer("MAX_BODY_BYTES", 64 * 1024, 1024, 64 * 1024 * 1024),
        ClientNetwork.of(
            config.list("TRUSTED_PROXIES"), config.integer("TRUSTED_PROXY_HOPS", 0, 0, 16)),
        config.positiveDuration("REQUEST_TIMEOUT", ApiRouter.DEFAULT_REQUEST_TIMEOUT),
        config.positiveDuration("OUTAGE_WAIT", ApiRouter.DEFAULT_OUTAGE_WAIT),
        notNegative(config, "SHUTDOWN_DRAIN", Duration.ofSeconds(10)),
        notNegative(config, "SHUTDOWN_GRACE", Duration.ofSeconds(10)),
        config.string("MANAGEMENT_HOST", "127.0.0.1"),
        config.integer("MANAGEMENT_PORT", 9090, 0, 65_535),
        config.positiveDuration("RETENTION_INTERVAL", Duration.ofHours(1)),
        // read on every start, so a malformed value is refused even where it would not apply
        config.bool("DEMO_CONTENT", true));
  }

  private static Duration notNegative(Config config, String name, Duration defaultValue) {
    Duration d = config.duration(name, defaultValue);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration of zero or more");
    }
    return d;
  }
}
