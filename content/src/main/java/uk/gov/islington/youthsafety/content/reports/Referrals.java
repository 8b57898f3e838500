package uk.gov.islington.youthsafety.content.reports;

import java.util.List;

/**
 * The sanitised text that leaves the building: a referral e-mail (CSCT) or the text a moderator
 * pastes into a form (Crimestoppers). It carries the category, what the reporter wrote, the area,
 * roughly when it happened, the day it was reported and the report's reference, and the
 * conversation with the moderators; never anything about the reporter's device, address or the time
 * of day they reported (there is nothing of that to give).
 */
final class Referrals {

  private Referrals() {}

  /** The report and its conversation in clear, for rendering only. */
  record Content(
      ReportStore.ReportRow report, String description, List<TriageReport.Message> messages) {}

  static String subject(Content c) {
    return (c.report().urgent() ? "URGENT: " : "")
        + "Anonymous concern report "
        + c.report().reference()
        + " - "
        + c.report().categoryLabel();
  }

  static String email(Content c, String destinationName) {
    ReportStore.ReportRow r = c.report();
    StringBuilder sb = new StringBuilder();
    sb.append("To ")
        .append(destinationName)
        .append(",\n\n")
        .append(
            "This is an anonymous concern report made by a young person through Islington's Youth Safety app.\n")
        .append(
            "A moderator has read it and is passing it to you. The app records nothing that could identify\n")
        .append("the person who made it or their device, so we cannot tell you who they are.\n\n");
    facts(sb, c);
    sb.append(
            "\nTo ask the reporter a question, contact the Youth Safety moderation team quoting reference ")
        .append(r.reference())
        .append(":\nthey can message the reporter anonymously through the app.\n");
    return sb.toString();
  }

  static String handoff(Content c) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "Anonymous information passed on by Islington's Youth Safety app (a young person reported it).\n\n");
    facts(sb, c);
    return sb.toString();
  }

  private static void facts(StringBuilder sb, Content c) {
    ReportStore.ReportRow r = c.report();
    sb.append("Reference:        ")
        .append(r.reference())
        .append('\n')
        .append("Category:         ")
        .append(r.categoryLabel())
        .append('\n');
    if (r.immediateDanger()) {
      sb.append("Urgent:           YES - the reporter said someone is in danger right now\n");
    }
    sb.append("Area:             ")
        .append(r.areaLabel() == null ? "not given" : r.areaLabel())
        .append('\n')
        .append("When it happened: ")
        .append(happenedWhen(r.happenedWhen()))
        .append('\n')
        .append("Reported on:      ")
        .append(r.createdOn())
        .append("\n\n")
        .append("What the reporter wrote:\n")
        .append("----------------------------------------------------------------\n")
        .append(c.description())
        .append('\n')
        .append("----------------------------------------------------------------\n");
    if (!c.messages().isEmpty()) {
      sb.append("\nQuestions and answers with the reporter, through the app:\n");
      for (TriageReport.Message m : c.messages()) {
        sb.append("  ")
            .append("moderator".equals(m.author()) ? "Moderator" : "Reporter")
            .append(" (")
            .append(m.sentOn())
            .append("): ")
            .append(m.text().replace("\n", "\n    "))
            .append('\n');
      }
    }
  }

  static String happenedWhen(String value) {
    if (value == null) {
      return "not given";
    }
    return switch (value) {
      case "happening_now" -> "happening now";
      case "today" -> "today (the day it was reported)";
      case "past_week" -> "in the week before it was reported";
      case "past_month" -> "in the month before it was reported";
      case "longer_ago" -> "more than a month before it was reported";
      case "ongoing" -> "it is still going on";
      default -> "the reporter is not sure";
    };
  }
}
