package uk.gov.islington.youthsafety.content.events;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.DateList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.TextList;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.Observance;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.CalScale;
import net.fortuna.ical4j.model.property.Categories;
import net.fortuna.ical4j.model.property.Created;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.Geo;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Name;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.RefreshInterval;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.Version;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableClazz;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableTransp;

/**
 * The RFC 5545 calendar a phone subscribes to, written with ical4j.
 *
 * <ul>
 *   <li>One VEVENT per event with a stable {@code UID} ({@code <id>@<domain>}); {@code SEQUENCE} is
 *       the event's, bumped on every change; {@code DTSTAMP} and {@code LAST-MODIFIED} are when it
 *       last changed, so the same data always renders the same bytes (a stable ETag on every
 *       instance).
 *   <li>Times are {@code TZID=Europe/London} local times with a VTIMEZONE; a series carries its
 *       {@code RRULE} and {@code EXDATE}s, so the phone expands it exactly as the API does.
 *   <li>Nothing subscribers have seen disappears: a cancelled event stays with {@code
 *       STATUS:CANCELLED}; a cancelled date of a series is an override VEVENT with the same UID,
 *       its {@code RECURRENCE-ID} and {@code STATUS:CANCELLED}.
 *   <li>The VTIMEZONE is ical4j's Europe/London definition reduced to the rules in force since
 *       {@link #VTIMEZONE_SINCE} (what Google and Apple publish too), instead of 150 years of
 *       history in every download.
 * </ul>
 */
public final class CalendarFeed {

  public static final String TZID = "Europe/London";
  static final LocalDate VTIMEZONE_SINCE = LocalDate.of(2000, 1, 1);
  private static final VTimeZone LONDON = compactLondon();
  private static final DateTimeFormatter HUMAN_DATE =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm", Locale.UK);

  /**
   * @param uidDomain right-hand side of every UID (never change it: UIDs must stay stable)
   * @param refresh how often clients should fetch again (REFRESH-INTERVAL, X-PUBLISHED-TTL)
   */
  public record Options(String uidDomain, String name, Duration refresh) {}

  private CalendarFeed() {}

  /** The whole calendar as text with CRLF line endings and folded lines. */
  public static String render(List<Event> events, String calendarName, Options options) {
    Calendar calendar = new Calendar();
    calendar.add(new ProdId("-//Islington Council//Youth Safety API//EN"));
    calendar.add(new Version(new ParameterList(), Version.VALUE_2_0));
    calendar.add(new CalScale(CalScale.VALUE_GREGORIAN));
    calendar.add(new Name(calendarName));
    calendar.add(new XProperty("X-WR-CALNAME", calendarName));
    calendar.add(new XProperty("X-WR-TIMEZONE", TZID));
    calendar.add(
        new RefreshInterval(new ParameterList(List.of(Value.DURATION)), options.refresh()));
    calendar.add(new XProperty("X-PUBLISHED-TTL", options.refresh().toString()));
    calendar.add(LONDON);
    for (Event event : events) {
      calendar.add(master(event, options));
      if (event.recurring() && event.status() != Event.Status.CANCELLED) {
        for (Event.CancelledOccurrence c : event.cancelledOccurrences()) {
          cancelledOccurrence(event, c, options).ifPresent(calendar::add);
        }
      }
    }
    return fold(calendar.toString());
  }

  /**
   * Folds content lines at 75 octets of UTF-8, as RFC 5545 section 3.1 asks, never inside a
   * character (ical4j's own folding counts characters, so a line of accented or non-Latin text
   * could exceed 75 octets). The input is ical4j's unfolded CRLF output.
   */
  static String fold(String unfolded) {
    StringBuilder out = new StringBuilder(unfolded.length() + unfolded.length() / 24);
    int start = 0;
    while (start < unfolded.length()) {
      int end = unfolded.indexOf("\r\n", start);
      if (end < 0) {
        end = unfolded.length();
      }
      int octets = 0;
      for (int i = start; i < end; ) {
        int cp = unfolded.codePointAt(i);
        int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (octets + bytes > 75) {
          out.append("\r\n ");
          octets = 1;
        }
        out.appendCodePoint(cp);
        octets += bytes;
        i += Character.charCount(cp);
      }
      out.append("\r\n");
      start = end + 2;
    }
    return out.toString();
  }

  public static String uid(Event event, Options options) {
    return event.id() + "@" + options.uidDomain();
  }

  private static VEvent master(Event event, Options options) {
    VEvent v = common(event, event.startsAt(), event.endsAt(), options);
    if (event.recurring()) {
      v.add(new RRule<ZonedDateTime>(event.recurrence()));
      if (!event.exdates().isEmpty()) {
        List<ZonedDateTime> starts = new ArrayList<>();
        for (LocalDate d : event.exdates()) {
          starts.add(ZonedDateTime.of(d, event.startsAt().toLocalTime(), Recurrence.LONDON));
        }
        v.add(new ExDate<>(londonParameter(), new DateList<>(starts)));
      }
    }
    String prefix =
        switch (event.status()) {
          case CANCELLED -> "Cancelled: ";
          case POSTPONED -> "Postponed: ";
          default -> "";
        };
    v.add(new Summary(prefix + event.title()));
    v.add(
        new Description(
            description(
                event,
                event.status() == Event.Status.CANCELLED ? event.cancellationReason() : null)));
    v.add(
        switch (event.status()) {
          case CANCELLED -> ImmutableStatus.VEVENT_CANCELLED;
          case POSTPONED -> ImmutableStatus.VEVENT_TENTATIVE;
          default -> ImmutableStatus.VEVENT_CONFIRMED;
        });
    return v;
  }

  /** The override for one cancelled date, or nothing when the date is no longer in the series. */
  private static Optional<VEvent> cancelledOccurrence(
      Event event, Event.CancelledOccurrence c, Options options) {
    ZonedDateTime start =
        Recurrence.parse(event.recurrence(), "recurrence").startOn(event.startsAt(), c.date());
    if (start == null || event.exdates().contains(c.date())) {
      return Optional.empty();
    }
    VEvent v = common(event, start, start.plus(event.duration()), options);
    v.add(new RecurrenceId<>(londonParameter(), start));
    v.add(new Summary("Cancelled: " + event.title()));
    v.add(new Description(description(event, c.reason())));
    v.add(ImmutableStatus.VEVENT_CANCELLED);
    return Optional.of(v);
  }

  private static VEvent common(
      Event event, ZonedDateTime start, ZonedDateTime end, Options options) {
    VEvent v = new VEvent(false);
    v.add(new Uid(uid(event, options)));
    v.add(new DtStamp(event.updatedAt()));
    v.add(new Created(event.createdAt()));
    v.add(new LastModified(event.updatedAt()));
    v.add(new Sequence(event.sequence()));
    v.add(new DtStart<>(start.withZoneSameInstant(Recurrence.LONDON)));
    v.add(new DtEnd<>(end.withZoneSameInstant(Recurrence.LONDON)));
    v.add(new Location(event.venue().name() + ", " + event.venue().address()));
    if (event.venue().location() != null) {
      v.add(
          new Geo(
              BigDecimal.valueOf(event.venue().location().lat()),
              BigDecimal.valueOf(event.venue().location().lon())));
    }
    v.add(new Categories(new TextList(event.category())));
    if (event.bookingUrl() != null) {
      v.add(new Url(java.net.URI.create(event.bookingUrl())));
    }
    v.add(ImmutableClazz.PUBLIC);
    // events someone may go to, not appointments: do not mark the subscriber busy
    v.add(ImmutableTransp.TRANSPARENT);
    return v;
  }

  private static ParameterList londonParameter() {
    return new ParameterList(List.of(new TzId(TZID)));
  }

  /** The description, then what a young person needs to decide: cost, ages, access, booking. */
  static String description(Event event, String cancellationReason) {
    StringBuilder sb = new StringBuilder();
    if (cancellationReason != null) {
      sb.append("Cancelled: ").append(cancellationReason).append("\n\n");
    }
    if (event.status() == Event.Status.POSTPONED && event.previousStartsAt() != null) {
      sb.append("Postponed: this was planned for ")
          .append(HUMAN_DATE.format(event.previousStartsAt()))
          .append(".\n\n");
    }
    sb.append(event.description());
    List<String> facts = new ArrayList<>();
    if (event.cost() != null) {
      facts.add(
          "Cost: "
              + (event.cost().free() ? "free" : "paid")
              + (event.cost().details() == null ? "" : " (" + event.cost().details() + ")"));
    }
    if (event.ageRange() != null) {
      Event.AgeRange a = event.ageRange();
      facts.add(
          "Ages: "
              + (a.min() == null
                  ? "up to " + a.max()
                  : a.max() == null ? a.min() + "+" : a.min() + "–" + a.max()));
    }
    if (event.organiser() != null) {
      facts.add("Organiser: " + event.organiser());
    }
    if (event.accessibility() != null) {
      facts.add("Accessibility: " + event.accessibility());
    }
    if (event.bookingUrl() != null) {
      facts.add("Booking: " + event.bookingUrl());
    }
    if (event.sample()) {
      facts.add("This is a SAMPLE event (demonstration content), not a real event.");
    }
    if (!facts.isEmpty()) {
      sb.append("\n\n").append(String.join("\n", facts));
    }
    return sb.toString();
  }

  /** ical4j's Europe/London, keeping the observances in force since {@link #VTIMEZONE_SINCE}. */
  private static VTimeZone compactLondon() {
    VTimeZone full =
        TimeZoneRegistryFactory.getInstance().createRegistry().getTimeZone(TZID).getVTimeZone();
    String since = VTIMEZONE_SINCE.format(DateTimeFormatter.BASIC_ISO_DATE);
    List<Observance> kept = new ArrayList<>();
    for (Observance o : full.getObservances()) {
      String start = o.getProperty(Property.DTSTART).map(Property::getValue).orElse("");
      Optional<String> rule = o.getProperty(Property.RRULE).map(Property::getValue);
      boolean ruleInForce =
          rule.isPresent()
              && (!rule.get().contains("UNTIL=")
                  || rule.get().replaceAll(".*UNTIL=(\\d{8}).*", "$1").compareTo(since) >= 0);
      boolean startsLater = start.compareTo(since) >= 0;
      boolean rdateLater =
          o.getProperties(Property.RDATE).stream()
              .anyMatch(p -> ((Property) p).getValue().compareTo(since) >= 0);
      if (ruleInForce || startsLater || rdateLater) {
        kept.add(o);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalStateException("no Europe/London observances in force");
    }
    PropertyList props =
        new PropertyList(
            List.of(
                new net.fortuna.ical4j.model.property.TzId(TZID),
                new XProperty("X-LIC-LOCATION", TZID)));
    return new VTimeZone(props, new ComponentList<>(kept));
  }

  /** For tests: the VTIMEZONE every feed carries. */
  static VTimeZone vtimezone() {
    return LONDON;
  }
}
