package uk.gov.islington.youthsafety.content.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * An event as editors wrote it: one-off, or a series described by an RFC 5545 RRULE anchored at
 * {@link #startsAt} in Europe/London. Occurrences of a series are identified by their London date
 * (rules are limited to at most one occurrence a day, see {@link Recurrence}), so exdates and
 * cancelled occurrences survive a change of the time of day.
 *
 * @param recurrence the normalised RRULE value, or null for a one-off event
 * @param exdates London dates on which the series does not take place (never listed)
 * @param cancelledOccurrences dates called off after publication (listed as cancelled)
 * @param seriesEndsAt end of the last occurrence (an upper bound for UNTIL rules); null if
 *     open-ended
 * @param previousStartsAt the start before a postponement, while the event is postponed
 * @param sequence the iCalendar SEQUENCE, bumped on every change
 */
public record Event(
    String id,
    String title,
    String description,
    String category,
    String organiser,
    Venue venue,
    ZonedDateTime startsAt,
    ZonedDateTime endsAt,
    String recurrence,
    List<LocalDate> exdates,
    List<CancelledOccurrence> cancelledOccurrences,
    Instant seriesEndsAt,
    AgeRange ageRange,
    Cost cost,
    String bookingUrl,
    String accessibility,
    Status status,
    ZonedDateTime previousStartsAt,
    String cancellationReason,
    boolean sensitive,
    boolean sample,
    int sequence,
    Instant createdAt,
    Instant updatedAt) {

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(venue, "venue");
    Objects.requireNonNull(status, "status");
    exdates = List.copyOf(exdates);
    cancelledOccurrences = List.copyOf(cancelledOccurrences);
  }

  /** The three states of schema.org's EventStatus that editors use. */
  public enum Status {
    SCHEDULED,
    POSTPONED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase();
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase());
    }
  }

  public record Venue(String name, String address, GeoPoint location) {}

  public record GeoPoint(double lat, double lon) {}

  /** Inclusive ages; a null bound is open. */
  public record AgeRange(Integer min, Integer max) {

    public boolean includes(int age) {
      return (min == null || min <= age) && (max == null || max >= age);
    }
  }

  /**
   * Whether it is free, and the details in words (e.g. "£2 per session, free with a Youth Card").
   */
  public record Cost(boolean free, String details) {}

  public record CancelledOccurrence(LocalDate date, String reason, Instant cancelledAt) {}

  public boolean recurring() {
    return recurrence != null;
  }

  public java.time.Duration duration() {
    return java.time.Duration.between(startsAt, endsAt);
  }

  /** The cancellation of the occurrence on this London date, if any. */
  public CancelledOccurrence cancellationOn(LocalDate date) {
    for (CancelledOccurrence c : cancelledOccurrences) {
      if (c.date().equals(date)) {
        return c;
      }
    }
    return null;
  }

  /** Everything but the bookkeeping of a change, to tell whether an edit changed anything. */
  boolean sameContentAs(Event other) {
    return withBookkeeping(0, createdAt, createdAt)
        .equals(other.withBookkeeping(0, createdAt, createdAt));
  }

  /** The same event with its bookkeeping of a change set anew. */
  Event withBookkeeping(int sequence, Instant createdAt, Instant updatedAt) {
    return copy(
        status,
        previousStartsAt,
        cancellationReason,
        cancelledOccurrences,
        sequence,
        createdAt,
        updatedAt);
  }

  /**
   * The same event with another cancellation state: the whole event's status (with the start before
   * a postponement and the reason) and the dates of a series called off.
   */
  Event withCancellations(
      Status status,
      ZonedDateTime postponedFrom,
      String reason,
      List<CancelledOccurrence> cancelled) {
    return copy(status, postponedFrom, reason, cancelled, sequence, createdAt, updatedAt);
  }

  /** Records have no "with": the one copy of every field, with those that change given. */
  private Event copy(
      Status status,
      ZonedDateTime postponedFrom,
      String reason,
      List<CancelledOccurrence> cancelled,
      int sequence,
      Instant createdAt,
      Instant updatedAt) {
    return new Event(
        id,
        title,
        description,
        category,
        organiser,
        venue,
        startsAt,
        endsAt,
        recurrence,
        exdates,
        cancelled,
        seriesEndsAt,
        ageRange,
        cost,
        bookingUrl,
        accessibility,
        status,
        postponedFrom,
        reason,
        sensitive,
        sample,
        sequence,
        createdAt,
        updatedAt);
  }
}
