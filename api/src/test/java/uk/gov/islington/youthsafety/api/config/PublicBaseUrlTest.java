package uk.gov.islington.youthsafety.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every link the service sends out starts with PUBLIC_BASE_URL: a wrong one must stop the start.
 */
class PublicBaseUrlTest {

  private static final String DATABASE = "postgresql://u:p@127.0.0.1:5432/db";

  @Test
  void theEmbeddedDefaultLinksToThisMachine() {
    assertThat(PublicBaseUrl.from(Config.of(Map.of("PORT", "8123"))))
        .isEqualTo("http://localhost:8123");
  }

  @Test
  void productionMustNameItsPublicAddress() {
    assertThatThrownBy(() -> PublicBaseUrl.from(Config.of(Map.of("DATABASE_URL", DATABASE))))
        .hasMessageContaining("PUBLIC_BASE_URL is required when DATABASE_URL is set");
    assertThat(
            PublicBaseUrl.from(
                Config.of(
                    Map.of(
                        "DATABASE_URL",
                        DATABASE,
                        "PUBLIC_BASE_URL",
                        "https://youthsafety.islington.gov.uk/"))))
        .isEqualTo("https://youthsafety.islington.gov.uk");
  }

  @Test
  void plaintextOnlyForThisMachineAndNothingAfterThePath() {
    for (String bad :
        new String[] {
          "http://youthsafety.islington.gov.uk",
          "ftp://localhost",
          "not a url",
          "https://youthsafety.islington.gov.uk/?a=b",
          "https://youthsafety.islington.gov.uk/#top",
          "https:///path"
        }) {
      assertThatThrownBy(() -> PublicBaseUrl.from(Config.of(Map.of("PUBLIC_BASE_URL", bad))))
          .as(bad)
          .hasMessageStartingWith("PUBLIC_BASE_URL")
          .hasMessageNotContaining(bad);
    }
    assertThat(PublicBaseUrl.from(Config.of(Map.of("PUBLIC_BASE_URL", "http://127.0.0.1:8080"))))
        .isEqualTo("http://127.0.0.1:8080");
  }
}
