package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * The reporter's side of anonymous reports: categories and areas, submitting (idempotent), and
 * checking and replying by receipt code. The service never sees who is reporting: the api passes
 * only the body and the Idempotency-Key, and nothing with a time finer than a day is stored.
 */
public final class ReportService {

  /** A reporter may add this many messages to one report. */
  static final int MAX_REPORTER_MESSAGES = 50;

  private static final String SCOPE = "submitReport";

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final ReportCrypto crypto;
  private final ReceiptCodes codes;
  private final ReportStore store;
  private final Idempotency idempotency;
  private final DutyAlerts alerts;
  private final QueueChanged queueChanged;
  private final SecureRandom random = new SecureRandom();
  private final long routingTtlNanos;
  private volatile Routing routing;

  /**
   * Categories, areas and destinations, held for a short while: every submission needs them and
   * they change rarely. Edits on this instance are seen at once; on other instances within the time
   * to live.
   */
  private record Routing(
      Map<String, ReportCategory> categories,
      List<ReportCategory> ordered,
      java.util.Set<String> areas,
      Map<String, Destination> destinations,
      long loadedAt) {}

  /**
   * @param routingTtl how long categories, areas and destinations are cached (zero: not at all)
   * @param alerts tells the duty inbox; an urgent report's alert is committed with the report
   */
  public ReportService(
      Vertx vertx,
      Pool pool,
      Clock clock,
      ReportCrypto crypto,
      java.time.Duration routingTtl,
      DutyAlerts alerts) {
    this.vertx = vertx;
    this.alerts = alerts;
    this.pool = pool;
    this.clock = clock;
    this.crypto = crypto;
    this.codes = new ReceiptCodes(crypto);
    this.store = new ReportStore();
    this.idempotency = new Idempotency(clock);
    this.routingTtlNanos = routingTtl.toNanos();
    this.queueChanged = new QueueChanged(vertx, pool);
  }

  private Future<Routing> routing() {
    Routing r = routing;
    if (r != null && System.nanoTime() - r.loadedAt() < routingTtlNanos) {
      return Future.succeededFuture(r);
    }
    return Future.all(store.categories(pool, true), store.areas(pool), store.destinations(pool))
        .map(
            all -> {
              List<ReportCategory> categories = all.resultAt(0);
              List<ReportArea> areas = all.resultAt(1);
              Map<String, ReportCategory> byId = new java.util.HashMap<>();
              categories.forEach(c -> byId.put(c.id(), c));
              Routing loaded =
                  new Routing(
                      Map.copyOf(byId),
                      List.copyOf(categories),
                      areas.stream()
                          .map(ReportArea::id)
                          .collect(java.util.stream.Collectors.toUnmodifiableSet()),
                      all.resultAt(2),
                      System.nanoTime());
              routing = loaded;
              return loaded;
            });
  }

  // ---- categories and areas ----------------------------------------------------------------

  public Future<List<ReportCategory>> categories(boolean includeInactive) {
    return routing()
        .map(r -> r.ordered().stream().filter(c -> includeInactive || c.active()).toList());
  }

  public Future<List<ReportArea>> areas() {
    return store.areas(pool);
  }

  public Future<Map<String, Destination>> destinations() {
    return routing().map(Routing::destinations);
  }

  public Future<ReportCategory> createCategory(ReportCategory category) {
    return checked(pool, category, () -> store.insertCategory(pool, category))
        .onComplete(ar -> routing = null)
        .compose(
            inserted ->
                inserted
                    ? Future.succeededFuture(category)
                    : Future.failedFuture(
                        new DomainException.Conflict("A category with this id exists already.")));
  }

  public Future<ReportCategory> updateCategory(String id, CategoryPatch patch) {
    return pool.withTransaction(
            tx ->
                store
                    .category(tx, id)
                    .compose(
                        found -> {
                          if (found.isEmpty()) {
                            return Future.failedFuture(
                                new DomainException.NotFound(
                                    "There is no report category " + id + "."));
                          }
                          ReportCategory changed = patch.applyTo(found.get());
                          return checked(
                              tx, changed, () -> store.updateCategory(tx, changed).map(changed));
                        }))
        .onComplete(ar -> routing = null);
  }

  /** Writes {@code c} once it is right against the destinations as {@code db} has them. */
  private <T> Future<T> checked(SqlClient db, ReportCategory c, Supplier<Future<T>> write) {
    return store
        .destinations(db)
        .compose(
            destinations -> {
              InvalidInput.Builder errors = InvalidInput.builder();
              checkCategory(c, destinations, errors);
              errors.throwIfAny();
              return write.get();
            });
  }

  private static void checkCategory(
      ReportCategory c, Map<String, Destination> destinations, InvalidInput.Builder errors) {
    Destination d = c.destination() == null ? null : destinations.get(c.destination());
    errors
        .check(c.label() != null && !c.label().isBlank(), "label", "must not be blank")
        .check(
            c.description() != null && !c.description().isBlank(),
            "description",
            "must not be blank")
        .check(c.guidance() != null && !c.guidance().isBlank(), "guidance", "must not be blank")
        .check(
            d != null && d.active(),
            "destination",
            "is not an active destination; see listReportDestinations")
        .check(
            c.label() == null || c.label().length() <= 120,
            "label",
            "must be at most 120 characters")
        .check(
            c.label() == null || !c.label().contains("\n") && !c.label().contains("\r"),
            "label",
            "must be one line")
        .check(
            c.description() == null || c.description().length() <= 500,
            "description",
            "must be at most 500 characters")
        .check(
            c.guidance() == null || c.guidance().length() <= 1000,
            "guidance",
            "must be at most 1000 characters")
        .check(
            c.sortOrder() >= 0 && c.sortOrder() <= 100_000,
            "sortOrder",
            "must be from 0 to 100000");
    checkContacts(c.contacts(), errors);
  }

  private static final int MAX_CONTACTS = 10;
  private static final java.util.regex.Pattern CONTACT_URL =
      java.util.regex.Pattern.compile("^(https://|tel:|mailto:)\\S+$");
  private static final Map<String, Integer> CONTACT_FIELDS =
      Map.of("name", 100, "phone", 40, "email", 200, "url", 500, "note", 300);

  /**
   * Who else can help, as the app shows them with the guidance: {@code {name, phone?, email?, url?,
   * note?}}, at most {@link #MAX_CONTACTS}; a link only of a kind the app can open safely.
   */
  private static void checkContacts(JsonArray contacts, InvalidInput.Builder errors) {
    if (contacts == null) {
      return;
    }
    if (contacts.size() > MAX_CONTACTS) {
      errors.add("contacts", "must have at most " + MAX_CONTACTS + " entries");
      return;
    }
    for (int i = 0; i < contacts.size(); i++) {
      String at = "contacts[" + i + "]";
      if (!(contacts.getValue(i) instanceof JsonObject contact)) {
        errors.add(at, "must be an object with a name");
        continue;
      }
      for (String key : contact.fieldNames()) {
        Integer max = CONTACT_FIELDS.get(key);
        Object v = contact.getValue(key);
        if (max == null) {
          errors.add(at + "." + key, "is not a known field");
        } else if (!(v instanceof String text)) {
          errors.add(at + "." + key, "must be text");
        } else if (text.length() > max) {
          errors.add(at + "." + key, "must be at most " + max + " characters");
        } else if (key.equals("url") && !CONTACT_URL.matcher(text).matches()) {
          errors.add(at + ".url", "must start with https://, tel: or mailto:");
        }
      }
      Object name = contact.getValue("name");
      if (!(name instanceof String n) || n.isBlank()) {
        errors.add(at + ".name", "is required");
      }
    }
  }

  // ---- destinations ------------------------------------------------------------------------

  /** Every destination, active or not, built-in first. */
  public Future<List<Destination>> destinationList() {
    return store.destinationList(pool);
  }

  public Future<Destination> createDestination(Destination d) {
    InvalidInput.Builder errors = InvalidInput.builder();
    checkDestination(d, errors);
    errors.throwIfAny();
    return store
        .insertDestination(pool, d)
        .onComplete(ar -> routing = null)
        .compose(
            inserted ->
                inserted
                    ? Future.succeededFuture(d)
                    : Future.failedFuture(
                        new DomainException.Conflict(
                            "A destination with this id exists already.")));
  }

  /**
   * Changes a destination. Deactivating one is refused while a category still routes to it (the
   * category would send reports nowhere) and for the built-in ones (the app knows them).
   */
  public Future<Destination> updateDestination(String id, DestinationPatch patch) {
    return pool.withTransaction(
            tx ->
                store
                    .destinationForUpdate(tx, id)
                    .compose(
                        found -> {
                          Destination current =
                              found.orElseThrow(
                                  () ->
                                      new DomainException.NotFound(
                                          "There is no destination " + id + "."));
                          Destination changed = patch.applyTo(current);
                          InvalidInput.Builder errors = InvalidInput.builder();
                          checkDestination(changed, errors);
                          errors.throwIfAny();
                          if (changed.active() || !current.active()) {
                            return store.updateDestination(tx, changed).map(changed);
                          }
                          if (current.builtIn()) {
                            return Future.failedFuture(
                                new DomainException.Conflict(
                                    current.name()
                                        + " is built in: the app knows it, so it cannot be deactivated."));
                          }
                          return store
                              .categoriesRoutedTo(tx, id)
                              .compose(
                                  categories ->
                                      categories.isEmpty()
                                          ? store.updateDestination(tx, changed).map(changed)
                                          : Future.failedFuture(
                                              new DomainException.Conflict(
                                                  current.name()
                                                      + " cannot be deactivated: "
                                                      + (categories.size() == 1
                                                          ? "category "
                                                          : "categories ")
                                                      + String.join(", ", categories)
                                                      + " still send reports to it. Route them to another destination first.")));
                        }))
        .onComplete(ar -> routing = null);
  }

  private static void checkDestination(Destination d, InvalidInput.Builder errors) {
    errors
        .check(
            d.id() != null && d.id().matches("[A-Z][A-Z0-9_]{1,39}"),
            "id",
            "must be 2 to 40 capital letters, digits or _, starting with a letter")
        .check(d.name() != null && !d.name().isBlank(), "name", "must not be blank")
        .check(d.shortName() != null && !d.shortName().isBlank(), "shortName", "must not be blank")
        .check(
            d.handoffInstructions() != null && !d.handoffInstructions().isBlank(),
            "handoffInstructions",
            "must not be blank")
        .check(
            "email".equals(d.channel()) || "manual".equals(d.channel()),
            "channel",
            "must be email or manual")
        .check(
            !"email".equals(d.channel())
                || (d.email() != null && d.email().matches("[^@\\s]+@[^@\\s]+")),
            "email",
            "is required for the email channel: the address referrals are sent to");
  }

  // ---- submitting --------------------------------------------------------------------------

  /**
   * Stores a report, or answers a retry. Exactly one report per Idempotency-Key, however many
   * identical requests race: the idempotency row's primary key decides (a concurrent insert of the
   * same key waits for the first transaction, then finds its row), never a check-then-insert. A
   * retry with the same key and the same report gets the first answer again, receipt code included,
   * decrypted from the stored answer; with a different report it gets 422.
   */
  public Future<Receipt> submit(String idempotencyKey, NewReport report) {
    InvalidInput.Builder errors = InvalidInput.builder();
    errors.check(
        report.description() != null && !report.description().isBlank(),
        "description",
        "must not be blank");
    errors.check(
        report.happenedWhen() == null || NewReport.HAPPENED_WHEN.contains(report.happenedWhen()),
        "happenedWhen",
        "must be one of " + String.join(", ", NewReport.HAPPENED_WHEN));
    errors.check(
        idempotencyKey != null && !idempotencyKey.isBlank(), "Idempotency-Key", "is required");
    return routing()
        .compose(
            r -> {
              ReportCategory category =
                  report.categoryId() == null ? null : r.categories().get(report.categoryId());
              errors.check(
                  category != null && category.active(),
                  "categoryId",
                  "is not a report category; see listReportCategories");
              errors.check(
                  report.area() == null || r.areas().contains(report.area()),
                  "area",
                  "is not a report area; see listReportAreas");
              errors.throwIfAny();
              return submitOnce(
                  idempotencyKey,
                  report,
                  category,
                  r.destinations().get(category.destination()),
                  true);
            });
  }

  private record Prepared(
      ReportStore.Submission submission, Receipt answer, Idempotency.Claim claim) {}

  private Future<Receipt> submitOnce(
      String idempotencyKey,
      NewReport report,
      ReportCategory category,
      Destination destination,
      boolean retryOnClash) {
    // the slow receipt hash runs on a worker thread, never on an event loop
    return vertx
        .executeBlocking(() -> prepare(idempotencyKey, report, category, destination), false)
        .compose(
            p ->
                insertOnce(p, report)
                    .compose(
                        inserted -> {
                          if (inserted) {
                            queueChanged.signal();
                          }
                          return inserted
                              ? Future.succeededFuture(p.answer())
                              // the key was used before (or by a concurrent request that has now
                              // committed)
                              : idempotency
                                  .first(pool, p.claim())
                                  .map(
                                      first ->
                                          Receipt.decode(
                                              crypto.open(
                                                  first.answerKeyId(),
                                                  first.answerCt(),
                                                  answerAad(p.claim().keyHash()))));
                        }))
        .recover(
            e ->
                retryOnClash && isClash(e)
                    ? submitOnce(idempotencyKey, report, category, destination, false)
                    : Future.failedFuture(e));
  }

  private Future<Boolean> insertOnce(Prepared p, NewReport report) {
    io.vertx.sqlclient.Tuple claim = idempotency.parameters(p.claim());
    if (!report.immediateDanger()) {
      return store.insertReportOnce(pool, claim, p.submission());
    }
    // an urgent report and its duty alert are committed together, never one without the other
    return pool.withTransaction(
        tx ->
            store
                .insertReportOnce(tx, claim, p.submission())
                .compose(
                    inserted ->
                        inserted
                            ? alerts
                                .urgentReport(tx, p.submission().id(), report.categoryId())
                                .map(true)
                            : Future.succeededFuture(false)));
  }

  private Prepared prepare(
      String idempotencyKey, NewReport report, ReportCategory category, Destination destination) {
    UUID id = UUID.randomUUID();
    String code = codes.generate();
    ReceiptCodes.StoredHash receipt = codes.hashForStorage(code);
    ReportCrypto.Sealed description = crypto.seal(report.description().strip(), descriptionAad(id));
    Receipt answer =
        Receipt.of(
            ReceiptCodes.format(code),
            category.destination(),
            destination == null ? category.destination() : destination.name(),
            ReportStatus.explain("received"),
            Receipt.guidance(category, report.immediateDanger()));
    // keyed hashes: a copy of the database cannot confirm a guess of a key or of what was reported
    byte[] keyHash = crypto.lookupHash("idempotency-key", idempotencyKey);
    byte[] bodyHash = crypto.lookupHash("submission-body", report.fingerprint());
    ReportCrypto.Sealed sealedAnswer = crypto.seal(answer.encoded(), answerAad(keyHash));
    ReportStore.Submission submission =
        new ReportStore.Submission(
            id, reference(), report, category.destination(), description, receipt);
    return new Prepared(
        submission,
        answer,
        new Idempotency.Claim(
            SCOPE, keyHash, bodyHash, id.toString(), sealedAnswer.keyId(), sealedAnswer.bytes()));
  }

  /**
   * A random reference or receipt hash that happened to exist already: try once more with fresh
   * values.
   */
  private static boolean isClash(Throwable e) {
    return e instanceof PgException pg
        && "23505".equals(pg.getSqlState())
        && pg.getConstraint() != null
        && (pg.getConstraint().equals("reports_reference_key")
            || pg.getConstraint().equals("reports_receipt_hash_key"));
  }

  private String reference() {
    StringBuilder sb = new StringBuilder("R-");
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        sb.append('-');
      }
      sb.append(ReceiptCodes.ALPHABET.charAt(random.nextInt(ReceiptCodes.ALPHABET.length())));
    }
    return sb.toString();
  }

  static String descriptionAad(UUID reportId) {
    return "report:" + reportId + ":description";
  }

  static String messageAad(UUID reportId) {
    return "report:" + reportId + ":message";
  }

  private static String answerAad(byte[] keyHash) {
    return "submission:" + Base64.getUrlEncoder().withoutPadding().encodeToString(keyHash);
  }

  // ---- the reporter's side -----------------------------------------------------------------

  /**
   * The report with this receipt code. Fails with {@link InvalidInput} naming {@code receiptCode}
   * when the text cannot be a code we issued (typo caught by the check symbol), and with {@link
   * DomainException.NotFound} when no report has it; the api throttles both.
   */
  public Future<ReporterView> check(String receiptCode) {
    return find(receiptCode).compose(this::view);
  }

  /**
   * The reporter answers a moderator (or adds something). A retry of the same text is stored once.
   */
  public Future<ReporterView> reply(String receiptCode, String message) {
    if (message == null || message.isBlank()) {
      return Future.failedFuture(InvalidInput.of("message", "must not be blank"));
    }
    String text = message.strip();
    LocalDate today = ReportDates.today(clock);
    return find(receiptCode)
        .compose(
            found ->
                pool.withTransaction(
                    tx ->
                        store
                            .reportForUpdate(tx, found.id())
                            .compose(
                                locked -> {
                                  ReportStore.ReportRow r = locked.orElseThrow(() -> notFound());
                                  if (ReportStatus.isClosed(r.status())) {
                                    return Future.failedFuture(
                                        new DomainException.Conflict(
                                            "This report is closed, so it cannot take more messages. You can make a new report."));
                                  }
                                  return store
                                      .messages(tx, r.id())
                                      .compose(
                                          messages -> {
                                            if (!messages.isEmpty()) {
                                              ReportStore.MessageRow last =
                                                  messages.get(messages.size() - 1);
                                              if ("reporter".equals(last.author())
                                                  && text.equals(
                                                      crypto.open(
                                                          last.keyId(),
                                                          last.bodyCt(),
                                                          messageAad(r.id())))) {
                                                return Future.succeededFuture(
                                                    r); // a retry of the same reply
                                              }
                                            }
                                            long mine =
                                                messages.stream()
                                                    .filter(m -> "reporter".equals(m.author()))
                                                    .count();
                                            if (mine >= MAX_REPORTER_MESSAGES) {
                                              return Future.failedFuture(
                                                  new DomainException.Conflict(
                                                      "This report cannot take more messages. You can make a new report."));
                                            }
                                            ReportCrypto.Sealed sealed =
                                                crypto.seal(text, messageAad(r.id()));
                                            return store
                                                .insertMessage(
                                                    tx,
                                                    r.id(),
                                                    "reporter",
                                                    null,
                                                    sealed.keyId(),
                                                    sealed.bytes(),
                                                    today)
                                                .compose(v -> store.touch(tx, r.id(), today))
                                                .map(v -> r);
                                          });
                                })))
        .compose(r -> store.report(pool, r.id()).map(o -> o.orElseThrow(() -> notFound())))
        .compose(this::view);
  }

  private Future<ReportStore.ReportRow> find(String receiptCode) {
    Optional<String> canonical = ReceiptCodes.normalise(receiptCode);
    if (canonical.isEmpty()) {
      return Future.failedFuture(
          InvalidInput.of(
              "receiptCode",
              "is not a receipt code: check it for typos (it looks like 7KQM-4XTR-9PZH-3NWC)"));
    }
    return vertx
        .executeBlocking(() -> codes.hashesForLookup(canonical.get()), false)
        .compose(hashes -> store.reportByReceipt(pool, hashes))
        .map(found -> found.orElseThrow(ReportService::notFound));
  }

  private static DomainException.NotFound notFound() {
    return new DomainException.NotFound("No report has this receipt code.");
  }

  private Future<ReporterView> view(ReportStore.ReportRow r) {
    return Future.all(store.messages(pool, r.id()), destinations())
        .map(
            all -> {
              List<ReportStore.MessageRow> rows = all.resultAt(0);
              Map<String, Destination> destinations = all.resultAt(1);
              List<ReporterView.Message> messages = new ArrayList<>(rows.size());
              for (ReportStore.MessageRow m : rows) {
                messages.add(
                    new ReporterView.Message(
                        "reporter".equals(m.author()) ? "you" : "moderator",
                        crypto.open(m.keyId(), m.bodyCt(), messageAad(r.id())),
                        m.sentOn()));
              }
              boolean awaitingReply =
                  !rows.isEmpty()
                      && "moderator".equals(rows.get(rows.size() - 1).author())
                      && !ReportStatus.isClosed(r.status());
              String status = ReportStatus.forReporter(r.status(), r.destination());
              Destination d = destinations.get(r.destination());
              String statusText =
                  ReportStatus.FORWARDED.equals(r.status()) && d != null && !d.builtIn()
                      ? "Your report has been passed to "
                          + d.name()
                          + ", without anything that could identify you."
                      : ReportStatus.explain(status);
              return new ReporterView(
                  status,
                  statusText,
                  r.destination(),
                  d == null ? r.destination() : d.name(),
                  r.updatedOn(),
                  ReportStatus.isClosed(r.status()) ? r.outcome() : null,
                  awaitingReply,
                  !ReportStatus.isClosed(r.status()),
                  List.copyOf(messages));
            });
  }
}
