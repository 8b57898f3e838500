package uk.gov.islington.youthsafety.api.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Where PostgreSQL is: the server {@code DATABASE_URL} names, or an embedded one whose data lives
 * under {@code DATA_DIR/postgres} and survives restarts. The embedded server runs with fsync,
 * synchronous commit and full page writes on: a 2xx means committed, also on the default.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Module schemas in migration order: a module may rely on those before it. */
  public static final List<String> SCHEMAS = List.of("notifications", "content");

  private final PgConnectOptions connectOptions;
  private final EmbeddedPostgres embedded;

  private Database(PgConnectOptions connectOptions, EmbeddedPostgres embedded) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  /** Starts the embedded server if needed. Blocking: call before Vert.x serves anything. */
  public static Database open(Config config) throws Exception {
    if (config.databaseUrl().isPresent()) {
      return new Database(parseUrl(config.databaseUrl().get()), null);
    }
    Path dir = config.dataDir().resolve("postgres");
    Files.createDirectories(dir.getParent());
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(config.integer("EMBEDDED_PG_PORT", 0))
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "200")
        .setPGStartupWait(java.time.Duration.ofSeconds(60))
        .start();
    LOG.info("embedded PostgreSQL listening on localhost:{} with data in {}", pg.getPort(), dir);
    PgConnectOptions options = new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
        .setDatabase("postgres").setUser("postgres").setPassword("postgres");
    return new Database(options, pg);
  }

  /** Accepts {@code postgres://} and {@code postgresql://} URLs with user, password, host, port, database and params. */
  static PgConnectOptions parseUrl(String url) {
    try {
      return PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("DATABASE_URL is not a postgresql:// URL");
    }
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(connectOptions);
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Migrates every module's schema with its own Flyway history, in {@link #SCHEMAS} order. Blocking. */
  public void migrate() {
    String jdbc = "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort() + "/"
        + connectOptions.getDatabase();
    // the migration connection encrypts when the pool does (sslmode from DATABASE_URL)
    if (connectOptions.getSslMode() != null && connectOptions.getSslMode() != io.vertx.pgclient.SslMode.DISABLE) {
      jdbc += "?sslmode=" + connectOptions.getSslMode().value;
    }
    for (String schema : SCHEMAS) {
      var result = Flyway.configure()
          .dataSource(jdbc, connectOptions.getUser(), connectOptions.getPassword())
          .schemas(schema)
          .createSchemas(true)
          .locations("classpath:db/" + schema)
          .load()
          .migrate();
      LOG.info("schema {} at version {} ({} migrations applied)", schema, result.targetSchemaVersion,
          result.migrationsExecuted);
    }
  }

  /**
   * The bounded pool every request shares. When PostgreSQL is slow or down, waiting requests are
   * capped by the wait queue and the connect timeout, so callers get a fast 503 instead of a hang.
   */
  public Pool pool(Vertx vertx, Config config) {
    PoolOptions pool = new PoolOptions()
        .setMaxSize(config.integer("DB_POOL_SIZE", 16))
        .setMaxWaitQueueSize(config.integer("DB_POOL_WAIT_QUEUE", 256))
        .setConnectionTimeout((int) config.duration("DB_ACQUIRE_TIMEOUT", java.time.Duration.ofSeconds(2)).toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setShared(false)
        .setName("youth-safety");
    PgConnectOptions connect = connectOptions()
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    // a statement that runs longer than this is cancelled by PostgreSQL and the request answers 503
    connect.addProperty("statement_timeout",
        Long.toString(config.duration("DB_STATEMENT_TIMEOUT", java.time.Duration.ofSeconds(10)).toMillis()));
    connect.addProperty("application_name", "youth-safety-api");
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) config.duration("DB_CONNECT_TIMEOUT", java.time.Duration.ofSeconds(2)).toMillis())
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }

  @Override
  public void close() throws Exception {
    if (embedded != null) {
      embedded.close();
      LOG.info("embedded PostgreSQL stopped");
    }
  }
}
