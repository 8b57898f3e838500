package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subscriptions: idempotent, one per device, one device per token, keyed hash, purge. */
class PushSubscriptionsTest extends PushTestBase {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void subscribingTwiceIsOneSubscriptionRefreshed() {
    PushSubscription first =
        await(subscriptions().subscribe("d.alice", "tok-a", List.of("parents"), List.of(), T0));
    PushSubscription again =
        await(
            subscriptions()
                .subscribe("d.alice", "tok-a", List.of("parents"), List.of(), T0.plusSeconds(60)));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.createdAt()).isEqualTo(T0);
    assertThat(again.refreshedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(count("SELECT count(*) FROM notifications.push_subscriptions")).isEqualTo(1);
  }

  @Test
  void aNewTokenForTheSameDeviceReplacesTheOldOne() {
    await(subscriptions().subscribe("d.alice", "tok-old", List.of("parents"), List.of(), T0));
    PushSubscription s =
        await(
            subscriptions()
                .subscribe(
                    "d.alice",
                    "tok-new",
                    List.of("parents", "professionals"),
                    List.of("highbury"),
                    T0.plusSeconds(5)));
    assertThat(s.audiences()).containsExactly("parents", "professionals");
    assertThat(s.areas()).containsExactly("highbury");
    assertThat(tokens()).containsExactly("tok-new");
  }

  @Test
  void aTokenSeenUnderANewDeviceSubjectMovesThereInsteadOfBeingPushedTwice() {
    await(
        subscriptions()
            .subscribe("d.old-install-token", "tok-phone", List.of("parents"), List.of(), T0));
    await(
        subscriptions()
            .subscribe("d.new-install-token", "tok-phone", List.of("young_people"), List.of(), T0));
    assertThat(tokens()).containsExactly("tok-phone");
    assertThat(await(subscriptions().find("d.old-install-token"))).isEmpty();
    assertThat(await(subscriptions().find("d.new-install-token")).orElseThrow().audiences())
        .containsExactly("young_people");
  }

  @Test
  void concurrentIdenticalSubscribesLeaveOneRow() {
    List<Future<PushSubscription>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          subscriptions().subscribe("d.racer", "tok-race", List.of("parents"), List.of(), T0));
    }
    await(Future.all(calls));
    assertThat(count("SELECT count(*) FROM notifications.push_subscriptions")).isEqualTo(1);
  }

  @Test
  void unsubscribeRemovesTheTokenEverywhereAndIsIdempotent() {
    await(subscriptions().subscribe("d.bob", "tok-bob", List.of("parents"), List.of(), T0));
    assertThat(await(subscriptions().unsubscribe("d.bob"))).isTrue();
    assertThat(await(subscriptions().unsubscribe("d.bob"))).isFalse();
    assertThat(count("SELECT count(*) FROM notifications.push_subscriptions")).isZero();
    String everything =
        await(
                pool.query(
                        "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM notifications.outbox) t")
                    .execute())
            .iterator()
            .next()
            .getString(0);
    assertThat(everything == null ? "" : everything).doesNotContain("tok-bob");
  }

  @Test
  void theDeviceSubjectIsNeverStoredOnlyItsKeyedHash() {
    await(
        subscriptions().subscribe("d.secret-subject", "tok-c", List.of("parents"), List.of(), T0));
    Row r = row("SELECT subscriber, t::text AS whole FROM notifications.push_subscriptions t");
    assertThat(r.getString("whole")).doesNotContain("secret-subject");
    byte[] stored = r.getBuffer("subscriber").getBytes();
    assertThat(stored).hasSize(32).isEqualTo(KEYS.of("d.secret-subject"));
    SubscriberKeys otherKey =
        new SubscriberKeys(
            "another secret of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8));
    assertThat(otherKey.of("d.secret-subject")).isNotEqualTo(stored);
    assertThatThrownBy(() -> new SubscriberKeys(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idleSubscriptionsArePurged() {
    await(subscriptions().subscribe("d.idle", "tok-idle", List.of("parents"), List.of(), T0));
    await(
        subscriptions()
            .subscribe(
                "d.active",
                "tok-active",
                List.of("parents"),
                List.of(),
                T0.plus(Duration.ofDays(200))));
    int purged = await(PushSubscriptions.purgeIdle(pool, T0.plus(Duration.ofDays(100))));
    assertThat(purged).isEqualTo(1);
    assertThat(tokens()).containsExactly("tok-active");
  }

  @Test
  void targetingMatchesAnyAudienceAndAreaOrBoroughWide() {
    await(
        subscriptions().subscribe("d.1", "t-parent-everywhere", List.of("parents"), List.of(), T0));
    await(
        subscriptions()
            .subscribe("d.2", "t-parent-highbury", List.of("parents"), List.of("highbury"), T0));
    await(
        subscriptions()
            .subscribe("d.3", "t-parent-holloway", List.of("parents"), List.of("holloway"), T0));
    await(
        subscriptions()
            .subscribe("d.4", "t-pro-highbury", List.of("professionals"), List.of("highbury"), T0));
    await(subscriptions().subscribe("d.5", "t-young", List.of("young_people"), List.of(), T0));
    int targeted =
        await(
                pool.withTransaction(
                    tx ->
                        PushFanout.start(
                            tx,
                            "job-target",
                            message("job-target", false),
                            new PushFanout.Target(
                                List.of("parents", "professionals"), List.of("highbury")),
                            null,
                            500,
                            T0)))
            .orElseThrow();
    assertThat(targeted).isEqualTo(3); // everywhere, parent-highbury, pro-highbury
    int all =
        await(
                pool.withTransaction(
                    tx ->
                        PushFanout.start(
                            tx,
                            "job-all",
                            message("job-all", false),
                            new PushFanout.Target(
                                List.of("parents", "professionals", "young_people"), List.of()),
                            null,
                            500,
                            T0)))
            .orElseThrow();
    assertThat(all).isEqualTo(5);
  }

  private List<String> tokens() {
    List<String> out = new ArrayList<>();
    await(
            pool.query("SELECT fcm_token FROM notifications.push_subscriptions ORDER BY id")
                .execute())
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }
}
