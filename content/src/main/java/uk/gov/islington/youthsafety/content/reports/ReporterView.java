package uk.gov.islington.youthsafety.content.reports;

import java.time.LocalDate;
import java.util.List;

/**
 * What a reporter sees with their receipt code (checkReport): an honest status, where it went, the
 * day it last changed, the outcome once closed, and the conversation with the moderators.
 *
 * @param awaitingReply a moderator asked something the reporter has not answered yet
 */
public record ReporterView(
    String status,
    String statusText,
    String destination,
    String destinationName,
    LocalDate updatedOn,
    String outcome,
    boolean awaitingReply,
    boolean open,
    List<Message> messages) {

  /**
   * @param from "moderator" or "you"
   */
  public record Message(String from, String text, LocalDate sentOn) {
    @Override
    public String toString() {
      return "Message[from=" + from + "]";
    }
  }
}
