package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pieces without I/O: payload limits, previews and the rate limiter. */
class PushUnitsTest {

  @Test
  void previewCutsAtAWordBoundaryWithinTheByteBudget() {
    String text =
        "Free football sessions  every\nFriday at the Arsenal hub for young people aged 10 to 17.";
    String p = PushMessage.preview(text, 40);
    assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(40);
    assertThat(p).endsWith("…").startsWith("Free football sessions every");
    assertThat(p).doesNotContain("  ").doesNotContain("\n");
    assertThat(PushMessage.preview("short", 40)).isEqualTo("short");
    // multi-byte characters are never split
    String emoji = "🙂".repeat(50);
    String cut = PushMessage.preview(emoji, 41);
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(41);
    assertThat(cut.codePoints().filter(c -> c == 0x1F642).count()).isEqualTo(9);
  }

  @Test
  void aMessageOverTheFcmPayloadLimitIsRefused() {
    String big = "x".repeat(PushMessage.MAX_PAYLOAD_BYTES);
    assertThatThrownBy(() -> new PushMessage("t", big, Map.of(), "k", false, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes");
    assertThatThrownBy(
            () ->
                new PushMessage("t", "b", Map.of("google.x", "y"), "k", false, Duration.ofDays(1)))
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () -> new PushMessage("t", "b", Map.of(), "k".repeat(65), false, Duration.ofDays(1)))
        .hasMessageContaining("collapseKey");
    PushMessage ok =
        new PushMessage("t", "b", Map.of("bulletinId", "b1"), "b1", true, Duration.ofHours(24));
    assertThat(PushMessage.fromJson(ok.toJson())).isEqualTo(ok);
  }

  @Test
  void rateLimiterPacesReservationsAtTheQuota() {
    AtomicLong now = new AtomicLong(0);
    FcmRateLimiter limiter = new FcmRateLimiter(600_000, now::get); // 10,000 a second, burst 2,000
    assertThat(limiter.reserve(500, Duration.ofSeconds(1)).delay()).isZero();
    assertThat(limiter.reserve(1500, Duration.ofSeconds(1)).delay()).isZero();
    // the bucket is empty: the next 500 may go in 50 ms, the 500 after that in 100 ms
    assertThat(limiter.reserve(500, Duration.ofSeconds(1)).delay())
        .isEqualTo(Duration.ofMillis(50));
    assertThat(limiter.reserve(500, Duration.ofSeconds(1)).delay())
        .isEqualTo(Duration.ofMillis(100));
    now.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(limiter.reserve(500, Duration.ofSeconds(1)).delay())
        .isEqualTo(Duration.ofMillis(50));
    // over a whole minute no more than the quota (plus the burst) is granted
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    long granted = 0;
    long start = now.get();
    while (now.get() - start < Duration.ofSeconds(60).toNanos()) {
      FcmRateLimiter.Reservation r = limiter.reserve(500, Duration.ZERO);
      if (r.granted()) {
        granted += 500;
      } else {
        now.addAndGet(r.delay().toNanos());
      }
    }
    assertThat(granted).isBetween(600_000L, 602_000L);
  }

  @Test
  void aTooLongWaitReservesNothingAndAPauseHoldsEveryone() {
    AtomicLong now = new AtomicLong(0);
    FcmRateLimiter limiter = new FcmRateLimiter(60_000, now::get); // 1,000 a second
    limiter.reserve(500, Duration.ZERO);
    FcmRateLimiter.Reservation refused = limiter.reserve(5000, Duration.ofSeconds(1));
    assertThat(refused.granted()).isFalse();
    assertThat(refused.delay()).isGreaterThan(Duration.ofSeconds(1));
    assertThat(limiter.reserve(500, Duration.ofSeconds(1)).delay())
        .as("the refusal took nothing")
        .isEqualTo(Duration.ofMillis(500));
    limiter.pause(Duration.ofSeconds(30));
    limiter.pause(Duration.ofSeconds(5)); // a shorter pause does not shorten it
    FcmRateLimiter.Reservation paused = limiter.reserve(1, Duration.ofSeconds(10));
    assertThat(paused.granted()).isFalse();
    assertThat(paused.delay()).isEqualTo(Duration.ofSeconds(30));
    now.addAndGet(Duration.ofSeconds(30).toNanos()); // meanwhile the bucket has refilled
    assertThat(limiter.reserve(1, Duration.ZERO).granted()).isTrue();
  }

  @Test
  void theGateAdmitsBatchesFirstComeFirstServedAndRefusesAfterTheWait() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      InFlightGate gate = new InFlightGate(vertx, 1000);
      assertThat(gate.acquire(500, Duration.ZERO).succeeded()).isTrue();
      assertThat(gate.acquire(500, Duration.ZERO).succeeded()).isTrue();
      var queued =
          gate.acquire(400, Duration.ofSeconds(30)).toCompletionStage().toCompletableFuture();
      var refused =
          gate.acquire(100, Duration.ofMillis(50)).toCompletionStage().toCompletableFuture();
      assertThatThrownBy(() -> refused.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(InFlightGate.NoRoom.class);
      assertThat(queued).isNotDone();
      gate.release(500);
      queued.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(gate.inFlight()).isEqualTo(900);
      // a batch larger than the whole capacity still goes, alone
      gate.release(900);
      assertThat(gate.acquire(5000, Duration.ZERO).succeeded()).isTrue();
    } finally {
      vertx.close();
    }
  }
}
