package uk.gov.islington.youthsafety.api.console;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dates and times as the forms take them: the GOV.UK date input (day, month, year) and a 24-hour
 * time; a mistake becomes the field's error in words, linked to the field.
 */
final class FormDates {

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);

  private FormDates() {}

  /**
   * The date in {@code <prefix>-day}, {@code -month} and {@code -year}, or null with an error on
   * {@code <prefix>-day}.
   *
   * @param words what the date is, e.g. "the date of the event"
   */
  static LocalDate date(
      Map<String, String> v, String prefix, String words, List<FieldError> errors) {
    String day = v.getOrDefault(prefix + "-day", "");
    String month = v.getOrDefault(prefix + "-month", "");
    String year = v.getOrDefault(prefix + "-year", "");
    if (day.isEmpty() && month.isEmpty() && year.isEmpty()) {
      errors.add(new FieldError(prefix + "-day", "Enter " + words));
      return null;
    }
    try {
      if (year.length() != 4) {
        throw new DateTimeException("a year has four digits");
      }
      return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
    } catch (NumberFormatException | DateTimeException e) {
      errors.add(
          new FieldError(
              prefix + "-day",
              Character.toUpperCase(words.charAt(0))
                  + words.substring(1)
                  + " must be a real date, for example 27 3 2027"));
      return null;
    }
  }

  /**
   * A time on the 24-hour clock (9:00, 09:00 or 09.00), or null with an error on {@code id}.
   *
   * @param words what the time is, e.g. "start"
   */
  static LocalTime time(String raw, String id, String words, List<FieldError> errors) {
    String t = raw == null ? "" : raw.strip().replace('.', ':');
    if (t.isEmpty()) {
      errors.add(new FieldError(id, "Enter the " + words + " time"));
      return null;
    }
    try {
      return LocalTime.parse(t.length() == 4 ? "0" + t : t, TIME);
    } catch (DateTimeException e) {
      errors.add(
          new FieldError(
              id, "Enter the " + words + " time on the 24-hour clock, for example 15:00 or 18:30"));
      return null;
    }
  }
}
