package uk.gov.islington.youthsafety.api.http;

import io.vertx.pgclient.PgException;

/**
 * Recognises failures that mean "PostgreSQL is slow or away" rather than a bug: they answer 503.
 */
public final class DatabaseUnavailable {

  private DatabaseUnavailable() {}

  public static boolean matches(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgException pg) {
        String state = pg.getSqlState();
        // 08: connection exception, 53: insufficient resources, 57: operator intervention (incl.
        // statement timeout)
        return state != null
            && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57"));
      }
      // a connection reset while PostgreSQL restarts reaches the request as the socket's own error
      if (c instanceof java.net.SocketException
          || c instanceof java.nio.channels.ClosedChannelException
          || c instanceof java.util.concurrent.TimeoutException
          || c instanceof io.vertx.sqlclient.ClosedConnectionException) {
        return true;
      }
      String name = c.getClass().getName();
      String message = String.valueOf(c.getMessage());
      // a query written to a connection PostgreSQL has just closed fails in Vert.x's socket layer
      if (name.contains("Timeout")
          || name.contains("PoolTooBusy")
          || message.contains("wait queue")
          || message.contains("Connection refused")
          || message.contains("Timeout")
          || message.startsWith("Connection is not active now")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
