package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReasonsTest {

  @Test
  void redactsPayloadTextAtAnyDepthAndKeepsTheRest() {
    JsonObject payload =
        new JsonObject()
            .put("body", "first line of the report\nsecond line here")
            .put("recipients", new JsonArray().add("someone@example.org"));
    String reason = Reasons.sanitise("rejected: second line here for someone@example.org", payload);
    assertThat(reason).isEqualTo("rejected: [redacted] for [redacted]");
  }

  @Test
  void isOneShortLine() {
    String reason = Reasons.sanitise("a\r\nb\tc " + "x".repeat(500), new JsonObject());
    assertThat(reason).startsWith("a b c x").hasSize(Reasons.MAX_LENGTH).doesNotContain("\n");
    assertThat(Reasons.sanitise(null, null)).isEqualTo("unspecified");
    assertThat(Reasons.sanitise(" \n ", null)).isEqualTo("unspecified");
  }

  @Test
  void describesExceptionsByClassAndTimeoutsPlainly() {
    assertThat(Reasons.describe(new IllegalStateException("boom"), null))
        .isEqualTo("IllegalStateException: boom");
    assertThat(Reasons.describe(new RuntimeException(), null)).isEqualTo("RuntimeException");
    assertThat(Reasons.describe(new TimeoutException("after 5000 ms"), null))
        .isEqualTo("delivery timed out");
  }
}
