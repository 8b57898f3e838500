package uk.gov.islington.youthsafety.content.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One occurrence of an event: a one-off event has one, a series one per date of its recurrence
 * (exdates excluded). Its status is the event's, unless that one date was called off.
 *
 * @param date the London date of the start, which names the occurrence within its series
 * @param reason why it was cancelled, when it was
 * @param distanceMetres great-circle distance from the point asked about, on "near me" queries only
 */
public record Occurrence(
    Event event,
    LocalDate date,
    ZonedDateTime startsAt,
    ZonedDateTime endsAt,
    Event.Status status,
    String reason,
    Double distanceMetres) {

  public static final Comparator<Occurrence> ORDER =
      Comparator.comparing((Occurrence o) -> o.startsAt().toInstant())
          .thenComparing(o -> o.event().id());

  private static final DateTimeFormatter ID_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  /** A stable id for this occurrence: the event's id and the London date. */
  public String id() {
    return event.id() + "." + ID_DATE.format(date);
  }

  public Occurrence at(double distance) {
    return new Occurrence(event, date, startsAt, endsAt, status, reason, distance);
  }

  /** The occurrences of {@code event} that overlap {@code [from, to)}, in order. */
  public static List<Occurrence> of(Event event, Instant from, Instant to) {
    if (!event.recurring()) {
      if (event.endsAt().toInstant().isAfter(from) && event.startsAt().toInstant().isBefore(to)) {
        return List.of(make(event, event.startsAt()));
      }
      return List.of();
    }
    if (!event.startsAt().toInstant().isBefore(to)
        || (event.seriesEndsAt() != null && !event.seriesEndsAt().isAfter(from))) {
      return List.of();
    }
    java.time.Duration duration = event.duration();
    ZonedDateTime windowStart = from.minus(duration).atZone(Recurrence.LONDON);
    ZonedDateTime windowEnd = to.atZone(Recurrence.LONDON);
    Set<LocalDate> excluded = new HashSet<>(event.exdates());
    List<Occurrence> out = new ArrayList<>();
    for (ZonedDateTime start :
        Recurrence.parse(event.recurrence(), "recurrence")
            .starts(event.startsAt(), windowStart, windowEnd)) {
      ZonedDateTime end = start.plus(duration);
      if (!start.toInstant().isBefore(to)
          || !end.toInstant().isAfter(from)
          || excluded.contains(start.toLocalDate())) {
        continue;
      }
      out.add(make(event, start));
    }
    return out;
  }

  private static Occurrence make(Event event, ZonedDateTime start) {
    ZonedDateTime s = start.withZoneSameInstant(Recurrence.LONDON);
    LocalDate date = s.toLocalDate();
    ZonedDateTime end = s.plus(event.duration());
    if (event.status() == Event.Status.CANCELLED) {
      return new Occurrence(
          event, date, s, end, Event.Status.CANCELLED, event.cancellationReason(), null);
    }
    Event.CancelledOccurrence cancelled = event.cancellationOn(date);
    if (cancelled != null) {
      return new Occurrence(event, date, s, end, Event.Status.CANCELLED, cancelled.reason(), null);
    }
    return new Occurrence(event, date, s, end, event.status(), null, null);
  }
}
