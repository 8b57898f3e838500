package uk.gov.islington.youthsafety.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Where a test's own database lives; see {@link TestPostgres}. */
public record TestDatabase(String host, int port, String database, String user, String password) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The form the service reads from {@code DATABASE_URL}. */
  public String url() {
    return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
        .setUser(user).setPassword(password);
  }

  public Pool pool(Vertx vertx) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(8)).connectingTo(connectOptions())
        .using(vertx).build();
  }
}
