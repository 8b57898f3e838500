package uk.gov.islington.youthsafety.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keys made the way docs/operations.md says load, sign and verify; broken key files stop the start.
 */
class KeyRingTest {

  static void sh(Path dir, String command) throws Exception {
    Process p =
        new ProcessBuilder("sh", "-c", command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(command + "\n" + out).isZero();
  }

  static boolean hasOpenssl() {
    try {
      return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void keysMadeWithTheDocumentedOpensslCommandsWorkIncludingRotation() throws Exception {
    Assumptions.assumeTrue(hasOpenssl(), "openssl is not installed");
    Path dir = Files.createTempDirectory("keys");
    // the commands of docs/operations.md, "Keys"
    sh(
        dir,
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out old.key"
            + " && openssl pkey -in old.key -pubout -out old.pub && cat old.key old.pub > old.pem");
    sh(
        dir,
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out new.key"
            + " && openssl pkey -in new.key -pubout -out new.pub && cat new.key new.pub > new.pem");

    Clock clock = Clock.systemUTC();
    Tokens old =
        new Tokens(
            KeyRing.load(dir.resolve("old.pem"), List.of()),
            "iss",
            "aud",
            Duration.ofDays(1),
            Duration.ofMinutes(15),
            clock);
    String oldToken = old.issueStaff("s1", List.of("editor")).token();
    assertThat(old.verify(oldToken).roles()).containsExactly("editor");

    Tokens rotated =
        new Tokens(
            KeyRing.load(dir.resolve("new.pem"), List.of(dir.resolve("old.pub"))),
            "iss",
            "aud",
            Duration.ofDays(1),
            Duration.ofMinutes(15),
            clock);
    assertThat(rotated.verify(oldToken).subject()).isEqualTo("s1");
    String newToken = rotated.issueDevice(null).token();
    assertThat(rotated.verify(newToken).kind()).isEqualTo(Principal.Kind.DEVICE);
    assertThatThrownBy(() -> old.verify(newToken)).isInstanceOf(Tokens.InvalidToken.class);
  }

  @Test
  void aSigningKeyFileWithoutBothBlocksIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    Path full = dir.resolve("full.pem");
    KeyRing.generateIfMissing(full);
    String pem = Files.readString(full);
    Path onlyPrivate = dir.resolve("private-only.pem");
    Files.writeString(onlyPrivate, pem.substring(0, pem.indexOf("-----BEGIN PUBLIC KEY-----")));
    assertThatThrownBy(() -> KeyRing.load(onlyPrivate, List.of()))
        .hasMessageContaining("must hold a PRIVATE KEY and a PUBLIC KEY");
  }

  @Test
  void generatingNeverOverwritesAnExistingKey() throws Exception {
    Path file = Files.createTempDirectory("keys").resolve("keys/jwt-signing.pem");
    KeyRing.generateIfMissing(file);
    String first = Files.readString(file);
    KeyRing.generateIfMissing(file);
    assertThat(Files.readString(file)).isEqualTo(first);
  }
}
