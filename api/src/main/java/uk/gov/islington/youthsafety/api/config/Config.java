package uk.gov.islington.youthsafety.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting comes from an environment variable with a sane default (docs/operations.md lists
 * them all). Each feature reads its own in one settings record ({@code ReportSettings.from(config)}
 * and the like) through the typed getters; a malformed or out-of-range value stops the start with a
 * message that names the variable, never its value, and never leaves a half-configured service. The
 * names asked for are remembered, so a test can hold docs/operations.md to the code.
 */
public final class Config {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> values;
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  private Config(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Config fromEnvironment() {
    return new Config(System.getenv());
  }

  public static Config of(Map<String, String> values) {
    return new Config(values);
  }

  /** A copy with some settings replaced (tests, and derived settings at start-up). */
  public Config with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Config(merged);
  }

  /** Every setting asked for so far, set or not. */
  public Set<String> namesRead() {
    return Set.copyOf(read);
  }

  public Optional<String> optional(String name) {
    read.add(name);
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  /** A comma-separated list, blank entries left out; empty when unset. */
  public List<String> list(String name) {
    return optional(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList())
        .orElse(List.of());
  }

  public int integer(String name, int defaultValue) {
    return optional(name)
        .map(
            v -> {
              try {
                return Integer.parseInt(v);
              } catch (NumberFormatException e) {
                throw invalid(name, v, "a whole number");
              }
            })
        .orElse(defaultValue);
  }

  /** A whole number from {@code min} to {@code max}. */
  public int integer(String name, int defaultValue, int min, int max) {
    int v = integer(name, defaultValue);
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " must be a whole number from " + min + " to " + max);
    }
    return v;
  }

  /** One of {@code allowed} (compared ignoring case), in lower case. */
  public String oneOf(String name, String defaultValue, String... allowed) {
    return optionalOneOf(name, allowed).orElse(defaultValue);
  }

  /** When set, one of {@code allowed} (compared ignoring case), in lower case. */
  public Optional<String> optionalOneOf(String name, String... allowed) {
    return optional(name)
        .map(
            v -> {
              String lower = v.toLowerCase(Locale.ROOT);
              if (!List.of(allowed).contains(lower)) {
                throw new IllegalArgumentException(
                    name + " must be one of " + String.join(", ", allowed));
              }
              return lower;
            });
  }

  /** A duration longer than zero (e.g. a period, a time-out, a time to keep something). */
  public Duration positiveDuration(String name, Duration defaultValue) {
    Duration d = duration(name, defaultValue);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a duration longer than zero");
    }
    return d;
  }

  public boolean bool(String name, boolean defaultValue) {
    return optional(name)
        .map(
            v ->
                switch (v.toLowerCase()) {
                  case "true", "1", "yes", "on" -> true;
                  case "false", "0", "no", "off" -> false;
                  default -> throw invalid(name, v, "true or false");
                })
        .orElse(defaultValue);
  }

  /**
   * Durations as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 90d} or ISO-8601
   * ({@code PT15M}).
   */
  public Duration duration(String name, Duration defaultValue) {
    return optional(name)
        .map(
            v -> {
              Matcher m = DURATION.matcher(v);
              if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                };
              }
              try {
                return Duration.parse(v);
              } catch (RuntimeException e) {
                throw invalid(name, v, "a duration such as 30s, 15m, 90d or PT15M");
              }
            })
        .orElse(defaultValue);
  }

  /** A time of day as {@code HH:MM} (24-hour), e.g. {@code 08:00}. */
  public java.time.LocalTime timeOfDay(String name, java.time.LocalTime defaultValue) {
    return optional(name)
        .map(
            v -> {
              try {
                return java.time.LocalTime.parse(v);
              } catch (java.time.format.DateTimeParseException e) {
                throw invalid(name, v, "a time of day such as 08:00");
              }
            })
        .orElse(defaultValue);
  }

  public Path path(String name, Path defaultValue) {
    return optional(name).map(Path::of).orElse(defaultValue);
  }

  // ---- settings of the foundation; features keep theirs next to their code

  /** 0 asks the system for a free port (tests, several instances on one machine). */
  public int port() {
    return integer("PORT", 8080, 0, 65_535);
  }

  public String host() {
    return string("HOST", "0.0.0.0");
  }

  public Path dataDir() {
    return path("DATA_DIR", Path.of("data")).toAbsolutePath();
  }

  /** External PostgreSQL; when absent the embedded server runs under {@code DATA_DIR/postgres}. */
  public Optional<String> databaseUrl() {
    return optional("DATABASE_URL");
  }

  /**
   * The PEM file with the token signing key pair. Other secrets are derived from it when not set on
   * their own (push subscriber keys, the consultations' voter secret).
   */
  public Optional<Path> jwtSigningKey() {
    return optional("JWT_SIGNING_KEY").map(Path::of);
  }

  public boolean embedded() {
    return databaseUrl().isEmpty();
  }

  private static IllegalArgumentException invalid(String name, String value, String expected) {
    // values may be secrets: say what was expected, never echo the value
    return new IllegalArgumentException(
        name + " must be " + expected + " (got " + value.length() + " characters)");
  }
}
