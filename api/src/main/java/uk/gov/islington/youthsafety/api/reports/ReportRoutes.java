package uk.gov.islington.youthsafety.api.reports;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ItemsJson;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.reports.CategoryPatch;
import uk.gov.islington.youthsafety.content.reports.Destination;
import uk.gov.islington.youthsafety.content.reports.DestinationPatch;
import uk.gov.islington.youthsafety.content.reports.DutyPushes;
import uk.gov.islington.youthsafety.content.reports.ModeratorAction;
import uk.gov.islington.youthsafety.content.reports.NewReport;
import uk.gov.islington.youthsafety.content.reports.ReceiptCodes;
import uk.gov.islington.youthsafety.content.reports.ReportCategory;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.reports.ReportService;
import uk.gov.islington.youthsafety.content.reports.ReportStatistics;

/**
 * The operations of anonymous reports: each handler maps a request to a call of {@link
 * ReportService} or {@link ReportModeration} and the answer to a reply ({@link ReportJson}). The
 * reporter's operations are throttled per client network and receipt code, in memory only.
 */
final class ReportRoutes {

  private final ReportService reports;
  private final ReportModeration moderation;
  private final ReportStatistics statistics;
  private final DutyPushes dutyPushes;
  private final RateLimits.Limit submissions;
  private final RateLimits.Limit wrongCodes;
  private final RateLimits.Limit lookupsByNetwork;
  private final RateLimits.Limit lookupsByCode;

  ReportRoutes(
      ReportService reports,
      ReportModeration moderation,
      ReportStatistics statistics,
      DutyPushes dutyPushes,
      RateLimits.Limit submissions,
      RateLimits.Limit wrongCodes,
      RateLimits.Limit lookupsByNetwork,
      RateLimits.Limit lookupsByCode) {
    this.reports = reports;
    this.moderation = moderation;
    this.statistics = statistics;
    this.dutyPushes = dutyPushes;
    this.submissions = submissions;
    this.wrongCodes = wrongCodes;
    this.lookupsByNetwork = lookupsByNetwork;
    this.lookupsByCode = lookupsByCode;
  }

  void addTo(Routes routes) {
    routes
        .on("listReportCategories", this::categories)
        .on("createReportCategory", this::createCategory)
        .on("updateReportCategory", this::updateCategory)
        .on(
            "listReportDestinations",
            req ->
                reports
                    .destinationList()
                    .map(all -> Reply.ok(ItemsJson.all(all, ReportJson::destination)).noStore()))
        .on("createReportDestination", this::createDestination)
        .on(
            "updateReportDestination",
            req ->
                reports
                    .updateDestination(req.path("destinationId"), destinationPatch(req.body()))
                    .map(d -> Reply.ok(ReportJson.destination(d))))
        .on("listReportStatistics", this::statistics)
        .on(
            "listReportAreas",
            req ->
                reports
                    .areas()
                    .map(
                        areas ->
                            Reply.ok(
                                    ItemsJson.all(
                                        areas,
                                        a ->
                                            new JsonObject()
                                                .put("id", a.id())
                                                .put("label", a.label())))
                                .header("Cache-Control", "public, max-age=300")))
        .on("submitReport", this::submit)
        .on("checkReport", this::check)
        .on("replyToReport", this::reply)
        .on("listReportsForTriage", this::triage)
        .on(
            "getReportForTriage",
            req ->
                moderation
                    .get(req.path("reportId"), staff(req))
                    .map(r -> Reply.ok(ReportJson.triageReport(r)).noStore()))
        .on("actOnReport", this::act)
        .on(
            "getReportAudit",
            req ->
                moderation
                    .auditTrail(req.path("reportId"))
                    .map(trail -> Reply.ok(ItemsJson.all(trail, ReportJson::auditEntry)).noStore()))
        .on(
            "verifyReportAudit",
            req ->
                moderation
                    .verifyAudit()
                    .map(v -> Reply.ok(ReportJson.auditVerification(v)).noStore()))
        .on(
            "getDutyDevice",
            req ->
                dutyPushes
                    .device(staff(req))
                    .map(d -> Reply.ok(ReportJson.dutyDevice(d.orElse(null))).noStore()))
        .on(
            "registerDutyDevice",
            req ->
                dutyPushes
                    .register(
                        staff(req),
                        req.body().getString("fcmToken"),
                        req.body().getBoolean("onDuty"))
                    .map(d -> Reply.ok(ReportJson.dutyDevice(d)).noStore()))
        .on(
            "removeDutyDevice",
            req -> dutyPushes.unregister(staff(req)).map(gone -> Reply.noContent()))
        .on(
            "listReportMailSink",
            req ->
                moderation
                    .mailSink(req.queryInt("limit", 20), staff(req))
                    .map(mails -> Reply.ok(ItemsJson.all(mails, ReportJson::sinkMail)).noStore()));
  }

  private Future<Reply> categories(ApiRequest req) {
    return Future.all(reports.categories(false), reports.destinations())
        .map(
            all -> {
              List<ReportCategory> categories = all.resultAt(0);
              Map<String, Destination> destinations = all.resultAt(1);
              return Reply.ok(ItemsJson.all(categories, c -> ReportJson.category(c, destinations)))
                  .header("Cache-Control", "public, max-age=300");
            });
  }

  private Future<Reply> createCategory(ApiRequest req) {
    JsonObject b = req.body();
    ReportCategory c =
        new ReportCategory(
            b.getString("id"),
            b.getString("label"),
            b.getString("description"),
            b.getString("destination"),
            b.getString("guidance"),
            b.getJsonArray("contacts", new JsonArray()),
            b.getInteger("sortOrder", 1000),
            b.getBoolean("active", true));
    return reports
        .createCategory(c)
        .compose(
            created ->
                reports.destinations().map(d -> Reply.created(ReportJson.category(created, d))));
  }

  private Future<Reply> updateCategory(ApiRequest req) {
    JsonObject b = req.body();
    CategoryPatch patch =
        new CategoryPatch(
            b.getString("label"),
            b.getString("description"),
            b.getString("destination"),
            b.getString("guidance"),
            b.getJsonArray("contacts"),
            b.getInteger("sortOrder"),
            b.getBoolean("active"));
    return reports
        .updateCategory(req.path("categoryId"), patch)
        .compose(
            updated -> reports.destinations().map(d -> Reply.ok(ReportJson.category(updated, d))));
  }

  private Future<Reply> createDestination(ApiRequest req) {
    Destination d = destinationPatch(req.body()).newDestination(req.body().getString("id"));
    return reports
        .createDestination(d)
        .map(created -> Reply.created(ReportJson.destination(created)));
  }

  private Future<Reply> statistics(ApiRequest req) {
    YearMonth from = month(req.query("from"), "from");
    YearMonth to = month(req.query("to"), "to");
    boolean csv = req.header("Accept") != null && req.header("Accept").contains("text/csv");
    return statistics
        .published(from, to)
        .map(
            months ->
                (csv
                        ? Reply.text(
                            200, "text/csv; charset=utf-8", ReportJson.statisticsCsv(months))
                        : Reply.ok(ReportJson.statistics(months)))
                    .header("Cache-Control", "public, max-age=3600")
                    .header("Vary", "Accept"));
  }

  private static YearMonth month(String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return YearMonth.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw InvalidInput.of(field, "must be a month, like 2026-04");
    }
  }

  private static DestinationPatch destinationPatch(JsonObject b) {
    return new DestinationPatch(
        b.getString("name"),
        b.getString("shortName"),
        b.getString("phone"),
        b.getString("email"),
        b.getString("website"),
        b.getString("handoffInstructions"),
        b.getString("channel"),
        b.getString("guidance"),
        b.getBoolean("active"));
  }

  private Future<Reply> submit(ApiRequest req) {
    RateLimits.Decision allowed = submissions.acquire(req.clientNetwork());
    if (!allowed.allowed()) {
      return Future.failedFuture(
          new DomainException.Throttled(
              "Too many reports from this connection just now. If someone is in danger, call 999.",
              allowed.retryAfterSeconds()));
    }
    JsonObject b = req.body();
    NewReport report =
        new NewReport(
            b.getString("categoryId"),
            b.getString("description"),
            b.getBoolean("immediateDanger", false),
            b.getString("area"),
            b.getString("happenedWhen"));
    return reports
        .submit(req.header("Idempotency-Key"), report)
        // the JSON text encoded once: the same bytes were sealed for a retry's replay
        .map(receipt -> Reply.created(Buffer.buffer(receipt.encoded())).noStore());
  }

  private Future<Reply> check(ApiRequest req) {
    String code = req.body().getString("receiptCode");
    return throttled(req, code, () -> reports.check(code))
        .map(view -> Reply.ok(ReportJson.reporterView(view)).noStore());
  }

  private Future<Reply> reply(ApiRequest req) {
    JsonObject b = req.body();
    return throttled(
            req,
            b.getString("receiptCode"),
            () -> reports.reply(b.getString("receiptCode"), b.getString("message")))
        .map(view -> Reply.created(ReportJson.reporterView(view)).noStore());
  }

  /**
   * What a receipt-code look-up may cost. A wrong code (typo or unknown) uses a token of a
   * per-network bucket, taken before the look-up and given back when the code was right, so a
   * concurrent burst cannot pass the cap; once it is empty the request is refused before any
   * look-up, so there is no oracle to keep guessing against. Every look-up, right or wrong, also
   * costs a slow hash and database reads: it takes a token per client network and per code.
   */
  private <T> Future<T> throttled(ApiRequest req, String code, Supplier<Future<T>> attempt) {
    String network = req.clientNetwork();
    RateLimits.Decision wrong = wrongCodes.acquire(network);
    if (!wrong.allowed()) {
      return Future.failedFuture(
          new DomainException.Throttled(
              "Too many wrong receipt codes. Please wait a while and try again.",
              wrong.retryAfterSeconds()));
    }
    RateLimits.Decision byNetwork = lookupsByNetwork.acquire(network);
    String codeKey = codeKey(code);
    RateLimits.Decision byCode = byNetwork.allowed() ? lookupsByCode.acquire(codeKey) : byNetwork;
    if (!byCode.allowed()) {
      wrongCodes.refund(network);
      if (byNetwork.allowed()) {
        lookupsByNetwork.refund(network);
      }
      return Future.failedFuture(
          new DomainException.Throttled(
              "Too many look-ups just now. Please wait a while and try again.",
              byCode.retryAfterSeconds()));
    }
    return attempt
        .get()
        .onComplete(
            done -> {
              Throwable e = done.cause();
              boolean wrongCode =
                  e instanceof DomainException.NotFound
                      || (e instanceof InvalidInput i
                          && i.errors().stream().anyMatch(f -> "receiptCode".equals(f.field())));
              if (!wrongCode) {
                wrongCodes.refund(network);
              }
            });
  }

  /**
   * The in-memory key of a code's look-up budget: a digest, so that no receipt code is held
   * readable.
   */
  private static String codeKey(String code) {
    return Digests.sha256Hex(code == null ? "" : ReceiptCodes.normalise(code).orElse(code));
  }

  private Future<Reply> triage(ApiRequest req) {
    return moderation
        .list(
            req.query("status"),
            req.query("destination"),
            req.queryBool("urgent", null),
            req.queryInt("limit", 20),
            req.query("cursor"))
        .map(page -> Reply.ok(ItemsJson.page(page, ReportJson::triageItem)).noStore());
  }

  private Future<Reply> act(ApiRequest req) {
    JsonObject b = req.body();
    ModeratorAction action =
        new ModeratorAction(
            b.getString("action"),
            b.getString("destination"),
            b.getString("message"),
            b.getString("outcome"),
            b.getString("externalReference"),
            b.getString("reason"));
    return moderation
        .act(req.path("reportId"), staff(req), action)
        .map(r -> Reply.ok(ReportJson.triageReport(r)).noStore());
  }

  private static String staff(ApiRequest req) {
    return req.requiredPrincipal().subject();
  }
}
