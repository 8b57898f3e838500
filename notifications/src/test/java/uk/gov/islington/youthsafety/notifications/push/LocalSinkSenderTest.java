package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSink;

/** The embedded default: no FCM, one sink entry per batch, every token counted as sent. */
class LocalSinkSenderTest extends PushTestBase {

  @Test
  void batchesLandInTheLocalSinkAndTheReportCountsThemSent() {
    List<String> tokens = subscribe(7, "sink");
    start("job-sink", false, 3);
    Dispatcher d =
        dispatcher(
            vertx,
            pool,
            testOptions(),
            channel(pool, new LocalSinkSender(pool)),
            completionChannel());

    drain(d);
    // a batch handed over again adds nothing
    await(
        pool.query(
                "UPDATE notifications.outbox SET state = 'pending', next_attempt_at = now()"
                    + " WHERE channel = 'push'")
            .execute());
    drain(d);

    PushJobStatus s = status("job-sink");
    assertThat(s.sent()).isEqualTo(7);
    assertThat(s.complete()).isTrue();
    var entries = await(LocalSink.list(pool, "push", 10));
    assertThat(entries).hasSize(3);
    assertThat(entries)
        .allSatisfy(
            e -> {
              assertThat(e.payload().getJsonObject("notification").getString("title"))
                  .isEqualTo("Knife crime awareness evening");
              assertThat(e.payload().getString("job")).isEqualTo("job-sink");
              for (String t : tokens) {
                assertThat(e.payload().encode()).doesNotContain(t);
              }
            });
    assertThat(entries.stream().mapToInt(e -> e.payload().getInteger("recipients")).sum())
        .isEqualTo(7);
    assertThat(fcm.requests()).isEmpty();
    assertThat(completions).hasSize(1);
  }
}
