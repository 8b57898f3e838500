package uk.gov.islington.youthsafety.content.reports;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets of anonymous reports, each named by an id so that they can be rotated:
 *
 * <ul>
 *   <li><b>text keys</b> ({@code REPORT_KEYS}, {@code REPORT_KEY_ID}): AES-256 keys that encrypt
 *       report text, messages and stored answers; every row records the id of the key that sealed
 *       it, so old rows stay readable while new ones use the current key;
 *   <li><b>peppers</b> ({@code REPORT_RECEIPT_PEPPERS}, {@code REPORT_RECEIPT_PEPPER_ID}): secrets
 *       of at least 32 bytes that key the receipt-code hash and the idempotency hashes. Without the
 *       pepper, a copy of the database is useless for testing receipt codes.
 * </ul>
 *
 * Both are given as {@code id=base64,id=base64}. On the embedded default they are generated into a
 * file under {@code DATA_DIR} (same variable names, properties format), like the JWT key.
 */
public final class ReportKeys {

  public static final String KEYS = "REPORT_KEYS";
  public static final String KEY_ID = "REPORT_KEY_ID";
  public static final String PEPPERS = "REPORT_RECEIPT_PEPPERS";
  public static final String PEPPER_ID = "REPORT_RECEIPT_PEPPER_ID";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final Map<String, SecretKey> textKeys;
  private final String textKeyId;
  private final Map<String, byte[]> peppers;
  private final String pepperId;

  private ReportKeys(
      Map<String, SecretKey> textKeys,
      String textKeyId,
      Map<String, byte[]> peppers,
      String pepperId) {
    this.textKeys = Map.copyOf(textKeys);
    this.textKeyId = textKeyId;
    this.peppers = Map.copyOf(peppers);
    this.pepperId = pepperId;
  }

  /**
   * Keys from settings named as above. With several entries, the {@code *_ID} setting says which
   * one seals new rows; with one, it may be left out. A malformed setting fails with a message that
   * names the variable but never echoes a secret.
   */
  public static ReportKeys from(Map<String, String> settings) {
    Map<String, byte[]> text = entries(KEYS, settings.get(KEYS));
    Map<String, byte[]> pep = entries(PEPPERS, settings.get(PEPPERS));
    Map<String, SecretKey> aes = new LinkedHashMap<>();
    text.forEach(
        (id, bytes) -> {
          if (bytes.length != 32) {
            throw new IllegalArgumentException(
                KEYS + " entry " + id + " must be 32 bytes (AES-256), base64");
          }
          aes.put(id, new SecretKeySpec(bytes, "AES"));
        });
    pep.forEach(
        (id, bytes) -> {
          if (bytes.length < 32) {
            throw new IllegalArgumentException(
                PEPPERS + " entry " + id + " must be at least 32 bytes, base64");
          }
        });
    return new ReportKeys(
        aes,
        current(KEY_ID, settings.get(KEY_ID), text),
        pep,
        current(PEPPER_ID, settings.get(PEPPER_ID), pep));
  }

  /** The settings in a key file written by {@link #generateIfMissing} (or by an operator). */
  public static Map<String, String> readFile(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
      p.load(r);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : new String[] {KEYS, KEY_ID, PEPPERS, PEPPER_ID}) {
      String v = p.getProperty(name);
      if (v != null && !v.isBlank()) {
        out.put(name, v.trim());
      }
    }
    return out;
  }

  /** Writes a fresh text key and pepper to {@code file} (owner-only) unless it exists. */
  public static void generateIfMissing(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    byte[] pepper = new byte[32];
    random.nextBytes(key);
    random.nextBytes(pepper);
    String stamp = LocalDate.now().toString().replace("-", "");
    String keyId = "k" + stamp;
    String pepperId = "p" + stamp;
    Base64.Encoder b64 = Base64.getEncoder();
    String text =
        "# Keys of anonymous reports, generated for the embedded default. Keep this file secret and\n"
            + "# back it up with the data: without it, stored report text cannot be read.\n"
            + KEYS
            + "="
            + keyId
            + "="
            + b64.encodeToString(key)
            + "\n"
            + KEY_ID
            + "="
            + keyId
            + "\n"
            + PEPPERS
            + "="
            + pepperId
            + "="
            + b64.encodeToString(pepper)
            + "\n"
            + PEPPER_ID
            + "="
            + pepperId
            + "\n";
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "report-keys", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the data directory's own permissions protect the file
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A fresh random {@code id=base64} entry, for operators creating keys (see docs/operations). */
  public static String newEntry(String id, int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return id + "=" + Base64.getEncoder().encodeToString(b);
  }

  String textKeyId() {
    return textKeyId;
  }

  SecretKey textKey(String id) {
    return textKeys.get(id);
  }

  String pepperId() {
    return pepperId;
  }

  byte[] pepper(String id) {
    return peppers.get(id);
  }

  /** Every pepper id, current first: a receipt code is looked up under each. */
  java.util.List<String> pepperIds() {
    java.util.List<String> ids = new java.util.ArrayList<>();
    ids.add(pepperId);
    peppers.keySet().stream().filter(id -> !id.equals(pepperId)).sorted().forEach(ids::add);
    return ids;
  }

  private static Map<String, byte[]> entries(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String entry : value.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(name + " must be a list of id=base64 entries");
      }
      String id = e.substring(0, eq);
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            name + " has a key id that is not 1-32 letters, digits, _ or -");
      }
      try {
        out.put(id, Base64.getDecoder().decode(e.substring(eq + 1)));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(name + " entry " + id + " is not base64");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return out;
  }

  private static String current(String name, String value, Map<String, byte[]> entries) {
    if (value == null || value.isBlank()) {
      if (entries.size() == 1) {
        return entries.keySet().iterator().next();
      }
      throw new IllegalArgumentException(
          name + " must name the current key when there are several");
    }
    if (!entries.containsKey(value.trim())) {
      throw new IllegalArgumentException(name + " names a key id that is not listed");
    }
    return value.trim();
  }
}
