package uk.gov.islington.youthsafety.content.bulletins;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;

/**
 * The secrets in the links of bulletin e-mails. A link's token is an HMAC of its purpose, the
 * subscriber's id and a random nonce stored on the row, under a server secret that is not in the
 * database: the token itself is never stored (a copy of the table holds no working link), it can be
 * rebuilt when an e-mail is composed (so the outbox carries no secret), and replacing or clearing
 * the nonce voids every link made with it (a used confirmation link, say).
 */
final class EmailLinks {

  static final String CONFIRM = "confirm";
  static final String MANAGE = "manage";
  private static final int TOKEN_CHARS = 32;

  private final ReportCrypto crypto;
  private final String baseUrl;

  /**
   * @param baseUrl where the public pages are, e.g. {@code https://youth-safety.islington.gov.uk}
   */
  EmailLinks(ReportCrypto crypto, String baseUrl) {
    this.crypto = crypto;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The token of a link made now: under the current pepper. */
  String token(String purpose, String subscriberId, byte[] nonce) {
    return token(crypto.pepperId(), purpose, subscriberId, nonce);
  }

  private String token(String pepperId, String purpose, String subscriberId, byte[] nonce) {
    byte[] mac =
        crypto.lookupHash(
            pepperId,
            "email-link",
            purpose + ":" + subscriberId + ":" + HexFormat.of().formatHex(nonce));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac).substring(0, TOKEN_CHARS);
  }

  /**
   * Whether {@code given} is this link's token under any configured pepper: links in e-mails sent
   * before a rotation keep working (one-click unsubscribe above all) until their pepper is removed.
   */
  boolean matches(String purpose, String subscriberId, byte[] nonce, String given) {
    if (nonce == null || given == null || given.length() != TOKEN_CHARS) {
      return false;
    }
    byte[] g = given.getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    // every pepper is tried, so the time taken does not tell which one matched
    for (String pepperId : crypto.pepperIds()) {
      match |=
          MessageDigest.isEqual(
              token(pepperId, purpose, subscriberId, nonce).getBytes(StandardCharsets.US_ASCII), g);
    }
    return match;
  }

  String url(String path, String subscriberId, String token) {
    return baseUrl + path + "?s=" + subscriberId + "&t=" + token;
  }

  String page(String path) {
    return baseUrl + path;
  }
}
