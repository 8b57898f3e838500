package uk.gov.islington.youthsafety.content.reports;

/**
 * The body of actOnReport.
 *
 * @param action claim, unclaim, route, ask, forward, confirm_handoff, close or spam
 * @param destination for route: the id of an active destination
 * @param message for ask: the question the reporter will see
 * @param outcome for close (required) and spam (optional): what the reporter will see
 * @param externalReference for confirm_handoff: e.g. the reference Crimestoppers gave
 * @param reason for route: why it goes elsewhere, kept in the audit trail
 */
public record ModeratorAction(
    String action,
    String destination,
    String message,
    String outcome,
    String externalReference,
    String reason) {

  public static final java.util.List<String> ACTIONS =
      java.util.List.of(
          "claim", "unclaim", "route", "ask", "forward", "confirm_handoff", "close", "spam");

  @Override
  public String toString() {
    return "ModeratorAction[" + action + "]";
  }
}
