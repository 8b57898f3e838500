package uk.gov.islington.youthsafety.content.staff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Argon2id with the production defaults: PHC strings, random salts, Unicode forms, rehash
 * detection.
 */
class PasswordHasherTest {

  static final PasswordHasher DEFAULTS = PasswordHasher.defaults();

  @Test
  void defaultsAreArgon2idWithOwaspBaselineParameters() {
    String hash = DEFAULTS.hash("correct horse battery staple");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(DEFAULTS.verify("correct horse battery staple", hash)).isTrue();
    assertThat(DEFAULTS.verify("correct horse battery stapler", hash)).isFalse();
    assertThat(DEFAULTS.needsRehash(hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(DEFAULTS.hash("same password twice"))
        .isNotEqualTo(DEFAULTS.hash("same password twice"));
  }

  @Test
  void unicodeFormsOfOnePasswordAreOnePassword() {
    String composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
    String decomposed =
        "cafe\u0301 au lait, s'il vous pla\u0131\u0302t".replace("\u0131\u0302", "i\u0302");
    assertThat(DEFAULTS.verify(decomposed, DEFAULTS.hash(composed))).isTrue();
  }

  @Test
  void unreadableHashesNeverVerifyAndAskForARehash() {
    assertThat(DEFAULTS.verify("anything at all", "not a hash")).isFalse();
    assertThat(DEFAULTS.verify("anything at all", "")).isFalse();
    assertThat(DEFAULTS.needsRehash("not a hash")).isTrue();
    assertThat(DEFAULTS.needsRehash(new PasswordHasher(1024, 1, 1).hash("other parameters")))
        .isTrue();
    assertThat(DEFAULTS.verifyNothing("anything at all")).isFalse();
  }
}
