package uk.gov.islington.youthsafety.api.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.config.Loopback;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.CategoryPatch;
import uk.gov.islington.youthsafety.content.reports.Destination;
import uk.gov.islington.youthsafety.content.reports.ForwardRoutes;
import uk.gov.islington.youthsafety.content.reports.ModeratorAction;
import uk.gov.islington.youthsafety.content.reports.NewReport;
import uk.gov.islington.youthsafety.content.reports.ReferralEmails;
import uk.gov.islington.youthsafety.content.reports.ReceiptCodes;
import uk.gov.islington.youthsafety.content.reports.ReportCategory;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.reports.ReportRetention;
import uk.gov.islington.youthsafety.content.reports.ReportService;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.email.SmtpTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;

/**
 * Anonymous concern reports (issue 4): the reporter's operations (public, no token, no access
 * log line, no address or time stored), the moderators' queue and actions, editors' categories,
 * the e-mail channel that forwards reports, and the retention rules. Settings:
 * docs/operations/reports.md.
 */
public final class ReportsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(ReportsFeature.class);

  private final ReportService reports;
  private final ReportModeration moderation;
  private final EmailChannel emailChannel;
  private final RateLimits.Limit submissions;
  private final RateLimits.Limit wrongCodes;
  private final RateLimits.Limit lookupsByNetwork;
  private final RateLimits.Limit lookupsByCode;
  private final List<Retention> retention;

  public ReportsFeature(AppContext app) {
    Config config = app.config();
    ReportCrypto crypto = new ReportCrypto(keys(config));
    ForwardRoutes routes = routes(config);
    this.reports = new ReportService(app.vertx(), app.pool(), app.clock(), crypto,
        config.duration("REPORT_ROUTING_CACHE_TTL", Duration.ofSeconds(30)));
    this.moderation = new ReportModeration(app.pool(), app.clock(), crypto, routes);
    ReferralEmails referrals = new ReferralEmails(app.pool(), app.clock(), crypto, routes);
    boolean emailUsed = routes.byDestination().values().stream().anyMatch(r -> "email".equals(r.channel()));
    this.emailChannel = new EmailChannel(ForwardRoutes.EMAIL_CHANNEL, referrals,
        transport(app, config, referrals, emailUsed),
        config.duration("REPORT_EMAIL_RETRY_INITIAL", Duration.ofSeconds(30)),
        config.duration("REPORT_EMAIL_RETRY_MAX", Duration.ofHours(1)));
    this.submissions = app.rateLimits().limit("reports:submit",
        config.integer("REPORT_SUBMIT_RATE_CAPACITY", 10),
        config.integer("REPORT_SUBMIT_RATE_PER_HOUR", 20) / 60.0);
    this.wrongCodes = app.rateLimits().limit("reports:wrong-receipt-code",
        config.integer("REPORT_CODE_FAILURES_CAPACITY", 10),
        config.integer("REPORT_CODE_FAILURES_PER_HOUR", 10) / 60.0);
    this.lookupsByNetwork = app.rateLimits().limit("reports:code-lookups-network",
        config.integer("REPORT_CODE_LOOKUPS_PER_NETWORK_CAPACITY", 60),
        config.integer("REPORT_CODE_LOOKUPS_PER_NETWORK_PER_HOUR", 120) / 60.0);
    this.lookupsByCode = app.rateLimits().limit("reports:code-lookups-code",
        config.integer("REPORT_CODE_LOOKUPS_PER_CODE_CAPACITY", 20),
        config.integer("REPORT_CODE_LOOKUPS_PER_CODE_PER_HOUR", 60) / 60.0);
    this.retention = ReportRetention.rules(
        config.duration("REPORT_RETENTION", Duration.ofDays(90)),
        config.duration("REPORT_SPAM_RETENTION", Duration.ofDays(30)),
        config.duration("REPORT_AUDIT_RETENTION", Duration.ofDays(730)));
  }

  // ---- configuration -----------------------------------------------------------------------

  /**
   * REPORT_KEYS etc. from the environment, else from REPORT_KEYS_FILE, else (embedded default
   * only) from a file generated under DATA_DIR. With DATABASE_URL, keys must be given: generating
   * them per instance would make instances unable to read each other's reports.
   */
  public static ReportKeys keys(Config config) {
    Map<String, String> settings = new HashMap<>();
    if (config.optional(ReportKeys.KEYS).isEmpty() || config.optional(ReportKeys.PEPPERS).isEmpty()) {
      Path file = config.optional("REPORT_KEYS_FILE").map(Path::of).orElse(null);
      try {
        if (file == null) {
          if (!config.embedded()) {
            throw new IllegalStateException(
                "REPORT_KEYS and REPORT_RECEIPT_PEPPERS (or REPORT_KEYS_FILE) are required when DATABASE_URL is set");
          }
          file = config.dataDir().resolve("keys/report-keys.properties");
          ReportKeys.generateIfMissing(file);
        } else if (!Files.exists(file)) {
          throw new IllegalStateException("REPORT_KEYS_FILE names a file that does not exist");
        }
        settings.putAll(ReportKeys.readFile(file));
      } catch (IOException e) {
        throw new UncheckedIOException("report keys could not be read", e);
      }
    }
    for (String name : List.of(ReportKeys.KEYS, ReportKeys.KEY_ID, ReportKeys.PEPPERS, ReportKeys.PEPPER_ID)) {
      config.optional(name).ifPresent(v -> settings.put(name, v));
    }
    return ReportKeys.from(settings);
  }

  static ForwardRoutes routes(Config config) {
    return new ForwardRoutes(Map.of(
        Destination.CSCT, route(config, "CSCT", "email", "csctreferrals@islington.gov.uk"),
        Destination.CRIMESTOPPERS, route(config, "CRIMESTOPPERS", "manual", null)));
  }

  private static ForwardRoutes.Route route(Config config, String destination, String channel, String email) {
    String ch = config.string("REPORT_" + destination + "_CHANNEL", channel).toLowerCase(Locale.ROOT);
    String to = config.string("REPORT_" + destination + "_EMAIL", email);
    try {
      return new ForwardRoutes.Route(ch, "email".equals(ch) ? to : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("REPORT_" + destination + "_CHANNEL: " + e.getMessage()
          + " (set REPORT_" + destination + "_EMAIL)");
    }
  }

  private static EmailTransport transport(AppContext app, Config config, ReferralEmails referrals, boolean used) {
    String fallback = config.optional("SMTP_HOST").isPresent() ? "smtp" : app.embedded() || !used ? "local-sink" : null;
    String kind = config.string("REPORT_EMAIL_TRANSPORT", fallback == null ? "" : fallback).toLowerCase(Locale.ROOT);
    if (kind.equals("local-sink")) {
      if (!app.embedded() && used) {
        LOG.warn("report e-mails go to the local sink (REPORT_EMAIL_TRANSPORT=local-sink), not to an SMTP server");
      }
      return new LocalSinkTransport(app.pool(), referrals::sinkPayload);
    }
    if (!kind.equals("smtp")) {
      throw new IllegalStateException(
          "SMTP_HOST is required when DATABASE_URL is set and a report destination uses e-mail"
              + " (or set REPORT_EMAIL_TRANSPORT=local-sink)");
    }
    String host = config.optional("SMTP_HOST")
        .orElseThrow(() -> new IllegalStateException("REPORT_EMAIL_TRANSPORT=smtp needs SMTP_HOST"));
    MailConfig mail = new MailConfig()
        .setHostname(host)
        .setPort(config.integer("SMTP_PORT", 587))
        .setSsl(config.bool("SMTP_SSL", false))
        .setStarttls(starttls(config, host))
        .setConnectTimeout((int) config.duration("SMTP_CONNECT_TIMEOUT", Duration.ofSeconds(10)).toMillis())
        .setKeepAlive(true)
        .setMaxPoolSize(4);
    config.optional("SMTP_USERNAME").ifPresentOrElse(user -> mail.setLogin(LoginOption.REQUIRED).setUsername(user)
        .setPassword(config.string("SMTP_PASSWORD", "")), () -> mail.setLogin(LoginOption.DISABLED));
    return new SmtpTransport(MailClient.create(app.vertx(), mail),
        config.string("REPORT_EMAIL_FROM", "youth-safety-reports@localhost"));
  }

  /** The moderators' side, for the console's triage pages. */
  public ReportModeration moderation() {
    return moderation;
  }

  /**
   * Referral e-mails carry a report's words: toward another machine, STARTTLS disabled or
   * optional (which an attacker in the path can strip) stops the start unless SMTP_SSL is on or
   * SMTP_TLS=off writes the decision down.
   */
  private static StartTLSOptions starttls(Config config, String host) {
    String setting = config.string("SMTP_STARTTLS", "required");
    StartTLSOptions starttls;
    try {
      starttls = StartTLSOptions.valueOf(setting.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SMTP_STARTTLS must be required, optional or disabled");
    }
    boolean downgradable = starttls != StartTLSOptions.REQUIRED && !config.bool("SMTP_SSL", false);
    if (downgradable && config.bool("SMTP_TLS", true) && !Loopback.is(host)) {
      throw new IllegalArgumentException("SMTP_STARTTLS=" + setting.toLowerCase(Locale.ROOT)
          + " toward another machine sends reports in plaintext: use SMTP_STARTTLS=required (or SMTP_SSL=true), "
          + "or set SMTP_TLS=off to accept plaintext on this network");
    }
    return starttls;
  }

  @Override
  public List<Channel> channels() {
    return List.of(emailChannel);
  }

  @Override
  public List<Retention> retention() {
    return retention;
  }

  // ---- routes ------------------------------------------------------------------------------

  @Override
  public void routes(Routes routes) {
    routes.on("listReportCategories", this::categories)
        .on("createReportCategory", this::createCategory)
        .on("updateReportCategory", this::updateCategory)
        .on("listReportAreas", req -> reports.areas().map(areas -> Reply.ok(new JsonObject()
                .put("items", new JsonArray(areas.stream().map(a -> new JsonObject().put("id", a.id())
                    .put("label", a.label())).toList()))
                .putNull("nextCursor"))
            .header("Cache-Control", "public, max-age=300")))
        .on("submitReport", this::submit)
        .on("checkReport", this::check)
        .on("replyToReport", this::reply)
        .on("listReportsForTriage", this::triage)
        .on("getReportForTriage", req -> moderation.get(req.path("reportId"), staff(req))
            .map(r -> Reply.ok(ReportJson.triageReport(r)).header("Cache-Control", "no-store")))
        .on("actOnReport", this::act)
        .on("getReportAudit", req -> moderation.auditTrail(req.path("reportId"))
            .map(trail -> Reply.ok(new JsonObject()
                    .put("items", new JsonArray(trail.stream().map(ReportJson::auditEntry).toList()))
                    .putNull("nextCursor"))
                .header("Cache-Control", "no-store")))
        .on("listReportMailSink", req -> moderation.mailSink(req.queryInt("limit", 20))
            .map(mails -> Reply.ok(new JsonObject()
                    .put("items", new JsonArray(mails.stream().map(ReportJson::sinkMail).toList()))
                    .putNull("nextCursor"))
                .header("Cache-Control", "no-store")));
  }

  private Future<Reply> categories(ApiRequest req) {
    return Future.all(reports.categories(false), reports.destinations()).map(all -> {
      List<ReportCategory> categories = all.resultAt(0);
      Map<String, Destination> destinations = all.resultAt(1);
      return Reply.ok(new JsonObject()
              .put("items", new JsonArray(categories.stream().map(c -> ReportJson.category(c, destinations)).toList()))
              .putNull("nextCursor"))
          .header("Cache-Control", "public, max-age=300");
    });
  }

  private Future<Reply> createCategory(ApiRequest req) {
    JsonObject b = req.body();
    ReportCategory c = new ReportCategory(b.getString("id"), b.getString("label"), b.getString("description"),
        b.getString("destination"), b.getString("guidance"), b.getJsonArray("contacts", new JsonArray()),
        b.getInteger("sortOrder", 1000), b.getBoolean("active", true));
    return reports.createCategory(c).compose(created -> reports.destinations()
        .map(d -> Reply.created(ReportJson.category(created, d))));
  }

  private Future<Reply> updateCategory(ApiRequest req) {
    JsonObject b = req.body();
    CategoryPatch patch = new CategoryPatch(b.getString("label"), b.getString("description"),
        b.getString("destination"), b.getString("guidance"), b.getJsonArray("contacts"), b.getInteger("sortOrder"),
        b.getBoolean("active"));
    return reports.updateCategory(req.path("categoryId"), patch).compose(updated -> reports.destinations()
        .map(d -> Reply.ok(ReportJson.category(updated, d))));
  }

  private Future<Reply> submit(ApiRequest req) {
    RateLimits.Decision allowed = submissions.acquire(req.clientNetwork());
    if (!allowed.allowed()) {
      return Future.failedFuture(new DomainException.Throttled(
          "Too many reports from this connection just now. If someone is in danger, call 999.",
          allowed.retryAfterSeconds()));
    }
    JsonObject b = req.body();
    NewReport report = new NewReport(b.getString("categoryId"), b.getString("description"),
        b.getBoolean("immediateDanger", false), b.getString("area"), b.getString("happenedWhen"));
    return reports.submit(req.header("Idempotency-Key"), report)
        // the JSON text encoded once: the same bytes were sealed for a retry's replay
        .map(receipt -> Reply.created(io.vertx.core.buffer.Buffer.buffer(receipt.encoded()))
            .header("Cache-Control", "no-store"));
  }

  private Future<Reply> check(ApiRequest req) {
    String code = req.body().getString("receiptCode");
    return throttled(req, code, () -> reports.check(code))
        .map(view -> Reply.ok(ReportJson.reporterView(view)).header("Cache-Control", "no-store"));
  }

  private Future<Reply> reply(ApiRequest req) {
    JsonObject b = req.body();
    return throttled(req, b.getString("receiptCode"), () -> reports.reply(b.getString("receiptCode"), b.getString("message")))
        .map(view -> Reply.created(ReportJson.reporterView(view)).header("Cache-Control", "no-store"));
  }

  /**
   * What a receipt-code look-up may cost. A wrong code (typo or unknown) uses a token of a
   * per-network bucket, taken before the look-up and given back when the code was right, so a
   * concurrent burst cannot pass the cap; once it is empty the request is refused before any
   * look-up, so there is no oracle to keep guessing against. Every look-up, right or wrong, also
   * costs a slow hash and database reads: it takes a token per client network and per code.
   */
  private <T> Future<T> throttled(ApiRequest req, String code, java.util.function.Supplier<Future<T>> attempt) {
    String network = req.clientNetwork();
    RateLimits.Decision wrong = wrongCodes.acquire(network);
    if (!wrong.allowed()) {
      return Future.failedFuture(new DomainException.Throttled(
          "Too many wrong receipt codes. Please wait a while and try again.", wrong.retryAfterSeconds()));
    }
    RateLimits.Decision byNetwork = lookupsByNetwork.acquire(network);
    String codeKey = codeKey(code);
    RateLimits.Decision byCode = byNetwork.allowed() ? lookupsByCode.acquire(codeKey) : byNetwork;
    if (!byCode.allowed()) {
      wrongCodes.refund(network);
      if (byNetwork.allowed()) {
        lookupsByNetwork.refund(network);
      }
      return Future.failedFuture(new DomainException.Throttled(
          "Too many look-ups just now. Please wait a while and try again.", byCode.retryAfterSeconds()));
    }
    return attempt.get().onComplete(done -> {
      Throwable e = done.cause();
      boolean wrongCode = e instanceof DomainException.NotFound
          || (e instanceof InvalidInput i && i.errors().stream().anyMatch(f -> "receiptCode".equals(f.field())));
      if (!wrongCode) {
        wrongCodes.refund(network);
      }
    });
  }

  /** The in-memory key of a code's look-up budget: a digest, so that no receipt code is held readable. */
  private static String codeKey(String code) {
    return Digests.sha256Hex(code == null ? "" : ReceiptCodes.normalise(code).orElse(code));
  }

  private Future<Reply> triage(ApiRequest req) {
    return moderation.list(req.query("status"), req.query("destination"), req.queryBool("urgent", null),
            req.queryInt("limit", 20), req.query("cursor"))
        .map(page -> Reply.ok(new JsonObject()
                .put("items", new JsonArray(page.items().stream().map(ReportJson::triageItem).toList()))
                .put("nextCursor", page.nextCursor()))
            .header("Cache-Control", "no-store"));
  }

  private Future<Reply> act(ApiRequest req) {
    JsonObject b = req.body();
    ModeratorAction action = new ModeratorAction(b.getString("action"), b.getString("destination"),
        b.getString("message"), b.getString("outcome"), b.getString("externalReference"));
    return moderation.act(req.path("reportId"), staff(req), action)
        .map(r -> Reply.ok(ReportJson.triageReport(r)).header("Cache-Control", "no-store"));
  }

  private static String staff(ApiRequest req) {
    return req.requiredPrincipal().subject();
  }
}
