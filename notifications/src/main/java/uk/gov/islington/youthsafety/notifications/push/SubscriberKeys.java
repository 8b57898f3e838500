package uk.gov.islington.youthsafety.notifications.push;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * Turns a device subject into the key of its push subscription: HMAC-SHA256 under a server-side
 * secret that is not stored in the database. The subject itself (which is also inside the device's
 * bearer token) is never stored, so the subscription table cannot be joined to tokens or logs, and
 * a copy of it without the secret cannot be tested against a known subject.
 */
public final class SubscriberKeys {

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] CONTEXT =
      "youth-safety push subscriber v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;

  /**
   * @param secret at least 32 bytes of secret material
   */
  public SubscriberKeys(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 32) {
      throw new IllegalArgumentException(
          "the subscriber key needs at least 32 bytes of secret material");
    }
    // derive a key of our own, so that the same material can safely serve another purpose too
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, ALGORITHM), CONTEXT), ALGORITHM);
  }

  /** The 32-byte subscription key of a device subject. */
  public byte[] of(String deviceSubject) {
    if (deviceSubject == null || deviceSubject.isEmpty()) {
      throw new IllegalArgumentException("device subject required");
    }
    return hmac(key, deviceSubject.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Fingerprint of the derived key for start-up logs (never the key): first 8 hex digits of its
   * SHA-256.
   */
  public String fingerprint() {
    byte[] digest = Digests.sha256(key.getEncoded());
    return String.format("%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
