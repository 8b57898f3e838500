package uk.gov.islington.youthsafety.api.reports;

import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.content.reports.DutyAlerts;
import uk.gov.islington.youthsafety.content.reports.WorkingDays;

/** What the reports cannot do as configured: for readiness, the console's banner and the log. */
final class ReportWarnings {

  private ReportWarnings() {}

  /**
   * @param outdated the bank holidays, when they end before today; else null
   */
  static List<String> of(
      boolean localSink, boolean emailUsed, DutyAlerts.Settings alerts, WorkingDays outdated) {
    List<String> out = new ArrayList<>();
    if (localSink && emailUsed) {
      out.add(
          "E-mail is not configured: referrals and duty alerts are kept in the local mail sink and nobody "
              + "receives them. Referrals stay \"waiting to be sent\". Set SMTP_HOST (docs/operations.md).");
    }
    if (alerts.dutyEmail().isEmpty()) {
      out.add(
          "REPORT_DUTY_EMAIL is not set: nobody is alerted when a report arrives, even an urgent one.");
    }
    if (alerts.escalationEmail().isEmpty()) {
      out.add(
          "REPORT_ESCALATION_EMAIL is not set: an urgent report that nobody claims is not escalated.");
    }
    if (outdated != null) {
      out.add(
          "Bank holidays are known only until "
              + outdated.knownUntil()
              + ": the triage target counts later ones as "
              + "working days. Set REPORT_BANK_HOLIDAYS_FILE to a current copy of https://www.gov.uk/bank-holidays.json.");
    }
    return List.copyOf(out);
  }
}
