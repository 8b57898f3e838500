package uk.gov.islington.youthsafety.api.bulletins;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;

/**
 * A sent bulletin as the public pages show it: its date in London, audiences in words, paragraphs.
 */
public record BulletinView(
    String id,
    String title,
    String date,
    String isoDate,
    boolean urgent,
    List<String> audiences,
    List<String> paragraphs,
    String link,
    String preview) {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

  /** The audiences in words, in the vocabulary's order (for the editors' forms too). */
  public static java.util.Map<String, String> audienceLabels() {
    return BulletinPages.AUDIENCES;
  }

  /** The wards in words, in the vocabulary's order. */
  public static java.util.Map<String, String> areaLabels() {
    return BulletinPages.AREAS;
  }

  static BulletinView of(Bulletin b) {
    return dated(b, b.publishedAt());
  }

  /** As the archive page will show it once published at {@code when} (the editors' preview). */
  public static BulletinView dated(Bulletin b, java.time.Instant when) {
    var published = when.atZone(LONDON);
    return new BulletinView(
        b.id(),
        b.title(),
        DATE.format(published),
        published.toLocalDate().toString(),
        b.urgent(),
        b.audiences().stream().map(a -> BulletinPages.AUDIENCES.getOrDefault(a, a)).toList(),
        List.of(b.body().strip().replace("\r\n", "\n").split("\n\\s*\n")),
        b.link(),
        PushMessage.preview(b.body(), 300));
  }
}
