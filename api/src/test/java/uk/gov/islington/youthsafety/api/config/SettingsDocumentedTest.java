package uk.gov.islington.youthsafety.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * docs/operations.md and the code name the same settings: every environment variable the service
 * reads at start (the settings records read all of theirs, used or not; logback.xml reads its own)
 * has a row in a table of docs/operations.md, and every row names one that is read. A malformed
 * value stops the start with a message that names the setting and never repeats the value.
 */
class SettingsDocumentedTest {

  static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
  static final Path LOGBACK = Path.of("src", "main", "resources", "logback.xml");
  // a table row's first cell: `NAME` or `NAME`, `OTHER`
  static final Pattern ROW =
      Pattern.compile("^\\| *((?:`[A-Z][A-Z0-9_]*`(?:, *)?)+) *\\|", Pattern.MULTILINE);
  static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
  static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

  @Test
  void everySettingReadIsDocumentedAndEveryDocumentedOneIsRead() throws Exception {
    Set<String> read = new TreeSet<>();
    try (TestApp app = TestApp.start()) {
      read.addAll(app.app().context().config().namesRead());
    }
    read.addAll(all(LOGBACK_VARIABLE, Files.readString(LOGBACK)));
    Set<String> documented = documented(Files.readString(OPERATIONS));

    assertThat(minus(read, documented))
        .as("read by the service but not in a table of docs/operations.md")
        .isEmpty();
    assertThat(minus(documented, read))
        .as("in docs/operations.md but never read by the service")
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "SMTP_PORT, 5877-secret",
    "SMTP_STARTTLS, sometimes-secret",
    "HAVEN_RESYNC_INTERVAL, 0s",
    "REPORT_EMAIL_TRANSPORT, carrier-pigeon-secret",
    "PUSH_BATCH_SIZE, -4242",
    "HTTP_INSTANCES, 999",
    "MANAGEMENT_PORT, 70000",
    "SHUTDOWN_GRACE, -PT10S",
    "REQUEST_TIMEOUT, PT0S",
    "TRUSTED_PROXY_HOPS, 77",
  })
  void aMalformedSettingStopsTheStartNamingItButNeverItsValue(String name, String value) {
    Throwable failure = catchThrowable(() -> TestApp.start(Map.of(name, value)).close());
    assertThat(failure).as(name).isNotNull();
    assertThat(messages(failure)).contains(name).doesNotContain(value);
  }

  static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  static Set<String> documented(String markdown) {
    Set<String> names = new TreeSet<>();
    Matcher row = ROW.matcher(markdown);
    while (row.find()) {
      names.addAll(all(NAME, row.group(1)));
    }
    return names;
  }

  static Set<String> all(Pattern pattern, String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}
