package uk.gov.islington.youthsafety.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.testing.MutableClock;

/** A token verified once is remembered, but expiry and revocation still apply on every use. */
class TokensTest {

  MutableClock clock;
  Tokens tokens;

  @BeforeEach
  void setUp() throws Exception {
    Path key = Files.createTempDirectory("tokens").resolve("k.pem");
    KeyRing.generateIfMissing(key);
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.250Z"));
    tokens =
        new Tokens(
            KeyRing.load(key, List.of()),
            "iss",
            "aud",
            Duration.ofDays(90),
            Duration.ofMinutes(15),
            clock);
  }

  @Test
  void aRememberedTokenStillExpires() {
    String token = tokens.issueStaff("s1", List.of("editor")).token();
    assertThat(tokens.verify(token).roles()).containsExactly("editor");
    assertThat(tokens.verify(token).subject()).isEqualTo("s1");
    clock.advance(Duration.ofMinutes(15).plusSeconds(29));
    assertThat(tokens.verify(token).subject()).isEqualTo("s1");
    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(Tokens.InvalidToken.class)
        .hasMessage("token expired");
  }

  @Test
  void aRememberedStaffTokenIsRevokedAndLaterTokensAreNot() {
    String token = tokens.issueStaff("s2", List.of("admin")).token();
    String other = tokens.issueStaff("s3", List.of("admin")).token();
    tokens.verify(token);
    tokens.verify(other);
    tokens.revocations().revoke("s2", clock.instant());
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(Tokens.InvalidToken.class)
        .hasMessage("token revoked");
    assertThat(tokens.verify(other).subject()).isEqualTo("s3");
    // a token from the same second is refused too; from the next second on, accepted
    assertThatThrownBy(() -> tokens.verify(tokens.issueStaff("s2", List.of("admin")).token()))
        .hasMessage("token revoked");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(tokens.issueStaff("s2", List.of("admin")).token()).subject())
        .isEqualTo("s2");
  }

  @Test
  void revocationsAreForgottenOnceTheirTokensHaveExpired() {
    StaffRevocations r = tokens.revocations();
    r.revoke("old", clock.instant().minus(Duration.ofMinutes(20)));
    r.revoke("new", clock.instant());
    r.forgetOlderThan(clock.instant(), Duration.ofMinutes(15).plusSeconds(31));
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.isRevoked("new", clock.instant().minusSeconds(5))).isTrue();
    assertThat(r.isRevoked("old", clock.instant().minus(Duration.ofMinutes(30)))).isFalse();
  }

  @Test
  void deviceTokensAreNeverRevokedByAStaffEntryOfTheSameName() {
    String device = tokens.issueDevice("10-13").token();
    String subject = tokens.verify(device).subject();
    tokens.revocations().revoke(subject, clock.instant());
    assertThat(tokens.verify(device).ageBand()).isEqualTo("10-13");
  }
}
