package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSinkChannel;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * The embedded default's stand-in for FCM: one local-sink entry per batch (the notification and how
 * many phones it was for, never the tokens), and every token counts as sent, so the delivery report
 * works end to end without a Firebase project.
 */
public final class LocalSinkSender implements PushSender {

  private final LocalSinkChannel sink;

  public LocalSinkSender(Pool pool) {
    this.sink = new LocalSinkChannel(PushBatchChannel.NAME, pool);
  }

  @Override
  public Future<SendResult> send(OutboxMessage origin, PushMessage message, List<String> tokens) {
    JsonObject entry =
        origin
            .payload()
            .copy()
            .put(
                "notification",
                new JsonObject().put("title", message.title()).put("body", message.body()))
            .put("data", message.toJson().getJsonObject("data"))
            .put("urgent", message.urgent())
            .put("recipients", tokens.size());
    // keyed by the batch's outbox id: a repeated attempt does not add a second entry
    OutboxMessage stored =
        new OutboxMessage(
            origin.id(),
            origin.channel(),
            origin.dedupeKey(),
            entry,
            origin.attempt(),
            origin.createdAt());
    return sink.deliver(stored)
        .map(
            result -> {
              List<Outcome> outcomes = new ArrayList<>(tokens.size());
              for (int i = 0; i < tokens.size(); i++) {
                outcomes.add(
                    result instanceof DeliveryResult.Delivered
                        ? Outcome.SENT
                        : new Outcome.Retry(null, "local sink unavailable"));
              }
              return new SendResult.Outcomes(outcomes);
            });
  }
}
