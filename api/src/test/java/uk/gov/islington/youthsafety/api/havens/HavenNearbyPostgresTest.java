package uk.gov.islington.youthsafety.api.havens;

import java.util.Map;

/**
 * Every {@link HavenNearbyTest} again, with candidates from the PostgreSQL KNN index instead of
 * memory.
 */
class HavenNearbyPostgresTest extends HavenNearbyTest {

  @Override
  Map<String, String> env() {
    return Map.of("HAVEN_NEARBY_INDEX", "postgres");
  }
}
