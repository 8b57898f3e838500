package uk.gov.islington.youthsafety.api.console;

import java.util.Map;
import java.util.Set;

/**
 * Who may do what in the console: one line per page or action, with the API operation that does the
 * same through the JSON door. The roles are exactly that operation's {@code x-roles} (a test holds
 * the two to each other), so the console and the API cannot drift apart. Lines without an operation
 * are open to any signed-in member of staff.
 */
public final class ConsoleRoles {

  /**
   * @param operationId the equivalent API operation, or null for pages every member of staff has
   */
  public record Rule(String operationId, Set<String> roles) {}

  private static final Set<String> ANY_STAFF =
      Set.of("moderator", "youth_council", "editor", "admin");

  public static final String HOME = "home";
  public static final String CHANGE_PASSWORD = "account.password";
  public static final String SIGN_OUT = "sign-out";
  public static final String STAFF_LIST = "staff.list";
  public static final String STAFF_RESET_SECOND_FACTOR = "staff.reset-second-factor";
  public static final String STAFF_CREATE = "staff.create";
  public static final String STAFF_PERSON = "staff.person";
  public static final String STAFF_UPDATE = "staff.update";
  public static final String STAFF_AUDIT = "staff.audit";
  public static final String CONSULTATIONS = "consultations.list";
  public static final String CONSULTATION_DRAFT = "consultations.draft";
  public static final String CONSULTATION_EDIT = "consultations.edit";
  public static final String CONSULTATION_RESULTS = "consultations.results";
  public static final String CONSULTATION_PUBLISH = "consultations.publish";
  public static final String EVENTS = "events.list";
  public static final String EVENT_CREATE = "events.create";
  public static final String EVENT_EDIT = "events.edit";
  public static final String EVENT_CANCEL = "events.cancel";
  public static final String BULLETINS = "bulletins.list";
  public static final String BULLETIN_COMPOSE = "bulletins.compose";
  public static final String BULLETIN_EDIT = "bulletins.edit";
  public static final String BULLETIN_SEND = "bulletins.send";
  public static final String BULLETIN_DELIVERY = "bulletins.delivery";
  public static final String TRIAGE_QUEUE = "triage.queue";
  public static final String TRIAGE_REPORT = "triage.report";
  public static final String TRIAGE_ACT = "triage.act";
  public static final String TRIAGE_AUDIT = "triage.audit";
  public static final String HAVENS = "havens.list";
  public static final String HAVEN_CREATE = "havens.create";
  public static final String HAVEN_EDIT = "havens.edit";
  public static final String HAVEN_SUSPEND = "havens.suspend";
  public static final String HAVEN_REINSTATE = "havens.reinstate";
  public static final String APPLICATIONS = "applications.list";
  public static final String APPLICATION = "applications.show";
  public static final String APPLICATION_DECIDE = "applications.decide";
  public static final String CATEGORIES = "categories.list";
  public static final String CATEGORY_EDIT = "categories.edit";

  public static final Map<String, Rule> RULES =
      Map.ofEntries(
          Map.entry(HOME, new Rule(null, ANY_STAFF)),
          Map.entry(CHANGE_PASSWORD, new Rule(null, ANY_STAFF)),
          Map.entry(SIGN_OUT, new Rule(null, ANY_STAFF)),
          Map.entry(STAFF_LIST, new Rule("listStaff", Set.of("admin"))),
          Map.entry(STAFF_PERSON, new Rule("listStaff", Set.of("admin"))),
          // the audit of account changes has no JSON operation; it is the admins', as listStaff is
          Map.entry(STAFF_AUDIT, new Rule("listStaff", Set.of("admin"))),
          Map.entry(STAFF_CREATE, new Rule("createStaff", Set.of("admin"))),
          Map.entry(STAFF_UPDATE, new Rule("updateStaff", Set.of("admin"))),
          Map.entry(STAFF_RESET_SECOND_FACTOR, new Rule("updateStaff", Set.of("admin"))),
          // the list is public through the API; its drafts and results are the Youth Council's work
          Map.entry(CONSULTATIONS, new Rule("createConsultation", Set.of("youth_council"))),
          Map.entry(CONSULTATION_DRAFT, new Rule("createConsultation", Set.of("youth_council"))),
          Map.entry(CONSULTATION_EDIT, new Rule("updateConsultation", Set.of("youth_council"))),
          Map.entry(
              CONSULTATION_RESULTS, new Rule("getConsultationResults", Set.of("youth_council"))),
          Map.entry(CONSULTATION_PUBLISH, new Rule("publishResults", Set.of("youth_council"))),
          // the list is public through the API; the console's is the editors' place to work
          Map.entry(EVENTS, new Rule("createEvent", Set.of("editor"))),
          Map.entry(EVENT_CREATE, new Rule("createEvent", Set.of("editor"))),
          Map.entry(EVENT_EDIT, new Rule("updateEvent", Set.of("editor"))),
          Map.entry(EVENT_CANCEL, new Rule("cancelEvent", Set.of("editor"))),
          // the archive is public through the API; drafts and deliveries are the editors'
          Map.entry(BULLETINS, new Rule("createBulletin", Set.of("editor"))),
          Map.entry(BULLETIN_COMPOSE, new Rule("createBulletin", Set.of("editor"))),
          Map.entry(BULLETIN_EDIT, new Rule("updateBulletin", Set.of("editor"))),
          Map.entry(BULLETIN_SEND, new Rule("sendBulletin", Set.of("editor"))),
          Map.entry(BULLETIN_DELIVERY, new Rule("getBulletinDelivery", Set.of("editor"))),
          Map.entry(TRIAGE_QUEUE, new Rule("listReportsForTriage", Set.of("moderator"))),
          Map.entry(TRIAGE_REPORT, new Rule("getReportForTriage", Set.of("moderator"))),
          Map.entry(TRIAGE_ACT, new Rule("actOnReport", Set.of("moderator"))),
          Map.entry(TRIAGE_AUDIT, new Rule("getReportAudit", Set.of("moderator", "admin"))),
          // a haven's page shows suspended ones and who to call: the editors' list, not getHaven
          Map.entry(HAVENS, new Rule("listHavensForEditors", Set.of("editor"))),
          Map.entry(HAVEN_CREATE, new Rule("createHaven", Set.of("editor"))),
          Map.entry(HAVEN_EDIT, new Rule("updateHaven", Set.of("editor"))),
          Map.entry(HAVEN_SUSPEND, new Rule("suspendHaven", Set.of("editor"))),
          Map.entry(HAVEN_REINSTATE, new Rule("reinstateHaven", Set.of("editor"))),
          Map.entry(APPLICATIONS, new Rule("listHavenApplications", Set.of("editor"))),
          Map.entry(APPLICATION, new Rule("getHavenApplication", Set.of("editor"))),
          Map.entry(APPLICATION_DECIDE, new Rule("decideHavenApplication", Set.of("editor"))),
          // the list is public through the API; inactive ones and editing are the editors'
          Map.entry(CATEGORIES, new Rule("updateReportCategory", Set.of("editor"))),
          Map.entry(CATEGORY_EDIT, new Rule("updateReportCategory", Set.of("editor"))));

  private ConsoleRoles() {}

  static boolean allows(String key, java.util.Collection<String> roles) {
    Rule rule = RULES.get(key);
    if (rule == null) {
      throw new IllegalArgumentException("no role rule for console page " + key);
    }
    return roles.stream().anyMatch(rule.roles()::contains);
  }
}
