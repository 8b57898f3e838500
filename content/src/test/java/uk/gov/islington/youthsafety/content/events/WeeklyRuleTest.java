package uk.gov.islington.youthsafety.content.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The editors' weekly builder: ical4j writes the rule, and only rules it gives back are read. */
class WeeklyRuleTest {

  private static final List<DayOfWeek> MON_WED_FRI =
      List.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);

  @Test
  void tenWeeksFromAMondayEndOnTheLastFridayLondonTime() {
    WeeklyRule rule = WeeklyRule.forWeeks(MON_WED_FRI, LocalDate.of(2027, 1, 4), 10);
    // 23:59:59 on Sunday 14 March 2027, London (GMT) = UTC
    assertThat(rule.rrule()).isEqualTo("FREQ=WEEKLY;UNTIL=20270314T235959Z;BYDAY=MO,WE,FR");
    List<java.time.ZonedDateTime> starts =
        Recurrence.parse(rule.rrule(), "recurrence")
            .starts(
                LocalDate.of(2027, 1, 4).atTime(15, 0).atZone(Recurrence.LONDON),
                LocalDate.of(2027, 1, 1).atStartOfDay(Recurrence.LONDON),
                LocalDate.of(2028, 1, 1).atStartOfDay(Recurrence.LONDON));
    assertThat(starts).hasSize(30);
    assertThat(WeeklyRule.read(rule.rrule())).contains(rule);
  }

  @Test
  void countsAndOpenEndedSeriesComeBackTheSame() {
    WeeklyRule counted = new WeeklyRule(MON_WED_FRI, 30, null);
    assertThat(counted.rrule()).isEqualTo("FREQ=WEEKLY;COUNT=30;BYDAY=MO,WE,FR");
    assertThat(WeeklyRule.read(counted.rrule())).contains(counted);
    WeeklyRule open = new WeeklyRule(List.of(DayOfWeek.THURSDAY), null, null);
    assertThat(WeeklyRule.read(open.rrule())).contains(open);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FREQ=MONTHLY;BYDAY=1MO;COUNT=6",
        "FREQ=WEEKLY;COUNT=10",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "FREQ=DAILY;COUNT=5",
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270301T120000",
        "not a rule"
      })
  void rulesTheFormCannotShowAreNotRead(String rule) {
    assertThat(WeeklyRule.read(rule)).isEmpty();
  }
}
