package uk.gov.islington.youthsafety.api.console;

import java.util.List;
import uk.gov.islington.youthsafety.content.staff.StaffMember;

/** What the admins' staff pages show. */
public final class StaffViews {

  private StaffViews() {}

  /** One line of the staff list. */
  public record Row(
      String id, String username, String roles, boolean disabled, boolean enrolled, boolean self) {}

  /** One session of a person; {@code yours} marks the admin's own current session. */
  public record Session(
      String handle, String signedIn, String lastSeen, String stage, boolean yours) {}

  /** One line of an audit view: when, who did it, and what (never report text). */
  public record Line(String when, String who, String what) {}

  public record Person(
      StaffMember member,
      String roles,
      boolean enrolled,
      boolean self,
      List<Session> sessions,
      List<Line> changes,
      List<Line> reportActions,
      String banner) {}

  /** The audit view: {@code person} is the username the view is narrowed to, or null. */
  public record Audit(
      List<Line> lines, String person, String personId, String olderUrl, String newestUrl) {}
}
