package uk.gov.islington.youthsafety.content.consultations;

import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.common.SmallCells;
import uk.gov.islington.youthsafety.content.consultations.Results.TurnoutCell;

/** The turnout breakdown's small-cell suppression ({@link SmallCells}), as turnout cells. */
public final class Suppression {

  private Suppression() {}

  /**
   * Cells in the order of {@code bands} (a null band is "not stated"); a band missing from counts
   * is 0.
   */
  public static List<TurnoutCell> apply(
      List<String> bands, Map<String, Integer> counts, int threshold) {
    return SmallCells.suppress(bands, counts, threshold).stream()
        .map(c -> new TurnoutCell(c.key(), c.count(), c.suppressed()))
        .toList();
  }
}
