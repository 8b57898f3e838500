package uk.gov.islington.youthsafety.api.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import uk.gov.islington.youthsafety.api.bulletins.BulletinView;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDelivery;

/** What the editors' bulletin pages show. */
public final class BulletinEditorViews {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm", Locale.UK);

  private BulletinEditorViews() {}

  /** One bulletin in a list. */
  public record Row(String href, String title, String when, boolean urgent) {}

  /** A section of the list: drafts, scheduled, being sent, sent. */
  public record Section(String id, String heading, List<Row> rows) {}

  /** The phone's notification: what the push carries, cut as the push cuts it. */
  public record Notification(String title, String body, boolean urgent) {}

  /**
   * A bulletin's page: a draft with its previews, or the delivery of a scheduled or sent one.
   *
   * @param delivery null for a draft
   * @param done whether nothing is left to send (the live updates may stop)
   */
  public record Page(
      Bulletin bulletin,
      String state,
      String audiences,
      String areas,
      Notification notification,
      BulletinView archive,
      BulletinDelivery delivery,
      String sendAt,
      boolean done,
      String eventsUrl,
      String banner) {}

  static String when(Instant t) {
    return t == null ? "" : WHEN.format(t.atZone(LONDON));
  }

  static String state(String state) {
    return switch (state) {
      case Bulletin.DRAFT -> "Draft";
      case Bulletin.SCHEDULED -> "Scheduled";
      case Bulletin.SENDING -> "Sending";
      case Bulletin.SENT -> "Sent";
      default -> state;
    };
  }
}
