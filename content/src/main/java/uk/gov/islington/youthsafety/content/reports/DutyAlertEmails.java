package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import uk.gov.islington.youthsafety.notifications.email.Email;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * The e-mail of a duty alert, composed from its outbox payload alone. It says that reports are
 * waiting, how urgent, their category group and where the queue is: never a report's words, area,
 * reference or receipt, because a mailbox keeps, forwards and previews what it is sent.
 */
public final class DutyAlertEmails implements EmailSource {

  private final DutyAlerts.Settings settings;

  public DutyAlertEmails(DutyAlerts.Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<Email> compose(OutboxMessage message) {
    JsonObject p = message.payload();
    String kind = p.getString("kind", "");
    String to =
        ("escalation".equals(kind) ? settings.escalationEmail() : settings.dutyEmail())
            .orElse(null);
    if (to == null) {
      return Future.failedFuture(new NothingToSend("no inbox is configured for this alert"));
    }
    String messageId = "<duty-alert-" + message.id() + "@youth-safety.islington.gov.uk>";
    return switch (kind) {
      case "urgent" ->
          Future.succeededFuture(
              new Email(
                  List.of(to),
                  "URGENT: a report is waiting in Youth Safety triage",
                  "An urgent report is waiting in the Youth Safety triage queue: the young person said someone is in\n"
                      + "danger right now. Please claim it.\n\n"
                      + "Category group: "
                      + p.getString("group", "not known")
                      + "\n\n"
                      + footer(),
                  messageId));
      case "escalation" ->
          Future.succeededFuture(
              new Email(
                  List.of(to),
                  "ESCALATION: an urgent report has waited "
                      + p.getLong("waitedMinutes", 0L)
                      + " minutes unclaimed",
                  "An urgent report has waited "
                      + p.getLong("waitedMinutes", 0L)
                      + " minutes in the Youth Safety triage\n"
                      + "queue and nobody has claimed it. The young person said someone is in danger right now.\n\n"
                      + "Category group: "
                      + p.getString("group", "not known")
                      + "\n\n"
                      + "You will be told again every "
                      + settings.escalateAfter().toMinutes()
                      + " minutes until someone"
                      + " claims it.\n\n"
                      + footer(),
                  messageId));
      case "digest" ->
          Future.succeededFuture(
              new Email(
                  List.of(to),
                  "Reports are waiting in Youth Safety triage",
                  digest(p.getJsonObject("groups", new JsonObject())),
                  messageId));
      case "overdue" ->
          Future.succeededFuture(
              new Email(
                  List.of(to),
                  "Reports are overdue in Youth Safety triage",
                  overdue(
                      p.getJsonObject("groups", new JsonObject()), p.getInteger("targetDays", 1)),
                  messageId));
      default -> Future.failedFuture(new NothingToSend("not a duty alert"));
    };
  }

  private String digest(JsonObject groups) {
    StringBuilder sb =
        new StringBuilder("New reports are waiting in the Youth Safety triage queue:\n\n");
    groups.forEach(
        e -> sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
    return sb.append('\n').append(footer()).toString();
  }

  private String overdue(JsonObject groups, int targetDays) {
    StringBuilder sb =
        new StringBuilder(
            "These reports have waited more than "
                + targetDays
                + " working day"
                + (targetDays == 1 ? "" : "s")
                + " in the Youth Safety\ntriage queue and nobody has claimed them:\n\n");
    groups.forEach(
        e -> sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
    return sb.append('\n').append(footer()).toString();
  }

  private String footer() {
    return "Open the queue: "
        + settings.consoleUrl()
        + "\n\n"
        + "This alert says nothing else about the report on purpose: read it in the console.\n";
  }

  /** What the local sink keeps of an alert: all of it, since an alert holds no report content. */
  public static JsonObject sinkPayload(LocalSinkTransport.EmailAndMessage m) {
    return new JsonObject()
        .put("to", new JsonArray(m.email().to()))
        .put("subject", m.email().subject())
        .put("messageId", m.email().messageId())
        .put("text", m.email().text());
  }
}
