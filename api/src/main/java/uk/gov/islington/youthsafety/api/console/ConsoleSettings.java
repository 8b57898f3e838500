package uk.gov.islington.youthsafety.api.console;

import java.time.Duration;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Every setting of the staff console, read and checked once at start (docs/operations.md, "Staff
 * accounts and sign-in").
 *
 * @param sessionIdle a session ends after this long without a request
 * @param sessionMax a session ends this long after sign-in
 * @param eventsHeartbeat how often an open triage page's event stream is kept alive, and its
 *     session checked: the stream ends within this long of its session's end
 */
record ConsoleSettings(Duration sessionIdle, Duration sessionMax, Duration eventsHeartbeat) {

  static ConsoleSettings from(Config c) {
    return new ConsoleSettings(
        c.positiveDuration("CONSOLE_SESSION_IDLE", Duration.ofMinutes(30)),
        c.positiveDuration("CONSOLE_SESSION_MAX", Duration.ofHours(10)),
        c.positiveDuration("CONSOLE_EVENTS_HEARTBEAT", Duration.ofSeconds(20)));
  }
}
