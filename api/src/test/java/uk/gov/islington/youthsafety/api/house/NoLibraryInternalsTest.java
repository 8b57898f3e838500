package uk.gov.islington.youthsafety.api.house;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code uses libraries through their public API: an {@code .impl.} or {@code .internal.}
 * package may change or vanish in any release, and an upgrade would then break at run time or,
 * worse, behave differently without a compile error.
 */
class NoLibraryInternalsTest {

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?([\\w.]+\\.(?:impl|internal)\\.[\\w.*]+);", Pattern.MULTILINE);

  /** Imports that look internal but are not, or have no public equivalent: each with its reason. */
  private static final Map<String, String> ALLOWED =
      Map.of(
          // HttpClient 5 keeps its documented builders (HttpAsyncClients, HttpAsyncClientBuilder)
          // in impl packages
          "org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder",
              "notifications/push/FirebaseSetup.java",
          // the Firebase SDK's HTTP/2 transport is public only there; the push tests send through
          // it
          "com.google.firebase.internal.ApacheHttp2Transport",
              "notifications/push/FirebaseSetup.java");

  @Test
  void mainCodeImportsNoLibraryInternals() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : List.of("api", "content", "notifications")) {
      Path main = Path.of("..", module, "src", "main", "java");
      assertThat(main).isDirectory();
      try (Stream<Path> files = Files.walk(main)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(file));
          while (m.find()) {
            String name = m.group(1);
            String where = module + "/" + main.relativize(file).toString().replace('\\', '/');
            boolean ours = name.startsWith("uk.gov.islington.");
            String allowedIn = ALLOWED.get(name);
            if (!ours && (allowedIn == null || !where.endsWith(allowedIn))) {
              found.add(where + ": " + name);
            }
          }
        }
      }
    }
    assertThat(found).as("imports of library internals in main code").isEmpty();
  }

  @Test
  void theCheckSeesAnInternalImport() {
    assertThat(
            IMPORT.matcher("import io.vertx.openapi.validation.impl.RequestValidatorImpl;").find())
        .isTrue();
    assertThat(
            IMPORT
                .matcher("import static io.vertx.core.internal.buffer.BufferInternal.buffer;")
                .find())
        .isTrue();
    assertThat(IMPORT.matcher("import io.vertx.openapi.validation.RequestParameter;").find())
        .isFalse();
  }
}
