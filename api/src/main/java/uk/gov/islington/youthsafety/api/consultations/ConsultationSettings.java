package uk.gov.islington.youthsafety.api.consultations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Every setting of Youth Council consultations, read and checked once at start (docs/operations.md,
 * "Youth Council consultations").
 *
 * @param liveResultsTtl how long live results are cached; zero: not at all
 * @param mixInterval how often the ballot box is shaken; zero turns the timer off (tests shake it
 *     by hand)
 * @param voterSecretFile the voter-key secret; see {@link VoterSecret} for what is used without it
 */
record ConsultationSettings(
    Duration liveResultsTtl,
    Duration voterKeyGrace,
    int mixSample,
    Duration mixInterval,
    Optional<Path> voterSecretFile) {

  static ConsultationSettings from(Config config) {
    return new ConsultationSettings(
        notNegative(config, "CONSULTATION_LIVE_RESULTS_TTL", Duration.ofMinutes(5)),
        config.positiveDuration("CONSULTATION_VOTER_KEY_GRACE", Duration.ofHours(24)),
        config.integer("CONSULTATION_MIX_SAMPLE", 50, 1, 1_000_000),
        notNegative(config, "CONSULTATION_MIX_INTERVAL", Duration.ofMinutes(1)),
        config.optional(VoterSecret.SETTING).map(Path::of));
  }

  private static Duration notNegative(Config config, String name, Duration defaultValue) {
    Duration d = config.duration(name, defaultValue);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero (off) or longer");
    }
    return d;
  }
}
