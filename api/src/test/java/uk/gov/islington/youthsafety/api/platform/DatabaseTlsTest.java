package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.db.Database;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * An external PostgreSQL reached over verified TLS ({@code sslmode=verify-full} plus
 * DATABASE_SSL_ROOT_CERT): the pool and the migrations both check the server's certificate and
 * name, and a server that cannot prove itself stops the start. The server is an embedded one with
 * {@code ssl=on} and a certificate made for "localhost".
 */
class DatabaseTlsTest {

  static EmbeddedPostgres server;
  static Path dir;
  static Path trusted;
  static Path stranger;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ys-tls");
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    Path serverCert = copy(cert.certificatePath(), "server.crt");
    Path serverKey = copy(cert.privateKeyPath(), "server.key");
    Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
    trusted = serverCert; // self-signed: the certificate is its own CA
    stranger = copy(SelfSignedCertificate.create("localhost").certificatePath(), "stranger.crt");
    server =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setServerConfig("ssl", "on")
            .setServerConfig("ssl_cert_file", serverCert.toString())
            .setServerConfig("ssl_key_file", serverKey.toString())
            .setPGStartupWait(java.time.Duration.ofSeconds(60))
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Path copy(String from, String name) throws Exception {
    return Files.copy(Path.of(from), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  static Config config(String host, String sslmode, Path rootCert) throws Exception {
    String url =
        "postgresql://postgres:postgres@"
            + host
            + ":"
            + server.getPort()
            + "/postgres"
            + (sslmode == null ? "" : "?sslmode=" + sslmode);
    Map<String, String> env = TestApp.settings(url, Files.createTempDirectory(dir, "data"));
    if (rootCert != null) {
      env.put("DATABASE_SSL_ROOT_CERT", rootCert.toString());
    }
    return Config.of(env);
  }

  @Test
  void verifiedTlsToTheNamedServer() throws Exception {
    try (App app = App.start(config("localhost", "verify-full", trusted), Clock.systemUTC())) {
      Row row =
          app.context()
              .pool()
              .query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
              .execute()
              .await(30, TimeUnit.SECONDS)
              .iterator()
              .next();
      assertThat(row.getBoolean(0)).isTrue();
      // the migrations ran over the verified connection too
      assertThat(
              app.context()
                  .pool()
                  .query("SELECT count(*) FROM content.flyway_schema_history")
                  .execute()
                  .await(30, TimeUnit.SECONDS)
                  .iterator()
                  .next()
                  .getLong(0))
          .isPositive();
    }
  }

  @Test
  void aServerThatCannotProveItselfIsNotSpokenTo() throws Exception {
    Config wrongCa = config("localhost", "verify-full", stranger); // signed by another CA
    Config wrongName = config("127.0.0.1", "verify-full", trusted); // 127.0.0.1 is not "localhost"
    Config verifiedCaOnly =
        config("127.0.0.1", "verify-ca", trusted); // the name is not checked: fine
    Vertx vertx = Vertx.vertx();
    try {
      for (Config refused : new Config[] {wrongCa, wrongName}) {
        // the migrations (JDBC) stop the start...
        assertThatThrownBy(() -> App.start(refused, Clock.systemUTC()).close())
            .satisfies(DatabaseTlsTest::isTlsRefusal);
        // ...and the pool (Vert.x) refuses too
        try (Database db = Database.open(refused)) {
          Pool pool = db.pool(vertx);
          assertThatThrownBy(() -> pool.query("SELECT 1").execute().await(30, TimeUnit.SECONDS))
              .satisfies(DatabaseTlsTest::isTlsRefusal);
          pool.close();
        }
      }
      try (Database db = Database.open(verifiedCaOnly)) {
        Pool pool = db.pool(vertx);
        assertThat(
                pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                    .execute()
                    .await(30, TimeUnit.SECONDS)
                    .iterator()
                    .next()
                    .getBoolean(0))
            .isTrue();
        pool.close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Refused for the certificate or the name, not for any other reason (a time-out, a password). */
  static void isTlsRefusal(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString())
        .containsPattern("(?i)pkix|certificate|hostname|subject alternative|ssl handshake failed");
  }

  @Test
  void verificationWithoutACertificateOrACertificateWithoutVerificationIsRefused()
      throws Exception {
    Config noCert = config("localhost", "verify-full", null);
    assertThatThrownBy(() -> App.start(noCert, Clock.systemUTC()).close())
        .hasMessageContaining("DATABASE_SSL_ROOT_CERT");
    Config unused = config("localhost", "require", trusted);
    assertThatThrownBy(() -> App.start(unused, Clock.systemUTC()).close())
        .hasMessageContaining("sslmode=verify-full");
  }
}
