package uk.gov.islington.youthsafety.content.staff;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 time-based one-time passwords as every authenticator app reads them: HMAC-SHA1, 6
 * digits, 30-second steps, a code accepted one step early or late (phone clocks drift). Whether a
 * code was used already is the caller's business: {@link #matchingStep} answers the step so that it
 * can be recorded.
 */
public final class Totp {

  public static final Duration STEP = Duration.ofSeconds(30);
  public static final int DIGITS = 6;
  private static final int SECRET_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {}

  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The code for {@code at}: what the authenticator app shows then. */
  public static String code(byte[] secret, Instant at) {
    try {
      // the generator keeps a Mac, which is not thread-safe: one per call costs microseconds
      return new TimeBasedOneTimePasswordGenerator(STEP, DIGITS, "HmacSHA1")
          .generateOneTimePasswordString(
              new SecretKeySpec(secret, "HmacSHA1"), at, java.util.Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("TOTP secret refused", e);
    }
  }

  /** The time step whose code {@code code} is (this step, the one before or after), or -1. */
  public static long matchingStep(byte[] secret, String code, Instant now) {
    if (code == null || !code.matches("[0-9]{" + DIGITS + "}")) {
      return -1;
    }
    long step = now.getEpochSecond() / STEP.toSeconds();
    for (long s : new long[] {step, step - 1, step + 1}) {
      String expected = code(secret, Instant.ofEpochSecond(s * STEP.toSeconds()));
      if (java.security.MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))) {
        return s;
      }
    }
    return -1;
  }

  /** The key as authenticator apps take it typed in: RFC 4648 base32, no padding. */
  public static String base32(byte[] bytes) {
    return new Base32().encodeAsString(bytes).replace("=", "");
  }

  /** A key typed in as {@link #base32} gives it (spaces and case as people type them). */
  public static byte[] fromBase32(String typed) {
    return new Base32().decode(typed.replace(" ", "").toUpperCase(Locale.ROOT));
  }

  /** The otpauth:// URI that a QR code carries (Google Authenticator's key URI format). */
  public static String uri(String issuer, String account, byte[] secret) {
    String label = encode(issuer) + ":" + encode(account);
    return "otpauth://totp/"
        + label
        + "?secret="
        + base32(secret)
        + "&issuer="
        + encode(issuer)
        + "&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + STEP.toSeconds();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
