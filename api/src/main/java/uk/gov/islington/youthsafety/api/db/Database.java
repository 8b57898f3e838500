package uk.gov.islington.youthsafety.api.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.config.Loopback;

/**
 * Where PostgreSQL is: the server {@code DATABASE_URL} names, or an embedded one whose data lives
 * under {@code DATA_DIR/postgres} and survives restarts. The embedded server runs with fsync,
 * synchronous commit and full page writes on: a 2xx means committed, also on the default.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Module schemas in migration order: a module may rely on those before it. */
  public static final List<String> SCHEMAS = List.of("notifications", "content");

  private final DatabaseSettings settings;
  private final PgConnectOptions connectOptions;
  private final EmbeddedPostgres embedded;

  private Database(DatabaseSettings settings, PgConnectOptions connectOptions, EmbeddedPostgres embedded) {
    this.settings = settings;
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  /** Starts the embedded server if needed. Blocking: call before Vert.x serves anything. */
  public static Database open(Config config) throws Exception {
    DatabaseSettings settings = DatabaseSettings.from(config);
    if (settings.url().isPresent()) {
      PgConnectOptions options = parseUrl(settings.url().get());
      refusePlaintext(options, settings.tlsRequired());
      return new Database(settings, withTrust(options, settings.sslRootCert().orElse(null)), null);
    }
    Path dir = config.dataDir().resolve("postgres");
    Files.createDirectories(dir.getParent());
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(settings.embeddedPort())
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "200")
        .setPGStartupWait(java.time.Duration.ofSeconds(60))
        .start();
    LOG.info("embedded PostgreSQL listening on localhost:{} with data in {}", pg.getPort(), dir);
    PgConnectOptions options = new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
        .setDatabase("postgres").setUser("postgres").setPassword("postgres");
    return new Database(settings, options, pg);
  }

  /** Accepts {@code postgres://} and {@code postgresql://} URLs with user, password, host, port, database and params. */
  static PgConnectOptions parseUrl(String url) {
    try {
      return PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("DATABASE_URL is not a postgresql:// URL");
    }
  }

  /**
   * Reports, passwords and receipt hashes cross the network to a PostgreSQL on another machine:
   * without TLS (no sslmode, or disable/allow/prefer, which an attacker in the path can turn into
   * plaintext) the start stops, unless DATABASE_TLS=off writes the decision down.
   */
  static void refusePlaintext(PgConnectOptions options, boolean tlsRequired) {
    SslMode mode = options.getSslMode() == null ? SslMode.DISABLE : options.getSslMode();
    boolean plaintextPossible = mode == SslMode.DISABLE || mode == SslMode.ALLOW || mode == SslMode.PREFER;
    if (tlsRequired && plaintextPossible && !Loopback.is(options.getHost())) {
      throw new IllegalArgumentException("DATABASE_URL names another machine without TLS (sslmode=" + mode.value
          + "): add sslmode=verify-full (with DATABASE_SSL_ROOT_CERT) or sslmode=require, or set DATABASE_TLS=off "
          + "to accept plaintext on this network");
    }
  }

  /**
   * With {@code sslmode=verify-ca} or {@code verify-full} the server's certificate must chain to the
   * CA certificates in {@code rootCert} (PEM; DATABASE_SSL_ROOT_CERT), and with verify-full also
   * name the host of DATABASE_URL: without it a reporter's words could go to whoever answers.
   */
  static PgConnectOptions withTrust(PgConnectOptions options, Path rootCert) {
    SslMode mode = options.getSslMode();
    boolean verify = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (!verify) {
      if (rootCert != null) {
        throw new IllegalArgumentException("DATABASE_SSL_ROOT_CERT is set but DATABASE_URL has no "
            + "sslmode=verify-full (or verify-ca): add it, or the certificate would not be checked");
      }
      return options;
    }
    if (rootCert == null || !Files.isReadable(rootCert)) {
      throw new IllegalArgumentException("DATABASE_URL has sslmode=" + mode.value
          + ": set DATABASE_SSL_ROOT_CERT to a readable PEM file of the CA certificates to trust");
    }
    return options.setSslOptions(new ClientSSLOptions()
        .setTrustOptions(new PemTrustOptions().addCertPath(rootCert.toString()))
        .setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : ""));
  }

  public DatabaseSettings settings() {
    return settings;
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
    // the migration connection encrypts and verifies as the pool does
    SslMode mode = connectOptions.getSslMode();
    if (mode != null && mode != SslMode.DISABLE) {
      jdbc += "?sslmode=" + mode.value;
      if (connectOptions.getSslOptions() != null
          && connectOptions.getSslOptions().getTrustOptions() instanceof PemTrustOptions trust) {
        jdbc += "&sslrootcert=" + URLEncoder.encode(trust.getCertPaths().get(0), StandardCharsets.UTF_8);
      }
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
  public Pool pool(Vertx vertx) {
    PoolOptions pool = new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setMaxWaitQueueSize(settings.waitQueue())
        .setConnectionTimeout((int) settings.acquireTimeout().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setShared(false)
        .setName("youth-safety");
    PgConnectOptions connect = connectOptions()
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    connect.setMetricsName("pool");
    // a statement that runs longer than this is cancelled by PostgreSQL and the request answers 503
    connect.addProperty("statement_timeout",
        Long.toString(settings.statementTimeout().toMillis()));
    connect.addProperty("application_name", "youth-safety-api");
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) settings.connectTimeout().toMillis())
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
