package uk.gov.islington.youthsafety.api.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Every PostgreSQL setting, read and checked once at start (docs/operations.md, "PostgreSQL").
 *
 * @param url DATABASE_URL; empty: the embedded server under DATA_DIR
 * @param migrationUrl DATABASE_MIGRATION_URL: the role that owns the schemas and migrates them;
 *     empty: DATABASE_URL's (one role for both)
 * @param tlsRequired DATABASE_TLS: off accepts plaintext to another machine
 * @param embeddedPort the embedded server's port; 0 picks a free one
 */
public record DatabaseSettings(
    Optional<String> url,
    Optional<String> migrationUrl,
    Optional<Path> sslRootCert,
    boolean tlsRequired,
    int embeddedPort,
    int poolSize,
    int waitQueue,
    Duration acquireTimeout,
    Duration statementTimeout,
    Duration connectTimeout,
    Duration startupWait) {

  public static DatabaseSettings from(Config config) {
    return new DatabaseSettings(
        config.databaseUrl(),
        config.optional("DATABASE_MIGRATION_URL"),
        config.optional("DATABASE_SSL_ROOT_CERT").map(Path::of),
        config.bool("DATABASE_TLS", true),
        config.integer("EMBEDDED_PG_PORT", 0, 0, 65_535),
        config.integer("DB_POOL_SIZE", 16, 1, 10_000),
        config.integer("DB_POOL_WAIT_QUEUE", 256, -1, 1_000_000),
        config.positiveDuration("DB_ACQUIRE_TIMEOUT", Duration.ofSeconds(2)),
        config.positiveDuration("DB_STATEMENT_TIMEOUT", Duration.ofSeconds(10)),
        config.positiveDuration("DB_CONNECT_TIMEOUT", Duration.ofSeconds(2)),
        config.positiveDuration("DB_STARTUP_WAIT", Duration.ofSeconds(60)));
  }

  @Override
  public String toString() {
    // the URLs may hold passwords
    return "DatabaseSettings[external: "
        + url.isPresent()
        + ", migration role: "
        + migrationUrl.isPresent()
        + ", pool "
        + poolSize
        + "]";
  }
}
