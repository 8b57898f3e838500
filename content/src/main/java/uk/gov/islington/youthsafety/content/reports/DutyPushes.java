package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;
import uk.gov.islington.youthsafety.notifications.push.PushSender;

/**
 * Urgent reports' alerts by push to the phones of the moderators on duty, and the registration of
 * those phones. The outbox row (one per urgent report, committed with it) holds what an e-mail
 * alert holds: how urgent and the category group, nothing of the report. Its recipients are read
 * when it is delivered, so a moderator who comes on duty a moment later still gets it; whom it
 * reached is recorded, so a retry reaches only the others.
 */
public final class DutyPushes implements Channel {

  /** The outbox channel of duty pushes. */
  public static final String CHANNEL = "report-duty-push";

  private static final int MAX_TOKEN = 4096;

  private final Pool pool;
  private final Clock clock;
  private final PushSender sender;
  private final String consoleUrl;
  private final ReportStore store = new ReportStore();

  public DutyPushes(Pool pool, Clock clock, PushSender sender, String consoleUrl) {
    this.pool = pool;
    this.clock = clock;
    this.sender = sender;
    this.consoleUrl = consoleUrl;
  }

  // ---- a moderator's phone -------------------------------------------------------------------

  /** The moderator's registered phone, if any. */
  public Future<Optional<DutyDevice>> device(String staffId) {
    return store.dutyDevice(pool, staffId);
  }

  /** Registers (or replaces) the moderator's phone and whether they are on duty. */
  public Future<DutyDevice> register(String staffId, String fcmToken, Boolean onDuty) {
    InvalidInput.Builder errors = InvalidInput.builder();
    if (fcmToken == null || fcmToken.isBlank()) {
      errors.add("fcmToken", "is required");
    } else if (fcmToken.length() < 20
        || fcmToken.length() > MAX_TOKEN
        || !fcmToken.matches("[A-Za-z0-9_:\\-.]+")) {
      errors.add("fcmToken", "is not an FCM registration token");
    }
    if (onDuty == null) {
      errors.add("onDuty", "is required");
    }
    errors.throwIfAny();
    DutyDevice device = new DutyDevice(staffId, fcmToken, onDuty);
    return store
        .saveDutyDevice(pool, device, clock.instant())
        .map(device)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof io.vertx.pgclient.PgException pg
                            && "23503".equals(pg.getSqlState())
                        ? new DomainException.Forbidden("this staff account no longer exists")
                        : e));
  }

  /** Forgets the moderator's phone: no more duty pushes. Answers whether there was one. */
  public Future<Boolean> unregister(String staffId) {
    return store.removeDutyDevices(pool, List.of(staffId)).map(n -> n > 0);
  }

  /** Forgets whom finished alerts reached (retention). */
  public static Future<Integer> purgeReached(Pool pool) {
    return ReportStore.purgeDutyPushesSent(pool);
  }

  // ---- the channel ---------------------------------------------------------------------------

  @Override
  public String name() {
    return CHANNEL;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    JsonObject p = message.payload();
    return store
        .dutyDevicesToReach(pool, message.id(), PushFanout.MAX_BATCH_SIZE)
        .compose(
            devices -> {
              if (devices.isEmpty()) {
                return Future.succeededFuture(DeliveryResult.delivered());
              }
              List<String> tokens = devices.stream().map(DutyDevice::fcmToken).toList();
              return sender
                  .send(message, push(message, p), tokens)
                  .compose(
                      result -> {
                        if (result instanceof PushSender.SendResult.NotNow notNow) {
                          return Future.succeededFuture(
                              DeliveryResult.retryLater(notNow.delay(), notNow.reason()));
                        }
                        List<PushSender.Outcome> outcomes =
                            ((PushSender.SendResult.Outcomes) result).outcomes();
                        List<String> reached = new ArrayList<>();
                        List<String> gone = new ArrayList<>();
                        Duration retryAfter = null;
                        String retryReason = null;
                        for (int i = 0; i < outcomes.size(); i++) {
                          PushSender.Outcome o = outcomes.get(i);
                          String staffId = devices.get(i).staffId();
                          if (o instanceof PushSender.Outcome.Sent) {
                            reached.add(staffId);
                          } else if (o instanceof PushSender.Outcome.InvalidToken) {
                            gone.add(staffId);
                          } else if (o instanceof PushSender.Outcome.Failed) {
                            reached.add(
                                staffId); // permanent for this message: trying again would fail
                            // again
                          } else if (o instanceof PushSender.Outcome.Retry r) {
                            retryAfter = r.after();
                            retryReason = r.reason();
                          }
                        }
                        boolean more = devices.size() == PushFanout.MAX_BATCH_SIZE;
                        Duration after = retryAfter;
                        String reason = retryReason;
                        return store
                            .dutyPushesSent(pool, message.id(), reached)
                            .compose(v -> store.removeDutyDevices(pool, gone))
                            .map(
                                v ->
                                    reason != null
                                        ? DeliveryResult.retryLater(after, reason)
                                        : more
                                            ? DeliveryResult.retryLater(
                                                Duration.ZERO, "more moderators on duty")
                                            : DeliveryResult.delivered());
                      });
            });
  }

  private PushMessage push(OutboxMessage message, JsonObject p) {
    String group = p.getString("group", "not known");
    return new PushMessage(
        "Urgent report waiting",
        "An urgent report (" + group + ") is waiting in Youth Safety triage. Please claim it.",
        Map.of("type", "duty-alert", "link", consoleUrl),
        "duty-" + message.id(),
        true,
        Duration.ofHours(1));
  }
}
