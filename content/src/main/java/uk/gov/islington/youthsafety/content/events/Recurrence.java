package uk.gov.islington.youthsafety.content.events;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * An RFC 5545 RRULE, parsed and expanded by ical4j (never by hand), in Europe/London.
 *
 * <p>Expansion works on {@link ZonedDateTime}s in Europe/London, so a weekly 15:00 session stays at
 * 15:00 London time across the October and March clock changes (its UTC time moves).
 *
 * <p>The subset we accept, and why:
 *
 * <ul>
 *   <li>{@code FREQ} is DAILY, WEEKLY, MONTHLY or YEARLY, without BYHOUR/BYMINUTE/BYSECOND: the
 *       time of day comes from {@code startsAt}, and a series has at most one occurrence a day, so
 *       an occurrence is named by its London date (exdates, cancellations).
 *   <li>{@code COUNT} (at most {@value #MAX_COUNT}) or {@code UNTIL}, not both (RFC 5545 forbids
 *       both). Neither is allowed too: a weekly youth hub may run until further notice. Expansion
 *       is always bounded by the window asked for, never by the rule.
 *   <li>{@code UNTIL} may be a date ({@code 20251110}: that whole London day included) or a local
 *       date-time; both are normalised to the UTC form RFC 5545 requires with a zoned DTSTART.
 * </ul>
 */
public final class Recurrence {

  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  public static final int MAX_COUNT = 1000;
  public static final int MAX_INTERVAL = 1000;

  private static final Set<Frequency> FREQUENCIES =
      Set.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY);
  private static final Pattern UNTIL = Pattern.compile("(^|;)UNTIL=([^;]*)");
  private static final DateTimeFormatter BASIC_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
  private static final DateTimeFormatter BASIC_LOCAL =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);
  private static final DateTimeFormatter BASIC_UTC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  static final String EXAMPLE = "e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=30";

  private final String value;

  private Recurrence(String value) {
    this.value = value;
  }

  /**
   * Parses, checks and normalises an RRULE value (an optional {@code RRULE:} prefix is dropped).
   *
   * @throws InvalidInput naming {@code field} when ical4j cannot parse it or it is outside the
   *     subset
   */
  public static Recurrence parse(String raw, String field) {
    String text = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
    if (text.startsWith("RRULE:")) {
      text = text.substring("RRULE:".length());
    }
    if (text.isEmpty()) {
      throw InvalidInput.of(field, "must be an RFC 5545 RRULE value, " + EXAMPLE);
    }
    Recur<ZonedDateTime> recur;
    try {
      recur = new Recur<>(normaliseUntil(text));
    } catch (RuntimeException e) {
      throw InvalidInput.of(field, "is not a valid RFC 5545 RRULE value (" + EXAMPLE + ")");
    }
    if (!FREQUENCIES.contains(recur.getFrequency())) {
      throw InvalidInput.of(field, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
    }
    if (!recur.getHourList().isEmpty()
        || !recur.getMinuteList().isEmpty()
        || !recur.getSecondList().isEmpty()) {
      throw InvalidInput.of(
          field,
          "BYHOUR, BYMINUTE and BYSECOND are not supported: the time of day comes from startsAt");
    }
    boolean hasCount = text.matches("(^|.*;)COUNT=.*");
    if (hasCount && recur.getUntil() != null) {
      throw InvalidInput.of(field, "must not have both COUNT and UNTIL");
    }
    if (hasCount && (recur.getCount() < 1 || recur.getCount() > MAX_COUNT)) {
      throw InvalidInput.of(field, "COUNT must be between 1 and " + MAX_COUNT);
    }
    if (text.matches("(^|.*;)INTERVAL=.*")
        && (recur.getInterval() < 1 || recur.getInterval() > MAX_INTERVAL)) {
      throw InvalidInput.of(field, "INTERVAL must be between 1 and " + MAX_INTERVAL);
    }
    return new Recurrence(recur.toString());
  }

  /** UNTIL as a date or a local date-time means London; RFC 5545 wants UTC with a zoned DTSTART. */
  private static String normaliseUntil(String text) {
    Matcher m = UNTIL.matcher(text);
    if (!m.find()) {
      return text;
    }
    String until = m.group(2);
    String utc;
    if (until.matches("\\d{8}")) {
      LocalDate day = LocalDate.parse(until, BASIC_DATE);
      utc =
          BASIC_UTC.format(
              day.atTime(23, 59, 59).atZone(LONDON).withZoneSameInstant(ZoneOffset.UTC));
    } else if (until.matches("\\d{8}T\\d{6}")) {
      utc =
          BASIC_UTC.format(
              LocalDateTime.parse(until, BASIC_LOCAL)
                  .atZone(LONDON)
                  .withZoneSameInstant(ZoneOffset.UTC));
    } else {
      return text;
    }
    return text.substring(0, m.start(2)) + utc + text.substring(m.end(2));
  }

  /** The normalised RRULE value, as stored and published. */
  public String value() {
    return value;
  }

  private Recur<ZonedDateTime> recur() {
    // a fresh instance per use: cheap, and nothing is shared between threads
    return new Recur<>(value);
  }

  public boolean bounded() {
    Recur<ZonedDateTime> r = recur();
    return r.getCount() > 0 || r.getUntil() != null;
  }

  /**
   * Starts of the occurrences of the series that begins at {@code seed}, from {@code from} to
   * {@code to} (both inclusive), in order. Exdates are the caller's business.
   */
  public List<ZonedDateTime> starts(ZonedDateTime seed, ZonedDateTime from, ZonedDateTime to) {
    if (to.isBefore(from)) {
      return List.of();
    }
    return recur()
        .getDates(
            seed.withZoneSameInstant(LONDON),
            from.withZoneSameInstant(LONDON),
            to.withZoneSameInstant(LONDON));
  }

  /** The start of the occurrence on this London date, or null when the series has none that day. */
  public ZonedDateTime startOn(ZonedDateTime seed, LocalDate date) {
    ZonedDateTime dayStart = date.atStartOfDay(LONDON);
    ZonedDateTime dayEnd = date.plusDays(1).atStartOfDay(LONDON).minusSeconds(1);
    List<ZonedDateTime> starts = starts(seed, dayStart, dayEnd);
    return starts.isEmpty() ? null : starts.get(0);
  }

  /**
   * The end of the last occurrence, for choosing which events can touch a window: exact for COUNT,
   * an upper bound for UNTIL, null for an open-ended series.
   */
  public Instant seriesEnd(ZonedDateTime seed, Duration duration) {
    Recur<ZonedDateTime> r = recur();
    if (r.getCount() > 0) {
      List<ZonedDateTime> all = r.getDates(seed, seed, seed.plusYears(200));
      if (all.size() < r.getCount()) {
        return null;
      }
      return all.get(all.size() - 1).toInstant().plus(duration);
    }
    if (r.getUntil() != null) {
      Instant until = untilInstant(r.getUntil());
      return until == null ? null : until.plus(duration);
    }
    return null;
  }

  private static Instant untilInstant(Object until) {
    if (until instanceof java.time.temporal.TemporalAccessor t
        && t.isSupported(java.time.temporal.ChronoField.INSTANT_SECONDS)) {
      return Instant.from(t);
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
