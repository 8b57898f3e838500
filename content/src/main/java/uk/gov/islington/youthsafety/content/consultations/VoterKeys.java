package uk.gov.islington.youthsafety.content.consultations;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * Keyed hashes for the ballot box. The device subject never reaches the database: only {@code
 * HMAC-SHA256(secret, "voter" | consultation id | device subject)} does. Without the secret nobody
 * — the database included — can tell whether two voter keys in two consultations belong to one
 * device, or compute a device's voter key from its token.
 */
public final class VoterKeys {

  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec secret;

  public VoterKeys(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("the voter-key secret must be at least 32 bytes");
    }
    this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** The stored voter key of this device in this consultation. */
  public byte[] voterKey(String consultationId, String deviceSubject) {
    return hmac(secret, "voter", consultationId, deviceSubject);
  }

  /** Identifies the first ballot's Idempotency-Key for this voter, without storing the key. */
  public byte[] replayKey(byte[] voterKey, String idempotencyKey) {
    return hmac(secret, "replay", hex(voterKey), idempotencyKey);
  }

  /**
   * Tells "the same ballot again" from "another ballot under the same key". Keyed by the
   * Idempotency-Key (never stored), so it cannot be used to try out possible ballots.
   */
  public static byte[] replayCheck(String idempotencyKey, String canonicalBallot) {
    byte[] key = Digests.sha256("check\0" + idempotencyKey);
    return hmac(new SecretKeySpec(key, ALGORITHM), "ballot", canonicalBallot);
  }

  /** A fingerprint that names the secret in logs without revealing it. */
  public String fingerprint() {
    return hex(hmac(secret, "fingerprint")).substring(0, 12);
  }

  private static byte[] hmac(SecretKeySpec key, String... parts) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (String p : parts) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        // length-prefixed, so ("ab","c") and ("a","bc") differ
        mac.update(
            new byte[] {
              (byte) (b.length >>> 24),
              (byte) (b.length >>> 16),
              (byte) (b.length >>> 8),
              (byte) b.length
            });
        mac.update(b);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
