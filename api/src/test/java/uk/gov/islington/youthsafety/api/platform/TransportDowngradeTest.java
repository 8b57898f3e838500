package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.db.Database;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Plaintext to another machine is a decision someone writes down, never a default: a DATABASE_URL
 * to a non-loopback host without TLS, or SMTP without STARTTLS to one, stops the start with an
 * error naming the setting that allows it.
 */
class TransportDowngradeTest {

  static Config database(String url, Map<String, String> extra) throws Exception {
    Map<String, String> env =
        new HashMap<>(TestApp.settings(url, Files.createTempDirectory("ys-downgrade")));
    env.putAll(extra);
    return Config.of(env);
  }

  @Test
  void plaintextToANonLoopbackDatabaseIsRefusedUnlessDatabaseTlsIsOff() throws Exception {
    for (String query :
        new String[] {"", "?sslmode=disable", "?sslmode=allow", "?sslmode=prefer"}) {
      Config plain =
          database("postgresql://app:pw@db.example.invalid:5432/youth" + query, Map.of());
      assertThatThrownBy(() -> Database.open(plain).close())
          .as(query)
          .hasMessageContaining("DATABASE_TLS")
          .hasMessageContaining("sslmode")
          .hasMessageNotContaining("pw");
    }
    // written down: allowed (opening does not connect yet)
    Database.open(
            database(
                "postgresql://app:pw@db.example.invalid:5432/youth", Map.of("DATABASE_TLS", "off")))
        .close();
    // encrypted, or on this machine: allowed
    Database.open(
            database("postgresql://app:pw@db.example.invalid:5432/youth?sslmode=require", Map.of()))
        .close();
    for (String host : new String[] {"localhost", "127.0.0.1", "[::1]"}) {
      Database.open(database("postgresql://app:pw@" + host + ":5432/youth", Map.of())).close();
    }
    assertThatThrownBy(
            () ->
                Database.open(
                        database(
                            "postgresql://app:pw@localhost:5432/youth",
                            Map.of("DATABASE_TLS", "maybe")))
                    .close())
        .hasMessageContaining("DATABASE_TLS");
  }

  /** An SMTP transport with these settings, each written NAME=value. */
  private static Map<String, String> smtp(String... settings) {
    Map<String, String> env = new HashMap<>();
    env.put("REPORT_EMAIL_TRANSPORT", "smtp");
    for (String setting : settings) {
      String[] nameAndValue = setting.split("=", 2);
      env.put(nameAndValue[0], nameAndValue[1]);
    }
    return env;
  }

  @ParameterizedTest
  @ValueSource(strings = {"disabled", "optional"})
  void smtpWithoutStartTlsToANonLoopbackHostIsRefusedAtStart(String starttls) {
    assertThatThrownBy(
            () ->
                TestApp.start(smtp("SMTP_HOST=mail.example.invalid", "SMTP_STARTTLS=" + starttls))
                    .close())
        .as(starttls)
        .hasStackTraceContaining("SMTP_STARTTLS")
        .hasStackTraceContaining("SMTP_TLS");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          on this machine | SMTP_HOST=127.0.0.1 SMTP_PORT=1 SMTP_STARTTLS=disabled
          written down    | SMTP_HOST=mail.example.invalid SMTP_STARTTLS=disabled SMTP_TLS=off
          """)
  void smtpWithoutStartTlsOnThisMachineOrWrittenDownStarts(String where, String settings)
      throws Exception {
    try (TestApp app = TestApp.start(smtp(settings.split(" ")))) {
      assertThat(app.get("/health/live", null).statusCode()).isEqualTo(200);
    }
  }
}
