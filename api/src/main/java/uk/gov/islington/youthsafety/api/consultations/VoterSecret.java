package uk.gov.islington.youthsafety.api.consultations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * The server secret of the voter keys (docs/operations.md, "The voter secret"):
 *
 * <ol>
 *   <li>{@code CONSULTATION_VOTER_SECRET_FILE}: a file holding at least 32 random bytes, base64 or
 *       raw — the production setting, the same file on every instance;
 *   <li>on the embedded default: generated once into {@code
 *       DATA_DIR/keys/consultation-voter.secret};
 *   <li>with {@code DATABASE_URL} and no file: derived from the JWT signing key (HMAC-SHA256 over
 *       the key file with a fixed label). Every instance shares that key, so they agree; but
 *       rotating the signing key would change every voter key, so a warning asks for the file.
 * </ol>
 *
 * The secret never goes into the database: with it, a device's voter keys could be computed from
 * its token.
 */
final class VoterSecret {

  private static final Logger LOG = LoggerFactory.getLogger(VoterSecret.class);
  static final String SETTING = "CONSULTATION_VOTER_SECRET_FILE";
  private static final String LABEL = "youth-safety consultations voter-key secret v1";

  private VoterSecret() {}

  static byte[] load(Config config, Optional<Path> file) {
    try {
      if (file.isPresent()) {
        return read(file.get());
      }
      if (config.embedded()) {
        Path generated = config.dataDir().resolve("keys/consultation-voter.secret");
        generateIfMissing(generated);
        return read(generated);
      }
      Path signing =
          config
              .jwtSigningKey()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          SETTING
                              + " (or JWT_SIGNING_KEY to derive it from) is required when DATABASE_URL is set"));
      LOG.warn(
          "{} is not set: voter keys are derived from the JWT signing key; set it before rotating that key "
              + "(docs/operations.md, \"The voter secret\")",
          SETTING);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Files.readAllBytes(signing), "HmacSHA256"));
      return mac.doFinal(LABEL.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot load the consultation voter secret: " + e.getClass().getSimpleName(), e);
    }
  }

  private static byte[] read(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    String text = new String(raw, StandardCharsets.US_ASCII).trim();
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      secret = raw;
    }
    if (secret.length < 32) {
      throw new IllegalStateException(
          SETTING + " must hold at least 32 random bytes (base64 or raw)");
    }
    return secret;
  }

  static void generateIfMissing(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Files.createDirectories(file.getParent());
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path tmp = Files.createTempFile(file.getParent(), "voter", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system; the data directory's own permissions protect the secret
    }
    Files.writeString(
        tmp, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
