package uk.gov.islington.youthsafety.content.bulletins;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;
import uk.gov.islington.youthsafety.notifications.push.PushSubscriptions;
import uk.gov.islington.youthsafety.notifications.push.SubscriberKeys;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/** The service and its channels against a real database, without HTTP or a dispatcher. */
class BulletinsServiceTest {

  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-05-01T09:00:00Z"));
  static Bulletins bulletins;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("notifications", "content");
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    bulletins = new Bulletins(pool, CLOCK, 2);
    PushSubscriptions subs =
        new PushSubscriptions(
            pool,
            new SubscriberKeys(
                "a test secret of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8)));
    for (int i = 0; i < 5; i++) {
      await(
          subs.subscribe(
              "d.dev" + i, "token-" + i, List.of("parents"), List.of(), CLOCK.instant()));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  private static String draft(String title) {
    return await(
            bulletins.create(
                new BulletinDraft(
                    title, "Body of " + title, List.of("parents"), List.of(), null, false),
                "staff-1",
                "key-" + title))
        .bulletin()
        .id();
  }

  @Test
  void concurrentSendsScheduleOnceAndEnqueueOneFanOut() {
    String id = draft("concurrent");
    List<Future<Bulletin>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(bulletins.send(id, null, "staff-" + i));
    }
    await(Future.all(sends));
    sends.forEach(s -> assertThat(s.result().state()).isEqualTo("scheduled"));
    assertThat(
            count(
                "SELECT count(*) FROM notifications.outbox WHERE dedupe_key = $1",
                "bulletin-fanout:" + id))
        .isEqualTo(1);
  }

  @Test
  void theFanOutAndTheSentMarkHappenOnceHoweverOftenTheyAreDelivered() {
    String id = draft("redelivered");
    await(bulletins.send(id, null, "staff-1"));
    Channel fanout = channel(Bulletins.FANOUT_CHANNEL);
    Channel sent = channel(Bulletins.SENT_CHANNEL);
    OutboxMessage message =
        new OutboxMessage(
            1,
            Bulletins.FANOUT_CHANNEL,
            "x",
            new JsonObject().put("bulletinId", id),
            1,
            CLOCK.instant());
    CLOCK.advance(Duration.ofMinutes(1));
    assertThat(await(fanout.deliver(message))).isInstanceOf(DeliveryResult.Delivered.class);
    assertThat(await(fanout.deliver(message))).isInstanceOf(DeliveryResult.Delivered.class);

    Bulletin sending = await(bulletins.get(id, false));
    assertThat(sending.state()).isEqualTo("sending");
    assertThat(sending.publishedAt()).isEqualTo(CLOCK.instant());
    assertThat(
            count("SELECT count(*) FROM notifications.push_jobs WHERE id = $1", "bulletin:" + id))
        .isEqualTo(1);
    assertThat(
            count("SELECT targeted FROM notifications.push_jobs WHERE id = $1", "bulletin:" + id))
        .isEqualTo(5);
    assertThat(
            count(
                "SELECT count(*) FROM notifications.push_batches WHERE job_id = $1",
                "bulletin:" + id))
        .isEqualTo(3);
    assertThat(
            count(
                "SELECT count(*) FROM notifications.outbox WHERE channel = 'push' AND payload->>'job' = $1",
                "bulletin:" + id))
        .isEqualTo(3);

    OutboxMessage done =
        new OutboxMessage(
            2,
            Bulletins.SENT_CHANNEL,
            "y",
            new JsonObject().put("bulletinId", id),
            1,
            CLOCK.instant());
    await(sent.deliver(done));
    Instant sentAt = await(bulletins.get(id, false)).sentAt();
    CLOCK.advance(Duration.ofMinutes(1));
    await(sent.deliver(done));
    Bulletin after = await(bulletins.get(id, false));
    assertThat(after.state()).isEqualTo("sent");
    assertThat(after.sentAt()).isEqualTo(sentAt);
  }

  @Test
  void thePushCarriesAPreviewAndTheIdNeverTheWholeText() {
    Bulletin b =
        new Bulletin(
            "bul_AAAAAAAAAAAAAAAAAAAAAA",
            "Title",
            "word ".repeat(1000),
            List.of("parents"),
            List.of(),
            "https://example.org",
            true,
            "sending",
            null,
            null,
            null,
            null,
            null);
    var m = Bulletins.pushMessage(b);
    assertThat(m.body().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(Bulletins.PUSH_BODY_BYTES);
    assertThat(m.data()).containsEntry("bulletinId", b.id()).containsEntry("urgent", "true");
    assertThat(m.collapseKey()).isEqualTo(b.id());
    assertThat(m.ttl()).isEqualTo(Duration.ofDays(1));
    assertThat(m.payloadBytes()).isLessThan(4096);
  }

  private static Channel channel(String name) {
    return bulletins.channels().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static long count(String sql, Object... params) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
