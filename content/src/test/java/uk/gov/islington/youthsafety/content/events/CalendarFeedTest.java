package uk.gov.islington.youthsafety.content.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.junit.jupiter.api.Test;

/** The feed, written and read back with ical4j, without HTTP or a database. */
class CalendarFeedTest {

  static final CalendarFeed.Options OPTIONS =
      new CalendarFeed.Options("test.example", "Test", Duration.ofHours(6));
  static final Instant NOW = Instant.parse("2025-10-01T09:00:00Z");

  static Event event(JsonObject extra) {
    JsonObject body =
        new JsonObject()
            .put("title", "Detached youth work")
            .put("category", "detached_youth_work")
            .put(
                "description",
                "Youth workers out and about. " + "Long text to be folded. ".repeat(10))
            .put(
                "venue",
                new JsonObject()
                    .put("name", "Highbury Corner")
                    .put("address", "London N5 1RA")
                    .put("location", new JsonObject().put("lat", 51.5463).put("lon", -0.1040)))
            .put("startsAt", "2025-10-13T15:00:00+01:00")
            .put("endsAt", "2025-10-13T18:00:00+01:00")
            .put("recurrence", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12")
            .put("exdates", new JsonArray().add("2025-10-27").add("2025-10-29T15:00:00Z"));
    return EventInput.create("e1", body.mergeIn(extra), NOW, false);
  }

  static Calendar parse(String ics) throws Exception {
    return new CalendarBuilder().build(new StringReader(ics));
  }

  @Test
  void theFeedRoundTripsThroughIcal4jAndExpandsAsTheApiDoes() throws Exception {
    Event e = event(new JsonObject());
    Calendar cal = parse(CalendarFeed.render(List.of(e), "Test", OPTIONS));
    List<VEvent> vevents = cal.getComponents("VEVENT");
    assertThat(vevents).hasSize(1);
    VEvent v = vevents.get(0);
    assertThat(v.getProperty(Property.UID).get().getValue()).isEqualTo("e1@test.example");
    assertThat(v.getProperty(Property.SEQUENCE).get().getValue()).isEqualTo("0");
    assertThat(v.getProperty(Property.RRULE).get().getValue())
        .isEqualTo("FREQ=WEEKLY;COUNT=12;BYDAY=MO,WE,FR");

    ZonedDateTime from = ZonedDateTime.parse("2025-10-01T00:00:00Z");
    ZonedDateTime to = ZonedDateTime.parse("2026-01-01T00:00:00Z");
    Set<Instant> fromFeed =
        v.<ZonedDateTime>calculateRecurrenceSet(new Period<>(from, to)).stream()
            .map(p -> Instant.from(p.getStart()))
            .collect(Collectors.toSet());
    Set<Instant> fromApi =
        Occurrence.of(e, from.toInstant(), to.toInstant()).stream()
            .map(o -> o.startsAt().toInstant())
            .collect(Collectors.toSet());
    assertThat(fromFeed).isEqualTo(fromApi).hasSize(10);
    assertThat(fromApi)
        .doesNotContain(
            Instant.parse("2025-10-27T15:00:00Z"), Instant.parse("2025-10-29T15:00:00Z"));
  }

  @Test
  void cancelledDatesAreOverridesWithRecurrenceIdAndCancelledEventsStay() throws Exception {
    Event series = event(new JsonObject());
    Event withCancelledDate =
        new Event(
            series.id(),
            series.title(),
            series.description(),
            series.category(),
            series.organiser(),
            series.venue(),
            series.startsAt(),
            series.endsAt(),
            series.recurrence(),
            series.exdates(),
            List.of(
                new Event.CancelledOccurrence(LocalDate.of(2025, 11, 3), "Storm warning", NOW),
                new Event.CancelledOccurrence(
                    LocalDate.of(2025, 11, 4), "not a date of the series", NOW)),
            series.seriesEndsAt(),
            null,
            null,
            null,
            null,
            Event.Status.SCHEDULED,
            null,
            null,
            false,
            false,
            2,
            NOW,
            NOW);
    Event oneOff =
        EventInput.create(
            "e2",
            new JsonObject()
                .put("title", "Memorial")
                .put("category", "memorial")
                .put("description", "Remembering")
                .put("sensitive", true)
                .put(
                    "venue",
                    new JsonObject().put("name", "Town Hall").put("address", "Upper Street"))
                .put("startsAt", "2025-11-20T18:00:00Z")
                .put("endsAt", "2025-11-20T19:30:00Z"),
            NOW,
            false);
    Event cancelled =
        new Event(
            oneOff.id(),
            oneOff.title(),
            oneOff.description(),
            oneOff.category(),
            null,
            oneOff.venue(),
            oneOff.startsAt(),
            oneOff.endsAt(),
            null,
            List.of(),
            List.of(),
            oneOff.seriesEndsAt(),
            null,
            null,
            null,
            null,
            Event.Status.CANCELLED,
            null,
            "Postponed to spring",
            true,
            false,
            1,
            NOW,
            NOW);

    String ics = CalendarFeed.render(List.of(withCancelledDate, cancelled), "Test", OPTIONS);
    List<VEvent> vevents = parse(ics).getComponents("VEVENT");
    assertThat(vevents).hasSize(3);
    VEvent override =
        vevents.stream()
            .filter(v -> v.getProperty(Property.RECURRENCE_ID).isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(override.getProperty(Property.UID).get().getValue()).isEqualTo("e1@test.example");
    assertThat(override.getProperty(Property.STATUS).get().getValue()).isEqualTo("CANCELLED");
    assertThat(override.getProperty(Property.SEQUENCE).get().getValue()).isEqualTo("2");
    assertThat(
            Instant.from(
                ((net.fortuna.ical4j.model.property.RecurrenceId<?>)
                        override.getProperty(Property.RECURRENCE_ID).get())
                    .getDate()))
        .isEqualTo(Instant.parse("2025-11-03T15:00:00Z"));
    assertThat(override.getProperty(Property.DESCRIPTION).get().getValue())
        .startsWith("Cancelled: Storm warning");
    VEvent memorial =
        vevents.stream()
            .filter(v -> v.getProperty(Property.UID).get().getValue().startsWith("e2@"))
            .findFirst()
            .orElseThrow();
    assertThat(memorial.getProperty(Property.STATUS).get().getValue()).isEqualTo("CANCELLED");
    assertThat(memorial.getProperty(Property.SUMMARY).get().getValue())
        .isEqualTo("Cancelled: Memorial");
  }

  /**
   * Every clock change the published VTIMEZONE describes from 2000 to 2040 (each observance's
   * DTSTART/RRULE onsets, read back with ical4j, at local time minus TZOFFSETFROM) is exactly a
   * transition of java.time's Europe/London, to the same offset, and none is missing.
   */
  @Test
  void theVtimezoneDescribesExactlyTheClockChangesFrom2000To2040() throws Exception {
    Calendar cal = parse(CalendarFeed.render(List.of(event(new JsonObject())), "Test", OPTIONS));
    VTimeZone vtz = (VTimeZone) cal.getComponent("VTIMEZONE").orElseThrow();
    assertThat(vtz.getProperty(Property.TZID).get().getValue()).isEqualTo("Europe/London");
    java.time.LocalDateTime from = java.time.LocalDateTime.of(2000, 1, 1, 0, 0);
    java.time.LocalDateTime to = java.time.LocalDateTime.of(2040, 1, 1, 0, 0);
    java.util.Map<Instant, ZoneOffset> published = new java.util.TreeMap<>();
    for (net.fortuna.ical4j.model.component.Observance o : vtz.getObservances()) {
      ZoneOffset before = ZoneOffset.of(o.getProperty(Property.TZOFFSETFROM).get().getValue());
      ZoneOffset after = ZoneOffset.of(o.getProperty(Property.TZOFFSETTO).get().getValue());
      java.time.LocalDateTime seed =
          java.time.LocalDateTime.parse(
              o.getProperty(Property.DTSTART).get().getValue(),
              java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
      String rule = o.getProperty(Property.RRULE).orElseThrow().getValue();
      for (java.time.LocalDateTime onset :
          new net.fortuna.ical4j.model.Recur<java.time.LocalDateTime>(rule)
              .getDates(seed, from, to)) {
        published.put(onset.toInstant(before), after);
      }
    }
    java.util.Map<Instant, ZoneOffset> expected = new java.util.TreeMap<>();
    ZoneRules rules = Recurrence.LONDON.getRules();
    for (ZoneOffsetTransition t = rules.nextTransition(from.toInstant(ZoneOffset.UTC));
        t.getInstant().isBefore(to.toInstant(ZoneOffset.UTC));
        t = rules.nextTransition(t.getInstant())) {
      expected.put(t.getInstant(), t.getOffsetAfter());
    }
    assertThat(expected).hasSize(80);
    assertThat(published).isEqualTo(expected);
  }

  @Test
  void linesAreCrlfTerminatedAndFoldedAt75Octets() {
    String ics =
        CalendarFeed.render(
            List.of(event(new JsonObject().put("title", "Café – à la carte ".repeat(8)))),
            "Test",
            OPTIONS);
    assertThat(ics).endsWith("\r\n");
    for (String line : ics.split("\r\n")) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
      assertThat(line).doesNotContain("\n");
    }
  }

  @Test
  void theSameDataRendersTheSameBytes() {
    Event e = event(new JsonObject());
    assertThat(CalendarFeed.render(List.of(e), "Test", OPTIONS))
        .isEqualTo(CalendarFeed.render(List.of(e), "Test", OPTIONS));
    assertThat(CalendarFeed.render(List.of(e), "Test", OPTIONS))
        .contains("DTSTAMP:20251001T090000Z");
  }

  @Test
  void theDescriptionCarriesWhatAYoungPersonNeedsToDecide() {
    Event e =
        event(
            new JsonObject()
                .put("ageRange", new JsonObject().put("min", 10).put("max", 25))
                .put("cost", new JsonObject().put("free", true))
                .put("bookingUrl", "https://example.org/book")
                .put("accessibility", "Step-free"));
    String d = CalendarFeed.description(e, null);
    assertThat(d)
        .contains("Cost: free")
        .contains("Ages: 10–25")
        .contains("Accessibility: Step-free")
        .contains("Booking: https://example.org/book");
    assertThat(ZoneOffset.UTC).isNotNull();
  }
}
