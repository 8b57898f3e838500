package uk.gov.islington.youthsafety.content.reports;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest for report text, messages and stored answers (AES-256-GCM, a random 96-bit
 * nonce per value, stored as nonce || ciphertext || tag next to the id of the key), and the keyed
 * hashes used for look-ups. Every value is sealed with associated data that names where it belongs
 * (e.g. {@code report:<id>:description}), so a ciphertext copied to another row or column does not
 * open.
 */
public final class ReportCrypto {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** A sealed value and the id of the key that sealed it. */
  public record Sealed(String keyId, byte[] bytes) {}

  /** The stored value does not open: unknown key id, or tampered or misplaced ciphertext. */
  public static final class CannotOpen extends RuntimeException {
    CannotOpen(String message) {
      super(message, null, false, false);
    }
  }

  /*
   * One Cipher and one Mac per thread, re-initialised for every value: getInstance (a provider
   * look-up) cost more than sealing a report's text. Neither object is thread-safe, hence one per
   * thread; init resets all state, and GCM takes a fresh random nonce on every init for encryption.
   */
  private static final ThreadLocal<Cipher> GCM =
      ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));

  private interface Factory<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T instance(Factory<T> factory) {
    try {
      return factory.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM or HmacSHA256 unavailable", e);
    }
  }

  private final ReportKeys keys;
  private final SecureRandom random = new SecureRandom();
  // subkeys derived from the peppers, by "pepperId/purpose": derived once, not per request
  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> subkeys =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ReportCrypto(ReportKeys keys) {
    this.keys = keys;
  }

  ReportKeys keys() {
    return keys;
  }

  public Sealed seal(String plaintext, String associatedData) {
    String keyId = keys.textKeyId();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, keys.textKey(keyId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
      System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
      return new Sealed(keyId, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public String open(String keyId, byte[] sealed, String associatedData) {
    SecretKey key = keyId == null ? null : keys.textKey(keyId);
    if (key == null) {
      throw new CannotOpen("no report key with id " + keyId + " is configured");
    }
    if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new CannotOpen("sealed value too short");
    }
    try {
      Cipher c = GCM.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(
          c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new CannotOpen("sealed value does not open with key " + keyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * HMAC-SHA256 under a subkey of the current pepper, for values that must be found again but never
   * read back (idempotency keys, request fingerprints). Keyed so that a copy of the database cannot
   * be used to confirm a guess of what someone sent.
   */
  public byte[] lookupHash(String purpose, String value) {
    return lookupHash(keys.pepperId(), purpose, value);
  }

  /**
   * The same hash under the pepper {@code pepperId}, for values stored before a rotation: they are
   * looked up under every id of {@link #pepperIds}.
   */
  public byte[] lookupHash(String pepperId, String purpose, String value) {
    return hmac(subkey(pepperId, purpose), value.getBytes(StandardCharsets.UTF_8));
  }

  /** The id of the pepper new hashes are made with. */
  public String pepperId() {
    return keys.pepperId();
  }

  /** Every configured pepper id, the current one first. */
  public java.util.List<String> pepperIds() {
    return keys.pepperIds();
  }

  /** The id of the key new values are sealed with. */
  public String textKeyId() {
    return keys.textKeyId();
  }

  byte[] subkey(String pepperId, String purpose) {
    return subkeys.computeIfAbsent(
        pepperId + "/" + purpose,
        k -> {
          byte[] pepper = keys.pepper(pepperId);
          if (pepper == null) {
            throw new IllegalStateException("no receipt pepper with id " + pepperId);
          }
          return hmac(pepper, ("youth-safety/reports/" + purpose).getBytes(StandardCharsets.UTF_8));
        });
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
