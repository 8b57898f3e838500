package uk.gov.islington.youthsafety.content.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key as people type it into an authenticator app (RFC 4648 base32, RFC 6238's test key). */
class TotpTest {

  private static final byte[] RFC_6238_KEY =
      "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void theKeyIsBase32WithoutPaddingAndReadsBackAsTyped() {
    assertThat(Totp.base32(RFC_6238_KEY)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assertThat(Totp.base32(new byte[] {1, 2, 3})).isEqualTo("AEBAG").doesNotContain("=");
    assertThat(Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).isEqualTo(RFC_6238_KEY);
    assertThat(Totp.fromBase32(Totp.base32(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
  }
}
