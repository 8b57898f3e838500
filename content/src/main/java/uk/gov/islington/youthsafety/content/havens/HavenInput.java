package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * The rules for what a haven (or an application to become one) may say. Reads the JSON body the
 * contract already checked for shape and applies the rules a schema cannot express: UK postcode
 * format, the service area, well-formed and non-overlapping hours, dates in range. Every problem
 * is reported against the field it concerns (e.g. {@code openingHours.weekly[2].closes}) and all
 * of them at once.
 */
public final class HavenInput {

  /** UK postcode (outward + inward code), checked on the upper-cased value without spaces. */
  private static final Pattern POSTCODE = Pattern.compile(
      "^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
          + "[0-9][ABD-HJLNP-UW-Z]{2})$");
  private static final Pattern TIME = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
  private static final Pattern CLOSE_TIME = Pattern.compile("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");
  private static final Pattern UK_PHONE = Pattern.compile("^(\\+44|0)[1-9][0-9]{8,9}$");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Map<String, DayOfWeek> DAYS = Map.of("MON", DayOfWeek.MONDAY, "TUE", DayOfWeek.TUESDAY,
      "WED", DayOfWeek.WEDNESDAY, "THU", DayOfWeek.THURSDAY, "FRI", DayOfWeek.FRIDAY, "SAT", DayOfWeek.SATURDAY,
      "SUN", DayOfWeek.SUNDAY);
  private static final int MAX_WEEKLY = 28;
  private static final int MAX_EXCEPTIONS = 100;
  private static final int MAX_YEARS_AHEAD = 3;

  /** A haven's fields as an editor (or an approved application) sets them. */
  public record Draft(String name, String address, String postcode, double lat, double lon, String category,
                      List<String> facilities, String phone, String notes, OpeningHours hours,
                      LocalDate lastVerifiedOn) {}

  /** An application: the premises as they describe themselves, and who to contact about it. */
  public record ApplicationDraft(Draft premises, String contactName, String contactEmail, String contactPhone) {}

  private HavenInput() {}

  /** A haven as created or, after merging a patch, updated by an editor. */
  public static Draft haven(JsonObject body, LocalDate today) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Draft draft = premises(body, today, errors, null, true);
    errors.throwIfAny();
    return draft;
  }

  /** An application from premises: the haven fields, inside the service area, plus contact details. */
  public static ApplicationDraft application(JsonObject body, LocalDate today, ServiceArea area) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Draft premises = premises(body, today, errors, area, false);
    String contactName = text(body, "contactName", 2, 100, true, errors);
    String email = text(body, "contactEmail", 3, 254, true, errors);
    if (email != null && !EMAIL.matcher(email).matches()) {
      errors.add("contactEmail", "is not an e-mail address");
    }
    String phone = phone(body, "contactPhone", true, errors);
    errors.throwIfAny();
    return new ApplicationDraft(premises, contactName, email == null ? null : email.toLowerCase(Locale.ROOT), phone);
  }

  private static Draft premises(JsonObject body, LocalDate today, InvalidInput.Builder errors, ServiceArea area,
                                boolean editor) {
    String name = text(body, "name", 2, 120, true, errors);
    String address = text(body, "address", 5, 200, true, errors);
    String postcode = postcode(body, errors);
    double[] location = location(body, errors, area);
    String category = oneOf(body, "category", Haven.CATEGORIES, errors);
    List<String> facilities = facilities(body, errors);
    String phone = phone(body, "phone", false, errors);
    String notes = text(body, "notes", 0, 500, false, errors);
    OpeningHours.Closure closure = editor ? closure(body.getValue("temporaryClosure"), today, errors) : null;
    OpeningHours hours = hours(body.getValue("openingHours"), closure, today, errors);
    LocalDate verified = today;
    if (editor && body.getValue("lastVerifiedOn") != null) {
      verified = date(body.getValue("lastVerifiedOn"), "lastVerifiedOn", errors);
      if (verified != null && verified.isAfter(today)) {
        errors.add("lastVerifiedOn", "is in the future");
      }
    } else if (!editor && body.containsKey("lastVerifiedOn")) {
      errors.add("lastVerifiedOn", "is not a known field");
    }
    if (!editor && body.containsKey("temporaryClosure")) {
      errors.add("temporaryClosure", "is not a known field");
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new Draft(name, address, postcode, location[0], location[1], category, facilities, phone,
        notes == null || notes.isEmpty() ? null : notes, hours, verified);
  }

  // ---- fields

  private static String text(JsonObject body, String field, int min, int max, boolean required,
                             InvalidInput.Builder errors) {
    return text(body, field, field, min, max, required, errors);
  }

  private static String text(JsonObject body, String key, String field, int min, int max, boolean required,
                             InvalidInput.Builder errors) {
    Object v = body.getValue(key);
    if (v == null) {
      if (required) {
        errors.add(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      errors.add(field, "must be a string");
      return null;
    }
    String t = s.strip();
    if (CONTROL.matcher(t).find()) {
      errors.add(field, "must not contain control characters");
    } else if (t.length() < min) {
      errors.add(field, min <= 1 ? "must not be blank" : "must be at least " + min + " characters");
    } else if (t.length() > max) {
      errors.add(field, "must be at most " + max + " characters");
    } else {
      return t;
    }
    // reported once: callers do not check a value that is already wrong
    return null;
  }

  private static String postcode(JsonObject body, InvalidInput.Builder errors) {
    String raw = text(body, "postcode", 5, 10, true, errors);
    if (raw == null) {
      return null;
    }
    String compact = raw.toUpperCase(Locale.ROOT).replace(" ", "");
    if (!POSTCODE.matcher(compact).matches()) {
      errors.add("postcode", "is not a UK postcode (e.g. N1 1XR)");
      return null;
    }
    return compact.substring(0, compact.length() - 3) + " " + compact.substring(compact.length() - 3);
  }

  private static double[] location(JsonObject body, InvalidInput.Builder errors, ServiceArea area) {
    Object v = body.getValue("location");
    if (!(v instanceof JsonObject loc)) {
      errors.add("location", v == null ? "is required" : "must be an object with lat and lon");
      return null;
    }
    Double lat = coordinate(loc.getValue("lat"), "location.lat", 90, errors);
    Double lon = coordinate(loc.getValue("lon"), "location.lon", 180, errors);
    if (lat == null || lon == null) {
      return null;
    }
    if (area != null && !area.contains(lat, lon)) {
      errors.add("location", "is outside the area the scheme covers");
    }
    return new double[] {lat, lon};
  }

  private static Double coordinate(Object v, String field, double limit, InvalidInput.Builder errors) {
    if (!(v instanceof Number n)) {
      errors.add(field, v == null ? "is required" : "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Math.abs(d) > limit) {
      errors.add(field, "must be between -" + (int) limit + " and " + (int) limit);
      return null;
    }
    return d;
  }

  private static String oneOf(JsonObject body, String field, List<String> allowed, InvalidInput.Builder errors) {
    Object v = body.getValue(field);
    if (v == null) {
      errors.add(field, "is required");
      return null;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      errors.add(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return s;
  }

  private static List<String> facilities(JsonObject body, InvalidInput.Builder errors) {
    Object v = body.getValue("facilities");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray list)) {
      errors.add("facilities", "must be a list");
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object f = list.getValue(i);
      if (!(f instanceof String s) || !Haven.FACILITIES.contains(s)) {
        errors.add("facilities[" + i + "]", "must be one of " + String.join(", ", Haven.FACILITIES));
      } else if (!out.add(s)) {
        errors.add("facilities[" + i + "]", "is listed twice");
      }
    }
    // a stable order, so that equal sets encode equally
    List<String> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return List.copyOf(sorted);
  }

  private static String phone(JsonObject body, String field, boolean required, InvalidInput.Builder errors) {
    String raw = text(body, field, 1, 30, required, errors);
    if (raw == null) {
      return null;
    }
    String digits = raw.replaceAll("[\\s()-]", "");
    if (!UK_PHONE.matcher(digits).matches()) {
      errors.add(field, "is not a UK phone number (e.g. 020 7527 2000)");
      return null;
    }
    return raw;
  }

  private static LocalDate date(Object v, String field, InvalidInput.Builder errors) {
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

  // ---- hours

  /** Parses and checks {@code openingHours}; the field names are those of the contract. */
  static OpeningHours hours(Object value, OpeningHours.Closure closure, LocalDate today, InvalidInput.Builder errors) {
    if (!(value instanceof JsonObject oh)) {
      errors.add("openingHours", value == null ? "is required" : "must be an object with weekly and exceptions");
      return null;
    }
    List<OpeningHours.Weekly> weekly = weekly(oh.getValue("weekly"), errors);
    List<OpeningHours.Exception> exceptions = exceptions(oh.getValue("exceptions"), today, errors);
    if (weekly == null || exceptions == null) {
      return null;
    }
    return new OpeningHours(weekly, exceptions, closure);
  }

  private static List<OpeningHours.Weekly> weekly(Object value, InvalidInput.Builder errors) {
    String base = "openingHours.weekly";
    if (!(value instanceof JsonArray list)) {
      errors.add(base, value == null ? "is required" : "must be a list");
      return null;
    }
    if (list.isEmpty()) {
      errors.add(base, "must have at least one range (use temporaryClosure for a closure)");
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
        errors.add(at + ".day", w.getValue("day") == null ? "is required" : "must be one of MON, TUE, WED, THU, FRI, SAT, SUN");
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
      int sj = (out.get(j).day().getValue() - 1) * OpeningHours.DAY_MINUTES + out.get(j).range().opens();
      int ej = sj + out.get(j).range().end() - out.get(j).range().opens();
      for (int i = 0; i < j; i++) {
        int si = (out.get(i).day().getValue() - 1) * OpeningHours.DAY_MINUTES + out.get(i).range().opens();
        int ei = si + out.get(i).range().end() - out.get(i).range().opens();
        boolean overlap = false;
        for (int shift = -week; shift <= week; shift += week) {
          overlap |= si + shift < ej && sj < ei + shift;
        }
        if (overlap) {
          errors.add(base + "[" + indexes.get(j) + "]", "overlaps " + base + "[" + indexes.get(i) + "]");
          ok = false;
          break;
        }
      }
    }
    return ok ? out : null;
  }

  private static List<OpeningHours.Exception> exceptions(Object value, LocalDate today, InvalidInput.Builder errors) {
    String base = "openingHours.exceptions";
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
      LocalDate date = e.getValue("date") == null ? null : date(e.getValue("date"), at + ".date", errors);
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
          errors.add(at + (e.getValue("opens") != null ? ".opens" : ".closes"), "must be absent when closed is true");
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
      errors.add(at + ".opens", opens == null ? "is required" : "must be a time HH:MM from 00:00 to 23:59");
      ok = false;
    }
    if (!(closes instanceof String s) || !CLOSE_TIME.matcher(s).matches()) {
      errors.add(at + ".closes", closes == null ? "is required" : "must be a time HH:MM from 00:00 to 24:00");
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

  static OpeningHours.Closure closure(Object value, LocalDate today, InvalidInput.Builder errors) {
    if (value == null) {
      return null;
    }
    String base = "temporaryClosure";
    if (!(value instanceof JsonObject c)) {
      errors.add(base, "must be an object with a reason");
      return null;
    }
    String reason = text(c, "reason", base + ".reason", 2, 200, true, errors);
    LocalDate from = c.getValue("from") == null ? null : date(c.getValue("from"), base + ".from", errors);
    LocalDate until = c.getValue("until") == null ? null : date(c.getValue("until"), base + ".until", errors);
    if (from != null && until != null && until.isBefore(from)) {
      errors.add(base + ".until", "is before from");
    }
    if (until != null && until.isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
      errors.add(base + ".until", "must be within the next " + MAX_YEARS_AHEAD + " years");
    }
    return reason == null ? null : new OpeningHours.Closure(reason, from, until);
  }
}
