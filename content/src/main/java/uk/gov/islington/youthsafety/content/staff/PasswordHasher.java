package uk.gov.islington.youthsafety.content.staff;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;

/**
 * Argon2id password hashes (password4j) in the PHC string format, which records its own parameters:
 * raising them later only affects new hashes, and {@link #needsRehash} tells the login path to
 * upgrade an old one. Defaults follow OWASP's Argon2id baseline (19 MiB, t=2, p=1). Every method is
 * CPU-bound for ~0.1 s: call them on a worker thread, never on an event loop.
 */
public final class PasswordHasher {

  public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
  public static final int DEFAULT_ITERATIONS = 2;
  public static final int DEFAULT_PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Function function;
  // verified against for unknown usernames, so that their answer takes as long as a real check
  private final String dummyHash;

  public PasswordHasher(int memoryKib, int iterations, int parallelism) {
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("Argon2 parameters out of range");
    }
    this.function =
        Argon2Function.getInstance(memoryKib, iterations, parallelism, HASH_BYTES, Argon2.ID);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.dummyHash = hash(Base64.getEncoder().encodeToString(random));
  }

  public static PasswordHasher defaults() {
    return new PasswordHasher(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
  }

  public String hash(String password) {
    return Password.hash(normalize(password)).addRandomSalt(SALT_BYTES).with(function).getResult();
  }

  /** True when {@code password} matches {@code hash}; false for any hash we cannot read. */
  public boolean verify(String password, String hash) {
    try {
      return Password.check(normalize(password), hash)
          .with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Spends the time of one verification and answers false. */
  public boolean verifyNothing(String password) {
    verify(password, dummyHash);
    return false;
  }

  /** True when {@code hash} was made with other parameters than the current ones. */
  public boolean needsRehash(String hash) {
    try {
      return !Argon2Function.getInstanceFromHash(hash).equals(function);
    } catch (RuntimeException e) {
      return true;
    }
  }

  // the same password typed on two keyboards may arrive in two Unicode forms (NIST SP 800-63B)
  private static String normalize(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC);
  }
}
