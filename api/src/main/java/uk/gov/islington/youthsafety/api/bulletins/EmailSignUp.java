package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.Future;
import java.util.List;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Preferences;
import uk.gov.islington.youthsafety.content.common.DomainException;

/**
 * A sign-up by e-mail, through either door (the JSON operation or the sign-up page): counted
 * against the client network before anything else, so that a flood from one network is refused
 * before it can make a single e-mail (the service itself sends at most one an hour per address).
 */
final class EmailSignUp {

  private final EmailSubscriptions subscriptions;
  private final RateLimits.Limit perNetwork;

  EmailSignUp(EmailSubscriptions subscriptions, RateLimits.Limit perNetwork) {
    this.subscriptions = subscriptions;
    this.perNetwork = perNetwork;
  }

  Future<Void> subscribe(
      String network, String email, List<String> audiences, List<String> areas, String frequency) {
    RateLimits.Decision allowed = perNetwork.acquire(network);
    if (!allowed.allowed()) {
      return Future.failedFuture(
          new DomainException.Throttled(
              "Too many sign-ups from this connection just now. Try again later.",
              allowed.retryAfterSeconds()));
    }
    return subscriptions.subscribe(
        email, new Preferences(audiences == null ? List.of() : audiences, areas, frequency));
  }

  EmailSubscriptions subscriptions() {
    return subscriptions;
  }
}
