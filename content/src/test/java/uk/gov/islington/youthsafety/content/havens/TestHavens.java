package uk.gov.islington.youthsafety.content.havens;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/** Havens for tests that need no database. */
final class TestHavens {

  private TestHavens() {}

  static Haven at(String id, double lat, double lon) {
    return at(id, lat, lon, openDaily("09:00", "17:00"));
  }

  static Haven at(String id, double lat, double lon, OpeningHours hours) {
    return new Haven(
        id,
        id,
        "1 Test Street, London",
        "N1 1AA",
        lat,
        lon,
        "shop",
        List.of(),
        null,
        null,
        hours,
        LocalDate.parse("2026-01-01"),
        true,
        null,
        false,
        1,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  static OpeningHours openDaily(String opens, String closes) {
    List<OpeningHours.Weekly> w = new ArrayList<>();
    for (DayOfWeek d : DayOfWeek.values()) {
      w.add(new OpeningHours.Weekly(d, OpeningHours.Range.of(opens, closes)));
    }
    return new OpeningHours(w, List.of(), null);
  }
}
