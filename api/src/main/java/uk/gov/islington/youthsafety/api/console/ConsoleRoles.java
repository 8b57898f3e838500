package uk.gov.islington.youthsafety.api.console;

import java.util.Map;
import java.util.Set;

/**
 * Who may do what in the console: one line per page or action, with the API operation that does the
 * same through the JSON door. The roles are exactly that operation's {@code x-roles} (a test holds
 * the two to each other), so the console and the API cannot drift apart. Lines without an
 * operation are open to any signed-in member of staff.
 */
public final class ConsoleRoles {

  /** @param operationId the equivalent API operation, or null for pages every member of staff has */
  public record Rule(String operationId, Set<String> roles) {}

  private static final Set<String> ANY_STAFF = Set.of("moderator", "youth_council", "editor", "admin");

  public static final String HOME = "home";
  public static final String CHANGE_PASSWORD = "account.password";
  public static final String SIGN_OUT = "sign-out";
  public static final String STAFF_LIST = "staff.list";
  public static final String STAFF_RESET_SECOND_FACTOR = "staff.reset-second-factor";
  public static final String TRIAGE_QUEUE = "triage.queue";
  public static final String TRIAGE_REPORT = "triage.report";
  public static final String TRIAGE_ACT = "triage.act";
  public static final String TRIAGE_AUDIT = "triage.audit";

  public static final Map<String, Rule> RULES = Map.of(
      HOME, new Rule(null, ANY_STAFF),
      CHANGE_PASSWORD, new Rule(null, ANY_STAFF),
      SIGN_OUT, new Rule(null, ANY_STAFF),
      STAFF_LIST, new Rule("listStaff", Set.of("admin")),
      STAFF_RESET_SECOND_FACTOR, new Rule("updateStaff", Set.of("admin")),
      TRIAGE_QUEUE, new Rule("listReportsForTriage", Set.of("moderator")),
      TRIAGE_REPORT, new Rule("getReportForTriage", Set.of("moderator")),
      TRIAGE_ACT, new Rule("actOnReport", Set.of("moderator")),
      TRIAGE_AUDIT, new Rule("getReportAudit", Set.of("moderator", "admin")));

  private ConsoleRoles() {}

  static boolean allows(String key, java.util.Collection<String> roles) {
    Rule rule = RULES.get(key);
    if (rule == null) {
      throw new IllegalArgumentException("no role rule for console page " + key);
    }
    return roles.stream().anyMatch(rule.roles()::contains);
  }
}
