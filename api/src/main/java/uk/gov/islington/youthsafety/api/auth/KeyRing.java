package uk.gov.islington.youthsafety.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * The token keys: one EC P-256 signing key (ES256) and the public keys that still verify, each
 * named by its {@code kid} (a thumbprint of the public key). Rotation: make a new signing key and
 * keep the old public key in {@code JWT_VERIFY_KEYS} until its tokens have expired.
 */
public final class KeyRing {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final String signingKid;
  private final PrivateKey signingKey;
  private final Map<String, PublicKey> verifyKeys;

  private KeyRing(String signingKid, PrivateKey signingKey, Map<String, PublicKey> verifyKeys) {
    this.signingKid = signingKid;
    this.signingKey = signingKey;
    this.verifyKeys = Map.copyOf(verifyKeys);
  }

  /**
   * Loads the signing key pair (a PEM file with a PRIVATE KEY and a PUBLIC KEY block) and any extra
   * verification keys (PEM files with a PUBLIC KEY block).
   */
  public static KeyRing load(Path signing, List<Path> previous)
      throws IOException, GeneralSecurityException {
    Map<String, byte[]> blocks = readPem(signing);
    if (!blocks.containsKey("PRIVATE KEY") || !blocks.containsKey("PUBLIC KEY")) {
      throw new GeneralSecurityException(
          signing + " must hold a PRIVATE KEY and a PUBLIC KEY PEM block");
    }
    KeyFactory ec = KeyFactory.getInstance("EC");
    PrivateKey priv = ec.generatePrivate(new PKCS8EncodedKeySpec(blocks.get("PRIVATE KEY")));
    PublicKey pub = ec.generatePublic(new X509EncodedKeySpec(blocks.get("PUBLIC KEY")));
    Map<String, PublicKey> verify = new LinkedHashMap<>();
    String kid = kid(pub);
    verify.put(kid, pub);
    for (Path p : previous) {
      byte[] der = readPem(p).get("PUBLIC KEY");
      if (der == null) {
        throw new GeneralSecurityException(p + " has no PUBLIC KEY PEM block");
      }
      PublicKey old = ec.generatePublic(new X509EncodedKeySpec(der));
      verify.put(kid(old), old);
    }
    return new KeyRing(kid, priv, verify);
  }

  /**
   * Writes a fresh key pair to {@code file} (owner-only) if there is none yet; the embedded default
   * uses this.
   */
  public static void generateIfMissing(Path file) throws IOException, GeneralSecurityException {
    if (Files.exists(file)) {
      return;
    }
    Files.createDirectories(file.getParent());
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    String pem =
        pem("PRIVATE KEY", pair.getPrivate().getEncoded())
            + pem("PUBLIC KEY", pair.getPublic().getEncoded());
    Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system; the data directory's own permissions protect the key
    }
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public String signingKid() {
    return signingKid;
  }

  public PrivateKey signingKey() {
    return signingKey;
  }

  /** The public key for {@code kid}, or null when the kid is unknown. */
  public PublicKey verifyKey(String kid) {
    return kid == null ? null : verifyKeys.get(kid);
  }

  public static String kid(PublicKey key) {
    return Digests.sha256Base64Url(key.getEncoded(), 16);
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static Map<String, byte[]> readPem(Path file) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (m.find()) {
      out.put(m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
    }
    return out;
  }
}
