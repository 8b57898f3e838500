package uk.gov.islington.youthsafety.notifications.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration INITIAL = Duration.ofSeconds(5);
  private static final Duration MAX = Duration.ofMinutes(15);

  @Test
  void doublesPerAttemptWithHalfOfEachStepRandom() {
    assertThat(Backoff.delay(1, INITIAL, MAX, () -> 0.0)).isEqualTo(Duration.ofMillis(2500));
    assertThat(Backoff.delay(1, INITIAL, MAX, () -> 0.999999)).isEqualTo(Duration.ofMillis(5000));
    assertThat(Backoff.delay(2, INITIAL, MAX, () -> 0.0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Backoff.delay(3, INITIAL, MAX, () -> 0.5)).isEqualTo(Duration.ofMillis(15000));
  }

  @Test
  void neverShrinksFromOneAttemptToTheNextWhateverTheJitterUntilTheCap() {
    // attempt 9 is the first whose full step (5 s * 2^8 = 1280 s) would exceed the 15 min cap
    for (int attempt = 1; attempt < 8; attempt++) {
      Duration longestNow = Backoff.delay(attempt, INITIAL, MAX, () -> 0.999999);
      Duration shortestNext = Backoff.delay(attempt + 1, INITIAL, MAX, () -> 0.0);
      assertThat(shortestNext).as("attempt %d", attempt).isGreaterThanOrEqualTo(longestNow);
    }
  }

  @Test
  void isCappedAndDoesNotOverflowOnHugeAttemptNumbers() {
    assertThat(Backoff.delay(1_000, INITIAL, MAX, () -> 0.999999)).isLessThanOrEqualTo(MAX);
    assertThat(Backoff.delay(Integer.MAX_VALUE, INITIAL, MAX, () -> 0.0))
        .isEqualTo(MAX.dividedBy(2));
  }
}
