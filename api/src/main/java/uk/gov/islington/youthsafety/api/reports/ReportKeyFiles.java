package uk.gov.islington.youthsafety.api.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;

/**
 * Where the report keys come from. They also seal the staff's second factors and the bulletin's
 * subscriber addresses, so those features load them here too.
 */
public final class ReportKeyFiles {

  private ReportKeyFiles() {}

  /**
   * REPORT_KEYS etc. from the environment, else from REPORT_KEYS_FILE, else (embedded default only)
   * from a file generated under DATA_DIR. With DATABASE_URL, keys must be given: generating them
   * per instance would make instances unable to read each other's reports.
   */
  public static ReportKeys load(Config config) {
    return load(config, ReportSettings.from(config));
  }

  static ReportKeys load(Config config, ReportSettings settings) {
    Map<String, String> keys = new HashMap<>();
    Map<String, String> given = settings.givenKeys();
    if (!given.containsKey(ReportKeys.KEYS) || !given.containsKey(ReportKeys.PEPPERS)) {
      Path file = settings.keysFile().orElse(null);
      try {
        if (file == null) {
          if (!config.embedded()) {
            throw new IllegalStateException(
                "REPORT_KEYS and REPORT_RECEIPT_PEPPERS (or REPORT_KEYS_FILE) are required when DATABASE_URL is set");
          }
          file = config.dataDir().resolve("keys/report-keys.properties");
          ReportKeys.generateIfMissing(file);
        } else if (!Files.exists(file)) {
          throw new IllegalStateException("REPORT_KEYS_FILE names a file that does not exist");
        }
        keys.putAll(ReportKeys.readFile(file));
      } catch (IOException e) {
        throw new UncheckedIOException("report keys could not be read", e);
      }
    }
    keys.putAll(given);
    return ReportKeys.from(keys);
  }
}
