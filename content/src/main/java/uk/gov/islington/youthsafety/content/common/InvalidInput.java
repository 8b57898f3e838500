package uk.gov.islington.youthsafety.content.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Input that the contract's schema let through but a rule rejects (400), naming each bad field.
 * Collect several with {@link Builder} so the caller can fix them all at once.
 */
public final class InvalidInput extends DomainException {

  public record FieldError(String field, String message) {}

  private final List<FieldError> errors;

  public InvalidInput(List<FieldError> errors) {
    super(
        errors.isEmpty()
            ? "invalid input"
            : errors.get(0).field() + ": " + errors.get(0).message());
    this.errors = List.copyOf(errors);
  }

  public static InvalidInput of(String field, String message) {
    return new InvalidInput(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Gathers field errors; {@link #throwIfAny()} raises them together. */
  public static final class Builder {
    private final List<FieldError> errors = new ArrayList<>();

    public Builder add(String field, String message) {
      errors.add(new FieldError(field, message));
      return this;
    }

    public Builder check(boolean ok, String field, String message) {
      return ok ? this : add(field, message);
    }

    public boolean isEmpty() {
      return errors.isEmpty();
    }

    public int size() {
      return errors.size();
    }

    public void throwIfAny() {
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
    }
  }
}
