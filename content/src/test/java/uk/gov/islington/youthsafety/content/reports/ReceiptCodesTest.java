package uk.gov.islington.youthsafety.content.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReceiptCodesTest {

  static ReportKeys keys(String pepperId, String pepper) {
    return ReportKeys.from(
        Map.of(
            ReportKeys.KEYS,
            ReportKeys.newEntry("k1", 32),
            ReportKeys.PEPPERS,
            pepperId + "=" + pepper));
  }

  static final String PEPPER_A = java.util.Base64.getEncoder().encodeToString(new byte[32]);
  static final String PEPPER_B =
      java.util.Base64.getEncoder().encodeToString("b".repeat(32).getBytes());
  final ReceiptCodes codes = new ReceiptCodes(new ReportCrypto(keys("p1", PEPPER_A)));

  @Test
  void codesCarryAtLeast64BitsFromAnAlphabetWithoutLookAlikes() {
    assertThat(ReceiptCodes.RANDOM_SYMBOLS * Math.log(ReceiptCodes.ALPHABET.length()) / Math.log(2))
        .isGreaterThanOrEqualTo(64);
    assertThat(ReceiptCodes.ALPHABET).hasSize(30).doesNotContain("0", "O", "1", "I", "L", "U");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String code = codes.generate();
      assertThat(code).hasSize(16).matches("[" + ReceiptCodes.ALPHABET + "]{16}");
      assertThat(ReceiptCodes.format(code)).matches("(\\w{4}-){3}\\w{4}");
      assertThat(seen.add(code)).isTrue();
    }
  }

  @Test
  void typedCodesAreNormalisedAndEverySingleTypoIsCaught() {
    String code = codes.generate();
    String shown = ReceiptCodes.format(code);
    assertThat(ReceiptCodes.normalise(shown)).contains(code);
    assertThat(ReceiptCodes.normalise(shown.toLowerCase())).contains(code);
    assertThat(ReceiptCodes.normalise(" " + shown.replace("-", " ") + " ")).contains(code);
    assertThat(ReceiptCodes.normalise(code + "2")).isEmpty();
    assertThat(ReceiptCodes.normalise(code.substring(1))).isEmpty();
    assertThat(ReceiptCodes.normalise(code.replace(code.charAt(3), 'O'))).isEmpty();
    assertThat(ReceiptCodes.normalise(null)).isEmpty();
    for (int pos = 0; pos < code.length(); pos++) {
      for (char c : ReceiptCodes.ALPHABET.toCharArray()) {
        if (c != code.charAt(pos)) {
          String typo = code.substring(0, pos) + c + code.substring(pos + 1);
          assertThat(ReceiptCodes.normalise(typo)).as(typo).isEmpty();
        }
      }
    }
  }

  @Test
  void mostSwapsOfNeighboursAreCaught() {
    int swaps = 0;
    int caught = 0;
    for (int n = 0; n < 300; n++) {
      String code = codes.generate();
      for (int i = 0; i + 1 < code.length(); i++) {
        if (code.charAt(i) != code.charAt(i + 1)) {
          swaps++;
          String swapped =
              code.substring(0, i) + code.charAt(i + 1) + code.charAt(i) + code.substring(i + 2);
          if (ReceiptCodes.normalise(swapped).isEmpty()) {
            caught++;
          }
        }
      }
    }
    assertThat((double) caught / swaps).isGreaterThan(0.99);
  }

  @Test
  void theStoredHashIsDeterministicKeyedByThePepperAndNotTheCode() {
    String code = codes.generate();
    byte[] h1 = codes.hashForStorage(code).hash();
    assertThat(h1).hasSize(32).isEqualTo(codes.hashForStorage(code).hash());
    assertThat(codes.hashForStorage(codes.generate()).hash()).isNotEqualTo(h1);
    assertThat(new String(h1, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(code);
    ReceiptCodes otherPepper = new ReceiptCodes(new ReportCrypto(keys("p1", PEPPER_B)));
    assertThat(otherPepper.hashForStorage(code).hash()).isNotEqualTo(h1);
    assertThat(codes.hashForStorage(code).pepperId()).isEqualTo("p1");
  }

  @Test
  void afterAPepperRotationOldCodesAreStillFound() {
    String code = codes.generate();
    byte[] old = codes.hashForStorage(code).hash();
    ReportKeys rotated =
        ReportKeys.from(
            Map.of(
                ReportKeys.KEYS,
                ReportKeys.newEntry("k1", 32),
                ReportKeys.PEPPERS,
                "p1=" + PEPPER_A + ",p2=" + PEPPER_B,
                ReportKeys.PEPPER_ID,
                "p2"));
    ReceiptCodes now = new ReceiptCodes(new ReportCrypto(rotated));
    assertThat(now.hashForStorage(code).pepperId()).isEqualTo("p2");
    assertThat(now.hashesForLookup(code)).hasSize(2).anySatisfy(h -> assertThat(h).isEqualTo(old));
  }

  @Test
  void theKeyDerivationIsStandardPbkdf2HmacSha256() throws Exception {
    // RFC 7914, section 11: PBKDF2-HMAC-SHA256(P="passwd", S="salt", c=1), first 32 bytes
    assertThat(
            java.util.HexFormat.of()
                .formatHex(
                    ReceiptCodes.pbkdf2HmacSha256("passwd".getBytes(), "salt".getBytes(), 1)))
        .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    javax.crypto.SecretKeyFactory jdk =
        javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    for (int iterations : new int[] {2, 512, 1000}) {
      String password = "receipt-" + iterations;
      byte[] expected =
          jdk.generateSecret(
                  new javax.crypto.spec.PBEKeySpec(
                      password.toCharArray(), "ys-receipt-v1:p1".getBytes(), iterations, 256))
              .getEncoded();
      assertThat(
              ReceiptCodes.pbkdf2HmacSha256(
                  password.getBytes(), "ys-receipt-v1:p1".getBytes(), iterations))
          .isEqualTo(expected);
    }
  }
}
