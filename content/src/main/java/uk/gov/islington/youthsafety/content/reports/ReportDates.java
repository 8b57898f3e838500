package uk.gov.islington.youthsafety.content.reports;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** Reports know days, not times: the day in Islington, from the injected clock. */
public final class ReportDates {

  static final ZoneId LONDON = ZoneId.of("Europe/London");

  private ReportDates() {}

  public static LocalDate today(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), LONDON);
  }
}
