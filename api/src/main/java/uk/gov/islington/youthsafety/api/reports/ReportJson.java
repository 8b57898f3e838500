package uk.gov.islington.youthsafety.api.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.reports.AuditVerification;
import uk.gov.islington.youthsafety.content.reports.Destination;
import uk.gov.islington.youthsafety.content.reports.DutyDevice;
import uk.gov.islington.youthsafety.content.reports.ReportCategory;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.reports.ReportStatistics;
import uk.gov.islington.youthsafety.content.reports.ReporterView;
import uk.gov.islington.youthsafety.content.reports.TriageItem;
import uk.gov.islington.youthsafety.content.reports.TriageReport;

/** Domain records of reports as the contract's JSON. */
final class ReportJson {

  private ReportJson() {}

  static JsonObject category(ReportCategory c, Map<String, Destination> destinations) {
    Destination d = destinations.get(c.destination());
    return new JsonObject()
        .put("id", c.id())
        .put("label", c.label())
        .put("description", c.description())
        .put("destination", c.destination())
        .put("destinationName", d == null ? c.destination() : d.name())
        .put("guidance", c.guidance())
        .put("contacts", c.contacts())
        .put("sortOrder", c.sortOrder())
        .put("active", c.active());
  }

  static JsonObject destination(Destination d) {
    return new JsonObject()
        .put("id", d.id())
        .put("name", d.name())
        .put("shortName", d.shortName())
        .put("channel", d.channel())
        .put("email", d.email())
        .put("phone", d.phone())
        .put("website", d.website())
        .put("handoffInstructions", d.handoffInstructions())
        .put("guidance", d.guidance())
        .put("active", d.active())
        .put("builtIn", d.builtIn());
  }

  static JsonObject statistics(List<ReportStatistics.Month> months) {
    JsonArray out = new JsonArray();
    for (ReportStatistics.Month m : months) {
      JsonObject month =
          new JsonObject().put("month", m.month().toString()).put("total", m.total());
      m.breakdowns()
          .forEach(
              (dimension, cells) ->
                  month.put(
                      dimension,
                      new JsonArray(
                          cells.stream()
                              .map(
                                  c ->
                                      new JsonObject()
                                          .put("value", c.key())
                                          .put("reports", c.count())
                                          .put("suppressed", c.suppressed()))
                              .toList())));
      out.add(month);
    }
    return new JsonObject().put("threshold", ReportStatistics.THRESHOLD).put("months", out);
  }

  /**
   * One line per published cell: month, breakdown ("total" for the month's), value, reports (empty:
   * withheld).
   */
  static String statisticsCsv(List<ReportStatistics.Month> months) {
    StringBuilder sb = new StringBuilder("month,breakdown,value,reports,suppressed\r\n");
    for (ReportStatistics.Month m : months) {
      sb.append(m.month())
          .append(",total,,")
          .append(m.total() == null ? "" : m.total())
          .append(',')
          .append(m.total() == null)
          .append("\r\n");
      m.breakdowns()
          .forEach(
              (dimension, cells) ->
                  cells.forEach(
                      c ->
                          sb.append(m.month())
                              .append(',')
                              .append(dimension)
                              .append(',')
                              .append(c.key())
                              .append(',')
                              .append(c.count() == null ? "" : c.count())
                              .append(',')
                              .append(c.suppressed())
                              .append("\r\n")));
    }
    return sb.toString();
  }

  static JsonObject reporterView(ReporterView v) {
    return new JsonObject()
        .put("status", v.status())
        .put("statusText", v.statusText())
        .put("destination", v.destination())
        .put("destinationName", v.destinationName())
        .put("updatedOn", v.updatedOn().toString())
        .put("outcome", v.outcome())
        .put("awaitingReply", v.awaitingReply())
        .put("open", v.open())
        .put(
            "messages",
            new JsonArray(
                v.messages().stream()
                    .map(
                        m ->
                            new JsonObject()
                                .put("from", m.from())
                                .put("text", m.text())
                                .put("sentOn", m.sentOn().toString()))
                    .toList()));
  }

  /** A moderator's duty phone without its token; null: none registered. */
  static JsonObject dutyDevice(DutyDevice d) {
    return new JsonObject().put("registered", d != null).put("onDuty", d != null && d.onDuty());
  }

  static JsonObject triageItem(TriageItem i) {
    return new JsonObject()
        .put("id", i.id())
        .put("reference", i.reference())
        .put("category", new JsonObject().put("id", i.categoryId()).put("label", i.categoryLabel()))
        .put("destination", i.destination())
        .put("urgent", i.urgent())
        .put("status", i.status())
        .put("createdOn", i.createdOn().toString())
        .put("updatedOn", i.updatedOn().toString())
        .put("claimedBy", i.claimedBy())
        .put("delivery", i.delivery())
        .put("awaitingModerator", i.awaitingModerator())
        .put("area", i.areaLabel())
        .put("overdue", i.overdue());
  }

  static JsonObject triageReport(TriageReport r) {
    return new JsonObject()
        .put("id", r.id())
        .put("reference", r.reference())
        .put("category", new JsonObject().put("id", r.categoryId()).put("label", r.categoryLabel()))
        .put("destination", r.destination())
        .put("urgent", r.urgent())
        .put("immediateDanger", r.immediateDanger())
        .put(
            "area",
            r.areaId() == null
                ? null
                : new JsonObject().put("id", r.areaId()).put("label", r.areaLabel()))
        .put("happenedWhen", r.happenedWhen())
        .put("description", r.description())
        .put("status", r.status())
        .put("reporterStatus", r.reporterStatus())
        .put("outcome", r.outcome())
        .put("createdOn", r.createdOn().toString())
        .put("updatedOn", r.updatedOn().toString())
        .put("closedOn", r.closedOn() == null ? null : r.closedOn().toString())
        .put("claimedBy", r.claimedBy())
        .put(
            "messages",
            new JsonArray(
                r.messages().stream()
                    .map(
                        m ->
                            new JsonObject()
                                .put("author", m.author())
                                .put("staffId", m.staffId())
                                .put("text", m.text())
                                .put("sentOn", m.sentOn().toString()))
                    .toList()))
        .put("forwards", new JsonArray(r.forwards().stream().map(ReportJson::forward).toList()))
        .put("history", new JsonArray(r.history().stream().map(ReportJson::auditEntry).toList()));
  }

  static JsonObject auditEntry(TriageReport.AuditEntry h) {
    return new JsonObject()
        .put("action", h.action())
        .put("by", h.staffId())
        .put("at", h.at().toString())
        .put("detail", h.detail());
  }

  private static JsonObject forward(TriageReport.Forward f) {
    return new JsonObject()
        .put("id", f.id())
        .put("destination", f.destination())
        .put("channel", f.channel())
        .put("recipient", f.recipient())
        .put("state", f.state())
        .put("requestedBy", f.requestedBy())
        .put("requestedAt", f.requestedAt().toString())
        .put("deliveredAt", f.deliveredAt() == null ? null : f.deliveredAt().toString())
        .put("deliveredVia", f.deliveredVia())
        .put("externalReference", f.externalReference())
        .put("attempts", f.attempts())
        .put("lastError", f.lastError())
        .put("nextAttemptAt", f.nextAttemptAt() == null ? null : f.nextAttemptAt().toString())
        .put(
            "handoff",
            f.handoff() == null
                ? null
                : new JsonObject()
                    .put("instructions", f.handoff().instructions())
                    .put("text", f.handoff().text())
                    .put("phone", f.handoff().phone())
                    .put("url", f.handoff().url()));
  }

  static JsonObject auditVerification(AuditVerification v) {
    JsonObject out = new JsonObject().put("intact", v.intact()).put("rowsChecked", v.rowsChecked());
    if (!v.intact()) {
      out.put(
          "brokenAt",
          new JsonObject()
              .put("chainSeq", v.brokenAtSeq())
              .put("rowId", v.brokenAtId())
              .put("problem", v.problem()));
    }
    return out;
  }

  static JsonObject sinkMail(ReportModeration.SinkMail m) {
    return new JsonObject()
        .put("id", m.id())
        .put("to", new JsonArray(m.to()))
        .put("subject", m.subject())
        .put("text", m.text())
        .put("storedAt", m.storedAt().toString());
  }
}
