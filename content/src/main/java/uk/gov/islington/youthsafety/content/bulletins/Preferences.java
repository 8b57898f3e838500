package uk.gov.islington.youthsafety.content.bulletins;

import java.util.List;

/**
 * What an e-mail subscriber gets: bulletins for these audiences (and areas; none = the whole
 * borough), each one as it is sent or a weekly digest.
 */
public record Preferences(List<String> audiences, List<String> areas, String frequency) {

  public static final String EACH = "each";
  public static final String WEEKLY = "weekly";
  public static final List<String> FREQUENCIES = List.of(EACH, WEEKLY);

  public Preferences {
    audiences = List.copyOf(audiences);
    areas = areas == null ? List.of() : List.copyOf(areas);
  }
}
