package uk.gov.islington.youthsafety.api.staff;

import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.staff.PasswordHasher;

/**
 * Every setting of staff accounts and sign-in, read and checked once at start (docs/operations.md,
 * "Staff accounts and sign-in").
 *
 * @param adminUsername with {@code adminPassword}, the first admin on a start with no staff at all
 */
record StaffSettings(
    int hashMemoryKib,
    int hashIterations,
    int hashParallelism,
    int hashThreads,
    LoginThrottle.Limits loginLimits,
    LoginThrottle.Limits secondFactorLimits,
    Duration revocationRefresh,
    Optional<String> adminUsername,
    Optional<String> adminPassword) {

  static StaffSettings from(Config config) {
    Duration window = config.positiveDuration("LOGIN_FAILURE_WINDOW", Duration.ofMinutes(15));
    int alertFailures = config.integer("LOGIN_ACCOUNT_ALERT_FAILURES", 50, 1, 1_000_000);
    Duration alertWindow =
        config.positiveDuration("LOGIN_ACCOUNT_ALERT_WINDOW", Duration.ofHours(1));
    StaffSettings s =
        new StaffSettings(
            config.integer(
                "PASSWORD_HASH_MEMORY_KIB", PasswordHasher.DEFAULT_MEMORY_KIB, 8, 4 * 1024 * 1024),
            config.integer("PASSWORD_HASH_ITERATIONS", PasswordHasher.DEFAULT_ITERATIONS, 1, 1000),
            config.integer("PASSWORD_HASH_PARALLELISM", PasswordHasher.DEFAULT_PARALLELISM, 1, 64),
            config.integer(
                "PASSWORD_HASH_THREADS",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                1,
                256),
            new LoginThrottle.Limits(
                config.integer("LOGIN_MAX_FAILURES_PER_USERNAME_AND_NETWORK", 5, 1, 1_000_000),
                config.integer("LOGIN_MAX_FAILURES_PER_NETWORK", 20, 1, 1_000_000),
                window,
                alertFailures,
                alertWindow),
            new LoginThrottle.Limits(
                config.integer(
                    "SECOND_FACTOR_MAX_FAILURES_PER_USERNAME_AND_NETWORK", 5, 1, 1_000_000),
                config.integer("SECOND_FACTOR_MAX_FAILURES_PER_NETWORK", 20, 1, 1_000_000),
                window,
                alertFailures,
                alertWindow),
            config.positiveDuration("STAFF_REVOCATION_REFRESH", Duration.ofSeconds(30)),
            config.optional("ADMIN_USERNAME"),
            config.optional("ADMIN_PASSWORD"));
    if (s.adminUsername.isPresent() != s.adminPassword.isPresent()) {
      throw new IllegalStateException("ADMIN_USERNAME and ADMIN_PASSWORD must be set together");
    }
    return s;
  }

  @Override
  public String toString() {
    // the admin password is a secret
    return "StaffSettings[admin given: " + adminUsername.isPresent() + "]";
  }
}
