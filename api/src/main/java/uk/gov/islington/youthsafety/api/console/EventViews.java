package uk.gov.islington.youthsafety.api.console;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.gov.islington.youthsafety.content.events.Event;
import uk.gov.islington.youthsafety.content.events.Occurrence;
import uk.gov.islington.youthsafety.content.events.WeeklyRule;

/** What the editors' event pages show, in words and London time. */
public final class EventViews {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.UK);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);

  /** The contract's categories, in the order the form offers them. */
  static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("youth_hub", "Youth hub");
    CATEGORIES.put("detached_youth_work", "Detached youth work");
    CATEGORIES.put("workshop", "Workshop");
    CATEGORIES.put("sport", "Sport");
    CATEGORIES.put("arts", "Arts");
    CATEGORIES.put("engagement", "Engagement");
    CATEGORIES.put("memorial", "Memorial");
    CATEGORIES.put("community", "Community");
    CATEGORIES.put("training", "Training");
  }

  private EventViews() {}

  /** One event in the list. */
  public record Row(
      String href, String title, String schedule, String next, String status, boolean sensitive) {}

  /** One date of an event; {@code cancelHref} is null when it cannot be cancelled on its own. */
  public record Date(String id, String day, String time, String status, String cancelHref) {}

  /** The event's page. */
  public record Detail(
      Event event,
      String category,
      String schedule,
      String rrule,
      boolean ruleReadOnly,
      String status,
      List<Date> next,
      String banner) {}

  static String category(String code) {
    return CATEGORIES.getOrDefault(code, code);
  }

  static String status(Event.Status s) {
    return switch (s) {
      case SCHEDULED -> "Scheduled";
      case POSTPONED -> "Postponed";
      case CANCELLED -> "Cancelled";
    };
  }

  static String day(ZonedDateTime t) {
    return DAY.format(t);
  }

  static String times(ZonedDateTime start, ZonedDateTime end) {
    String s = TIME.format(start) + " to " + TIME.format(end);
    return end.toLocalDate().isAfter(start.toLocalDate()) ? s + " (next day)" : s;
  }

  static Date date(Occurrence o, String cancelHref) {
    return new Date(
        o.id(),
        day(o.startsAt()),
        times(o.startsAt(), o.endsAt()),
        status(o.status())
            + (o.reason() == null || o.status() != Event.Status.CANCELLED ? "" : ": " + o.reason()),
        o.status() == Event.Status.CANCELLED ? null : cancelHref);
  }

  /** "Every Monday, Wednesday and Friday, 15:00 to 18:00, until Friday 13 February 2027". */
  static String schedule(Event e) {
    String times = times(e.startsAt(), e.endsAt());
    if (!e.recurring()) {
      return day(e.startsAt()) + ", " + times;
    }
    return WeeklyRule.read(e.recurrence())
        .map(
            r ->
                "Every "
                    + days(r.days())
                    + ", "
                    + times
                    + ", from "
                    + day(e.startsAt())
                    + (r.count() != null
                        ? ", " + r.count() + (r.count() == 1 ? " session" : " sessions")
                        : r.until() != null
                            ? ", until " + DAY.format(r.until())
                            : ", with no end date"))
        .orElse(
            "Repeats by the rule " + e.recurrence() + ", from " + day(e.startsAt()) + ", " + times);
  }

  static String days(List<DayOfWeek> days) {
    List<String> names = new ArrayList<>();
    days.forEach(d -> names.add(d.getDisplayName(TextStyle.FULL, Locale.UK)));
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " and "
        + names.get(names.size() - 1);
  }

  static String time(LocalTime t) {
    return TIME.format(t);
  }
}
