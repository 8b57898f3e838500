package uk.gov.islington.youthsafety.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL per test JVM and a fresh database per test class.
 *
 * <p>The server is the embedded one, or the server that {@code DATABASE_URL} points at (its user
 * needs CREATEDB). Every schema list is migrated once into a template database; each test class
 * then gets {@code CREATE DATABASE ... TEMPLATE}, which costs milliseconds instead of a migration.
 */
public final class TestPostgres {

  private static final Map<List<String>, String> TEMPLATES = new ConcurrentHashMap<>();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String RUN = Long.toString(ProcessHandle.current().pid());
  private static Server server;

  private TestPostgres() {}

  /** A new, empty database with the given module schemas migrated, in the order given. */
  public static synchronized TestDatabase freshDatabase(String... schemas) {
    Server s = server();
    List<String> key = List.of(schemas);
    String template = TEMPLATES.computeIfAbsent(key, k -> createTemplate(s, k));
    String name = "test_" + RUN + "_" + DATABASES.incrementAndGet();
    s.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
    return new TestDatabase(
        s.host, s.port, name, s.user, s.password, s.runtimeUser(), s.runtimePassword());
  }

  /** Drops a test database when its class is done (matters on a shared external server). */
  public static synchronized void drop(TestDatabase db) {
    server().execute("DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
  }

  private static String createTemplate(Server s, List<String> schemas) {
    String name = "template_" + RUN + "_" + String.join("_", schemas);
    s.execute("DROP DATABASE IF EXISTS " + name);
    s.execute("CREATE DATABASE " + name);
    TestDatabase db =
        new TestDatabase(s.host, s.port, name, s.user, s.password, s.user, s.password);
    for (String schema : schemas) {
      Flyway.configure()
          .dataSource(db.jdbcUrl(), db.user(), db.password())
          .schemas(schema)
          .createSchemas(true)
          .locations("classpath:db/" + schema)
          .load()
          .migrate();
    }
    return name;
  }

  private static Server server() {
    if (server == null) {
      String url = System.getenv("DATABASE_URL");
      Server s = url == null || url.isBlank() ? Server.embedded() : Server.external(url);
      server = s.withRuntimeRole();
    }
    return server;
  }

  /** The ordinary login role tests run the service as, next to the owner that migrates. */
  static final String RUNTIME_ROLE = "youth_safety_test_runtime";

  private record Server(
      String host,
      int port,
      String user,
      String password,
      String adminDb,
      String runtimeUser,
      String runtimePassword) {

    Server(String host, int port, String user, String password, String adminDb) {
      this(host, port, user, password, adminDb, user, password);
    }

    /** With a runtime role where the server lets us create one; else the owner runs everything. */
    Server withRuntimeRole() {
      String runtimePassword = "runtime-" + RUN;
      try {
        execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
                + RUNTIME_ROLE
                + "') THEN CREATE ROLE "
                + RUNTIME_ROLE
                + " LOGIN; END IF; END $$");
        execute("ALTER ROLE " + RUNTIME_ROLE + " LOGIN PASSWORD '" + runtimePassword + "'");
        return new Server(host, port, user, password, adminDb, RUNTIME_ROLE, runtimePassword);
      } catch (IllegalStateException e) {
        return this;
      }
    }

    static Server embedded() {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        pg.close();
                      } catch (Exception ignored) {
                        // the JVM is going away
                      }
                    }));
        return new Server("localhost", pg.getPort(), "postgres", "postgres", "postgres");
      } catch (Exception e) {
        throw new IllegalStateException("could not start the embedded PostgreSQL", e);
      }
    }

    static Server external(String databaseUrl) {
      URI uri = URI.create(databaseUrl.replaceFirst("^postgres(ql)?://", "http://"));
      String[] userInfo =
          uri.getUserInfo() == null
              ? new String[] {"postgres", ""}
              : uri.getUserInfo().split(":", 2);
      String db =
          uri.getPath() == null || uri.getPath().length() <= 1
              ? "postgres"
              : uri.getPath().substring(1);
      return new Server(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          userInfo[0],
          userInfo.length > 1 ? userInfo[1] : "",
          db);
    }

    void execute(String sql) {
      String url = "jdbc:postgresql://" + host + ":" + port + "/" + adminDb;
      try (Connection c = DriverManager.getConnection(url, user, password);
          Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql + ": " + e.getMessage(), e);
      }
    }
  }
}
