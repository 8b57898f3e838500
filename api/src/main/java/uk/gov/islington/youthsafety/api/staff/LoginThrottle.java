package uk.gov.islington.youthsafety.api.staff;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.staff.StaffMember;
import uk.gov.islington.youthsafety.content.staff.StaffService;

/**
 * Failed sign-ins, counted in memory (token buckets: a burst of {@code max} failures, refilled at
 * {@code max} per window):
 *
 * <ul>
 *   <li>per (username, client network): locks out the network that is guessing, not the member of
 *       staff, whom anyone knowing a username could otherwise lock out;
 *   <li>per client network, whatever the username: password spraying;
 *   <li>per username from anywhere, slower: going over it never locks, it alerts (a warning that
 *       names no one, and the {@code staff_sign_in_account_alerts} counter), because a lock there
 *       would again be anyone's to trigger.
 * </ul>
 *
 * Each attempt reserves its failure before the password is checked and gives it back on success, so
 * a concurrent burst cannot get more guesses than the cap. A throttled attempt is refused before
 * the password is checked, whether or not the username exists. Nothing here is stored, and no log
 * line carries a username or address.
 *
 * <pre>
 * throttle.check(username, req.clientNetwork(), () -> checkTheCredential(), found -> found.isPresent())
 * // 429 when used up; else the check's answer, counted as a failure when it did not let the attempt in
 * </pre>
 */
public final class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

  /**
   * @param perUsernameAndNetwork failures allowed per username from one client network per window
   * @param perNetwork failures allowed per client network per window, any username
   * @param window the time over which those refill
   * @param accountAlert failures per username from anywhere per {@code accountWindow} before an
   *     alert
   */
  public record Limits(
      int perUsernameAndNetwork,
      int perNetwork,
      Duration window,
      int accountAlert,
      Duration accountWindow) {}

  private final String name;
  private final RateLimits.Limit byUsernameAndNetwork;
  private final RateLimits.Limit byNetwork;
  private final RateLimits.Limit byAccount;
  private final RateLimits.Limit alertLines;
  private final Counter alerts;

  /**
   * @param name tells apart the throttles of different sign-in steps (e.g. "staff-password",
   *     "console-totp"): each counts on its own, and it labels the alert metric
   */
  public LoginThrottle(String name, RateLimits limits, MeterRegistry metrics, Limits settings) {
    this.name = name;
    this.byUsernameAndNetwork =
        limits.limit(
            name + ":username-network",
            settings.perUsernameAndNetwork(),
            perMinute(settings.perUsernameAndNetwork(), settings.window()));
    this.byNetwork =
        limits.limit(
            name + ":network",
            settings.perNetwork(),
            perMinute(settings.perNetwork(), settings.window()));
    this.byAccount =
        limits.limit(
            name + ":account",
            settings.accountAlert(),
            perMinute(settings.accountAlert(), settings.accountWindow()));
    // one warning per account per alert window, however long an attack goes on
    this.alertLines =
        limits.limit(name + ":alert-lines", 1, perMinute(1, settings.accountWindow()));
    this.alerts =
        Counter.builder("staff_sign_in_account_alerts")
            .description(
                "Failed sign-ins on one account from anywhere went over the alert threshold")
            .tag("step", name)
            .register(metrics);
  }

  private static double perMinute(int max, Duration window) {
    return max / (Math.max(1, window.toSeconds()) / 60.0);
  }

  /**
   * Reserves a failure for this attempt before the credential is checked.
   *
   * @throws DomainException.Throttled (429 with Retry-After) when the network has no failures left
   */
  public Attempt reserve(String username, String clientNetwork) {
    String account = username == null ? "" : username.toLowerCase(Locale.ROOT);
    String pair = account + '\n' + clientNetwork;
    RateLimits.Decision perPair = byUsernameAndNetwork.acquire(pair);
    RateLimits.Decision perNetwork = byNetwork.acquire(clientNetwork);
    if (!perPair.allowed() || !perNetwork.allowed()) {
      // nothing was tried: give back what this attempt did take
      if (perPair.allowed()) {
        byUsernameAndNetwork.refund(pair);
      }
      if (perNetwork.allowed()) {
        byNetwork.refund(clientNetwork);
      }
      long wait = Math.max(perPair.retryAfterSeconds(), perNetwork.retryAfterSeconds());
      throw new DomainException.Throttled(
          "Too many failed sign-in attempts. Try again later.", wait);
    }
    return new Attempt(account, pair, clientNetwork);
  }

  /**
   * Checks a credential under the throttle: a failure is reserved ({@link #reserve}), then given
   * back when {@code accepted} holds for what {@code check} answers, or counted when it does not.
   */
  public <T> Future<T> check(
      String username, String clientNetwork, Supplier<Future<T>> check, Predicate<T> accepted) {
    Attempt attempt = reserve(username, clientNetwork);
    return check
        .get()
        .onSuccess(
            answer -> {
              if (accepted.test(answer)) {
                attempt.succeeded();
              } else {
                attempt.failed();
              }
            });
  }

  /** A username and password checked under the throttle: the member of staff when they match. */
  public Future<Optional<StaffMember>> password(
      StaffService staff, String username, String password, String clientNetwork) {
    return check(
        username, clientNetwork, () -> staff.authenticate(username, password), Optional::isPresent);
  }

  /** One reserved attempt: report how it went exactly once. */
  public final class Attempt {
    private final String account;
    private final String pair;
    private final String network;

    private Attempt(String account, String pair, String network) {
      this.account = account;
      this.pair = pair;
      this.network = network;
    }

    public void succeeded() {
      byUsernameAndNetwork.refund(pair);
      byNetwork.refund(network);
    }

    public void failed() {
      if (!byAccount.acquire(account).allowed()) {
        alerts.increment();
        if (alertLines.acquire(account).allowed()) {
          LOG.warn(
              "{}: failed sign-ins on one staff account from many networks went over the alert threshold; "
                  + "the account is not locked (see staff_sign_in_account_alerts)",
              name);
        }
      }
    }
  }
}
