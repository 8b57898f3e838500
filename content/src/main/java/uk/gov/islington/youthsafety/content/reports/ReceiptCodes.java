package uk.gov.islington.youthsafety.content.reports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * Receipt codes: the only link between a reporter and their report.
 *
 * <p><b>Shape.</b> 15 symbols drawn uniformly by {@link SecureRandom} from a 30-symbol alphabet
 * with no look-alikes (digits 2-9 and 22 capitals: no 0/O, 1/I/L, and no U, which reads as V),
 * which is 15 × log2(30) ≈ 73.6 bits, plus one check symbol (ISO/IEC 7064 hybrid system MOD 31,30)
 * that catches every single mistyped symbol and 99.8% of swapped neighbours before any look-up is
 * made. Shown in four groups of four, e.g. {@code 7KQM-4XTR-9PZH-3NWC}; input is accepted in any
 * case, with or without spaces and dashes.
 *
 * <p><b>Storage.</b> Only a slow keyed hash is stored: {@code PBKDF2-HMAC-SHA256(password =
 * HMAC-SHA256(pepperSubkey, code), salt = "ys-receipt-v1:" + pepperId, iterations = }{@value
 * #ITERATIONS}{@code , 32 bytes)}. It is deterministic (no per-row salt) so that a code is found
 * with one hash and an index look-up; a per-row salt would mean hashing against every row. Per-row
 * salts exist to stop one computation cracking many low-entropy passwords; here every code is an
 * independent 73.6-bit random value and the secret pepper plays the salt's part: without it the
 * stored hashes cannot be tested at all. The iterations matter only if the database and the pepper
 * both leak: then, with no per-row salt, one guess is tested against all N stored hashes at once,
 * so finding any code among 100,000 reports takes about 2^56.6 guesses; 256 iterations (512 SHA-256
 * compressions each, against one to four for a fast hash) turn that from months into decades of GPU
 * time, at a cost of about a tenth of a millisecond per submission (see docs/features/reports.md
 * for the trade-off).
 */
public final class ReceiptCodes {

  /** Symbols: 2-9 and the capitals without I, L, O, U. */
  static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

  static final int RANDOM_SYMBOLS = 15;
  static final int LENGTH = RANDOM_SYMBOLS + 1;

  /** Part of the stored-hash scheme: changing it makes existing codes unfindable. */
  static final int ITERATIONS = 256;

  private static final int M = ALPHABET.length(); // 30; M + 1 = 31 is prime

  private final ReportCrypto crypto;
  private final SecureRandom random = new SecureRandom();

  public ReceiptCodes(ReportCrypto crypto) {
    this.crypto = crypto;
  }

  /** A new code in canonical form (16 symbols, no separators). */
  public String generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < RANDOM_SYMBOLS; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(M)));
    }
    sb.append(checkSymbol(sb));
    return sb.toString();
  }

  /** {@code 7KQM4XTR9PZH3NWC} → {@code 7KQM-4XTR-9PZH-3NWC}. */
  public static String format(String canonical) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < canonical.length(); i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append(canonical.charAt(i));
    }
    return sb.toString();
  }

  /**
   * What someone typed, as a canonical code: upper-cased, spaces and dashes removed, every symbol
   * from the alphabet and the check symbol right. Empty when it cannot be a code we issued.
   */
  public static Optional<String> normalise(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(LENGTH);
    for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if (ch == ' ' || ch == '-' || ch == '\t') {
        continue;
      }
      if (ALPHABET.indexOf(ch) < 0 || sb.length() == LENGTH) {
        return Optional.empty();
      }
      sb.append(ch);
    }
    if (sb.length() != LENGTH
        || checkSymbol(sb.subSequence(0, RANDOM_SYMBOLS)) != sb.charAt(RANDOM_SYMBOLS)) {
      return Optional.empty();
    }
    return Optional.of(sb.toString());
  }

  /** ISO/IEC 7064 hybrid system, MOD 31,30. */
  static char checkSymbol(CharSequence symbols) {
    int p = M;
    for (int i = 0; i < symbols.length(); i++) {
      int s = (p + ALPHABET.indexOf(symbols.charAt(i))) % M;
      if (s == 0) {
        s = M;
      }
      p = (2 * s) % (M + 1);
    }
    return ALPHABET.charAt((M + 1 - p) % M);
  }

  /**
   * The stored hash of a canonical code under the current pepper (slow: call off the event loop).
   */
  public StoredHash hashForStorage(String canonical) {
    String id = crypto.keys().pepperId();
    return new StoredHash(id, hash(canonical, id));
  }

  /** The hashes of a canonical code under every configured pepper, current first (slow). */
  public List<byte[]> hashesForLookup(String canonical) {
    List<byte[]> out = new ArrayList<>();
    for (String id : crypto.keys().pepperIds()) {
      out.add(hash(canonical, id));
    }
    return out;
  }

  /** A hash and the id of the pepper it was made with. */
  public record StoredHash(String pepperId, byte[] hash) {}

  byte[] hash(String canonical, String pepperId) {
    byte[] keyed =
        ReportCrypto.hmac(
            crypto.subkey(pepperId, "receipt-code"), canonical.getBytes(StandardCharsets.US_ASCII));
    return pbkdf2HmacSha256(
        keyed, ("ys-receipt-v1:" + pepperId).getBytes(StandardCharsets.UTF_8), ITERATIONS);
  }

  /**
   * PBKDF2 (RFC 8018) with HMAC-SHA256, first 32-byte block. Standard output (the tests compare it
   * with the JDK's PBKDF2WithHmacSHA256 and RFC 7914's vector); faster than the JDK's because the
   * HMAC pad blocks are hashed once and their states reused, two SHA-256 compressions per iteration
   * instead of four.
   */
  static byte[] pbkdf2HmacSha256(byte[] password, byte[] salt, int iterations) {
    try {
      MessageDigest inner = Digests.newSha256();
      MessageDigest outer = Digests.newSha256();
      byte[] key = password.length > 64 ? Digests.sha256(password) : password;
      byte[] ipad = new byte[64];
      byte[] opad = new byte[64];
      for (int i = 0; i < 64; i++) {
        byte k = i < key.length ? key[i] : 0;
        ipad[i] = (byte) (k ^ 0x36);
        opad[i] = (byte) (k ^ 0x5c);
      }
      inner.update(ipad);
      outer.update(opad);
      MessageDigest in = (MessageDigest) inner.clone();
      in.update(salt);
      in.update(new byte[] {0, 0, 0, 1});
      MessageDigest out = (MessageDigest) outer.clone();
      out.update(in.digest());
      byte[] u = out.digest();
      byte[] t = u.clone();
      for (int c = 1; c < iterations; c++) {
        in = (MessageDigest) inner.clone();
        in.update(u);
        byte[] h = in.digest();
        out = (MessageDigest) outer.clone();
        out.update(h);
        u = out.digest();
        for (int i = 0; i < t.length; i++) {
          t[i] ^= u[i];
        }
      }
      return t;
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
