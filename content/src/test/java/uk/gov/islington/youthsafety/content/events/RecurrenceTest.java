package uk.gov.islington.youthsafety.content.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/** RRULE parsing and expansion through ical4j, in Europe/London. */
class RecurrenceTest {

  private static ZonedDateTime london(String localDateTime) {
    return java.time.LocalDateTime.parse(localDateTime).atZone(Recurrence.LONDON);
  }

  @Test
  void weeklySessionStaysAtThreeInTheAfternoonAcrossTheOctoberChange() {
    ZonedDateTime seed = london("2025-10-13T15:00");
    List<ZonedDateTime> starts =
        Recurrence.parse("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12", "recurrence")
            .starts(seed, seed, seed.plusDays(60));
    assertThat(starts).hasSize(12);
    assertThat(starts).allSatisfy(s -> assertThat(s.toLocalTime()).isEqualTo(LocalTime.of(15, 0)));
    // BST (UTC+1) until Sunday 26 October 2025, GMT after
    assertThat(starts.get(5).toLocalDate()).isEqualTo(LocalDate.of(2025, 10, 24));
    assertThat(starts.get(5).withZoneSameInstant(ZoneOffset.UTC).getHour()).isEqualTo(14);
    assertThat(starts.get(6).toLocalDate()).isEqualTo(LocalDate.of(2025, 10, 27));
    assertThat(starts.get(6).withZoneSameInstant(ZoneOffset.UTC).getHour()).isEqualTo(15);
  }

  @Test
  void weeklySessionStaysAtThreeInTheAfternoonAcrossTheMarchChange() {
    ZonedDateTime seed = london("2026-03-16T15:00");
    List<ZonedDateTime> starts =
        Recurrence.parse("FREQ=WEEKLY", "recurrence").starts(seed, seed, seed.plusWeeks(3));
    assertThat(starts)
        .extracting(s -> s.toLocalDate().toString())
        .containsExactly("2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06");
    assertThat(starts).allSatisfy(s -> assertThat(s.toLocalTime()).isEqualTo(LocalTime.of(15, 0)));
    // GMT until Sunday 29 March 2026, BST after
    assertThat(starts.get(1).withZoneSameInstant(ZoneOffset.UTC).getHour()).isEqualTo(15);
    assertThat(starts.get(2).withZoneSameInstant(ZoneOffset.UTC).getHour()).isEqualTo(14);
  }

  @Test
  void aWindowLaterThanTheFirstOccurrenceOfAnOpenSeries() {
    ZonedDateTime seed = london("2020-01-07T16:00");
    ZonedDateTime from = london("2025-10-27T00:00");
    List<ZonedDateTime> starts =
        Recurrence.parse("FREQ=WEEKLY;BYDAY=TU,TH", "recurrence")
            .starts(seed, from, from.plusDays(7));
    assertThat(starts)
        .extracting(s -> s.toLocalDate().toString())
        .containsExactly("2025-10-28", "2025-10-30");
  }

  @Test
  void untilAsADateIncludesThatLondonDayAndIsPublishedInUtc() {
    Recurrence r = Recurrence.parse("FREQ=WEEKLY;BYDAY=MO;UNTIL=20250707", "recurrence");
    assertThat(r.value()).contains("UNTIL=20250707T225959Z");
    ZonedDateTime seed = london("2025-06-23T20:00");
    assertThat(r.starts(seed, seed, seed.plusYears(1)))
        .extracting(s -> s.toLocalDate().toString())
        .containsExactly("2025-06-23", "2025-06-30", "2025-07-07");
  }

  @Test
  void untilAsALocalTimeMeansLondon() {
    assertThat(Recurrence.parse("freq=daily;until=20250801T120000", "recurrence").value())
        .isEqualTo("FREQ=DAILY;UNTIL=20250801T110000Z");
    assertThat(Recurrence.parse("RRULE:FREQ=DAILY;UNTIL=20251201T120000Z", "recurrence").value())
        .isEqualTo("FREQ=DAILY;UNTIL=20251201T120000Z");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "WEEKLY",
        "FREQ=FORTNIGHTLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;COUNT=abc",
        "FREQ=WEEKLY;FOO=1",
        "FREQ=HOURLY",
        "FREQ=MINUTELY;COUNT=3",
        "FREQ=DAILY;BYHOUR=9,17",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20251110T000000Z",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;COUNT=5000",
        "FREQ=DAILY;INTERVAL=0",
        "BYDAY=MO;COUNT=3"
      })
  void badRulesAreRefusedNamingTheField(String rule) {
    assertThatThrownBy(() -> Recurrence.parse(rule, "recurrence"))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> {
              assertThat(e.errors()).hasSize(1);
              assertThat(e.errors().get(0).field()).isEqualTo("recurrence");
              assertThat(e.errors().get(0).message())
                  .doesNotContain("net.fortuna")
                  .doesNotContain("Exception");
            });
  }

  @Test
  void seriesEndIsExactForCountBoundedForUntilAndOpenOtherwise() {
    ZonedDateTime seed = london("2025-10-13T15:00");
    Duration three = Duration.ofHours(3);
    assertThat(Recurrence.parse("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12", "r").seriesEnd(seed, three))
        .isEqualTo(london("2025-11-07T18:00").toInstant());
    assertThat(Recurrence.parse("FREQ=WEEKLY;UNTIL=20251110", "r").seriesEnd(seed, three))
        .isEqualTo(london("2025-11-10T23:59:59").toInstant().plus(three));
    assertThat(Recurrence.parse("FREQ=WEEKLY", "r").seriesEnd(seed, three)).isNull();
    assertThat(Recurrence.parse("FREQ=WEEKLY", "r").bounded()).isFalse();
  }

  @Test
  void occurrencesAreNamedByTheirLondonDate() {
    ZonedDateTime seed = london("2025-10-13T15:00");
    Recurrence r = Recurrence.parse("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12", "r");
    assertThat(r.startOn(seed, LocalDate.of(2025, 10, 27))).isEqualTo(london("2025-10-27T15:00"));
    assertThat(r.startOn(seed, LocalDate.of(2025, 10, 28))).isNull();
    assertThat(r.startOn(seed, LocalDate.of(2025, 12, 1))).as("after COUNT runs out").isNull();
  }
}
