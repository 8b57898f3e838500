package uk.gov.islington.youthsafety.api.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The words the pages use for the service's codes (statuses, destinations, delivery states). */
public final class Labels {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);

  private Labels() {}

  public static String status(String status) {
    return switch (status == null ? "" : status) {
      case "received" -> "New";
      case "in_review" -> "In review";
      case "forwarding" -> "Being passed on";
      case "forwarded" -> "Passed on";
      case "closed" -> "Closed";
      case "spam" -> "Spam";
      default -> status;
    };
  }

  public static String delivery(String state) {
    if (state == null) {
      return "";
    }
    return switch (state) {
      case "pending" -> "Sending";
      case "retrying" -> "Retrying";
      case "awaiting_handoff" -> "Waiting for hand-off";
      case "waiting_to_be_sent" -> "Waiting to be sent: e-mail is not configured";
      case "delivered" -> "Delivered";
      case "failed" -> "Not delivered";
      default -> state;
    };
  }

  public static String action(String action) {
    return switch (action) {
      case "view" -> "Read the report text";
      case "claim" -> "Claimed";
      case "unclaim" -> "Handed back to the queue";
      case "route" -> "Changed the destination";
      case "ask" -> "Asked the reporter a question";
      case "forward" -> "Forwarded";
      case "confirm_handoff" -> "Confirmed the hand-off";
      case "close" -> "Closed";
      case "spam" -> "Marked as spam";
      case "delivered" -> "Delivered";
      case "delivery_failed" -> "Delivery failed";
      default -> action;
    };
  }

  public static String when(Instant at) {
    return at == null ? "" : WHEN.format(at.atZone(LONDON));
  }

  public static String happenedWhen(String value) {
    if (value == null) {
      return "Not given";
    }
    return switch (value) {
      case "happening_now" -> "Happening now";
      case "today" -> "Today (the day it was reported)";
      case "past_week" -> "In the week before";
      case "past_month" -> "In the month before";
      case "longer_ago" -> "More than a month before";
      case "ongoing" -> "Still going on";
      default -> "Not sure";
    };
  }

  public static String role(String role) {
    return switch (role == null ? "" : role) {
      case "moderator" -> "Moderator";
      case "youth_council" -> "Youth Council";
      case "editor" -> "Editor";
      case "admin" -> "Admin";
      default -> role;
    };
  }

  public static String roles(java.util.Collection<String> roles) {
    return roles.isEmpty() ? "none" : String.join(", ", roles.stream().map(Labels::role).toList());
  }

  /** One change to a staff account, in words; {@code who} and {@code whom} are usernames. */
  public static String staffChange(
      String action,
      String who,
      String whom,
      java.util.List<String> roles,
      java.util.List<String> rolesBefore) {
    return switch (action) {
      case "create" -> "Created the account " + whom + " with the roles " + roles(roles);
      case "roles" ->
          "Changed the roles of " + whom + " from " + roles(rolesBefore) + " to " + roles(roles);
      case "disable" -> "Disabled the account " + whom;
      case "enable" -> "Enabled the account " + whom;
      case "password" ->
          who != null && who.equals(whom)
              ? "Changed their own password"
              : "Changed the password of " + whom;
      case "reset_second_factor" -> "Reset the second factor of " + whom;
      case "end_sessions" -> "Ended every session of " + whom;
      case "end_session" -> "Ended a session of " + whom;
      default -> action + " " + whom;
    };
  }

  public static String ageBand(String band) {
    return band == null ? "Not stated" : band.replace("-", " to ");
  }

  public static String questionType(String type) {
    return switch (type == null ? "" : type) {
      case "single" -> "One choice";
      case "multiple" -> "Several choices";
      case "ranking" -> "Put in order";
      default -> "Not chosen yet";
    };
  }
}
