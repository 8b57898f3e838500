package uk.gov.islington.youthsafety.content.consultations;

import java.util.List;

/**
 * One answer of a ballot: the question and the chosen options (for a ranking, most preferred
 * first).
 */
public record BallotAnswer(String questionId, List<String> optionIds) {}
