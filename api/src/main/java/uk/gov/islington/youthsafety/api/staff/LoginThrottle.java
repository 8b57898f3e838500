package uk.gov.islington.youthsafety.api.staff;

import java.time.Duration;
import java.util.Locale;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.content.common.DomainException;

/**
 * Failed logins, counted in memory per username and per client address (token buckets: a burst
 * of {@code max} failures, refilled at {@code max} per window). Only failures take a token, so a
 * member of staff who types the password right is never slowed down by colleagues behind the same
 * address unless they are failing too. A throttled attempt is refused before the password is
 * checked, whether or not the username exists. Nothing here is logged or stored.
 */
final class LoginThrottle {

  private final RateLimits.Limit byUsername;
  private final RateLimits.Limit byAddress;

  LoginThrottle(RateLimits limits, int maxPerUsername, int maxPerAddress, Duration window) {
    double minutes = Math.max(1, window.toSeconds()) / 60.0;
    this.byUsername = limits.limit("login-failures-username", maxPerUsername, maxPerUsername / minutes);
    this.byAddress = limits.limit("login-failures-address", maxPerAddress, maxPerAddress / minutes);
  }

  /** Throws 429 when either key has used up its failures. */
  void checkAllowed(String username, String address) {
    RateLimits.Decision user = byUsername.peek(key(username));
    RateLimits.Decision addr = byAddress.peek(address);
    if (!user.allowed() || !addr.allowed()) {
      long wait = Math.max(user.retryAfterSeconds(), addr.retryAfterSeconds());
      throw new DomainException.Throttled("Too many failed sign-in attempts. Try again later.", wait);
    }
  }

  void failed(String username, String address) {
    byUsername.acquire(key(username));
    byAddress.acquire(address);
  }

  private static String key(String username) {
    return username == null ? "" : username.toLowerCase(Locale.ROOT);
  }
}
