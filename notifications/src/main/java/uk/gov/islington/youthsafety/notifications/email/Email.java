package uk.gov.islington.youthsafety.notifications.email;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One plain-text e-mail as a feature composed it. {@code messageId} is stable per outbox message so
 * that a redelivery (delivery is at-least-once) carries the same Message-ID and the recipient's
 * mail system can recognise the duplicate.
 */
public record Email(List<String> to, String subject, String text, String messageId) {

  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

  public Email {
    to = List.copyOf(Objects.requireNonNull(to, "to"));
    if (to.isEmpty()) {
      throw new IllegalArgumentException("an e-mail needs a recipient");
    }
    for (String recipient : to) {
      if (CONTROL.matcher(recipient).find()) {
        throw new IllegalArgumentException("a recipient address holds a control character");
      }
    }
    // whatever a feature put in it (a category label, say), the subject header stays one line
    subject = CONTROL.matcher(Objects.requireNonNull(subject, "subject")).replaceAll(" ");
    Objects.requireNonNull(text, "text");
  }

  /** Never prints the text: it may hold report content. */
  @Override
  public String toString() {
    return "Email[to=" + to.size() + " recipient(s)]";
  }
}
