package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The council's working days: Monday to Friday, except the bank holidays of England and Wales,
 * which are data (the format of https://www.gov.uk/bank-holidays.json, a copy bundled; an operator
 * points {@code REPORT_BANK_HOLIDAYS_FILE} at a newer download). Days, not times, as reports keep.
 *
 * @param holidays the bank holidays
 * @param knownUntil the last day the data covers (31 December of its last year): after it, only
 *     weekends count as days off, and the service warns
 */
public record WorkingDays(Set<LocalDate> holidays, LocalDate knownUntil) {

  private static final String BUNDLED = "/reports/bank-holidays.json";
  private static final String DIVISION = "england-and-wales";

  public WorkingDays {
    holidays = Set.copyOf(holidays);
  }

  /** The bundled copy of gov.uk's data. */
  public static WorkingDays bundled() {
    try (InputStream in = WorkingDays.class.getResourceAsStream(BUNDLED)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A download of gov.uk's bank-holidays.json (all divisions, or England and Wales alone). */
  public static WorkingDays fromFile(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  static WorkingDays parse(String json) {
    try {
      JsonObject root = new JsonObject(json);
      JsonObject division = root.containsKey(DIVISION) ? root.getJsonObject(DIVISION) : root;
      JsonArray events = division.getJsonArray("events");
      if (events == null || events.isEmpty()) {
        throw new IllegalArgumentException("has no bank holidays for England and Wales");
      }
      Set<LocalDate> days = new TreeSet<>();
      for (Object e : events) {
        days.add(LocalDate.parse(((JsonObject) e).getString("date")));
      }
      LocalDate last = ((TreeSet<LocalDate>) days).last();
      return new WorkingDays(days, LocalDate.of(last.getYear(), 12, 31));
    } catch (DecodeException
        | ClassCastException
        | NullPointerException
        | DateTimeParseException e) {
      throw new IllegalArgumentException("is not gov.uk's bank-holidays.json format");
    }
  }

  public boolean isWorkingDay(LocalDate day) {
    return day.getDayOfWeek() != DayOfWeek.SATURDAY
        && day.getDayOfWeek() != DayOfWeek.SUNDAY
        && !holidays.contains(day);
  }

  /**
   * The day by whose end something that arrived on {@code arrived} must have been done, given
   * {@code target} working days: the target-th working day after the day it arrived (a report from
   * Friday or Saturday is due by the end of Monday, one from Christmas Eve 2026 by the end of the
   * following Tuesday).
   */
  public LocalDate dueOn(LocalDate arrived, int target) {
    LocalDate day = arrived;
    for (int left = target; left > 0; ) {
      day = day.plusDays(1);
      if (isWorkingDay(day)) {
        left--;
      }
    }
    return day;
  }

  /**
   * The latest arrival day that is overdue on {@code today}: everything that arrived on it or
   * before and is still waiting has missed the target (due days only grow with arrival days).
   */
  public LocalDate overdueUpTo(LocalDate today, int target) {
    LocalDate arrived = today.minusDays(1);
    while (!dueOn(arrived, target).isBefore(today)) {
      arrived = arrived.minusDays(1);
    }
    return arrived;
  }
}
