package uk.gov.islington.youthsafety.content.reports;

/**
 * The life of a report. Moderators see the internal status; the reporter sees an honest, simpler
 * one: received → being looked at → passed to CSCT / Crimestoppers (only once the destination
 * really has it) → closed (with an outcome).
 */
public final class ReportStatus {

  public static final String RECEIVED = "received";
  public static final String IN_REVIEW = "in_review";

  /**
   * A moderator forwarded it; delivery is under way (e-mail) or waiting for the hand-off (manual).
   */
  public static final String FORWARDING = "forwarding";

  /** The destination has it. */
  public static final String FORWARDED = "forwarded";

  public static final String CLOSED = "closed";
  public static final String SPAM = "spam";

  public static final java.util.List<String> ALL =
      java.util.List.of(RECEIVED, IN_REVIEW, FORWARDING, FORWARDED, CLOSED, SPAM);

  private ReportStatus() {}

  public static boolean isClosed(String status) {
    return CLOSED.equals(status) || SPAM.equals(status);
  }

  /** received | being_looked_at | passed_to_csct | passed_to_crimestoppers | closed */
  public static String forReporter(String status, String destination) {
    return switch (status) {
      case RECEIVED -> "received";
      case IN_REVIEW, FORWARDING -> "being_looked_at";
      // the app's statuses name the two built-in destinations only; for a partner the text says
      // where
      case FORWARDED ->
          Destination.CRIMESTOPPERS.equals(destination)
              ? "passed_to_crimestoppers"
              : Destination.CSCT.equals(destination) ? "passed_to_csct" : "being_looked_at";
      default -> "closed";
    };
  }

  /** One sentence for the reporter, in plain words. */
  public static String explain(String reporterStatus) {
    return switch (reporterStatus) {
      case "received" -> "We have your report. A member of staff will look at it soon.";
      case "being_looked_at" -> "A member of staff is looking at your report.";
      case "passed_to_csct" ->
          "Your report has been passed to Islington's Children's Services Contact Team, who help keep children and young people safe.";
      case "passed_to_crimestoppers" ->
          "Your report has been passed to Crimestoppers, without anything that could identify you.";
      default -> "Your report is closed.";
    };
  }
}
