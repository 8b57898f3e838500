package uk.gov.islington.youthsafety.api.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Every setting of tokens and their keys, read and checked once at start (docs/operations.md,
 * "Tokens and keys").
 *
 * @param signingKey JWT_SIGNING_KEY; generated under DATA_DIR on the embedded default when empty
 * @param verifyKeys earlier public keys whose tokens are still accepted (a rotation)
 */
public record TokenSettings(
    String issuer,
    String audience,
    Duration deviceTtl,
    Duration staffTtl,
    Optional<Path> signingKey,
    List<Path> verifyKeys) {

  public static TokenSettings from(Config config) {
    return new TokenSettings(
        config.string("JWT_ISSUER", "youth-safety-api"),
        config.string("JWT_AUDIENCE", "youth-safety-app"),
        config.positiveDuration("DEVICE_TOKEN_TTL", Duration.ofDays(90)),
        config.positiveDuration("STAFF_TOKEN_TTL", Duration.ofMinutes(15)),
        config.jwtSigningKey(),
        config
            .optional("JWT_VERIFY_KEYS")
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(Path::of)
                        .toList())
            .orElse(List.of()));
  }
}
