package uk.gov.islington.youthsafety.content.bulletins;

import java.util.List;

/**
 * A change to a draft (updateBulletin): null leaves a field as it is; {@code linkGiven} with a null
 * {@code link} removes the link.
 */
public record BulletinPatch(
    String title,
    String body,
    List<String> audiences,
    List<String> areas,
    boolean linkGiven,
    String link,
    Boolean urgent) {

  public boolean isEmpty() {
    return title == null
        && body == null
        && audiences == null
        && areas == null
        && !linkGiven
        && urgent == null;
  }
}
