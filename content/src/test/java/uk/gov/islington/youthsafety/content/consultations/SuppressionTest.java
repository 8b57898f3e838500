package uk.gov.islington.youthsafety.content.consultations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.content.consultations.Results.TurnoutCell;

/**
 * Small-cell suppression of turnout: nothing under 5 is shown, nor can it be worked out from the
 * total.
 */
class SuppressionTest {

  private static final List<String> FOUR = Arrays.asList("10-13", "14-17", "18-25", null);

  private static List<Integer> shown(List<String> bands, Integer... counts) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < counts.length; i++) {
      m.put(bands.get(i), counts[i]);
    }
    return Suppression.apply(bands, m, 5).stream().map(TurnoutCell::count).toList();
  }

  /** Whatever is withheld, the total minus what is shown never pins down a single withheld cell. */
  private static void assertNotRecoverable(List<String> bands, Integer... counts) {
    Map<String, Integer> m = new HashMap<>();
    int total = 0;
    for (int i = 0; i < counts.length; i++) {
      m.put(bands.get(i), counts[i]);
      total += counts[i];
    }
    List<TurnoutCell> cells = Suppression.apply(bands, m, 5);
    long withheld = cells.stream().filter(TurnoutCell::suppressed).count();
    int visible = cells.stream().filter(c -> !c.suppressed()).mapToInt(TurnoutCell::count).sum();
    assertThat(cells)
        .allSatisfy(c -> assertThat(c.suppressed() ? c.count() == null : c.count() >= 5).isTrue());
    if (withheld > 0 && withheld < cells.size()) {
      assertThat(withheld).isGreaterThanOrEqualTo(2);
      int hidden = total - visible;
      assertThat(
              hidden != 0 && hidden != 4 * withheld
                  || cells.stream()
                      .filter(TurnoutCell::suppressed)
                      .anyMatch(c -> m.get(c.ageBand()) >= 5))
          .isTrue();
    }
  }

  @Test
  void cellsOfFiveOrMoreAreShown() {
    assertThat(shown(FOUR, 5, 12, 40, 9)).containsExactly(5, 12, 40, 9);
  }

  @Test
  void everyCellUnderFiveIsWithheldIncludingZero() {
    assertThat(shown(FOUR, 3, 12, 1, 0)).containsExactly(null, 12, null, null);
  }

  @Test
  void aSingleWithheldCellTakesTheSmallestShownCellWithIt() {
    // 2 would be 40 - (12 + 20 + 6): the next smallest (6) is withheld too
    assertThat(shown(FOUR, 2, 12, 20, 6)).containsExactly(null, 12, 20, null);
    assertThat(shown(Arrays.asList("14-17", "18-25"), 6, 1)).containsExactly(null, null);
  }

  @Test
  void withheldCellsWhoseSumGivesThemAwayTakeAnotherWithThem() {
    // two cells of 4 sum to 8 = 2 × 4: each must be 4
    assertThat(shown(FOUR, 4, 4, 30, 9)).containsExactly(null, null, 30, null);
    // two zeros
    assertThat(shown(FOUR, 0, 0, 30, 9)).containsExactly(null, null, 30, null);
    // 3 + 1 is ambiguous (0..4 each): nothing more to hide
    assertThat(shown(FOUR, 3, 1, 30, 9)).containsExactly(null, null, 30, 9);
  }

  @Test
  void everyCombinationOfSmallCountsStaysUnrecoverable() {
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        for (int c = 0; c < 8; c++) {
          for (int d = 0; d < 8; d++) {
            assertNotRecoverable(FOUR, a, b, c, d);
          }
        }
      }
    }
  }

  @Test
  void aSingleBandConsultationWithholdsItsOnlySmallCell() {
    assertThat(shown(List.of("14-17"), 3)).containsExactly((Integer) null);
    assertThat(shown(List.of("14-17"), 7)).containsExactly(7);
  }
}
