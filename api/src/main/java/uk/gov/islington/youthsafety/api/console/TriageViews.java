package uk.gov.islington.youthsafety.api.console;

import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.reports.TriageReport;

/** What the triage pages show. */
public final class TriageViews {

  private TriageViews() {}

  /**
   * One line of the queue; {@code claimedBy} is a username; {@code overdue}: unclaimed past the
   * triage target.
   */
  public record Row(
      String id,
      String reference,
      String category,
      String area,
      String destination,
      boolean urgent,
      String status,
      String age,
      String claimedBy,
      String delivery,
      boolean awaitingModerator,
      boolean overdue) {}

  /** A filter's choices: value, label, whether chosen. */
  public record Choice(String value, String label, boolean selected) {}

  public record Queue(
      List<Row> rows,
      List<Choice> statuses,
      List<Choice> destinations,
      List<Choice> urgency,
      String nextUrl,
      String firstUrl,
      String eventsUrl) {}

  /**
   * One report. The text, the conversation and the hand-off text are there only when {@code
   * showText} (the reading was audited); {@code names} maps staff ids to usernames.
   */
  public record Report(
      TriageReport report,
      boolean showText,
      Map<String, String> names,
      String age,
      String banner,
      List<FieldError> errors,
      boolean open,
      boolean claimedByMe,
      Map<String, String> destinations) {
    public String name(String staffId) {
      return staffId == null ? "nobody" : names.getOrDefault(staffId, "a former member of staff");
    }

    /** A destination's name, from its id. */
    public String destination(String id) {
      return destinations.getOrDefault(id, id);
    }
  }

  /**
   * The page that sends a report to another destination: the active ones other than its own, what
   * was chosen and typed (kept when the page comes back with errors).
   */
  public record Route(
      String reportId,
      String reference,
      String current,
      List<Destination> choices,
      String reason,
      List<FieldError> errors) {

    /** One choice; the first one's input carries the field's id, for the error summary's link. */
    public record Destination(
        String id, String name, String how, boolean selected, boolean first) {}

    public String error(String field) {
      return errors.stream()
          .filter(e -> field.equals(e.field()))
          .map(FieldError::message)
          .findFirst()
          .orElse(null);
    }
  }

  public record Audit(
      String reportId,
      String reference,
      List<TriageReport.AuditEntry> entries,
      Map<String, String> names,
      boolean canOpenReport) {
    public String name(String staffId) {
      return names.getOrDefault(staffId, "system");
    }
  }
}
