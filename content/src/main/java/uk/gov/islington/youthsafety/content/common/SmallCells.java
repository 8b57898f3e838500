package uk.gov.islington.youthsafety.content.consultations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.consultations.Results.TurnoutCell;

/**
 * Small-cell suppression of the turnout breakdown. Every cell under the threshold (zero included)
 * is withheld. Because the total is published, one withheld cell could be recovered as the total
 * minus the others; so whenever the withheld cells could be worked out — a single one, or several
 * under-threshold cells whose sum forces their values (all 0, or all threshold-1) — the smallest
 * published cell is withheld as well, until no cell can be recovered by subtraction or every
 * cell is withheld.
 */
public final class Suppression {

  private Suppression() {}

  /** Cells in the order of {@code bands} (a null band is "not stated"); a band missing from counts is 0. */
  public static List<TurnoutCell> apply(List<String> bands, Map<String, Integer> counts, int threshold) {
    if (threshold < 1) {
      throw InvalidInput.of("threshold", "must be at least 1");
    }
    int n = bands.size();
    int[] values = new int[n];
    boolean[] withheld = new boolean[n];
    boolean[] primary = new boolean[n];
    for (int i = 0; i < n; i++) {
      values[i] = counts.getOrDefault(bands.get(i), 0);
      primary[i] = values[i] < threshold;
      withheld[i] = primary[i];
    }
    while (recoverable(values, withheld, primary, threshold)) {
      int smallest = -1;
      for (int i = 0; i < n; i++) {
        if (!withheld[i] && (smallest < 0 || values[i] < values[smallest])) {
          smallest = i;
        }
      }
      if (smallest < 0) {
        break; // every cell is withheld: only the total is known
      }
      withheld[smallest] = true;
    }
    List<TurnoutCell> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new TurnoutCell(bands.get(i), withheld[i] ? null : values[i], withheld[i]));
    }
    return out;
  }

  private static boolean recoverable(int[] values, boolean[] withheld, boolean[] primary, int threshold) {
    int count = 0;
    int sum = 0;
    boolean allPrimary = true;
    int visible = 0;
    for (int i = 0; i < values.length; i++) {
      if (withheld[i]) {
        count++;
        sum += values[i];
        allPrimary &= primary[i];
      } else {
        visible++;
      }
    }
    if (count == 0 || visible == 0) {
      return false;
    }
    return count == 1 || (allPrimary && (sum == 0 || sum == (threshold - 1) * count));
  }
}
