package uk.gov.islington.youthsafety.content.hours;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.TextInput;

/**
 * The rules for opening hours as an editor writes them ({@code {weekly:[{day, opens, closes}],
 * exceptions:[{date, closed} | {date, opens, closes}]}}): well-formed times, no overlapping ranges
 * on the week's circle or on one date, dates in range. Every problem is reported against its field
 * under the caller's {@code base} (e.g. {@code openingHours.weekly[2].closes} for a haven, {@code
 * channels[0].hours.exceptions[1].date} for a support service), all of them at once.
 */
public final class HoursInput {

  private static final Pattern TIME = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
  private static final Pattern CLOSE_TIME =
      Pattern.compile("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$");
  private static final Map<String, DayOfWeek> DAYS =
      Map.of(
          "MON",
          DayOfWeek.MONDAY,
          "TUE",
          DayOfWeek.TUESDAY,
          "WED",
          DayOfWeek.WEDNESDAY,
          "THU",
          DayOfWeek.THURSDAY,
          "FRI",
          DayOfWeek.FRIDAY,
          "SAT",
          DayOfWeek.SATURDAY,
          "SUN",
          DayOfWeek.SUNDAY);
  private static final int MAX_WEEKLY = 28;
  private static final int MAX_EXCEPTIONS = 100;
  private static final int MAX_YEARS_AHEAD = 3;

  private HoursInput() {}

  /**
   * Parses and checks the hours object at {@code base}; null (with errors added) when anything is
   * wrong. {@code emptyWeekly} is the message for a weekly list without ranges.
   */
  public static OpeningHours hours(
      Object value,
      String base,
      OpeningHours.Closure closure,
      LocalDate today,
      String emptyWeekly,
      InvalidInput.Builder errors) {
    if (!(value instanceof JsonObject oh)) {
      errors.add(
          base, value == null ? "is required" : "must be an object with weekly and exceptions");
      return null;
    }
    List<OpeningHours.Weekly> weekly =
        weekly(oh.getValue("weekly"), base + ".weekly", emptyWeekly, errors);
    List<OpeningHours.Exception> exceptions =
        exceptions(oh.getValue("exceptions"), base + ".exceptions", today, errors);
    if (weekly == null || exceptions == null) {
      return null;
    }
    return new OpeningHours(weekly, exceptions, closure);
  }

  private static List<OpeningHours.Weekly> weekly(
      Object value, String base, String emptyWeekly, InvalidInput.Builder errors) {
    if (!(value instanceof JsonArray list)) {
      errors.add(base, value == null ? "is required" : "must be a list");
      return null;
    }
    if (list.isEmpty()) {
      errors.add(base, emptyWeekly);
      return null;
    }
    if (list.size() > MAX_WEEKLY) {
      errors.add(base, "must have at most " + MAX_WEEKLY + " ranges");
      return null;
    }
    List<OpeningHours.Weekly> out = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String at = base + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject w)) {
        errors.add(at, "must be an object with day, opens and closes");
        ok = false;
        continue;
      }
      DayOfWeek day = w.getValue("day") instanceof String d ? DAYS.get(d) : null;
      if (day == null) {
        errors.add(
            at + ".day",
            w.getValue("day") == null
                ? "is required"
                : "must be one of MON, TUE, WED, THU, FRI, SAT, SUN");
      }
      OpeningHours.Range range = range(w, at, errors);
      if (day == null || range == null) {
        ok = false;
        continue;
      }
      out.add(new OpeningHours.Weekly(day, range));
      indexes.add(i);
    }
    if (!ok) {
      return null;
    }
    // overlaps on the week's circle (Sunday night runs into Monday morning)
    int week = 7 * OpeningHours.DAY_MINUTES;
    for (int j = 0; j < out.size(); j++) {
      int sj =
          (out.get(j).day().getValue() - 1) * OpeningHours.DAY_MINUTES + out.get(j).range().opens();
      int ej = sj + out.get(j).range().end() - out.get(j).range().opens();
      for (int i = 0; i < j; i++) {
        int si =
            (out.get(i).day().getValue() - 1) * OpeningHours.DAY_MINUTES
                + out.get(i).range().opens();
        int ei = si + out.get(i).range().end() - out.get(i).range().opens();
        boolean overlap = false;
        for (int shift = -week; shift <= week; shift += week) {
          overlap |= si + shift < ej && sj < ei + shift;
        }
        if (overlap) {
          errors.add(
              base + "[" + indexes.get(j) + "]", "overlaps " + base + "[" + indexes.get(i) + "]");
          ok = false;
          break;
        }
      }
    }
    return ok ? out : null;
  }

  private static List<OpeningHours.Exception> exceptions(
      Object value, String base, LocalDate today, InvalidInput.Builder errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list)) {
      errors.add(base, "must be a list");
      return null;
    }
    if (list.size() > MAX_EXCEPTIONS) {
      errors.add(base, "must have at most " + MAX_EXCEPTIONS + " entries");
      return null;
    }
    List<OpeningHours.Exception> out = new ArrayList<>();
    Map<LocalDate, List<Integer>> byDate = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String at = base + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject e)) {
        errors.add(at, "must be an object with date and closed or opens/closes");
        ok = false;
        continue;
      }
      LocalDate date =
          e.getValue("date") == null ? null : date(e.getValue("date"), at + ".date", errors);
      if (e.getValue("date") == null) {
        errors.add(at + ".date", "is required");
      } else if (date != null && date.isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
        errors.add(at + ".date", "must be within the next " + MAX_YEARS_AHEAD + " years");
        date = null;
      }
      boolean closed = Boolean.TRUE.equals(e.getValue("closed"));
      if (e.getValue("closed") != null && !(e.getValue("closed") instanceof Boolean)) {
        errors.add(at + ".closed", "must be true or false");
        ok = false;
        continue;
      }
      OpeningHours.Range range = null;
      if (closed) {
        if (e.getValue("opens") != null || e.getValue("closes") != null) {
          errors.add(
              at + (e.getValue("opens") != null ? ".opens" : ".closes"),
              "must be absent when closed is true");
          ok = false;
          continue;
        }
      } else {
        range = range(e, at, errors);
        if (range == null) {
          ok = false;
          continue;
        }
      }
      if (date == null) {
        ok = false;
        continue;
      }
      // one date: either closed, or non-overlapping ranges
      for (int k : byDate.getOrDefault(date, List.of())) {
        OpeningHours.Exception other = out.get(k);
        if (closed || other.closed()) {
          errors.add(at, "conflicts with another exception on " + date);
          ok = false;
        } else if (range.opens() < other.range().end() && other.range().opens() < range.end()) {
          errors.add(at, "overlaps another exception on " + date);
          ok = false;
        }
      }
      byDate.computeIfAbsent(date, d -> new ArrayList<>()).add(out.size());
      out.add(new OpeningHours.Exception(date, range));
    }
    return ok ? out : null;
  }

  private static OpeningHours.Range range(JsonObject o, String at, InvalidInput.Builder errors) {
    Object opens = o.getValue("opens");
    Object closes = o.getValue("closes");
    boolean ok = true;
    if (!(opens instanceof String s) || !TIME.matcher(s).matches()) {
      errors.add(
          at + ".opens",
          opens == null ? "is required" : "must be a time HH:MM from 00:00 to 23:59");
      ok = false;
    }
    if (!(closes instanceof String s) || !CLOSE_TIME.matcher(s).matches()) {
      errors.add(
          at + ".closes",
          closes == null ? "is required" : "must be a time HH:MM from 00:00 to 24:00");
      ok = false;
    }
    if (!ok) {
      return null;
    }
    int from = OpeningHours.minutes((String) opens);
    int to = OpeningHours.minutes((String) closes);
    if (from == to) {
      errors.add(at + ".closes", "must differ from opens (00:00 to 24:00 is all day)");
      return null;
    }
    return new OpeningHours.Range(from, to);
  }

  /** A temporary closure {@code {reason, from?, until?}} at {@code base}, or null when absent. */
  public static OpeningHours.Closure closure(
      Object value, String base, LocalDate today, InvalidInput.Builder errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject c)) {
      errors.add(base, "must be an object with a reason");
      return null;
    }
    String reason =
        TextInput.read(c.getValue("reason"), base + ".reason", 2, 200, true, false, errors);
    LocalDate from =
        c.getValue("from") == null ? null : date(c.getValue("from"), base + ".from", errors);
    LocalDate until =
        c.getValue("until") == null ? null : date(c.getValue("until"), base + ".until", errors);
    if (from != null && until != null && until.isBefore(from)) {
      errors.add(base + ".until", "is before from");
    }
    if (until != null && until.isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
      errors.add(base + ".until", "must be within the next " + MAX_YEARS_AHEAD + " years");
    }
    return reason == null ? null : new OpeningHours.Closure(reason, from, until);
  }

  /** A calendar date (YYYY-MM-DD) at {@code field}; null with an error when it is not one. */
  public static LocalDate date(Object v, String field, InvalidInput.Builder errors) {
    if (!(v instanceof String s)) {
      errors.add(field, "must be a date (YYYY-MM-DD)");
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(field, "must be a date (YYYY-MM-DD)");
      return null;
    }
  }
}
