package uk.gov.islington.youthsafety.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SHA-256 against the FIPS 180-2 test vectors, in each of the helper's forms. */
class DigestsTest {

  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void matchesTheStandardVectors() {
    assertThat(Digests.sha256Hex("abc")).isEqualTo(ABC);
    assertThat(Digests.sha256Hex("")).isEqualTo(EMPTY);
    assertThat(Digests.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(HexFormat.of().parseHex(ABC));
  }

  @Test
  void hashesTextAsUtf8() {
    assertThat(Digests.sha256("£"))
        .isEqualTo(Digests.sha256(new byte[] {(byte) 0xc2, (byte) 0xa3}));
  }

  @Test
  void shortBase64UrlIsAPrefixOfTheWholeDigest() {
    // base64url of the "abc" digest: ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0
    assertThat(Digests.sha256Base64Url("abc".getBytes(StandardCharsets.US_ASCII), 22))
        .isEqualTo("ungWv48Bz-pBQUDeXa4iI7");
  }

  @Test
  void instancesAreIndependent() {
    var first = Digests.newSha256();
    first.update((byte) 'a');
    var second = Digests.newSha256();
    second.update("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(ABC);
  }
}
