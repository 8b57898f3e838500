package uk.gov.islington.youthsafety.content.common;

/**
 * A rule of the domain said no. The api module maps each kind to its HTTP status and a problem+json
 * body; the message is written for the caller and must never hold personal data.
 */
public abstract class DomainException extends RuntimeException {

  protected DomainException(String message) {
    super(message, null, false, false);
  }

  /** No such thing (404). */
  public static final class NotFound extends DomainException {
    public NotFound(String message) {
      super(message);
    }
  }

  /** The request clashes with the current state (409). */
  public static final class Conflict extends DomainException {
    public Conflict(String message) {
      super(message);
    }
  }

  /** The caller may not do this (403). */
  public static final class Forbidden extends DomainException {
    public Forbidden(String message) {
      super(message);
    }
  }

  /** Too many attempts (429), e.g. guessing receipt codes; the api adds Retry-After. */
  public static final class Throttled extends DomainException {
    private final long retryAfterSeconds;

    public Throttled(String message, long retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
