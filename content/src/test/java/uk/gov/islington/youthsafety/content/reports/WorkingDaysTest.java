package uk.gov.islington.youthsafety.content.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Working days of England and Wales from gov.uk's data, and the triage target counted in them. */
class WorkingDaysTest {

  private final WorkingDays days = WorkingDays.bundled();

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  @Test
  void theBundledDataKnowsTheBankHolidaysAndWhereItEnds() {
    assertThat(days.isWorkingDay(d("2026-12-25"))).isFalse();
    assertThat(days.isWorkingDay(d("2026-12-28"))).as("Boxing Day's substitute").isFalse();
    assertThat(days.isWorkingDay(d("2027-03-26"))).as("Good Friday").isFalse();
    assertThat(days.isWorkingDay(d("2026-12-05"))).as("a Saturday").isFalse();
    assertThat(days.isWorkingDay(d("2026-12-07"))).isTrue();
    assertThat(days.knownUntil()).isAfterOrEqualTo(d("2028-12-31"));
  }

  @Test
  void aTargetOfOneWorkingDayEndsWithTheNextWorkingDay() {
    assertThat(days.dueOn(d("2026-12-07"), 1))
        .as("Monday: by the end of Tuesday")
        .isEqualTo(d("2026-12-08"));
    assertThat(days.dueOn(d("2026-12-04"), 1))
        .as("Friday: by the end of Monday")
        .isEqualTo(d("2026-12-07"));
    assertThat(days.dueOn(d("2026-12-05"), 1))
        .as("Saturday: by the end of Monday")
        .isEqualTo(d("2026-12-07"));
    assertThat(days.dueOn(d("2026-12-24"), 1)).as("Christmas Eve").isEqualTo(d("2026-12-29"));
    assertThat(days.dueOn(d("2027-03-25"), 1)).as("before Easter").isEqualTo(d("2027-03-30"));
    assertThat(days.dueOn(d("2026-12-07"), 3)).isEqualTo(d("2026-12-10"));
  }

  @Test
  void whatIsOverdueTodayIsEverythingThatArrivedOnOrBeforeOneDay() {
    // on Wednesday 30 December everything from Christmas Eve or before is overdue, not from the
    // 29th
    assertThat(days.overdueUpTo(d("2026-12-30"), 1)).isEqualTo(d("2026-12-28"));
    assertThat(days.dueOn(d("2026-12-28"), 1)).isBefore(d("2026-12-30"));
    assertThat(days.dueOn(d("2026-12-29"), 1)).isEqualTo(d("2026-12-30"));
    // on a Monday: Friday's reports are due today, Thursday's are overdue
    assertThat(days.overdueUpTo(d("2026-12-07"), 1)).isEqualTo(d("2026-12-03"));
    for (LocalDate today = d("2026-11-01");
        today.isBefore(d("2027-02-01"));
        today = today.plusDays(1)) {
      LocalDate upTo = days.overdueUpTo(today, 1);
      assertThat(days.dueOn(upTo, 1)).isBefore(today);
      assertThat(days.dueOn(upTo.plusDays(1), 1)).isAfterOrEqualTo(today);
    }
  }

  @Test
  void govUksWholeFileOrOneDivisionIsRead() {
    String division =
        "{\"division\":\"england-and-wales\",\"events\":[{\"title\":\"Christmas Day\","
            + "\"date\":\"2030-12-25\",\"notes\":\"\",\"bunting\":true}]}";
    WorkingDays one = WorkingDays.parse(division);
    assertThat(one.isWorkingDay(d("2030-12-25"))).isFalse();
    assertThat(one.knownUntil()).isEqualTo(d("2030-12-31"));
    WorkingDays whole =
        WorkingDays.parse("{\"scotland\":{\"events\":[]},\"england-and-wales\":" + division + "}");
    assertThat(whole.holidays()).containsExactly(d("2030-12-25"));
  }

  @Test
  void anythingElseIsRefused() {
    for (String bad :
        new String[] {
          "",
          "[]",
          "{}",
          "{\"events\": []}",
          "{\"events\": [{\"date\": \"25/12/2030\"}]}",
          "{\"events\": [{\"title\": \"no date\"}]}",
          "{\"events\": [42]}"
        }) {
      assertThatThrownBy(() -> WorkingDays.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
