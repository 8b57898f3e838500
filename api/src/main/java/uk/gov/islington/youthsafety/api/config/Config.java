package uk.gov.islington.youthsafety.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting comes from an environment variable with a sane default (docs/operations.md lists
 * them all). Features read their own settings through the typed getters; a malformed value stops
 * the start with a message that names the variable, never a half-configured service.
 */
public final class Config {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> values;

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

  public Optional<String> optional(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  /** A comma-separated list, blank entries left out; empty when unset. */
  public List<String> list(String name) {
    return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList())
        .orElse(List.of());
  }

  public int integer(String name, int defaultValue) {
    return optional(name).map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw invalid(name, v, "a whole number");
      }
    }).orElse(defaultValue);
  }

  public boolean bool(String name, boolean defaultValue) {
    return optional(name).map(v -> switch (v.toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw invalid(name, v, "true or false");
    }).orElse(defaultValue);
  }

  /** Durations as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 90d} or ISO-8601 ({@code PT15M}). */
  public Duration duration(String name, Duration defaultValue) {
    return optional(name).map(v -> {
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
    }).orElse(defaultValue);
  }

  public Path path(String name, Path defaultValue) {
    return optional(name).map(Path::of).orElse(defaultValue);
  }

  // ---- settings of the foundation; features keep theirs next to their code

  public int port() {
    return integer("PORT", 8080);
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

  public boolean embedded() {
    return databaseUrl().isEmpty();
  }

  private static IllegalArgumentException invalid(String name, String value, String expected) {
    // values may be secrets: say what was expected, never echo the value
    return new IllegalArgumentException(name + " must be " + expected + " (got " + value.length() + " characters)");
  }
}
