package uk.gov.islington.youthsafety.content.bulletins;

import java.util.List;

/** What an editor writes (createBulletin). {@code areas} empty = the whole borough. */
public record BulletinDraft(
    String title,
    String body,
    List<String> audiences,
    List<String> areas,
    String link,
    boolean urgent) {

  public BulletinDraft {
    audiences = audiences == null ? null : List.copyOf(audiences);
    areas = areas == null ? List.of() : List.copyOf(areas);
  }
}
