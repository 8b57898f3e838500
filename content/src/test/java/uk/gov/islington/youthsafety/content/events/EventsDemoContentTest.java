package uk.gov.islington.youthsafety.content.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/** The sample month for the embedded default, loaded into a real database. */
class EventsDemoContentTest {

  static Vertx vertx;
  static TestDatabase db;
  static Pool pool;
  static Events events;
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-10-08T10:00:00Z"));

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestPostgres.freshDatabase("notifications", "content");
    pool = db.pool(vertx);
    events = new Events(vertx, pool, null, CLOCK, Events.Settings.defaults());
    EventsDemoContent demo = new EventsDemoContent(events);
    demo.load(pool, CLOCK).await(60, TimeUnit.SECONDS);
    CLOCK.advance(Duration.ofDays(2));
    // a restart loads nothing more
    demo.load(pool, CLOCK).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  static List<Event> all() throws Exception {
    return new EventsStore().all(pool).await(10, TimeUnit.SECONDS);
  }

  static List<Occurrence> occurrences(Instant from, Instant to) throws Exception {
    EventQuery q = new EventQuery(from, to, null, null, null, null, null, 100, null);
    return events.list(q).await(30, TimeUnit.SECONDS).value().items();
  }

  @Test
  void loadingIsIdempotentAndEverySampleIsMarked() throws Exception {
    List<Event> all = all();
    assertThat(all).hasSize(11);
    assertThat(all)
        .allSatisfy(
            e -> {
              assertThat(e.sample()).isTrue();
              assertThat(e.title()).startsWith("[Sample] ");
            });
    assertThat(all)
        .extracting(Event::category)
        .contains(
            "youth_hub", "detached_youth_work", "workshop", "sport", "engagement", "memorial");
  }

  @Test
  void theMemorialIsSensitiveAndNothingElseIs() throws Exception {
    assertThat(all())
        .filteredOn(Event::sensitive)
        .extracting(Event::category)
        .containsExactly("memorial");
  }

  @Test
  void detachedYouthWorkIsMondayWednesdayFridayThreeToSixForTenWeeksWithAHolidayBreak()
      throws Exception {
    Event dyw =
        all().stream()
            .filter(e -> e.category().equals("detached_youth_work"))
            .findFirst()
            .orElseThrow();
    List<Occurrence> sessions =
        occurrences(
                dyw.startsAt().toInstant(), dyw.startsAt().toInstant().plus(Duration.ofDays(120)))
            .stream()
            .filter(o -> o.event().id().equals(dyw.id()))
            .toList();
    assertThat(sessions).hasSize(30);
    assertThat(sessions)
        .allSatisfy(
            o -> {
              assertThat(o.startsAt().getDayOfWeek())
                  .isIn(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
              assertThat(o.startsAt().toLocalTime()).isEqualTo(LocalTime.of(15, 0));
              assertThat(o.endsAt().toLocalTime()).isEqualTo(LocalTime.of(18, 0));
            });
    assertThat(dyw.exdates()).hasSize(3);
    assertThat(sessions).extracting(Occurrence::date).doesNotContainAnyElementsOf(dyw.exdates());
  }

  @Test
  void theMonthShowsCancelledAndPostponedEventsForWhatTheyAre() throws Exception {
    List<Occurrence> month =
        occurrences(CLOCK.instant(), CLOCK.instant().plus(Duration.ofDays(31)));
    assertThat(month.size()).isGreaterThan(30);
    assertThat(month)
        .filteredOn(o -> o.status() == Event.Status.CANCELLED)
        .extracting(o -> o.event().category())
        .contains("sport");
    assertThat(month)
        .filteredOn(o -> o.status() == Event.Status.CANCELLED)
        .allSatisfy(o -> assertThat(o.reason()).isNotBlank());
    assertThat(month)
        .filteredOn(o -> o.status() == Event.Status.POSTPONED)
        .singleElement()
        .satisfies(o -> assertThat(o.event().previousStartsAt()).isBefore(o.startsAt()));
  }
}
