package uk.gov.islington.youthsafety.notifications.email;

import java.util.List;
import java.util.Objects;

/**
 * One plain-text e-mail as a feature composed it. {@code messageId} is stable per outbox message so
 * that a redelivery (delivery is at-least-once) carries the same Message-ID and the recipient's
 * mail system can recognise the duplicate.
 */
public record Email(List<String> to, String subject, String text, String messageId) {

  public Email {
    to = List.copyOf(Objects.requireNonNull(to, "to"));
    if (to.isEmpty()) {
      throw new IllegalArgumentException("an e-mail needs a recipient");
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
  }

  /** Never prints the text: it may hold report content. */
  @Override
  public String toString() {
    return "Email[to=" + to.size() + " recipient(s)]";
  }
}
