package uk.gov.islington.youthsafety.content.hours;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

  @Nested
  class OrdinaryWeek {
    // Wednesday 10 June 2026 (BST, UTC+1)
    final OpeningHours weekdays =
        hours(every(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "09:00", "17:30"));

    @Test
    void openDuringTheRangeWithTheCloseAsNextChange() {
      assertOpen(weekdays, "2026-06-10T08:00:00Z", "2026-06-10T16:30:00Z");
    }

    @Test
    void openingIsInclusiveAndClosingExclusive() {
      assertOpen(weekdays, "2026-06-10T08:00:00Z", "2026-06-10T16:30:00Z");
      assertClosed(weekdays, "2026-06-10T16:30:00Z", "2026-06-11T08:00:00Z");
      assertClosed(weekdays, "2026-06-10T07:59:59Z", "2026-06-10T08:00:00Z");
    }

    @Test
    void closedAllDayAtTheWeekendOpensOnMonday() {
      assertClosed(weekdays, "2026-06-13T12:00:00Z", "2026-06-15T08:00:00Z");
      assertClosed(weekdays, "2026-06-12T18:00:00Z", "2026-06-15T08:00:00Z");
    }

    @Test
    void severalRangesOnOneDay() {
      OpeningHours split =
          hours(
              List.of(
                  w(DayOfWeek.WEDNESDAY, "09:00", "13:00"),
                  w(DayOfWeek.WEDNESDAY, "14:00", "17:00")));
      assertOpen(split, "2026-06-10T09:00:00Z", "2026-06-10T12:00:00Z");
      assertClosed(split, "2026-06-10T12:30:00Z", "2026-06-10T13:00:00Z");
      assertOpen(split, "2026-06-10T13:00:00Z", "2026-06-10T16:00:00Z");
      // the next Wednesday
      assertClosed(split, "2026-06-10T16:00:00Z", "2026-06-17T08:00:00Z");
    }

    @Test
    void neverOpenHasNoOpensAt() {
      assertClosed(OpeningHours.alwaysClosed(), "2026-06-10T10:00:00Z", null);
    }
  }

  @Nested
  class Overnight {
    // Friday and Saturday 22:00 to 03:00 the next morning
    final OpeningHours late =
        hours(
            List.of(
                w(DayOfWeek.FRIDAY, "22:00", "03:00"), w(DayOfWeek.SATURDAY, "22:00", "03:00")));

    @Test
    void openPastMidnightOnTheNextCalendarDay() {
      // Saturday 13 June 01:00 BST is Friday's session
      assertOpen(late, "2026-06-13T00:00:00Z", "2026-06-13T02:00:00Z");
      assertClosed(late, "2026-06-13T02:00:00Z", "2026-06-13T21:00:00Z");
    }

    @Test
    void beforeTheSessionOpens() {
      assertClosed(late, "2026-06-12T20:00:00Z", "2026-06-12T21:00:00Z");
    }

    @Test
    void saturdayNightRunsIntoSundayAndThenTheWeekIsClosed() {
      assertOpen(late, "2026-06-14T01:30:00Z", "2026-06-14T02:00:00Z");
      assertClosed(late, "2026-06-14T02:00:00Z", "2026-06-19T21:00:00Z");
    }

    @Test
    void sundayNightWrapsIntoMonday() {
      OpeningHours sunday = hours(List.of(w(DayOfWeek.SUNDAY, "20:00", "02:00")));
      // Monday 15 June 00:30 BST
      assertOpen(sunday, "2026-06-14T23:30:00Z", "2026-06-15T01:00:00Z");
    }

    @Test
    void closingAtMidnightWrittenAs0000OrAs2400IsTheSame() {
      OpeningHours a = hours(List.of(w(DayOfWeek.WEDNESDAY, "18:00", "00:00")));
      OpeningHours b = hours(List.of(w(DayOfWeek.WEDNESDAY, "18:00", "24:00")));
      assertOpen(a, "2026-06-10T22:00:00Z", "2026-06-10T23:00:00Z");
      assertOpen(b, "2026-06-10T22:00:00Z", "2026-06-10T23:00:00Z");
    }
  }

  @Nested
  class AllDay {
    @Test
    void openAroundTheClockHasNoClosingTime() {
      OpeningHours always = hours(every(EnumSet.allOf(DayOfWeek.class), "00:00", "24:00"));
      assertOpen(always, "2026-06-10T03:00:00Z", null);
      assertOpen(always, "2026-03-29T01:30:00Z", null);
      assertOpen(always, "2026-10-25T01:30:00Z", null);
    }

    @Test
    void touchingDaysMergeIntoOneOpenPeriod() {
      OpeningHours h =
          hours(
              List.of(
                  w(DayOfWeek.WEDNESDAY, "00:00", "24:00"),
                  w(DayOfWeek.THURSDAY, "00:00", "12:00")));
      // open through Wednesday midnight, closing Thursday 12:00 BST
      assertOpen(h, "2026-06-10T10:00:00Z", "2026-06-11T11:00:00Z");
    }

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

  @Nested
  class SpringForward {
    // Sunday 29 March 2026: at 01:00 UTC the clocks jump from 01:00 GMT to 02:00 BST

    @Test
    void aCloseInsideTheMissingHourIsTheMomentTheClocksJump() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "00:00", "01:30")));
      assertOpen(h, "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z");
      assertClosed(h, "2026-03-29T01:00:00Z", "2026-04-04T23:00:00Z" /* 00:00 BST on 5 April */);
    }

    @Test
    void anOpeningInsideTheMissingHourIsTheMomentTheClocksJump() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "01:30", "03:00")));
      assertClosed(h, "2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z");
      assertOpen(h, "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z");
    }

    @Test
    void anOvernightSessionAcrossTheChangeIsAnHourShorter() {
      // Saturday 22:00 GMT to Sunday 04:00 BST = 22:00Z to 03:00Z: five hours, not six
      OpeningHours h = hours(List.of(w(DayOfWeek.SATURDAY, "22:00", "04:00")));
      assertOpen(h, "2026-03-28T22:00:00Z", "2026-03-29T03:00:00Z");
      assertOpen(h, "2026-03-29T02:59:59Z", "2026-03-29T03:00:00Z");
      assertClosed(h, "2026-03-29T03:00:00Z", "2026-04-04T21:00:00Z");
    }

    @Test
    void theWholeDayIs23Hours() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "00:00", "24:00")));
      assertOpen(h, "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z");
      assertOpen(h, "2026-03-29T22:59:00Z", "2026-03-29T23:00:00Z");
      assertClosed(h, "2026-03-29T23:00:00Z", "2026-04-04T23:00:00Z");
    }

    @Test
    void aRangeEntirelyInsideTheMissingHourDoesNotHappen() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "01:10", "01:50")));
      assertClosed(h, "2026-03-29T00:30:00Z", "2026-04-05T00:10:00Z");
    }

    @Test
    void morningHoursAfterTheChangeAreInSummerTime() {
      OpeningHours h = hours(every(EnumSet.allOf(DayOfWeek.class), "09:00", "17:00"));
      assertClosed(h, "2026-03-28T18:00:00Z", "2026-03-29T08:00:00Z");
      assertOpen(h, "2026-03-29T08:00:00Z", "2026-03-29T16:00:00Z");
    }
  }

  @Nested
  class FallBack {
    // Sunday 25 October 2026: at 01:00 UTC the clocks go back from 02:00 BST to 01:00 GMT,
    // so 01:00-01:59 happens twice (first BST, 00:00-00:59 UTC; then GMT, 01:00-01:59 UTC)

    @Test
    void aCloseInTheRepeatedHourIsItsFirstOccurrence() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "00:30", "01:30")));
      // opens 00:30 BST = 23:30 UTC on Saturday, closes at the first 01:30 (BST) = 00:30 UTC
      assertOpen(h, "2026-10-24T23:45:00Z", "2026-10-25T00:30:00Z");
      // the repeated 01:15 (GMT) is after the close
      assertClosed(h, "2026-10-25T01:15:00Z", "2026-11-01T00:30:00Z");
    }

    @Test
    void anOpeningInTheRepeatedHourIsItsFirstOccurrenceAndTheSessionSpansBoth() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "01:00", "03:00")));
      assertClosed(h, "2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z");
      // 01:30 the second time round (GMT) is inside: 01:00 BST to 03:00 GMT is three real hours
      assertOpen(h, "2026-10-25T01:30:00Z", "2026-10-25T03:00:00Z");
    }

    @Test
    void anOvernightSessionAcrossTheChangeIsAnHourLonger() {
      // Saturday 22:00 BST to Sunday 02:00 GMT = 21:00Z to 02:00Z: five hours, not four
      OpeningHours h = hours(List.of(w(DayOfWeek.SATURDAY, "22:00", "02:00")));
      assertOpen(h, "2026-10-24T21:00:00Z", "2026-10-25T02:00:00Z");
      assertOpen(h, "2026-10-25T01:59:00Z", "2026-10-25T02:00:00Z");
      assertClosed(h, "2026-10-25T02:00:00Z", "2026-10-31T22:00:00Z");
    }

    @Test
    void theWholeDayIs25Hours() {
      OpeningHours h = hours(List.of(w(DayOfWeek.SUNDAY, "00:00", "24:00")));
      assertOpen(h, "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z");
      assertOpen(h, "2026-10-25T23:59:00Z", "2026-10-26T00:00:00Z");
    }

    @Test
    void eveningHoursAfterTheChangeAreInWinterTime() {
      OpeningHours h = hours(every(EnumSet.allOf(DayOfWeek.class), "09:00", "17:00"));
      assertOpen(h, "2026-10-25T12:00:00Z", "2026-10-25T17:00:00Z");
      assertClosed(h, "2026-10-24T16:30:00Z", "2026-10-25T09:00:00Z");
    }
  }
}
