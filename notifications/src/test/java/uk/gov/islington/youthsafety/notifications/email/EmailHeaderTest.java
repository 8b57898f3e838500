package uk.gov.islington.youthsafety.notifications.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What reaches a header is one line, whatever a feature put in it: no header can be added through
 * it.
 */
class EmailHeaderTest {

  @Test
  void aSubjectWithLineBreaksOrControlCharactersBecomesOneLine() {
    Email email =
        new Email(
            List.of("csct@example.org"),
            "Report 7 - Bullying\r\nBcc: someone@example.org\u0000\t",
            "text",
            null);
    assertThat(email.subject()).isEqualTo("Report 7 - Bullying  Bcc: someone@example.org  ");
    assertThat(email.subject()).doesNotContain("\r").doesNotContain("\n");
  }

  @Test
  void aRecipientWithALineBreakIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Email(List.of("csct@example.org\r\nBcc: someone@example.org"), "s", "t", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
