package uk.gov.islington.youthsafety.content.consultations;

import java.time.Instant;
import java.util.List;

/**
 * A consultation as stored. {@code questions} is empty in list summaries. {@code version} changes
 * with every edit (and publication); {@code hasBallots} is true once the first vote exists, from
 * which point questions and options are frozen.
 */
public record Consultation(
    String id,
    String title,
    String description,
    Instant opensAt,
    Instant closesAt,
    List<String> ageBands,
    List<Question> questions,
    int questionCount,
    int version,
    Instant resultsPublishedAt,
    boolean hasBallots,
    Instant createdAt,
    Instant updatedAt) {

  /** One question with its options in display order. {@code maxChoices} is 1 for single choice. */
  public record Question(
      String id, String text, QuestionType type, int maxChoices, List<Option> options) {}

  /** One option of a question. */
  public record Option(String id, String text) {}

  public ConsultationState stateAt(Instant now) {
    return ConsultationState.at(now, opensAt, closesAt);
  }

  public boolean resultsPublished() {
    return resultsPublishedAt != null;
  }

  /** A device that did not state an age band may vote only where every band is eligible. */
  public boolean openToEveryBand() {
    return ageBands.containsAll(Consultations.AGE_BANDS);
  }

  public boolean eligible(String ageBand) {
    return ageBand == null ? openToEveryBand() : ageBands.contains(ageBand);
  }

  /** The next instant at which {@link #stateAt} changes, or null when it never will again. */
  public Instant nextChangeAfter(Instant now) {
    if (now.isBefore(opensAt)) {
      return opensAt;
    }
    return now.isBefore(closesAt) ? closesAt : null;
  }
}
