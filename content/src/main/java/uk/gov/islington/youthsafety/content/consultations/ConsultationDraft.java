package uk.gov.islington.youthsafety.content.consultations;

import java.time.Instant;
import java.util.List;

/**
 * What the Youth Council writes: the whole consultation on create, the fields to change on update
 * (null = keep).
 */
public record ConsultationDraft(
    String title,
    String description,
    Instant opensAt,
    Instant closesAt,
    List<String> ageBands,
    List<QuestionDraft> questions) {

  /** The same draft with these age bands. */
  public ConsultationDraft withAgeBands(List<String> bands) {
    return new ConsultationDraft(title, description, opensAt, closesAt, bands, questions);
  }

  /**
   * A question to create; {@code maxChoices} may be null (single: 1, multiple and ranking: all
   * options).
   */
  public record QuestionDraft(
      String text, QuestionType type, Integer maxChoices, List<String> options) {}
}
