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

  static BulletinView of(Bulletin b) {
    var published = b.publishedAt().atZone(LONDON);
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
