package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * What answers 503 rather than 500 (the scale-out bed restarts PostgreSQL under load:
 * ClusterFaultsTest).
 */
class DatabaseUnavailableTest {

  @Test
  void aConnectionResetByARestartingPostgresIsUnavailableNotABug() {
    assertThat(DatabaseUnavailable.matches(new SocketException("Connection reset"))).isTrue();
    assertThat(
            DatabaseUnavailable.matches(
                new VertxException(new SocketException("Connection reset"))))
        .isTrue();
    assertThat(DatabaseUnavailable.matches(new java.nio.channels.ClosedChannelException()))
        .isTrue();
    // a query written to a connection PostgreSQL closed a moment before (Vert.x's socket layer says
    // so)
    assertThat(
            DatabaseUnavailable.matches(
                new VertxException("Connection is not active now, current status: CLOSED")))
        .isTrue();
  }

  @Test
  void aBugIsNot() {
    assertThat(DatabaseUnavailable.matches(new IllegalStateException("no such column"))).isFalse();
    assertThat(DatabaseUnavailable.matches(new NullPointerException())).isFalse();
  }
}
