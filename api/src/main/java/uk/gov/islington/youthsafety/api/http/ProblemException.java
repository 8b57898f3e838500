package uk.gov.islington.youthsafety.api.http;

/**
 * Fails a request with a ready-made problem (used by the edge itself: auth, limits, media types).
 */
public final class ProblemException extends RuntimeException {

  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.title(), null, false, false);
    this.problem = problem;
  }

  public static ProblemException status(int status) {
    return new ProblemException(ErrorHandler.forStatus(status));
  }

  public Problem problem() {
    return problem;
  }
}
