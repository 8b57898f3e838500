package uk.gov.islington.youthsafety.api.house;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A feature class only wires (keys, channels, caches, timers) and hands its routes to a routes
 * class: once it passes 200 lines, something that is not wiring has moved in and belongs in a class
 * of its own.
 */
class FeatureSizeTest {

  private static final int MOST_LINES = 200;

  @Test
  void everyFeatureClassIsUnder200Lines() throws IOException {
    Path main = Path.of("src", "main", "java");
    try (Stream<Path> files = Files.walk(main)) {
      List<Path> features =
          files.filter(f -> f.getFileName().toString().endsWith("Feature.java")).toList();
      assertThat(features).hasSizeGreaterThan(5);
      for (Path feature : features) {
        assertThat(Files.readAllLines(feature).size())
            .as(main.relativize(feature).toString())
            .isLessThan(MOST_LINES);
      }
    }
  }
}
