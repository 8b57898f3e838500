package uk.gov.islington.youthsafety.content.events;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.WeekDay;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * The series an editor can build from a form: every week on some days, for a number of sessions,
 * until a date, or with no end. The RRULE is written by ical4j, never by hand. {@link #read}
 * answers only a rule that building it again gives back exactly, so that a form never rewrites a
 * rule it cannot show (those stay as they are, read-only).
 *
 * @param days in the order the rule names them
 * @param count the number of sessions, when the series ends after a count (else null)
 * @param until the last London date, when the series ends on a date (else null)
 */
public record WeeklyRule(List<DayOfWeek> days, Integer count, LocalDate until) {

  public WeeklyRule {
    days = List.copyOf(days);
    if (count != null && until != null) {
      throw new IllegalArgumentException("a series ends after a count or on a date, not both");
    }
  }

  /** Every week on {@code days} from {@code first} for {@code weeks} weeks: until the last day. */
  public static WeeklyRule forWeeks(List<DayOfWeek> days, LocalDate first, int weeks) {
    return new WeeklyRule(days, null, first.plusWeeks(weeks).minusDays(1));
  }

  /** The RRULE value, as the service stores it (UNTIL as a London date is made UTC). */
  public String rrule() {
    List<WeekDay> byDay = days.stream().map(WeekDay::getWeekDay).toList();
    String raw;
    if (until != null) {
      raw =
          new Recur.Builder<LocalDate>()
              .frequency(Frequency.WEEKLY)
              .dayList(byDay)
              .until(until)
              .build()
              .toString();
    } else {
      Recur.Builder<ZonedDateTime> b =
          new Recur.Builder<ZonedDateTime>().frequency(Frequency.WEEKLY).dayList(byDay);
      if (count != null) {
        b.count(count);
      }
      raw = b.build().toString();
    }
    return Recurrence.parse(raw, "recurrence").value();
  }

  /**
   * The rule as a form shows it, or empty when the form cannot (another frequency, an interval,
   * BYMONTH..., a time of day in UNTIL, or anything else that would not come back the same).
   */
  public static Optional<WeeklyRule> read(String rrule) {
    if (rrule == null) {
      return Optional.empty();
    }
    String stored;
    Recur<ZonedDateTime> recur;
    try {
      stored = Recurrence.parse(rrule, "recurrence").value();
      recur = new Recur<>(stored);
    } catch (RuntimeException e) { // InvalidInput, or ical4j refusing it
      return Optional.empty();
    }
    if (recur.getFrequency() != Frequency.WEEKLY || recur.getDayList().isEmpty()) {
      return Optional.empty();
    }
    List<DayOfWeek> days = new ArrayList<>();
    for (WeekDay d : recur.getDayList()) {
      if (d.getOffset() != 0) {
        return Optional.empty();
      }
      days.add(WeekDay.getDayOfWeek(d));
    }
    Integer count = recur.getCount() > 0 ? recur.getCount() : null;
    LocalDate until = null;
    if (recur.getUntil() != null) {
      Object u = recur.getUntil();
      if (!(u instanceof TemporalAccessor t) || !t.isSupported(ChronoField.INSTANT_SECONDS)) {
        return Optional.empty();
      }
      until = Instant.from(t).atZone(Recurrence.LONDON).toLocalDate();
    }
    WeeklyRule candidate;
    try {
      candidate = new WeeklyRule(days, count, until);
      return candidate.rrule().equals(stored) ? Optional.of(candidate) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
