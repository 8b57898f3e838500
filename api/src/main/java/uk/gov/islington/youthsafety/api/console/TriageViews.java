package uk.gov.islington.youthsafety.api.console;

import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.reports.TriageReport;

/** What the triage pages show. */
public final class TriageViews {

  private TriageViews() {}

  /** One line of the queue; {@code claimedBy} is a username; {@code overdue}: unclaimed past the triage target. */
  public record Row(String id, String reference, String category, String area, String destination, boolean urgent,
                    String status, String age, String claimedBy, String delivery, boolean awaitingModerator,
                    boolean overdue) {}

  /** A filter's choices: value, label, whether chosen. */
  public record Choice(String value, String label, boolean selected) {}

  public record Queue(List<Row> rows, List<Choice> statuses, List<Choice> destinations, List<Choice> urgency,
                      String nextUrl, String firstUrl, String eventsUrl) {}

  /**
   * One report. The text, the conversation and the hand-off text are there only when
   * {@code showText} (the reading was audited); {@code names} maps staff ids to usernames.
   */
  public record Report(TriageReport report, boolean showText, Map<String, String> names, String age,
                       String banner, List<FieldError> errors, boolean open, boolean claimedByMe) {
    public String name(String staffId) {
      return staffId == null ? "nobody" : names.getOrDefault(staffId, "a former member of staff");
    }
  }

  public record Audit(String reportId, String reference, List<TriageReport.AuditEntry> entries, Map<String, String> names,
                      boolean canOpenReport) {
    public String name(String staffId) {
      return names.getOrDefault(staffId, "system");
    }
  }
}
