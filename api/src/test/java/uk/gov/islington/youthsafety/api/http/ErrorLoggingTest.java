package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

/** What an unhandled failure may put in the log. */
class ErrorLoggingTest {

  @Test
  void anAnonymousOperationsFailureIsLoggedWithoutItsMessage() {
    IllegalStateException failure =
        new IllegalStateException("could not seal: my friend is at 12 Upper Street");
    Throwable logged = ErrorHandler.loggable(failure, true);
    assertThat(logged.getMessage())
        .isEqualTo("java.lang.IllegalStateException (message withheld)")
        .doesNotContain("Upper Street");
    assertThat(logged.getStackTrace()).isEqualTo(failure.getStackTrace());
    assertThat(logged.getCause()).isNull();
  }

  @Test
  void otherOperationsKeepTheFailureAndPostgresErrorsOnlyTheirState() {
    IllegalStateException failure = new IllegalStateException("bug");
    assertThat(ErrorHandler.loggable(failure, false)).isSameAs(failure);
    PgException pg =
        new PgException("duplicate key value (x)=(secret)", "ERROR", "23505", "detail secret");
    assertThat(ErrorHandler.loggable(pg, false).getMessage()).isEqualTo("PostgreSQL 23505");
    assertThat(ErrorHandler.loggable(pg, true).getMessage()).isEqualTo("PostgreSQL 23505");
  }
}
