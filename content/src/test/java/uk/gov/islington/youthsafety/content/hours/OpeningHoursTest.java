package uk.gov.islington.youthsafety.content.hours;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Opening hours against fixed instants (all instants in UTC; London is UTC+0 in winter and UTC+1 in
 * summer). 2026: clocks go forward on Sunday 29 March at 01:00 UTC (01:00 GMT becomes 02:00 BST)
 * and back on Sunday 25 October at 01:00 UTC (02:00 BST becomes 01:00 GMT).
 */
class OpeningHoursTest {

  private static Instant at(String utc) {
    return Instant.parse(utc);
  }

  private static OpeningHours.Weekly w(DayOfWeek day, String opens, String closes) {
    return new OpeningHours.Weekly(day, OpeningHours.Range.of(opens, closes));
  }

  private static List<OpeningHours.Weekly> every(Set<DayOfWeek> days, String opens, String closes) {
    List<OpeningHours.Weekly> out = new ArrayList<>();
    days.forEach(d -> out.add(w(d, opens, closes)));
    return out;
  }

  private static OpeningHours hours(
      List<OpeningHours.Weekly> weekly, OpeningHours.Exception... exceptions) {
    return new OpeningHours(weekly, List.of(exceptions), null);
  }

  private static OpeningHours.Exception closed(String date) {
    return new OpeningHours.Exception(LocalDate.parse(date), null);
  }

  private static OpeningHours.Exception special(String date, String opens, String closes) {
    return new OpeningHours.Exception(LocalDate.parse(date), OpeningHours.Range.of(opens, closes));
  }

  private static void assertOpen(OpeningHours h, String now, String closesAt) {
    OpeningHours.Status s = h.at(at(now));
    assertThat(s.open()).as("open at %s", now).isTrue();
    assertThat(s.opensAt()).isNull();
    assertThat(s.closesAt())
        .as("closesAt at %s", now)
        .isEqualTo(closesAt == null ? null : at(closesAt));
  }

  private static void assertClosed(OpeningHours h, String now, String opensAt) {
    OpeningHours.Status s = h.at(at(now));
    assertThat(s.open()).as("open at %s", now).isFalse();
    assertThat(s.closesAt()).isNull();
    assertThat(s.opensAt())
        .as("opensAt at %s", now)
        .isEqualTo(opensAt == null ? null : at(opensAt));
  }

  private static DayOfWeek day(String shortName) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(shortName.toUpperCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException(shortName);
  }

  /**
   * Weekly hours written as in a table: entries split by ", ", each its days ({@code daily}, a day,
   * or {@code Mon-Fri}) and one or more ranges.
   */
  private static OpeningHours weekly(String written) {
    List<OpeningHours.Weekly> weekly = new ArrayList<>();
    for (String entry : written.split(", ")) {
      String[] parts = entry.split(" ");
      String[] days = parts[0].split("-");
      Set<DayOfWeek> on =
          days[0].equals("daily")
              ? EnumSet.allOf(DayOfWeek.class)
              : EnumSet.range(day(days[0]), day(days[days.length - 1]));
      for (int i = 1; i < parts.length; i++) {
        String[] range = parts[i].split("-");
        weekly.addAll(every(on, range[0], range[1]));
      }
    }
    return hours(weekly);
  }

  /**
   * Weekly hours alone, at an instant: open with the moment they close, or closed with the moment
   * they open (none where it never changes), as in the table weekly-hours.csv beside this class.
   */
  @ParameterizedTest(name = "{0} at {1}: {2}, next change {3}")
  @CsvFileSource(resources = "weekly-hours.csv", delimiter = '|')
  void weeklyHours(String written, String now, String state, String nextChange) {
    OpeningHours h = weekly(written);
    switch (state) {
      case "open" -> assertOpen(h, now, nextChange);
      case "closed" -> assertClosed(h, now, nextChange);
      default -> throw new IllegalArgumentException(state);
    }
  }

  @Test
  void neverOpenHasNoOpensAt() {
    assertClosed(OpeningHours.alwaysClosed(), "2026-06-10T10:00:00Z", null);
  }

  @Nested
  class AllDay {
    @Test
    void aClosedExceptionInsideTheWeekEndsTheAroundTheClockPeriod() {
      OpeningHours h =
          hours(every(EnumSet.allOf(DayOfWeek.class), "00:00", "24:00"), closed("2026-06-13"));
      assertOpen(h, "2026-06-10T10:00:00Z", "2026-06-12T23:00:00Z");
      assertClosed(h, "2026-06-13T12:00:00Z", "2026-06-13T23:00:00Z");
    }
  }

  @Nested
  class Exceptions {
    final OpeningHours shop =
        hours(
            every(EnumSet.allOf(DayOfWeek.class), "08:00", "20:00"),
            closed("2026-12-25"),
            special("2026-12-24", "08:00", "14:00"));

    @Test
    void aClosedDateOverridesTheWeek() {
      // Christmas Day 2026 is a Friday; GMT
      assertClosed(shop, "2026-12-25T12:00:00Z", "2026-12-26T08:00:00Z");
    }

    @Test
    void specialHoursOverrideTheWeek() {
      assertOpen(shop, "2026-12-24T09:00:00Z", "2026-12-24T14:00:00Z");
      assertClosed(shop, "2026-12-24T15:00:00Z", "2026-12-26T08:00:00Z");
    }

    @Test
    void severalRangesOnAnExceptionDate() {
      OpeningHours h =
          hours(
              every(EnumSet.allOf(DayOfWeek.class), "08:00", "20:00"),
              special("2026-12-24", "08:00", "12:00"),
              special("2026-12-24", "18:00", "23:00"));
      assertClosed(h, "2026-12-24T13:00:00Z", "2026-12-24T18:00:00Z");
      assertOpen(h, "2026-12-24T19:00:00Z", "2026-12-24T23:00:00Z");
    }

    @Test
    void anOvernightSessionRunsIntoADayWithAnException() {
      // Friday 22:00-03:00; Saturday 13 June is closed: Friday's session still runs to 03:00
      // Saturday
      OpeningHours h =
          hours(
              List.of(
                  w(DayOfWeek.FRIDAY, "22:00", "03:00"), w(DayOfWeek.SATURDAY, "22:00", "03:00")),
              closed("2026-06-13"));
      assertOpen(h, "2026-06-13T01:00:00Z", "2026-06-13T02:00:00Z");
      // but Saturday's own session is gone: next is the following Friday
      assertClosed(h, "2026-06-13T21:30:00Z", "2026-06-19T21:00:00Z");
    }

    @Test
    void anOvernightSpecialRunsPastMidnight() {
      OpeningHours h =
          hours(
              every(EnumSet.allOf(DayOfWeek.class), "09:00", "17:00"),
              special("2026-12-31", "20:00", "02:00"));
      assertOpen(h, "2027-01-01T01:00:00Z", "2027-01-01T02:00:00Z");
    }

    @Test
    void anExceptionOnADayTheWeekIsClosedOpensIt() {
      OpeningHours h =
          hours(
              every(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "09:00", "17:00"),
              special("2026-06-13", "10:00", "14:00"));
      assertClosed(h, "2026-06-12T18:00:00Z", "2026-06-13T09:00:00Z");
    }
  }

  @Nested
  class TemporaryClosure {
    final List<OpeningHours.Weekly> daily = every(EnumSet.allOf(DayOfWeek.class), "09:00", "17:00");

    @Test
    void closedUntilTheClosureEnds() {
      OpeningHours h =
          new OpeningHours(
              daily,
              List.of(),
              new OpeningHours.Closure(
                  "flood", LocalDate.parse("2026-06-01"), LocalDate.parse("2026-06-20")));
      assertClosed(h, "2026-06-10T10:00:00Z", "2026-06-21T08:00:00Z");
    }

    @Test
    void openEndedClosureNeverOpens() {
      OpeningHours h =
          new OpeningHours(
              daily, List.of(), new OpeningHours.Closure("until further notice", null, null));
      assertClosed(h, "2026-06-10T10:00:00Z", null);
    }

    @Test
    void aClosureStartingTomorrowIsTheNextClose() {
      OpeningHours h =
          new OpeningHours(
              every(EnumSet.allOf(DayOfWeek.class), "00:00", "24:00"),
              List.of(),
              new OpeningHours.Closure(
                  "works", LocalDate.parse("2026-06-11"), LocalDate.parse("2026-06-11")));
      assertOpen(h, "2026-06-10T10:00:00Z", "2026-06-10T23:00:00Z");
      assertClosed(h, "2026-06-11T10:00:00Z", "2026-06-11T23:00:00Z");
    }

    @Test
    void opensAtFarAheadIsFound() {
      OpeningHours h =
          new OpeningHours(
              daily,
              List.of(),
              new OpeningHours.Closure("refit", null, LocalDate.parse("2026-09-30")));
      assertClosed(h, "2026-06-10T10:00:00Z", "2026-10-01T08:00:00Z");
    }
  }
}
