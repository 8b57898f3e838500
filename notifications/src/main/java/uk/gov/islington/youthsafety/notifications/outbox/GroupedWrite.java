package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes records of a fast stream in groups: while one group's statement is being written, the
 * records that arrive meanwhile wait and go together in the next, so a burst costs one commit per
 * group rather than one per record, and a lone record is written at once. Used where each outcome
 * of a send is recorded (an outbox row delivered, a bulletin e-mail sent): a record that a crash
 * delays only means that item is taken up again, which those writers already take as done.
 *
 * @param <T> what one record says
 * @param <R> what its writer answers for it
 */
public final class GroupedWrite<T, R> {

  private record Waiting<T, R>(T item, Promise<R> written) {}

  private final Function<List<T>, Future<List<R>>> write;
  private List<Waiting<T, R>> next = new ArrayList<>();
  private boolean writing;

  /**
   * @param write writes a group in one statement and answers one result per item, in order
   */
  public GroupedWrite(Function<List<T>, Future<List<R>>> write) {
    this.write = write;
  }

  public Future<R> submit(T item) {
    Promise<R> written = Promise.promise();
    boolean start;
    synchronized (this) {
      next.add(new Waiting<>(item, written));
      start = !writing;
      writing = true;
    }
    if (start) {
      writeNext();
    }
    return written.future();
  }

  private void writeNext() {
    List<Waiting<T, R>> group;
    synchronized (this) {
      if (next.isEmpty()) {
        writing = false;
        return;
      }
      group = next;
      next = new ArrayList<>();
    }
    Future<List<R>> done;
    try {
      done = write.apply(group.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.compose(
            results ->
                results.size() == group.size()
                    ? Future.succeededFuture(results)
                    : Future.<List<R>>failedFuture(
                        new IllegalStateException(
                            results.size() + " results for a group of " + group.size())))
        .onComplete(
            ar -> {
              // every waiting caller gets an answer, whatever the write did, and the next group
              // goes
              for (int i = 0; i < group.size(); i++) {
                if (ar.succeeded()) {
                  group.get(i).written().complete(ar.result().get(i));
                } else {
                  group.get(i).written().fail(ar.cause());
                }
              }
              writeNext();
            });
  }
}
