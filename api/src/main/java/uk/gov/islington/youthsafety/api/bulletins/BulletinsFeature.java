package uk.gov.islington.youthsafety.api.bulletins;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Principal;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDelivery;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDraft;
import uk.gov.islington.youthsafety.content.bulletins.BulletinPatch;
import uk.gov.islington.youthsafety.content.bulletins.BulletinSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.push.FcmRateLimiter;
import uk.gov.islington.youthsafety.notifications.push.FcmSender;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.FirebaseSetup;
import uk.gov.islington.youthsafety.notifications.push.LocalSinkSender;
import uk.gov.islington.youthsafety.notifications.push.PushBatchChannel;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.PushSender;
import uk.gov.islington.youthsafety.notifications.push.PushSubscription;
import uk.gov.islington.youthsafety.notifications.push.PushSubscriptions;
import uk.gov.islington.youthsafety.notifications.push.SubscriberKeys;

/**
 * The Youth Safety Bulletin: the public archive, editors' drafts and sends, the delivery report,
 * and devices' push subscriptions. Push goes to FCM through the Firebase Admin SDK when
 * {@code FIREBASE_CREDENTIALS} names a service-account file, otherwise to the local sink (the
 * delivery report works either way). Settings: docs/operations/bulletins.md.
 */
public final class BulletinsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(BulletinsFeature.class);
  static final String FIREBASE_APP = "youth-safety-push";
  private static final String EDITOR = "editor";

  private final Pool pool;
  private final Bulletins bulletins;
  private final BulletinSubscriptions subscriptions;
  private final List<Channel> channels;
  private final Duration subscriptionIdle;
  private final Duration batchRetention;
  private final io.vertx.core.Vertx vertx;
  // the FirebaseApp this feature created (from FIREBASE_CREDENTIALS), deleted at stop; null otherwise
  private FirebaseApp ownedFirebase;

  public BulletinsFeature(AppContext app) {
    Config config = app.config();
    this.pool = app.pool();
    this.vertx = app.vertx();
    int batchSize = config.integer("PUSH_BATCH_SIZE", PushFanout.MAX_BATCH_SIZE);
    this.bulletins = new Bulletins(pool, app.clock(), batchSize);
    this.subscriptions = new BulletinSubscriptions(pool, subscriberKeys(config), app.clock());
    this.subscriptionIdle = config.duration("PUSH_SUBSCRIPTION_IDLE", Duration.ofDays(270));
    this.batchRetention = config.duration("PUSH_BATCH_RETENTION", Duration.ofDays(30));

    FcmSettings fcm = new FcmSettings(
        config.duration("FCM_CONNECT_TIMEOUT", FcmSettings.defaults().connectTimeout()),
        config.duration("FCM_READ_TIMEOUT", FcmSettings.defaults().readTimeout()),
        config.integer("FCM_SENDER_THREADS", FcmSettings.defaults().senderThreads()),
        config.integer("FCM_MESSAGES_PER_MINUTE", FcmSettings.PROJECT_QUOTA_PER_MINUTE),
        config.duration("FCM_BATCH_DEADLINE", FcmSettings.defaults().batchDeadline()),
        config.duration("FCM_MAX_LIMITER_WAIT", FcmSettings.defaults().maxLimiterWait()));
    PushSender sender = sender(app, config, fcm);
    if (sender instanceof FcmSender && config.optional("FIREBASE_CREDENTIALS").isPresent()) {
      ownedFirebase = FirebaseApp.getInstance(FIREBASE_APP);
    }
    PushBatchChannel.Options options = new PushBatchChannel.Options(
        config.duration("PUSH_BATCH_HOLD", fcm.batchHold()),
        config.integer("PUSH_MAX_SENDS", PushBatchChannel.Options.defaults().maxSends()));
    List<Channel> all = new ArrayList<>(bulletins.channels());
    all.add(new PushBatchChannel(pool, sender, options));
    this.channels = List.copyOf(all);
  }

  /**
   * FCM when configured: {@code FIREBASE_CREDENTIALS} (production), or {@code FIREBASE_APP_NAME},
   * a FirebaseApp the embedding program initialised (tests and the benchmark point the real SDK at a
   * fake FCM server that way). Otherwise the local sink.
   */
  private static PushSender sender(AppContext app, Config config, FcmSettings fcm) {
    FirebaseApp firebase = null;
    if (config.optional("FIREBASE_CREDENTIALS").isPresent()) {
      Path credentials = config.path("FIREBASE_CREDENTIALS", null);
      firebase = FirebaseApp.getApps().stream().filter(a -> a.getName().equals(FIREBASE_APP)).findFirst()
          .orElseGet(() -> {
            try {
              return FirebaseSetup.fromServiceAccount(FIREBASE_APP, credentials,
                  config.optional("FIREBASE_PROJECT_ID").orElse(null), fcm);
            } catch (IOException e) {
              throw new UncheckedIOException("FIREBASE_CREDENTIALS could not be read", e);
            }
          });
    } else if (config.optional("FIREBASE_APP_NAME").isPresent()) {
      String name = config.string("FIREBASE_APP_NAME", null);
      firebase = FirebaseApp.getApps().stream().filter(a -> a.getName().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalStateException("FIREBASE_APP_NAME names no initialised FirebaseApp"));
    }
    if (firebase == null) {
      if (!app.embedded()) {
        LOG.warn("FIREBASE_CREDENTIALS is not set: bulletin pushes go to the local sink, not to phones");
      }
      return new LocalSinkSender(app.pool());
    }
    FcmSender sender = new FcmSender(app.vertx(), FirebaseMessaging.getInstance(firebase),
        new FcmRateLimiter(fcm.messagesPerMinute()), fcm, app.clock());
    metrics(app.metrics(), sender);
    LOG.info("bulletin pushes go to FCM project {} ({} sender threads, {} messages a minute)",
        firebase.getOptions().getProjectId(), fcm.senderThreads(), fcm.messagesPerMinute());
    FirebaseSetup.threadPriorityProblem().ifPresent(problem -> LOG.warn("{}; start the JVM with {} (docs/operations.md)",
        problem, FirebaseSetup.PRIORITY_FLAGS));
    return sender;
  }

  private static void metrics(MeterRegistry registry, FcmSender sender) {
    counter(registry, "sent", s -> s.stats().sent(), sender);
    counter(registry, "invalid_token", s -> s.stats().invalidTokens(), sender);
    counter(registry, "failed", s -> s.stats().failed(), sender);
    counter(registry, "retried", s -> s.stats().retried(), sender);
    FunctionCounter.builder("push.fcm.batch.deadlines", sender, s -> s.stats().deadlines())
        .description("FCM batches cancelled at their deadline").register(registry);
  }

  private static void counter(MeterRegistry registry, String outcome, ToDoubleFunction<FcmSender> f, FcmSender s) {
    FunctionCounter.builder("push.fcm.messages", s, f).tag("outcome", outcome)
        .description("Messages handed to FCM, by outcome").register(registry);
  }

  /**
   * The secret of the subscription keys: {@code PUSH_SUBSCRIBER_KEY} (a file of at least 32 random
   * bytes), or else derived from the JWT signing key file, which every instance already shares.
   */
  private static SubscriberKeys subscriberKeys(Config config) {
    Path file = config.optional("PUSH_SUBSCRIBER_KEY").map(Path::of)
        .orElseGet(() -> config.optional("JWT_SIGNING_KEY").map(Path::of)
            .orElse(config.dataDir().resolve("keys/jwt-signing.pem")));
    try {
      return new SubscriberKeys(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("the push subscriber key could not be read from "
          + (config.optional("PUSH_SUBSCRIBER_KEY").isPresent() ? "PUSH_SUBSCRIBER_KEY" : "JWT_SIGNING_KEY"), e);
    }
  }

  /** Releases the SDK's threads and connections (the dispatcher has stopped sending by now). */
  @Override
  public Future<Void> stop() {
    FirebaseApp firebase = ownedFirebase;
    ownedFirebase = null;
    return firebase == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      firebase.delete();
      return null;
    });
  }

  @Override
  public List<Channel> channels() {
    return channels;
  }

  @Override
  public List<Retention> retention() {
    return List.of(
        Retention.of("push-subscriptions-idle", (p, now) -> PushSubscriptions.purgeIdle(p, now.minus(subscriptionIdle))),
        Retention.of("push-batches-finished", (p, now) -> PushFanout.purgeFinishedBatches(p, batchRetention)));
  }


  @Override
  public void routes(Routes routes) {
    routes.on("listBulletins", this::list)
        .on("getBulletin", this::get)
        .on("createBulletin", this::create)
        .on("updateBulletin", this::update)
        .on("deleteBulletin", req -> bulletins.delete(req.path("bulletinId")).map(v -> Reply.noContent()))
        .on("sendBulletin", this::send)
        .on("getBulletinDelivery", req -> bulletins.delivery(req.path("bulletinId"))
            .map(d -> Reply.ok(toJson(d)).header("Cache-Control", "no-store")))
        .on("subscribe", this::subscribe)
        .on("getSubscription", req -> subscriptions.find(req.requiredPrincipal().subject())
            .map(found -> found.map(s -> Reply.ok(toJson(s)))
                .orElseThrow(() -> ProblemException.status(404))))
        .on("unsubscribe", req -> subscriptions.unsubscribe(req.requiredPrincipal().subject())
            .map(v -> Reply.noContent()));
  }

  // ---- handlers ------------------------------------------------------------------------------

  private static boolean editor(ApiRequest req) {
    Principal p = req.principal();
    return p != null && p.has(EDITOR);
  }

  private Future<Reply> list(ApiRequest req) {
    boolean editor = editor(req);
    String state = req.query("state");
    int limit = req.queryInt("limit", 20);
    Future<Page<Bulletin>> page;
    if (state != null) {
      if (!editor) {
        return Future.failedFuture(ProblemException.status(403));
      }
      page = bulletins.listByState(state, limit, req.query("cursor"));
    } else {
      page = bulletins.archive(req.query("audience"), limit, req.query("cursor"));
    }
    return page.map(p -> {
      Reply reply = Reply.ok(new JsonObject()
          .put("items", new JsonArray(p.items().stream().map(b -> (Object) toJson(b, editor)).toList()))
          .put("nextCursor", p.nextCursor()));
      return req.principal() == null ? reply.header("Cache-Control", "public, max-age=60") : reply;
    });
  }

  private Future<Reply> get(ApiRequest req) {
    boolean editor = editor(req);
    return bulletins.get(req.path("bulletinId"), editor).map(b -> {
      Reply reply = Reply.ok(toJson(b, editor));
      return req.principal() == null ? reply.header("Cache-Control", "public, max-age=60") : reply;
    });
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    BulletinDraft draft = new BulletinDraft(body.getString("title"), body.getString("body"),
        strings(body.getJsonArray("audiences")), strings(body.getJsonArray("areas")), body.getString("link"),
        body.getBoolean("urgent", false));
    return bulletins.create(draft, req.requiredPrincipal().subject(), req.header("Idempotency-Key"))
        .map(created -> Reply.created(toJson(created.bulletin(), true))
            .header("Location", "/v1/bulletins/" + created.bulletin().id())
            .header("Cache-Control", "no-store"));
  }

  private Future<Reply> update(ApiRequest req) {
    JsonObject body = req.body();
    BulletinPatch patch = new BulletinPatch(body.getString("title"), body.getString("body"),
        body.containsKey("audiences") ? strings(body.getJsonArray("audiences")) : null,
        body.containsKey("areas") ? strings(body.getJsonArray("areas")) : null,
        body.containsKey("link"), body.getString("link"), body.getBoolean("urgent"));
    return bulletins.update(req.path("bulletinId"), patch).map(b -> Reply.ok(toJson(b, true)));
  }

  private Future<Reply> send(ApiRequest req) {
    String sendAt = req.body().getString("sendAt");
    Instant at = sendAt == null ? null : OffsetDateTime.parse(sendAt).toInstant();
    return bulletins.send(req.path("bulletinId"), at, req.requiredPrincipal().subject())
        .map(b -> Reply.text(202, "application/json", toJson(b, true))
            .header("Location", "/v1/bulletins/" + b.id() + "/delivery")
            .header("Cache-Control", "no-store"));
  }

  private Future<Reply> subscribe(ApiRequest req) {
    JsonObject body = req.body();
    return subscriptions.subscribe(req.requiredPrincipal().subject(), body.getString("fcmToken"),
            strings(body.getJsonArray("audiences")), strings(body.getJsonArray("areas")))
        .map(s -> Reply.ok(toJson(s)));
  }

  // ---- JSON ----------------------------------------------------------------------------------

  private static List<String> strings(JsonArray array) {
    if (array == null) {
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(v == null ? null : v.toString()));
    return out;
  }

  static JsonObject toJson(Bulletin b, boolean staffView) {
    JsonObject json = new JsonObject()
        .put("id", b.id())
        .put("title", b.title())
        .put("body", b.body())
        .put("audiences", new JsonArray(b.audiences()))
        .put("areas", new JsonArray(b.areas()))
        .put("link", b.link())
        .put("urgent", b.urgent())
        .put("publishedAt", time(b.publishedAt()));
    if (staffView) {
      json.put("state", b.state())
          .put("sendAt", time(b.sendAt()))
          .put("sentAt", time(b.sentAt()))
          .put("createdAt", time(b.createdAt()))
          .put("updatedAt", time(b.updatedAt()));
    }
    return json;
  }

  static JsonObject toJson(BulletinDelivery d) {
    return new JsonObject()
        .put("bulletinId", d.bulletinId())
        .put("state", d.state())
        .put("sendAt", time(d.sendAt()))
        .put("targeted", d.targeted())
        .put("sent", d.sent())
        .put("failed", d.failed())
        .put("invalidTokensRemoved", d.invalidTokensRemoved())
        .put("skipped", d.skipped())
        .put("pending", d.pending())
        .put("startedAt", time(d.startedAt()))
        .put("completedAt", time(d.completedAt()));
  }

  static JsonObject toJson(PushSubscription s) {
    return new JsonObject()
        .put("audiences", new JsonArray(s.audiences()))
        .put("areas", new JsonArray(s.areas()))
        .put("subscribedAt", time(s.createdAt()))
        .put("refreshedAt", time(s.refreshedAt()));
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
