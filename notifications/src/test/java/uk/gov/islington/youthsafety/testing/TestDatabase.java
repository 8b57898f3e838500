package uk.gov.islington.youthsafety.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Where a test's own database lives; see {@link TestPostgres}. {@code user} owns it (migrations);
 * {@code runtimeUser} is the ordinary role the service runs as, when the server could create one
 * (else the same as {@code user}).
 */
public record TestDatabase(
    String host,
    int port,
    String database,
    String user,
    String password,
    String runtimeUser,
    String runtimePassword) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /**
   * The owner's URL, the form the service reads from {@code DATABASE_MIGRATION_URL} (or {@code
   * DATABASE_URL}).
   */
  public String url() {
    return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
  }

  /**
   * The runtime role's URL, for {@code DATABASE_URL} next to {@link #url()} as
   * DATABASE_MIGRATION_URL.
   */
  public String runtimeUrl() {
    return "postgresql://"
        + runtimeUser
        + ":"
        + runtimePassword
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database;
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password);
  }

  public Pool pool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(8))
        .connectingTo(connectOptions())
        .using(vertx)
        .build();
  }
}
