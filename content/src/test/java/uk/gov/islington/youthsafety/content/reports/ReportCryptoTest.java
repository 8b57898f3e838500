package uk.gov.islington.youthsafety.content.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCryptoTest {

  private static final String PEPPER = ReportKeys.newEntry("p1", 32);

  private static ReportCrypto crypto(String keys, String keyId) {
    Map<String, String> s =
        new HashMap<>(Map.of(ReportKeys.KEYS, keys, ReportKeys.PEPPERS, PEPPER));
    if (keyId != null) {
      s.put(ReportKeys.KEY_ID, keyId);
    }
    return new ReportCrypto(ReportKeys.from(s));
  }

  @Test
  void textIsSealedWithAFreshNonceAndOpensOnlyWhereItBelongs() {
    ReportCrypto c = crypto(ReportKeys.newEntry("k1", 32), null);
    ReportCrypto.Sealed a = c.seal("he has a knife", "report:1:description");
    ReportCrypto.Sealed b = c.seal("he has a knife", "report:1:description");
    assertThat(a.keyId()).isEqualTo("k1");
    assertThat(a.bytes()).isNotEqualTo(b.bytes());
    assertThat(new String(a.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("knife");
    assertThat(c.open("k1", a.bytes(), "report:1:description")).isEqualTo("he has a knife");
    // copied to another row or column: does not open
    assertThatThrownBy(() -> c.open("k1", a.bytes(), "report:2:description"))
        .isInstanceOf(ReportCrypto.CannotOpen.class);
    byte[] tampered = a.bytes().clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> c.open("k1", tampered, "report:1:description"))
        .isInstanceOf(ReportCrypto.CannotOpen.class);
    assertThatThrownBy(() -> c.open("k9", a.bytes(), "report:1:description"))
        .isInstanceOf(ReportCrypto.CannotOpen.class);
  }

  @Test
  void theCipherReusedPerThreadIsCleanAfterAFailedOpenAndUnderConcurrentUse() throws Exception {
    ReportCrypto c = crypto(ReportKeys.newEntry("k1", 32), null);
    ReportCrypto.Sealed a = c.seal("first", "aad:a");
    byte[] tampered = a.bytes().clone();
    tampered[20] ^= 1;
    assertThatThrownBy(() -> c.open("k1", tampered, "aad:a"))
        .isInstanceOf(ReportCrypto.CannotOpen.class);
    // the same thread's cipher and mac: nothing of the failed attempt is left behind
    assertThat(c.open("k1", a.bytes(), "aad:a")).isEqualTo("first");
    ReportCrypto.Sealed b = c.seal("second", "aad:b");
    assertThat(c.open("k1", b.bytes(), "aad:b")).isEqualTo("second");
    assertThat(c.lookupHash("idempotency-key", "x"))
        .isEqualTo(c.lookupHash("idempotency-key", "x"))
        .isNotEqualTo(c.lookupHash("submission-body", "x"));

    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    String text = "report " + thread + "/" + i;
                    ReportCrypto.Sealed s = c.seal(text, "aad:" + thread + "/" + i);
                    if (!text.equals(c.open("k1", s.bytes(), "aad:" + thread + "/" + i))
                        || !java.util.Arrays.equals(
                            c.lookupHash("p", text), c.lookupHash("p", text))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (var r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void afterAKeyRotationOldRowsOpenAndNewRowsUseTheNewKey() {
    String k1 = ReportKeys.newEntry("k1", 32);
    ReportCrypto before = crypto(k1, null);
    ReportCrypto.Sealed old = before.seal("old report", "aad");
    ReportCrypto after = crypto(k1 + "," + ReportKeys.newEntry("k2", 32), "k2");
    assertThat(after.open(old.keyId(), old.bytes(), "aad")).isEqualTo("old report");
    assertThat(after.seal("new report", "aad").keyId()).isEqualTo("k2");
  }

  @Test
  void afterAPepperRotationAnOldLookupHashIsFoundUnderItsPepperId() {
    String k1 = ReportKeys.newEntry("k1", 32);
    ReportCrypto before =
        new ReportCrypto(ReportKeys.from(Map.of(ReportKeys.KEYS, k1, ReportKeys.PEPPERS, PEPPER)));
    byte[] old = before.lookupHash("email-address", "a@example.org");
    ReportCrypto after =
        new ReportCrypto(
            ReportKeys.from(
                Map.of(
                    ReportKeys.KEYS,
                    k1,
                    ReportKeys.PEPPERS,
                    PEPPER + "," + ReportKeys.newEntry("p2", 32),
                    ReportKeys.PEPPER_ID,
                    "p2")));
    assertThat(after.pepperIds()).containsExactly("p2", "p1");
    assertThat(after.pepperId()).isEqualTo("p2");
    assertThat(after.textKeyId()).isEqualTo("k1");
    assertThat(after.lookupHash("p1", "email-address", "a@example.org")).isEqualTo(old);
    byte[] now = after.lookupHash("email-address", "a@example.org");
    assertThat(now).isNotEqualTo(old);
    assertThat(after.lookupHash("p2", "email-address", "a@example.org")).isEqualTo(now);
    // the purpose is part of the key: a link token is not an address hash
    assertThat(after.lookupHash("p2", "email-link", "a@example.org")).isNotEqualTo(now);
  }

  @Test
  void badKeySettingsNameTheVariableButNeverEchoTheSecret() {
    String secret = java.util.Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> crypto("k1=" + secret, null))
        .hasMessageContaining("REPORT_KEYS")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> crypto("k1=%%%", null)).hasMessageContaining("REPORT_KEYS");
    assertThatThrownBy(
            () -> crypto(ReportKeys.newEntry("k1", 32) + "," + ReportKeys.newEntry("k2", 32), null))
        .hasMessageContaining("REPORT_KEY_ID");
    assertThatThrownBy(() -> crypto(ReportKeys.newEntry("k1", 32), "k3"))
        .hasMessageContaining("REPORT_KEY_ID");
    assertThatThrownBy(
            () ->
                ReportKeys.from(
                    Map.of(
                        ReportKeys.KEYS,
                        ReportKeys.newEntry("k1", 32),
                        ReportKeys.PEPPERS,
                        ReportKeys.newEntry("p1", 8))))
        .hasMessageContaining("REPORT_RECEIPT_PEPPERS");
    assertThatThrownBy(
            () -> ReportKeys.from(Map.of(ReportKeys.KEYS, ReportKeys.newEntry("k1", 32))))
        .hasMessageContaining("REPORT_RECEIPT_PEPPERS");
  }

  @Test
  void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyFileOnceAndKeepsIt(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("keys/report-keys.properties");
    ReportKeys.generateIfMissing(file);
    String first = Files.readString(file);
    ReportKeys.generateIfMissing(file);
    assertThat(Files.readString(file)).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    ReportCrypto c = new ReportCrypto(ReportKeys.from(ReportKeys.readFile(file)));
    assertThat(c.open(c.seal("x", "y").keyId(), c.seal("x", "y").bytes(), "y")).isEqualTo("x");
  }
}
