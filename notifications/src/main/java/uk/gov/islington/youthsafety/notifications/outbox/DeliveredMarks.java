package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks delivered messages in groups: while one group's statement is being written, the outcomes
 * that arrive meanwhile wait and go together in the next, so a fast send costs one commit per group
 * rather than one per message, and a lone outcome is written at once. A message whose mark is late
 * (a crash in between) is delivered again after its lease, which every channel takes as done.
 */
final class DeliveredMarks {

  private record Waiting(long id, int attempt, Promise<Boolean> marked) {}

  private final OutboxStore store;
  private final Pool pool;
  private List<Waiting> next = new ArrayList<>();
  private boolean writing;

  DeliveredMarks(OutboxStore store, Pool pool) {
    this.store = store;
    this.pool = pool;
  }

  /** Completes with whether the message was still this attempt's to mark (its lease held). */
  Future<Boolean> mark(long id, int attempt) {
    Promise<Boolean> marked = Promise.promise();
    boolean start;
    synchronized (this) {
      next.add(new Waiting(id, attempt, marked));
      start = !writing;
      writing = true;
    }
    if (start) {
      write();
    }
    return marked.future();
  }

  private void write() {
    List<Waiting> group;
    synchronized (this) {
      if (next.isEmpty()) {
        writing = false;
        return;
      }
      group = next;
      next = new ArrayList<>();
    }
    List<Long> ids = new ArrayList<>(group.size());
    List<Integer> attempts = new ArrayList<>(group.size());
    for (Waiting w : group) {
      ids.add(w.id());
      attempts.add(w.attempt());
    }
    store
        .markDelivered(pool, ids, attempts)
        .onComplete(
            ar -> {
              for (Waiting w : group) {
                if (ar.succeeded()) {
                  w.marked().complete(ar.result().contains(w.id()));
                } else {
                  w.marked().fail(ar.cause());
                }
              }
              write();
            });
  }
}
