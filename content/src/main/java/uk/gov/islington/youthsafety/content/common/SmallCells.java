package uk.gov.islington.youthsafety.content.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression of a breakdown whose total is published (a consultation's turnout by age
 * band, a month of reports by area, ...). Every cell under the threshold (zero included) is
 * withheld. Because the total is published, one withheld cell could be recovered as the total minus
 * the others; so whenever the withheld cells could be worked out — a single one, or several
 * under-threshold cells whose sum forces their values (all 0, or all threshold-1) — the smallest
 * published cell is withheld as well, until no cell can be recovered by subtraction or every cell
 * is withheld.
 */
public final class SmallCells {

  /** One cell of a breakdown: {@code count} is null when withheld. */
  public record Cell(String key, Integer count, boolean suppressed) {}

  private SmallCells() {}

  /**
   * Cells in the order of {@code keys} (a null key is "not stated"); a key missing from counts is
   * 0.
   */
  public static List<Cell> suppress(List<String> keys, Map<String, Integer> counts, int threshold) {
    if (threshold < 1) {
      throw InvalidInput.of("threshold", "must be at least 1");
    }
    int n = keys.size();
    int[] values = new int[n];
    boolean[] withheld = new boolean[n];
    boolean[] primary = new boolean[n];
    for (int i = 0; i < n; i++) {
      values[i] = counts.getOrDefault(keys.get(i), 0);
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
    List<Cell> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Cell(keys.get(i), withheld[i] ? null : values[i], withheld[i]));
    }
    return out;
  }

  private static boolean recoverable(
      int[] values, boolean[] withheld, boolean[] primary, int threshold) {
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
