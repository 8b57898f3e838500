package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's delivered marks: outcomes that arrive while a mark is being written go together
 * in the next statement (one transaction, so one {@code delivered_at}), and a message whose lease
 * was lost is told so without holding back the others of its group.
 */
class GroupedWriteTest extends DatabaseTest {

  @Test
  void marksArrivingMeanwhileShareOneStatementAndALostLeaseIsToldApart() {
    List<Long> ids =
        List.of(
            enqueue("email", null, payload("a")),
            enqueue("email", null, payload("b")),
            enqueue("email", null, payload("c")),
            enqueue("email", null, payload("d")));
    await(pool.query("UPDATE notifications.outbox SET attempts = 1").execute());
    // the fourth was claimed again by another worker meanwhile
    await(
        pool.preparedQuery("UPDATE notifications.outbox SET attempts = 2 WHERE id = $1")
            .execute(Tuple.of(ids.get(3))));
    OutboxStore store = new OutboxStore();
    // the first statement is held until the others have arrived: "meanwhile" whatever the load
    io.vertx.core.Promise<Void> firstHeld = io.vertx.core.Promise.promise();
    List<Integer> groupSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    GroupedWrite<OutboxMessage, Boolean> marks =
        new GroupedWrite<>(
            messages -> {
              groupSizes.add(messages.size());
              Future<Void> turn =
                  groupSizes.size() == 1 ? firstHeld.future() : Future.succeededFuture();
              return turn.compose(v -> store.markDelivered(pool, messages));
            });

    List<Future<Boolean>> marked =
        ids.stream()
            .map(
                id ->
                    marks.submit(
                        new OutboxMessage(id, "email", null, payload("x"), 1, Instant.now())))
            .toList();
    firstHeld.complete();

    assertThat(marked.stream().map(DatabaseTest::await).toList())
        .containsExactly(true, true, true, false);
    assertThat(ids.subList(0, 3))
        .allSatisfy(id -> assertThat(row(id).getString("state")).isEqualTo("delivered"));
    assertThat(row(ids.get(3)).getString("state")).isEqualTo("pending");
    assertThat(deliveredAt(ids.get(1)))
        .as("the second and third waited for the first and went together")
        .isEqualTo(deliveredAt(ids.get(2)));
    assertThat(groupSizes).containsExactly(1, 3);
  }

  @Test
  void aFailedOrMiscountedWriteFailsItsGroupOnlyAndTheNextGroupStillGoes() {
    List<List<Integer>> groups = new java.util.ArrayList<>();
    io.vertx.core.Promise<List<String>> first = io.vertx.core.Promise.promise();
    GroupedWrite<Integer, String> write =
        new GroupedWrite<>(
            items -> {
              groups.add(items);
              if (groups.size() == 1) {
                return first.future();
              }
              return groups.size() == 2
                  ? Future.succeededFuture(List.of("only one answer"))
                  : Future.succeededFuture(items.stream().map(i -> "wrote " + i).toList());
            });

    Future<String> a = write.submit(1);
    Future<String> b = write.submit(2);
    Future<String> c = write.submit(3);
    first.fail(new IllegalStateException("database away"));
    Future<String> d = write.submit(4);

    assertThat(groups).containsExactly(List.of(1), List.of(2, 3), List.of(4));
    assertThat(a.failed()).isTrue();
    assertThat(b.failed()).as("two items, one answer: failed, not left waiting").isTrue();
    assertThat(c.failed()).isTrue();
    assertThat(d.result()).isEqualTo("wrote 4");
  }

  private String deliveredAt(long id) {
    return await(
            pool.preparedQuery("SELECT delivered_at::text FROM notifications.outbox WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next()
        .getString(0);
  }
}
