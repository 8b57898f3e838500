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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
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

  /** The embedded default's runtime role: the service's pool connects as it, never as the owner. */
  static final String EMBEDDED_RUNTIME_ROLE = "youth_safety_app";

  private final DatabaseSettings settings;
  private final PgConnectOptions connectOptions;
  private final PgConnectOptions migrationOptions;
  private final EmbeddedPostgres embedded;

  private Database(
      DatabaseSettings settings,
      PgConnectOptions connectOptions,
      PgConnectOptions migrationOptions,
      EmbeddedPostgres embedded) {
    this.settings = settings;
    this.connectOptions = connectOptions;
    this.migrationOptions = migrationOptions;
    this.embedded = embedded;
  }

  /** Starts the embedded server if needed. Blocking: call before Vert.x serves anything. */
  public static Database open(Config config) throws Exception {
    DatabaseSettings settings = DatabaseSettings.from(config);
    if (settings.url().isPresent()) {
      PgConnectOptions options = checked("DATABASE_URL", settings.url().get(), settings);
      PgConnectOptions migration =
          settings.migrationUrl().isPresent()
              ? checked("DATABASE_MIGRATION_URL", settings.migrationUrl().get(), settings)
              : options;
      return new Database(settings, options, migration, null);
    }
    if (settings.migrationUrl().isPresent()) {
      throw new IllegalArgumentException(
          "DATABASE_MIGRATION_URL is set without DATABASE_URL: the embedded "
              + "default migrates as its own owner role; set both or neither");
    }
    Path dir = config.dataDir().resolve("postgres");
    Files.createDirectories(dir.getParent());
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
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
    PgConnectOptions owner =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(pg.getPort())
            .setDatabase("postgres")
            .setUser("postgres")
            .setPassword("postgres");
    try {
      return new Database(settings, embeddedRuntimeRole(owner), owner, pg);
    } catch (SQLException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * The embedded default's runtime role, so that the separation production has is also what every
   * start on the default runs and tests: a login role with a password made for this start.
   */
  private static PgConnectOptions embeddedRuntimeRole(PgConnectOptions owner) throws SQLException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    try (Connection c = jdbc(owner);
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + EMBEDDED_RUNTIME_ROLE
              + "') THEN CREATE ROLE "
              + EMBEDDED_RUNTIME_ROLE
              + " LOGIN; END IF; END $$");
      st.execute(
          "ALTER ROLE "
              + EMBEDDED_RUNTIME_ROLE
              + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
              + password
              + "'");
    }
    return new PgConnectOptions(owner).setUser(EMBEDDED_RUNTIME_ROLE).setPassword(password);
  }

  private static PgConnectOptions checked(String name, String url, DatabaseSettings settings) {
    PgConnectOptions options = parseUrl(name, url);
    refusePlaintext(name, options, settings.tlsRequired());
    return withTrust(options, settings.sslRootCert().orElse(null));
  }

  /**
   * Accepts {@code postgres://} and {@code postgresql://} URLs with user, password, host, port,
   * database and params.
   */
  static PgConnectOptions parseUrl(String url) {
    return parseUrl("DATABASE_URL", url);
  }

  static PgConnectOptions parseUrl(String name, String url) {
    try {
      return PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " is not a postgresql:// URL");
    }
  }

  /**
   * Reports, passwords and receipt hashes cross the network to a PostgreSQL on another machine:
   * without TLS (no sslmode, or disable/allow/prefer, which an attacker in the path can turn into
   * plaintext) the start stops, unless DATABASE_TLS=off writes the decision down.
   */
  static void refusePlaintext(PgConnectOptions options, boolean tlsRequired) {
    refusePlaintext("DATABASE_URL", options, tlsRequired);
  }

  static void refusePlaintext(String name, PgConnectOptions options, boolean tlsRequired) {
    SslMode mode = options.getSslMode() == null ? SslMode.DISABLE : options.getSslMode();
    boolean plaintextPossible =
        mode == SslMode.DISABLE || mode == SslMode.ALLOW || mode == SslMode.PREFER;
    if (tlsRequired && plaintextPossible && !Loopback.is(options.getHost())) {
      throw new IllegalArgumentException(
          name
              + " names another machine without TLS (sslmode="
              + mode.value
              + "): add sslmode=verify-full (with DATABASE_SSL_ROOT_CERT) or sslmode=require, or set DATABASE_TLS=off "
              + "to accept plaintext on this network");
    }
  }

  /**
   * With {@code sslmode=verify-ca} or {@code verify-full} the server's certificate must chain to
   * the CA certificates in {@code rootCert} (PEM; DATABASE_SSL_ROOT_CERT), and with verify-full
   * also name the host of DATABASE_URL: without it a reporter's words could go to whoever answers.
   */
  static PgConnectOptions withTrust(PgConnectOptions options, Path rootCert) {
    SslMode mode = options.getSslMode();
    boolean verify = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (!verify) {
      if (rootCert != null) {
        throw new IllegalArgumentException(
            "DATABASE_SSL_ROOT_CERT is set but DATABASE_URL has no "
                + "sslmode=verify-full (or verify-ca): add it, or the certificate would not be checked");
      }
      return options;
    }
    if (rootCert == null || !Files.isReadable(rootCert)) {
      throw new IllegalArgumentException(
          "DATABASE_URL has sslmode="
              + mode.value
              + ": set DATABASE_SSL_ROOT_CERT to a readable PEM file of the CA certificates to trust");
    }
    return options.setSslOptions(
        new ClientSSLOptions()
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

  /**
   * Migrates every module's schema with its own Flyway history, in {@link #SCHEMAS} order, as the
   * migration role; then grants the runtime role its privileges ({@link RuntimeGrants}: read and
   * write working data, only insert and read the audit trail, own nothing). Blocking.
   */
  public void migrate() {
    String jdbc = jdbcUrl(migrationOptions);
    for (String schema : SCHEMAS) {
      var result =
          Flyway.configure()
              .dataSource(jdbc, migrationOptions.getUser(), migrationOptions.getPassword())
              .schemas(schema)
              .createSchemas(true)
              .locations("classpath:db/" + schema)
              .load()
              .migrate();
      LOG.info(
          "schema {} at version {} ({} migrations applied)",
          schema,
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    if (connectOptions.getUser().equals(migrationOptions.getUser())) {
      LOG.warn(
          "DATABASE_MIGRATION_URL is not set: the service's own role owns the schemas and so could "
              + "rewrite or erase the audit trail; give migrations their own role (docs/operations.md)");
      return;
    }
    try (Connection c = jdbc(migrationOptions)) {
      RuntimeGrants.apply(c, SCHEMAS, connectOptions.getUser());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not grant the DATABASE_URL role its privileges as the "
              + "DATABASE_MIGRATION_URL role: PostgreSQL "
              + e.getSQLState(),
          e);
    }
  }

  private static Connection jdbc(PgConnectOptions options) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(options), options.getUser(), options.getPassword());
  }

  /** The JDBC form of a connection: it encrypts and verifies as the pool does. */
  private static String jdbcUrl(PgConnectOptions options) {
    String jdbc =
        "jdbc:postgresql://"
            + options.getHost()
            + ":"
            + options.getPort()
            + "/"
            + options.getDatabase();
    SslMode mode = options.getSslMode();
    if (mode != null && mode != SslMode.DISABLE) {
      jdbc += "?sslmode=" + mode.value;
      if (options.getSslOptions() != null
          && options.getSslOptions().getTrustOptions() instanceof PemTrustOptions trust) {
        jdbc +=
            "&sslrootcert="
                + URLEncoder.encode(trust.getCertPaths().get(0), StandardCharsets.UTF_8);
      }
    }
    return jdbc;
  }

  /**
   * The bounded pool every request shares. When PostgreSQL is slow or down, waiting requests are
   * capped by the wait queue and the connect timeout, so callers get a fast 503 instead of a hang.
   */
  public Pool pool(Vertx vertx) {
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(settings.poolSize())
            .setMaxWaitQueueSize(settings.waitQueue())
            .setConnectionTimeout((int) settings.acquireTimeout().toMillis())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setShared(false)
            .setName("youth-safety");
    PgConnectOptions connect =
        connectOptions().setPipeliningLimit(256).setCachePreparedStatements(true);
    connect.setMetricsName("pool");
    // a statement that runs longer than this is cancelled by PostgreSQL and the request answers 503
    connect.addProperty("statement_timeout", Long.toString(settings.statementTimeout().toMillis()));
    connect.addProperty("application_name", "youth-safety-api");
    NetClientOptions net =
        new NetClientOptions()
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
