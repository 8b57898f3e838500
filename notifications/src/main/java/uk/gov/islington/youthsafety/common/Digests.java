package uk.gov.islington.youthsafety.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256, the one way every module hashes: fingerprints, ETags, request hashes. It lives in the
 * lowest module (notifications) so that content and api can use it too. Not for secrets that a
 * guess could confirm: those take a keyed hash (HMAC) with a server secret.
 */
public final class Digests {

  private static final MessageDigest PROTOTYPE = sha256Instance();

  private Digests() {}

  public static byte[] sha256(byte[] bytes) {
    return newSha256().digest(bytes);
  }

  /** SHA-256 of the text's UTF-8 bytes. */
  public static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 as 64 lower-case hex digits. */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text));
  }

  /**
   * The first {@code chars} characters of the SHA-256 in unpadded base64url: short, URL- and
   * header-safe.
   */
  public static String sha256Base64Url(byte[] bytes, int chars) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(sha256(bytes))
        .substring(0, chars);
  }

  /** A fresh SHA-256 instance, e.g. to hash a message in parts. */
  public static MessageDigest newSha256() {
    try {
      // cloning skips the provider look-up of getInstance on every call
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return sha256Instance();
    }
  }

  private static MessageDigest sha256Instance() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
