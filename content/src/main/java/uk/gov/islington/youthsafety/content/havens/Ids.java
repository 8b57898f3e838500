package uk.gov.islington.youthsafety.content.havens;

import java.security.SecureRandom;

/**
 * Opaque ids: a type prefix and 16 random base32 characters (80 bits), e.g. {@code hvn_3kq9...}.
 */
final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String haven() {
    return "hvn_" + random(16);
  }

  static String application() {
    return "app_" + random(16);
  }

  private static String random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[bytes[i] & 31];
    }
    return new String(out);
  }
}
