package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * The rules of e-mail subscriptions to the bulletin (double opt-in):
 *
 * <ul>
 *   <li>a sign-up stores the address sealed and a keyed hash of it, and queues a confirmation
 *       e-mail whose link works once and for {@link #CONFIRM_VALID}; signing up again re-sends it;
 *       for an address that is confirmed already it sends a reminder with the preferences link
 *       instead; either way at most one e-mail an hour per address, and the caller learns nothing
 *       (every sign-up answers the same);
 *   <li>only the link confirms; unconfirmed sign-ups are deleted {@link #UNCONFIRMED_KEPT} after
 *       the last one;
 *   <li>every e-mail after confirmation carries a preferences link and an unsubscribe link;
 *       unsubscribing deletes the address.
 * </ul>
 */
public final class EmailSubscriptions {

  private static final Logger LOG = LoggerFactory.getLogger(EmailSubscriptions.class);

  public static final String CONFIRM_CHANNEL = "bulletin-email-confirm";
  public static final String BULLETIN_CHANNEL = "bulletin-email";
  public static final String DIGEST_CHANNEL = "bulletin-email-digest";
  static final java.time.ZoneId LONDON = java.time.ZoneId.of("Europe/London");

  /** The weekly digest of the week before goes from Monday at this time (London). */
  static final java.time.LocalTime DIGEST_AFTER = java.time.LocalTime.of(8, 0);

  static final Duration CONFIRM_VALID = Duration.ofHours(48);
  static final Duration UNCONFIRMED_KEPT = Duration.ofDays(7);
  static final Duration ONE_EMAIL_PER = Duration.ofHours(1);
  private static final Pattern ID = Pattern.compile("es_[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ADDRESS_HASH = "email-address";
  static final int REKEY_BATCH = 500;

  /** What a confirmation link turned out to be. */
  public enum Confirmation {
    CONFIRMED,
    EXPIRED,
    NOT_VALID
  }

  private final EmailSubscriptionStore store = new EmailSubscriptionStore();
  private final Pool pool;
  private final Clock clock;
  private final ReportCrypto crypto;
  private final EmailLinks links;

  /**
   * @param baseUrl where the public pages are: the links in the e-mails start with it
   */
  public EmailSubscriptions(Pool pool, Clock clock, ReportCrypto crypto, String baseUrl) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.crypto = Objects.requireNonNull(crypto, "crypto");
    this.links = new EmailLinks(crypto, baseUrl);
  }

  // ---- signing up ----------------------------------------------------------------------------

  /**
   * Validates, then stores or refreshes the sign-up and queues at most one e-mail; answers nothing.
   */
  public Future<Void> subscribe(String email, Preferences requested) {
    String address;
    Preferences p;
    try {
      InvalidInput.Builder errors = InvalidInput.builder();
      address = EmailAddresses.valid(email);
      errors.check(address != null, "email", "must be an e-mail address like name@example.com");
      p = validate(requested, errors);
      errors.throwIfAny();
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    String normalised = EmailAddresses.normalised(address);
    Instant now = clock.instant();
    return pool.withTransaction(
        tx ->
            rowOf(tx, normalised)
                .compose(
                    found -> {
                      if (found.isPresent()) {
                        return again(tx, found.get(), p, now);
                      }
                      String id = newId();
                      ReportCrypto.Sealed sealed = crypto.seal(address, aad(id));
                      byte[] nonce = nonce();
                      return store
                          .insert(
                              tx,
                              new EmailSubscriptionStore.NewSubscriber(
                                  id,
                                  currentHash(normalised),
                                  crypto.pepperId(),
                                  sealed.keyId(),
                                  sealed.bytes(),
                                  p,
                                  nonce(),
                                  nonce,
                                  now.plus(CONFIRM_VALID),
                                  now))
                          .compose(
                              inserted ->
                                  inserted
                                      ? queue(tx, id, "confirm", nonce)
                                      // a concurrent sign-up of the same address won; its e-mail is
                                      // on its way
                                      : Future.succeededFuture());
                    }));
  }

  /**
   * The row of a normalised address, locked, looked up under every configured pepper and brought up
   * to date: hashed under the current pepper, sealed under the current key, and any second row of
   * the same address (signed up again across a rotation) deleted. A concurrent sign-up waits for
   * the lock and then finds the row by its new hash.
   */
  private Future<Optional<EmailSubscriptionStore.Subscriber>> rowOf(
      SqlClient tx, String normalised) {
    List<byte[]> hashes =
        crypto.pepperIds().stream()
            .map(id -> crypto.lookupHash(id, ADDRESS_HASH, normalised))
            .toList();
    return store
        .byHashesForUpdate(tx, hashes)
        .compose(
            rows -> {
              if (rows.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
              }
              EmailSubscriptionStore.Subscriber keep = rows.get(0);
              Future<Void> done = Future.succeededFuture();
              for (EmailSubscriptionStore.Subscriber other : rows.subList(1, rows.size())) {
                done = done.compose(v -> store.deleteDuplicate(tx, other.id()));
              }
              if (current(keep)) {
                return done.map(Optional.of(keep));
              }
              return done.compose(
                      v ->
                          store.rekey(
                              tx, keep.id(), hashes.get(0), crypto.pepperId(), resealed(keep)))
                  .map(Optional.of(keep));
            });
  }

  private byte[] currentHash(String normalised) {
    return crypto.lookupHash(crypto.pepperId(), ADDRESS_HASH, normalised);
  }

  private boolean current(EmailSubscriptionStore.Subscriber s) {
    return crypto.pepperId().equals(s.addressPepperId())
        && crypto.textKeyId().equals(s.addressKeyId());
  }

  /**
   * The row's address sealed under the current key; as it is when that is its key already, or when
   * its key is not configured (then nobody can read it, and the start-up step counts it).
   */
  private ReportCrypto.Sealed resealed(EmailSubscriptionStore.Subscriber s) {
    ReportCrypto.Sealed as = new ReportCrypto.Sealed(s.addressKeyId(), s.addressSealed());
    if (crypto.textKeyId().equals(s.addressKeyId())) {
      return as;
    }
    try {
      return crypto.seal(
          crypto.open(s.addressKeyId(), s.addressSealed(), aad(s.id())), aad(s.id()));
    } catch (ReportCrypto.CannotOpen e) {
      return as;
    }
  }

  // ---- after a rotation ------------------------------------------------------------------------

  /**
   * What {@link #rekeyStored} did: rows brought up to date, and rows whose key is not configured.
   */
  public record Rekeying(int rekeyed, int unreadable) {}

  /**
   * Brings every row not hashed under the current pepper or not sealed under the current key up to
   * date, {@link #REKEY_BATCH} rows a statement, so that an operator can tell when an old pepper or
   * key is no longer used. Safe on several instances at once (a row changes only while it still
   * holds what was read, and rows another instance holds are left to it) and cheap to run again:
   * nothing is written when every row is current.
   */
  public Future<Rekeying> rekeyStored() {
    return rekeyFrom("", new Rekeying(0, 0));
  }

  /**
   * {@link #rekeyStored}, told in the log; never fails: look-ups try every configured pepper, so a
   * failure only delays the day an old pepper can go, and must not stop the service.
   */
  public Future<Void> rekeyStoredAtStart() {
    return rekeyStored()
        .onSuccess(
            r -> {
              if (r.rekeyed() > 0) {
                LOG.info(
                    "{} bulletin e-mail subscribers hashed and sealed with the current report pepper and key",
                    r.rekeyed());
              }
              if (r.unreadable() > 0) {
                LOG.warn(
                    "{} bulletin e-mail subscribers are sealed with a report key that is not configured",
                    r.unreadable());
              }
            })
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn(
                  "bulletin e-mail subscribers not brought up to date with the current report pepper: {}",
                  e.getClass().getSimpleName());
              return Future.succeededFuture();
            });
  }

  private Future<Rekeying> rekeyFrom(String afterId, Rekeying sofar) {
    return store
        .notCurrent(pool, crypto.pepperId(), crypto.textKeyId(), afterId, REKEY_BATCH)
        .compose(
            rows -> {
              if (rows.isEmpty()) {
                return Future.succeededFuture(sofar);
              }
              List<EmailSubscriptionStore.Rekeyed> batch = new ArrayList<>();
              Map<String, String> addresses = new LinkedHashMap<>();
              Set<String> hashes = new HashSet<>();
              int unreadable = 0;
              for (EmailSubscriptionStore.Subscriber s : rows) {
                if (s.addressPepperId() != null
                    && !crypto.pepperIds().contains(s.addressPepperId())) {
                  // hashed by an instance with a newer pepper (a rolling deploy): not ours to undo
                  continue;
                }
                String address;
                try {
                  address = crypto.open(s.addressKeyId(), s.addressSealed(), aad(s.id()));
                } catch (ReportCrypto.CannotOpen e) {
                  unreadable++;
                  continue;
                }
                String normalised = EmailAddresses.normalised(address);
                byte[] hash = currentHash(normalised);
                addresses.put(s.id(), normalised);
                // two rows of one address in a batch: the second goes the one-by-one way below
                if (hashes.add(HexFormat.of().formatHex(hash))) {
                  ReportCrypto.Sealed sealed = resealed(s);
                  batch.add(
                      new EmailSubscriptionStore.Rekeyed(
                          s.id(),
                          s.addressHash(),
                          s.addressSealed(),
                          hash,
                          crypto.pepperId(),
                          sealed.keyId(),
                          sealed.bytes()));
                }
              }
              int cannot = unreadable;
              Future<Set<String>> done =
                  batch.isEmpty()
                      ? Future.succeededFuture(Set.of())
                      : store
                          .rekeyBatch(pool, batch)
                          // a sign-up inserted one of the new hashes meanwhile: one by one
                          .recover(
                              e ->
                                  e instanceof PgException pg && "23505".equals(pg.getSqlState())
                                      ? Future.succeededFuture(Set.of())
                                      : Future.failedFuture(e));
              String last = rows.get(rows.size() - 1).id();
              return done.compose(
                  ids -> {
                    // the rest (another row has the address's new hash, or another instance held
                    // the row) one address at a time, as a sign-up would
                    Future<Integer> rest = Future.succeededFuture(ids.size());
                    for (Map.Entry<String, String> a : addresses.entrySet()) {
                      if (!ids.contains(a.getKey())) {
                        rest =
                            rest.compose(
                                n ->
                                    pool.withTransaction(tx -> rowOf(tx, a.getValue()))
                                        // the row as read: not current means it was rekeyed
                                        .map(k -> k.isPresent() && !current(k.get()) ? n + 1 : n));
                      }
                    }
                    return rest.compose(
                        n -> {
                          Rekeying total =
                              new Rekeying(sofar.rekeyed() + n, sofar.unreadable() + cannot);
                          return rows.size() < REKEY_BATCH
                              ? Future.succeededFuture(total)
                              : rekeyFrom(last, total);
                        });
                  });
            });
  }

  private Future<Void> again(
      SqlClient tx, EmailSubscriptionStore.Subscriber s, Preferences p, Instant now) {
    if (s.confirmationSentAt() != null && s.confirmationSentAt().plus(ONE_EMAIL_PER).isAfter(now)) {
      return Future.succeededFuture();
    }
    if (s.confirmed()) {
      // the preferences of a confirmed address change only through its own links
      return store
          .reminderSent(tx, s.id(), now)
          .compose(v -> queue(tx, s.id(), "reminder", nonce()));
    }
    byte[] nonce = nonce();
    return store
        .renewConfirmation(tx, s.id(), p, nonce, now.plus(CONFIRM_VALID), now)
        .compose(v -> queue(tx, s.id(), "confirm", nonce));
  }

  private static Future<Void> queue(SqlClient tx, String id, String kind, byte[] nonce) {
    return Outbox.enqueue(
            tx,
            CONFIRM_CHANNEL,
            "email-" + kind + ":" + id + ":" + HexFormat.of().formatHex(nonce),
            new JsonObject().put("subscriberId", id).put("kind", kind))
        .mapEmpty();
  }

  // ---- the links -----------------------------------------------------------------------------

  /** Whether a confirmation link would confirm, without using it (the page before the button). */
  public Future<Confirmation> checkConfirmation(String id, String token) {
    if (!wellFormed(id)) {
      return Future.succeededFuture(Confirmation.NOT_VALID);
    }
    return store.byId(pool, id).map(found -> confirmation(found, token, clock.instant()));
  }

  /** Uses a confirmation link: the subscription is confirmed, once. */
  public Future<Confirmation> confirm(String id, String token) {
    if (!wellFormed(id)) {
      return Future.succeededFuture(Confirmation.NOT_VALID);
    }
    Instant now = clock.instant();
    return pool.withTransaction(
        tx ->
            store
                .byIdForUpdate(tx, id)
                .compose(
                    found -> {
                      Confirmation c = confirmation(found, token, now);
                      return c != Confirmation.CONFIRMED
                          ? Future.succeededFuture(c)
                          : store
                              .confirm(tx, id, found.get().confirmNonce(), now)
                              .map(done -> done ? Confirmation.CONFIRMED : Confirmation.NOT_VALID);
                    }));
  }

  private Confirmation confirmation(
      Optional<EmailSubscriptionStore.Subscriber> found, String token, Instant now) {
    if (found.isEmpty()
        || !links.matches(
            EmailLinks.CONFIRM, found.get().id(), found.get().confirmNonce(), token)) {
      return Confirmation.NOT_VALID;
    }
    return found.get().confirmExpiresAt().isAfter(now)
        ? Confirmation.CONFIRMED
        : Confirmation.EXPIRED;
  }

  /** The preferences behind a preferences link, if the link is a working one. */
  public Future<Optional<Preferences>> preferences(String id, String token) {
    return manageable(id, token)
        .map(found -> found.map(s -> new Preferences(s.audiences(), s.areas(), s.frequency())));
  }

  /**
   * Changes the preferences through a working preferences link; false when the link does not work.
   */
  public Future<Boolean> updatePreferences(String id, String token, Preferences requested) {
    Preferences p;
    try {
      InvalidInput.Builder errors = InvalidInput.builder();
      p = validate(requested, errors);
      errors.throwIfAny();
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    return manageable(id, token)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.succeededFuture(false)
                    : store.updatePreferences(pool, id, found.get().linkNonce(), p));
  }

  /**
   * Deletes the subscription (and so the address) through its unsubscribe link, confirmed or not.
   * False when the link does not work (unknown, or unsubscribed already).
   */
  public Future<Boolean> unsubscribe(String id, String token) {
    if (!wellFormed(id)) {
      return Future.succeededFuture(false);
    }
    return store
        .byId(pool, id)
        .compose(
            found ->
                found.isEmpty()
                        || !links.matches(EmailLinks.MANAGE, id, found.get().linkNonce(), token)
                    ? Future.succeededFuture(false)
                    : store.delete(pool, id, found.get().linkNonce()));
  }

  private Future<Optional<EmailSubscriptionStore.Subscriber>> manageable(String id, String token) {
    if (!wellFormed(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return store
        .byId(pool, id)
        .map(
            found ->
                found.filter(
                    s ->
                        s.confirmed()
                            && links.matches(EmailLinks.MANAGE, id, s.linkNonce(), token)));
  }

  // ---- sending ---------------------------------------------------------------------------------

  /**
   * In the transaction that starts a bulletin's send: one e-mail row and one outbox message per
   * confirmed subscriber who wants each bulletin; starting it twice adds nothing.
   */
  Future<Integer> startBulletin(SqlClient tx, Bulletin b, Instant now) {
    return store
        .startBulletin(tx, b, now)
        .compose(
            ids -> {
              Map<String, JsonObject> messages = new LinkedHashMap<>();
              ids.forEach(
                  id -> messages.put("bulletin-email:" + id, new JsonObject().put("emailId", id)));
              return Outbox.enqueueEach(tx, BULLETIN_CHANNEL, messages).map(n -> ids.size());
            });
  }

  /**
   * Queues the weekly digest of the last whole week (Monday to Sunday, London) once Monday {@link
   * #DIGEST_AFTER} has come: one e-mail per weekly subscriber with at least one bulletin for them
   * that week. Safe to call often and on every instance: a week is queued once, in the transaction
   * that claims it.
   *
   * @return how many digests were queued now (0 when the week was queued before)
   */
  public Future<Integer> queueWeeklyDigest() {
    java.time.ZonedDateTime now = clock.instant().atZone(LONDON);
    java.time.LocalDate monday =
        now.toLocalDate()
            .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
    java.time.LocalDate weekStart =
        monday.minusWeeks(
            now.toLocalTime().isBefore(DIGEST_AFTER) && now.toLocalDate().equals(monday) ? 2 : 1);
    Instant from = weekStart.atStartOfDay(LONDON).toInstant();
    Instant to = weekStart.plusWeeks(1).atStartOfDay(LONDON).toInstant();
    return pool.withTransaction(
            tx ->
                store
                    .claimDigest(tx, weekStart, clock.instant())
                    .compose(
                        claimed -> {
                          if (!claimed) {
                            return Future.succeededFuture(0);
                          }
                          return store
                              .digestSubscribers(tx, from, to)
                              .compose(
                                  ids -> {
                                    Map<String, JsonObject> messages = new LinkedHashMap<>();
                                    ids.forEach(
                                        id ->
                                            messages.put(
                                                "bulletin-digest:" + weekStart + ":" + id,
                                                new JsonObject()
                                                    .put("subscriberId", id)
                                                    .put("weekStart", weekStart.toString())));
                                    return Outbox.enqueueEach(tx, DIGEST_CHANNEL, messages)
                                        .compose(
                                            n ->
                                                store
                                                    .digestQueued(tx, weekStart, ids.size())
                                                    .map(v -> ids.size()));
                                  });
                        }))
        // a week's digests have just become pending all at once
        .compose(n -> n == 0 ? Future.succeededFuture(n) : Outbox.refreshStatistics(pool).map(n));
  }

  /** The e-mail counts of getBulletinDelivery. */
  public Future<EmailDelivery> delivery(String bulletinId) {
    return store
        .counts(pool, bulletinId)
        .map(
            c ->
                new EmailDelivery(
                    c.targeted(), c.sent(), c.undeliverable(), c.skipped(), c.pending()));
  }

  /** The e-mails this feature sends, as an e-mail channel's source. */
  public SubscriptionEmails confirmations() {
    return new SubscriptionEmails(parts());
  }

  public BulletinEmails bulletins() {
    return new BulletinEmails(parts());
  }

  public DigestEmails digests() {
    return new DigestEmails(parts());
  }

  private EmailParts parts() {
    return new EmailParts(pool, clock, crypto, links, store);
  }

  /**
   * Unconfirmed sign-ups go {@link #UNCONFIRMED_KEPT} after the last one; finished bulletin e-mails
   * forget their subscriber after {@code keepFinished} (the counts stay).
   */
  public List<Retention> retention(Duration keepFinished) {
    return List.of(
        Retention.of(
            "email-subscribers-unconfirmed",
            (p, now) -> store.purgeUnconfirmed(p, now.minus(UNCONFIRMED_KEPT))),
        Retention.of(
            "bulletin-emails-finished",
            (p, now) -> store.forgetFinished(p, now.minus(keepFinished))));
  }

  // ---- helpers -------------------------------------------------------------------------------

  static String aad(String subscriberId) {
    return "email-subscriber:" + subscriberId + ":address";
  }

  private static boolean wellFormed(String id) {
    return id != null && ID.matcher(id).matches();
  }

  private static Preferences validate(Preferences p, InvalidInput.Builder errors) {
    List<String> audiences =
        Bulletins.audiences(p == null ? null : p.audiences(), "audiences", errors);
    List<String> areas = Bulletins.areas(p == null ? null : p.areas(), "areas", errors);
    String frequency = p == null || p.frequency() == null ? Preferences.EACH : p.frequency();
    errors.check(
        Preferences.FREQUENCIES.contains(frequency),
        "frequency",
        "must be one of " + Preferences.FREQUENCIES);
    return new Preferences(audiences, areas, frequency);
  }

  private static byte[] nonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "es_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
