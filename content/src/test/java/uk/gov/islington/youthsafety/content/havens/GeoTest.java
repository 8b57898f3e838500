package uk.gov.islington.youthsafety.content.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.content.common.Geo;

/** Great-circle distances against values worked out by hand, and the grid's ordering and radius. */
class GeoTest {

  // Highbury & Islington station
  static final double LAT = 51.5462;
  static final double LON = -0.1040;

  @Test
  void shortDistanceMatchesTheFlatEarthWorking() {
    // 0.0008 deg of latitude = 0.0008 * 111195.08 = 88.96 m; 0.001 deg of longitude at 51.5466 deg
    // = 0.001 * 111195.08 * cos(51.5466) = 69.17 m; sqrt(88.96^2 + 69.17^2) = 112.7 m
    assertThat(Geo.distanceMetres(LAT, LON, 51.5470, -0.1030)).isCloseTo(112.7, within(0.2));
  }

  @Test
  void oneDegreeIsAnEquatorialDegree() {
    // pi * 6371008.8 / 180
    assertThat(Geo.distanceMetres(0, 0, 1, 0)).isCloseTo(111_195.08, within(0.01));
    assertThat(Geo.distanceMetres(0, 0, 0, 1)).isCloseTo(111_195.08, within(0.01));
    assertThat(Geo.distanceMetres(51.5, -0.1, 51.5, -0.1)).isZero();
  }

  @Test
  void stationDistancesFromHighburyAndIslington() {
    // haversine on the 6371008.8 m sphere, worked separately
    assertThat(Geo.distanceMetres(LAT, LON, 51.5526, -0.1132))
        .isCloseTo(954.5, within(0.5)); // Holloway Road
    assertThat(Geo.distanceMetres(LAT, LON, 51.5481, -0.1188))
        .isCloseTo(1045.0, within(0.5)); // Caledonian Road
    assertThat(Geo.distanceMetres(LAT, LON, 51.5322, -0.1058))
        .isCloseTo(1561.7, within(0.5)); // Angel
    assertThat(Geo.distanceMetres(LAT, LON, 51.5642, -0.1065))
        .isCloseTo(2009.0, within(0.5)); // Finsbury Park
    assertThat(Geo.distanceMetres(LAT, LON, 51.5653, -0.1353))
        .isCloseTo(3032.0, within(0.5)); // Archway
  }

  @Test
  void gridReturnsEverythingWithinTheRadiusNearestFirst() {
    Haven angel = TestHavens.at("angel", 51.5322, -0.1058);
    Haven archway = TestHavens.at("archway", 51.5653, -0.1353);
    Haven holloway = TestHavens.at("holloway", 51.5526, -0.1132);
    Haven caledonian = TestHavens.at("caledonian", 51.5481, -0.1188);
    Haven park = TestHavens.at("park", 51.5642, -0.1065);
    GeoGrid grid = new GeoGrid(List.of(archway, angel, park, caledonian, holloway));
    assertThat(grid.within(LAT, LON, 1600, null).stream().map(p -> p.haven().id()))
        .containsExactly("holloway", "caledonian", "angel");
    assertThat(grid.within(LAT, LON, 10_000, null).stream().map(p -> p.haven().id()))
        .containsExactly("holloway", "caledonian", "angel", "park", "archway");
    assertThat(grid.within(LAT, LON, 900, null)).isEmpty();
    assertThat(grid.within(LAT, LON, 1600, null).get(2).distanceMetres())
        .isCloseTo(1561.7, within(0.5));
    // a filter leaves the others out before they are ranked
    assertThat(
            grid.within(LAT, LON, 10_000, h -> !h.id().startsWith("a")).stream()
                .map(p -> p.haven().id()))
        .containsExactly("holloway", "caledonian", "park");
    // the distance from the unit vectors' chord is the haversine's
    for (GeoGrid.Placed p : grid.within(LAT, LON, 10_000, null)) {
      assertThat(p.distanceMetres())
          .as(p.haven().id())
          .isCloseTo(Geo.distanceMetres(LAT, LON, p.haven().lat(), p.haven().lon()), within(1e-6));
    }
  }

  @Test
  void gridFindsNeighboursAcrossCellEdgesInEveryDirection() {
    // points 500 m away on eight bearings, wherever the cell edges fall
    List<Haven> ring = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      double bearing = Math.toRadians(45 * i);
      double dLat = 500 * Math.cos(bearing) / Geo.METRES_PER_DEGREE;
      double dLon =
          500 * Math.sin(bearing) / (Geo.METRES_PER_DEGREE * Math.cos(Math.toRadians(LAT)));
      ring.add(TestHavens.at("p" + i, LAT + dLat, LON + dLon));
    }
    GeoGrid grid = new GeoGrid(ring);
    assertThat(grid.within(LAT, LON, 510, null)).hasSize(8);
    assertThat(grid.within(LAT, LON, 490, null)).isEmpty();
  }

  @Test
  void theGridsOpenNowAnswerPerCellMatchesAskingEachHaven() {
    // two cells' worth of havens with different hours, asked every 7 minutes over two days, then
    // back in time: a cell's cached answer must end at the first change of any of its havens
    String[][] hours = {
      {"09:00", "17:00"},
      {"18:00", "23:00"},
      {"00:00", "24:00"},
      {"07:30", "09:15"},
      {"22:00", "02:00"},
      {"12:00", "12:07"}
    };
    List<Haven> havens = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String[] h = hours[i % hours.length];
      havens.add(
          TestHavens.at(
              "h" + i,
              LAT + (i % 6) * 0.003,
              LON + (i / 6) * 0.006,
              TestHavens.openDaily(h[0], h[1])));
    }
    GeoGrid grid = new GeoGrid(havens);
    java.time.Instant start =
        java.time.Instant.parse("2026-10-24T06:00:00Z"); // over the autumn clock change
    List<java.time.Instant> times = new java.util.ArrayList<>();
    for (int m = 0; m < 2 * 24 * 60; m += 7) {
      times.add(start.plusSeconds(60L * m));
    }
    times.add(start.plusSeconds(3600));
    times.add(start.plusSeconds(60L * 60 * 13 + 3)); // between whole minutes
    for (java.time.Instant t : times) {
      List<String> expected =
          grid.within(LAT, LON, 5_000, h -> h.statusAt(t).open()).stream()
              .map(p -> p.haven().id())
              .toList();
      assertThat(
              grid.within(LAT, LON, 5_000, new NearbySource.OpenAt(t)).stream()
                  .map(p -> p.haven().id()))
          .as(t.toString())
          .containsExactlyElementsOf(expected);
    }
  }
}
