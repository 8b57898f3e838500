package uk.gov.islington.youthsafety.content.havens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/** The demo havens: marked, inside Islington, valid by our own rules, varied, loaded once. */
class SampleHavensTest {

  @Test
  void threeHundredMarkedValidVariedHavensLoadedOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestDatabase db = TestPostgres.freshDatabase("notifications", "content");
    Pool pool = db.pool(vertx);
    try {
      Clock clock = Clock.fixed(Instant.parse("2026-06-10T10:00:00Z"), ZoneOffset.UTC);
      SampleHavens samples = new SampleHavens();
      samples.load(pool, clock).await(60, TimeUnit.SECONDS);
      samples.load(pool, clock).await(60, TimeUnit.SECONDS);
      List<Haven> all =
          new ArrayList<>(
              new HavenStore().changedSince(pool, 0, null, 10_000).await(30, TimeUnit.SECONDS));
      assertThat(all).hasSize(SampleHavens.COUNT);

      ServiceArea islington = ServiceArea.islington();
      LocalDate today = LocalDate.parse("2026-06-10");
      for (Haven h : all) {
        assertThat(h.name()).startsWith(SampleHavens.MARK);
        assertThat(h.sample()).isTrue();
        assertThat(islington.contains(h.lat(), h.lon())).as(h.name()).isTrue();
        // what an editor would get back from getHaven and could send again unchanged
        HavenInput.haven(Havens.inputOf(h), today);
      }
      assertThat(all).extracting(Haven::name).doesNotHaveDuplicates().hasSizeGreaterThan(0);
      assertThat(all)
          .anyMatch(h -> h.hours().weekly().stream().anyMatch(w -> w.range().overnight()));
      assertThat(all)
          .anyMatch(
              h ->
                  h.hours().weekly().size() == 7
                      && h.hours().weekly().stream()
                          .allMatch(w -> w.range().opens() == 0 && w.range().end() == 1440));
      assertThat(all)
          .anyMatch(h -> h.hours().weekly().stream().noneMatch(w -> w.day() == DayOfWeek.SUNDAY));
      assertThat(all).anyMatch(h -> !h.hours().exceptions().isEmpty());
      assertThat(all).anyMatch(h -> h.hours().closure() != null);
      assertThat(all).anyMatch(h -> h.facilities().contains("bleed_kit"));
      assertThat(all.stream().map(Haven::category).distinct().count()).isGreaterThan(8);
      // at midday on a Wednesday most are open, some are not
      long open = all.stream().filter(h -> h.statusAt(clock.instant()).open()).count();
      assertThat(open).isBetween(150L, 295L);
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      TestPostgres.drop(db);
    }
  }
}
