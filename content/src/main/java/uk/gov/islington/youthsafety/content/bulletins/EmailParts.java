package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.notifications.email.Email;

/**
 * What every e-mail of the bulletin is made with: the subscriber's address opened at the last
 * moment, their own preferences and unsubscribe links with RFC 8058's headers, and the bounce count
 * a refusal adds to.
 */
record EmailParts(
    Pool pool, Clock clock, ReportCrypto crypto, EmailLinks links, EmailSubscriptionStore store) {

  /** A subscriber's links that act without a password: change preferences, unsubscribe. */
  record ManageLinks(String preferences, String unsubscribe) {

    /**
     * RFC 8058 one-click unsubscribe: a mail client POSTs {@code List-Unsubscribe=One-Click} to the
     * https URL.
     */
    Map<String, String> headers() {
      return Map.of(
          "List-Unsubscribe",
          "<" + unsubscribe + ">",
          "List-Unsubscribe-Post",
          "List-Unsubscribe=One-Click");
    }
  }

  String address(EmailSubscriptionStore.Subscriber s) {
    return crypto.open(s.addressKeyId(), s.addressSealed(), EmailSubscriptions.aad(s.id()));
  }

  ManageLinks manage(EmailSubscriptionStore.Subscriber s) {
    String token = links.token(EmailLinks.MANAGE, s.id(), s.linkNonce());
    return new ManageLinks(
        links.url("/bulletins/preferences", s.id(), token),
        links.url("/bulletins/unsubscribe", s.id(), token));
  }

  /**
   * The e-mail to {@code s}: the words {@code write} makes with their preferences and unsubscribe
   * links, and RFC 8058's headers; {@code name} is the Message-ID's local part.
   */
  Email email(
      EmailSubscriptionStore.Subscriber s,
      BiFunction<String, String, BulletinEmailText.Parts> write,
      String name) {
    ManageLinks manage = manage(s);
    BulletinEmailText.Parts words = write.apply(manage.preferences(), manage.unsubscribe());
    return new Email(
        List.of(address(s)),
        words.subject(),
        words.text(),
        words.html(),
        manage.headers(),
        "<" + name + "@youth-safety.islington.gov.uk>");
  }

  String bulletinPage(Bulletin b) {
    return links.page("/bulletins/" + b.id());
  }

  /** Counts a permanent refusal against the subscriber (the third deletes them). */
  Future<Void> bounced(String subscriberId) {
    return subscriberId == null
        ? Future.succeededFuture()
        : pool.withTransaction(tx -> store.bounced(tx, subscriberId, clock.instant())).mapEmpty();
  }
}
