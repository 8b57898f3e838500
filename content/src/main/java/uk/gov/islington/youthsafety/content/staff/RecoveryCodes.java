package uk.gov.islington.youthsafety.content.staff;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * Ten single-use codes that stand in for the authenticator app when it is lost. Each has 50 random
 * bits (ten characters of an alphabet without look-alikes), so a SHA-256 of it is as safe to store
 * as a slow hash would be, and checking one costs nothing.
 */
public final class RecoveryCodes {

  public static final int COUNT = 10;
  private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecoveryCodes() {}

  /** Ten new codes, shown as {@code xxxxx-xxxxx}. */
  public static List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 10; j++) {
        if (j == 5) {
          sb.append('-');
        }
        sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
      }
      codes.add(sb.toString());
    }
    return codes;
  }

  /** True when the input has the shape of a recovery code (spaces, dashes and case aside). */
  public static boolean looksLikeOne(String input) {
    return input != null && normalize(input).matches("[" + ALPHABET + "]{10}");
  }

  public static byte[] hash(String code) {
    return Digests.sha256(normalize(code));
  }

  private static String normalize(String code) {
    return code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
  }
}
