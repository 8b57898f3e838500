package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.DemoContent;

/**
 * A realistic month of SAMPLE events for the embedded default, dated relative to the clock when
 * they are loaded: the kinds the seed documents name (youth hub sessions, detached youth work on
 * Mondays, Wednesdays and Fridays 3–6pm for ten weeks with a school-holiday break, workshops,
 * Arsenal in the Community, a police and partners engagement evening, the annual memorial for young
 * people lost to knife crime), with a cancelled date, a cancelled event and a postponed one. Every
 * title starts with "[Sample]" and every event carries {@code sample: true}. Idempotent: nothing is
 * added when any event exists.
 */
public final class EventsDemoContent implements DemoContent {

  static final String PREFIX = "[Sample] ";

  private final Events events;

  public EventsDemoContent(Events events) {
    this.events = events;
  }

  @Override
  public String name() {
    return "sample events";
  }

  @Override
  public Future<Void> load(Pool pool, Clock clock) {
    List<Event> samples;
    try {
      samples = samples(clock);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return events.insertIfEmpty(samples).mapEmpty();
  }

  static List<Event> samples(Clock clock) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    LocalDate today = now.atZone(Recurrence.LONDON).toLocalDate();
    List<Event> out = new ArrayList<>();
    JsonObject lift = venue("Lift", "45 White Conduit Street, London N1 9EZ", 51.5346, -0.1066);
    JsonObject townHall =
        venue("Islington Town Hall", "Upper Street, London N1 2UD", 51.5416, -0.1025);
    JsonObject arsenalHub =
        venue("The Arsenal Hub", "Benwell Road, London N7 7BW", 51.5557, -0.1085);
    JsonObject platform = venue("Platform", "Hornsey Road, London N7", 51.5601, -0.1163);
    JsonObject soapbox = venue("Soapbox", "Old Street area, London EC1", 51.5262, -0.0905);

    // an open-ended weekly youth hub that started a few weeks ago
    LocalDate hubStart =
        today.with(TemporalAdjusters.previousOrSame(DayOfWeek.TUESDAY)).minusWeeks(3);
    out.add(
        sample(
            now,
            base(
                    "Youth hub drop-in at Lift",
                    "youth_hub",
                    "Drop in after school: games, music studio, cooking, homework help and youth workers to talk to. "
                        + "No need to book.",
                    lift,
                    at(hubStart, 16, 0),
                    at(hubStart, 20, 0))
                .put("recurrence", "FREQ=WEEKLY;BYDAY=TU,TH")
                .put("organiser", "Islington Council Youth and Community")
                .put("ageRange", ages(11, 19))
                .put("cost", free())
                .put(
                    "accessibility",
                    "Step-free entrance and accessible toilet. A quiet room is available.")));

    // detached youth work: Mon, Wed, Fri 3-6pm for ten weeks, not in the half-term week
    LocalDate dywStart = today.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
    LocalDate halfTerm = dywStart.plusWeeks(3);
    out.add(
        sample(
            now,
            base(
                    "Detached youth work around Highbury & Islington",
                    "detached_youth_work",
                    "Youth workers from Jigsaw out on the streets around Highbury Corner and nearby estates: stop for a chat, "
                        + "advice, or to find out what's on. Look for the team in bright jackets.",
                    venue(
                        "Highbury Corner",
                        "Highbury & Islington station, London N5 1RA",
                        51.5463,
                        -0.1040),
                    at(dywStart, 15, 0),
                    at(dywStart, 18, 0))
                .put(
                    "recurrence",
                    "FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL="
                        + basic(dywStart.plusWeeks(11).minusDays(1)))
                .put(
                    "exdates",
                    new JsonArray()
                        .add(halfTerm.toString())
                        .add(halfTerm.plusDays(2).toString())
                        .add(halfTerm.plusDays(4).toString()))
                .put("organiser", "Jigsaw, commissioned by Islington Council")
                .put("ageRange", ages(10, 25))
                .put("cost", free())));

    // Arsenal in the Community, with one Friday called off
    LocalDate friday = today.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
    Event arsenal =
        sample(
            now,
            base(
                    "Arsenal in the Community: Friday night football",
                    "sport",
                    "Free coached football on the Arsenal Hub pitches, then food and a chat. Boots or trainers; we lend kit.",
                    arsenalHub,
                    at(friday, 18, 0),
                    at(friday, 20, 0))
                .put("recurrence", "FREQ=WEEKLY;BYDAY=FR;COUNT=12")
                .put("organiser", "Arsenal in the Community")
                .put("ageRange", ages(11, 18))
                .put("cost", free())
                .put("bookingUrl", "https://www.arsenal.com/community")
                .put("accessibility", "Step-free access to the pitches and changing rooms."));
    LocalDate offDate = friday.plusWeeks(1);
    arsenal = withCancelled(arsenal, offDate, "Pitch maintenance: back the week after.", now);
    out.add(arsenal);

    out.add(
        sample(
            now,
            base(
                    "Knife crime awareness workshop",
                    "workshop",
                    "An honest, interactive workshop about knives, the law, and how to get out of a situation safely. "
                        + "Led by youth workers and a bereaved parent.",
                    platform,
                    at(today.plusDays(9), 17, 0),
                    at(today.plusDays(9), 19, 0))
                .put("organiser", "Islington Council Youth and Community")
                .put("ageRange", ages(13, 18))
                .put("cost", free())
                .put("bookingUrl", "https://www.islington.gov.uk/children-and-families/youth")));

    LocalDate wednesday = today.with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY));
    out.add(
        sample(
            now,
            base(
                    "Music production taster sessions",
                    "arts",
                    "Six weeks of beats, recording and mixing in a real studio. Bring your ideas.",
                    soapbox,
                    at(wednesday, 17, 0),
                    at(wednesday, 19, 0))
                .put("recurrence", "FREQ=WEEKLY;BYDAY=WE;COUNT=6")
                .put("ageRange", ages(13, 19))
                .put(
                    "cost",
                    new JsonObject()
                        .put("free", false)
                        .put("details", "£1 a session; free with a Youth Card"))
                .put("bookingUrl", "https://www.islington.gov.uk/children-and-families/youth")));

    out.add(
        sample(
            now,
            base(
                    "Meet your Safer Neighbourhood Team: police and partners Q&A",
                    "engagement",
                    "Ask the police, youth workers and the council about safety in your area. Young people and parents welcome; "
                        + "you can also send questions in anonymously beforehand.",
                    townHall,
                    at(today.plusDays(12), 18, 30),
                    at(today.plusDays(12), 20, 0))
                .put("organiser", "Metropolitan Police and Islington Council Community Safety")
                .put("cost", free())
                .put(
                    "accessibility",
                    "Step-free access, hearing loop, BSL interpreter on request.")));

    out.add(
        sample(
            now,
            base(
                    "Annual memorial for young people lost to knife crime",
                    "memorial",
                    "A time to come together and remember the young people and adults from our borough whose lives were lost "
                        + "to knife crime and serious youth violence, with the Love and Loss group of bereaved families. "
                        + "Everyone is welcome. Support workers will be there on the evening.",
                    townHall,
                    at(today.plusDays(20), 18, 0),
                    at(today.plusDays(20), 19, 30))
                .put("organiser", "Islington Council Community Safety with bereaved families")
                .put("cost", free())
                .put("sensitive", true)
                .put("accessibility", "Step-free access and a quiet space. Seating available.")));

    out.add(
        sample(
            now,
            base(
                    "Understanding exploitation: an evening for parents and carers",
                    "training",
                    "How county lines and criminal exploitation work, the signs to look out for, and where to get help. "
                        + "Run by the Islington Youth Lived Experience team.",
                    townHall,
                    at(today.plusDays(15), 18, 0),
                    at(today.plusDays(15), 20, 0))
                .put("ageRange", new JsonObject().put("min", 18))
                .put("cost", free())));

    out.add(
        sample(
            now,
            base(
                    "CV and job-ready workshop",
                    "workshop",
                    "Write a CV that gets read, practise interviews and find out about apprenticeships.",
                    lift,
                    at(today.plusDays(6), 16, 0),
                    at(today.plusDays(6), 18, 0))
                .put("ageRange", ages(16, 25))
                .put("cost", free())));

    // a postponed one-off: first planned for day 5, moved to day 19
    Event streetArt =
        sample(
            now,
            base(
                    "Street art workshop",
                    "arts",
                    "Design and paint a mural panel with a local artist. All materials provided.",
                    platform,
                    at(today.plusDays(5), 16, 0),
                    at(today.plusDays(5), 18, 30))
                .put("ageRange", ages(12, 18))
                .put("cost", free()));
    out.add(
        EventInput.patch(
                streetArt,
                new JsonObject()
                    .put("status", "postponed")
                    .put("startsAt", at(today.plusDays(19), 16, 0))
                    .put("endsAt", at(today.plusDays(19), 18, 30)))
            .withBookkeeping(1, now, now));

    // a cancelled one-off stays listed as cancelled
    Event boxing =
        sample(
            now,
            base(
                    "Boxing taster session",
                    "sport",
                    "Non-contact boxing fitness with a qualified coach.",
                    arsenalHub,
                    at(today.plusDays(3), 17, 0),
                    at(today.plusDays(3), 18, 30))
                .put("ageRange", ages(12, 18))
                .put("cost", free()));
    out.add(
        new Event(
            boxing.id(),
            boxing.title(),
            boxing.description(),
            boxing.category(),
            boxing.organiser(),
            boxing.venue(),
            boxing.startsAt(),
            boxing.endsAt(),
            boxing.recurrence(),
            boxing.exdates(),
            boxing.cancelledOccurrences(),
            boxing.seriesEndsAt(),
            boxing.ageRange(),
            boxing.cost(),
            boxing.bookingUrl(),
            boxing.accessibility(),
            Event.Status.CANCELLED,
            null,
            "The coach is unavailable; a new date will follow.",
            false,
            true,
            1,
            now,
            now));
    return out;
  }

  private static Event sample(Instant now, JsonObject body) {
    body.put("title", PREFIX + body.getString("title"));
    return EventInput.create("sample-" + java.util.UUID.randomUUID(), body, now, true);
  }

  private static Event withCancelled(Event e, LocalDate date, String reason, Instant now) {
    return e.withCancellations(
            e.status(),
            e.previousStartsAt(),
            e.cancellationReason(),
            List.of(new Event.CancelledOccurrence(date, reason, now)))
        .withBookkeeping(1, now, now);
  }

  private static JsonObject base(
      String title,
      String category,
      String description,
      JsonObject venue,
      String startsAt,
      String endsAt) {
    return new JsonObject()
        .put("title", title)
        .put("category", category)
        .put("description", description)
        .put("venue", venue)
        .put("startsAt", startsAt)
        .put("endsAt", endsAt);
  }

  private static JsonObject venue(String name, String address, double lat, double lon) {
    return new JsonObject()
        .put("name", name)
        .put("address", address)
        .put("location", new JsonObject().put("lat", lat).put("lon", lon));
  }

  private static JsonObject ages(int min, int max) {
    return new JsonObject().put("min", min).put("max", max);
  }

  private static JsonObject free() {
    return new JsonObject().put("free", true);
  }

  private static String at(LocalDate date, int hour, int minute) {
    return ZonedDateTime.of(date, LocalTime.of(hour, minute), Recurrence.LONDON)
        .toOffsetDateTime()
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static String basic(LocalDate date) {
    return date.format(DateTimeFormatter.BASIC_ISO_DATE);
  }
}
