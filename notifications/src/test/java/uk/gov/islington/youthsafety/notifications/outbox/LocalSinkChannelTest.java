package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded default's stand-in for SMTP and FCM: what it delivered can be read back. */
class LocalSinkChannelTest extends DatabaseTest {

  @Test
  void storesWhatItDeliveredUnderTheChannelItStandsFor() {
    LocalSinkChannel email = new LocalSinkChannel("email", pool);
    LocalSinkChannel sink = new LocalSinkChannel(pool);
    assertThat(email.name()).isEqualTo("email");
    assertThat(sink.name()).isEqualTo("local-sink");
    JsonObject forward =
        new JsonObject().put("to", "csctreferrals@islington.gov.uk").put("subject", "Report R-1");
    long emailId = enqueue("email", "report-1-forward", forward);
    long sinkId = enqueue("local-sink", null, payload("hello"));

    assertThat(await(dispatcher(testOptions(), email, sink).runOnce())).isEqualTo(2);

    List<LocalSink.Entry> emails = await(LocalSink.list(pool, "email", 10));
    assertThat(emails).hasSize(1);
    LocalSink.Entry entry = emails.get(0);
    assertThat(entry.channel()).isEqualTo("email");
    assertThat(entry.dedupeKey()).isEqualTo("report-1-forward");
    assertThat(entry.payload()).isEqualTo(forward);
    assertThat(entry.deliveredAt()).isNotNull();
    // one dispatcher round delivers both at once, so their order in the sink is not fixed
    assertThat(await(LocalSink.list(pool, null, 10)))
        .extracting(LocalSink.Entry::channel)
        .containsExactlyInAnyOrder("local-sink", "email");
    assertThat(await(LocalSink.list(pool, null, 1))).hasSize(1);
    assertThat(row(emailId).getString("state")).isEqualTo("delivered");
    assertThat(row(sinkId).getString("state")).isEqualTo("delivered");
  }

  @Test
  void aRedeliveryIsStoredOnce() {
    LocalSinkChannel email = new LocalSinkChannel("email", pool);
    long id = enqueue("email", null, payload("x"));
    OutboxMessage message =
        await(new OutboxStore().claim(pool, new String[] {"email"}, 1, Duration.ofMinutes(1)))
            .get(0);

    assertThat(await(email.deliver(message))).isEqualTo(DeliveryResult.delivered());
    assertThat(await(email.deliver(message))).isEqualTo(DeliveryResult.delivered());
    assertThat(await(LocalSink.list(pool, "email", 10))).hasSize(1);
    assertThat(message.id()).isEqualTo(id);
  }

  @Test
  void purgeRemovesOldEntries() {
    LocalSinkChannel email = new LocalSinkChannel("email", pool);
    enqueue("email", null, payload("old"));
    await(dispatcher(testOptions(), email).runOnce());
    await(
        pool.query("UPDATE notifications.local_sink SET delivered_at = now() - interval '40 days'")
            .execute());
    enqueue("email", null, payload("new"));
    await(dispatcher(testOptions(), email).runOnce());

    // newest first
    assertThat(await(LocalSink.list(pool, "email", 10)))
        .extracting(e -> e.payload().getString("text"))
        .containsExactly("new", "old");
    assertThat(await(LocalSink.purgeOlderThan(pool, Duration.ofDays(30)))).isEqualTo(1);
    assertThat(await(LocalSink.list(pool, "email", 10)))
        .extracting(e -> e.payload().getString("text"))
        .containsExactly("new");
  }
}
