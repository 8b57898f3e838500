package uk.gov.islington.youthsafety.testing;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.internal.ApacheHttp2Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.ssl.SSLContexts;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.FirebaseSetup;

/**
 * A local stand-in for FCM's HTTP v1 API (a Vert.x HTTP server on its own Vert.x instance, so a
 * test can "kill" the service under test without touching it) that the REAL Firebase Admin SDK
 * talks to: {@link #firebaseApp} builds the app with {@link FirebaseSetup} exactly as production
 * does, but with test credentials and a transport that sends the requests for {@code
 * https://fcm.googleapis.com} to this server.
 *
 * <p>Like FCM it checks the path ({@code /v1/projects/demo/messages:send}), the bearer token and
 * the message's shape (401 / 404 / 400 otherwise), and answers what the test scripts per request:
 * 200 with a message name, the error bodies FCM sends (UNREGISTERED, INVALID_ARGUMENT about the
 * token or the payload, QUOTA_EXCEEDED with Retry-After, UNAVAILABLE, INTERNAL), or nothing at all
 * (a hang). It counts, per token, the messages it accepted (answered 200).
 *
 * <p>It speaks either of the two ways the SDK reaches FCM: {@link Protocol#HTTP_2}, what production
 * uses (firebase-admin 9.7.0's default transport, {@code ApacheHttp2Transport}: Apache HttpClient
 * 5, TLS with ALPN "h2"), over TLS with a self-signed certificate for fcm.googleapis.com that only
 * this server's transport trusts; or {@link Protocol#HTTP_1_1}, plain HTTP through {@code
 * NetHttpTransport} ({@code HttpURLConnection}).
 */
public final class FakeFcm implements AutoCloseable {

  public static final String PROJECT = "demo";
  public static final String ACCESS_TOKEN = "fake-fcm-access-token";
  public static final String SEND_PATH = "/v1/projects/" + PROJECT + "/messages:send";

  static {
    // HttpURLConnection keeps only 5 idle connections per host by default: with many sender
    // threads the rest would reconnect for every message (read once, on first use)
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "512");
    }
  }

  /** How the SDK talks to this server. */
  public enum Protocol {
    /** Production's transport: the SDK's ApacheHttp2Transport, HTTP/2 over TLS (ALPN h2). */
    HTTP_2,
    /** NetHttpTransport (HttpURLConnection), HTTP/1.1 without TLS. */
    HTTP_1_1
  }

  /** The host name the SDK addresses, and that this server's certificate names. */
  public static final String FCM_HOST = "fcm.googleapis.com";

  /**
   * One request as received. {@code body} is null when not recording bodies; {@code version} is the
   * HTTP version it came in ("HTTP_2", "HTTP_1_1").
   */
  public record Request(
      String method,
      String path,
      String authorization,
      JsonObject body,
      long receivedNanos,
      String version) {

    public JsonObject message() {
      return body == null ? null : body.getJsonObject("message");
    }

    public String token() {
      JsonObject m = message();
      return m == null ? null : m.getString("token");
    }
  }

  /** What to answer. */
  public sealed interface Answer {
    record Reply(int status, JsonObject body, Map<String, String> headers) implements Answer {}

    record Hang() implements Answer {}
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final int port;
  private final boolean recordBodies;
  private final Protocol protocol;
  private final SelfSignedCertificate certificate;
  private final List<HttpTransport> transports = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> script = r -> ok();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong acceptedTotal = new AtomicLong();
  private final Map<String, Set<String>> shown = new ConcurrentHashMap<>();
  private final AtomicLong messageNames = new AtomicLong();
  private final List<Hung> hanging = new CopyOnWriteArrayList<>();

  /** A request left without an answer, until released or accepted late. */
  private record Hung(String token, JsonObject message, HttpServerResponse response) {}

  private final Set<Long> threadIds = ConcurrentHashMap.newKeySet();

  private FakeFcm(
      Vertx vertx,
      HttpServer server,
      boolean recordBodies,
      Protocol protocol,
      SelfSignedCertificate certificate) {
    this.vertx = vertx;
    this.server = server;
    this.port = server.actualPort();
    this.recordBodies = recordBodies;
    this.protocol = protocol;
    this.certificate = certificate;
  }

  /** Starts on a random loopback port, speaking HTTP/2 as FCM does, recording every request. */
  public static FakeFcm start() {
    return start(true, Protocol.HTTP_2);
  }

  /**
   * @param recordBodies false for load tests: only counts are kept
   */
  public static FakeFcm start(boolean recordBodies) {
    return start(recordBodies, Protocol.HTTP_2);
  }

  /**
   * @param recordBodies false for load tests: only counts are kept
   * @param protocol how the SDK reaches this server ({@link #transport()})
   */
  public static FakeFcm start(boolean recordBodies, Protocol protocol) {
    Vertx vertx = Vertx.vertx();
    FakeFcm[] self = new FakeFcm[1];
    try {
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost("127.0.0.1")
              .setPort(0)
              .setIdleTimeout(60)
              .setIdleTimeoutUnit(TimeUnit.SECONDS);
      SelfSignedCertificate certificate = null;
      if (protocol == Protocol.HTTP_2) {
        certificate = SelfSignedCertificate.create(FCM_HOST);
        // like FCM: TLS, ALPN h2, at most 100 concurrent streams per connection
        options
            .setSsl(true)
            .setUseAlpn(true)
            .setKeyCertOptions(certificate.keyCertOptions())
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(100));
        if (openSsl()) {
          options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
      }
      HttpServer server =
          vertx
              .createHttpServer(options)
              .connectionHandler(connection -> self[0].connections.incrementAndGet())
              .requestHandler(req -> self[0].handle(req))
              .listen()
              .await(10, TimeUnit.SECONDS);
      self[0] = new FakeFcm(vertx, server, recordBodies, protocol, certificate);
      return self[0];
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("fake FCM did not start", e);
    }
  }

  /**
   * Its side of TLS runs in BoringSSL (netty-tcnative, a test dependency) where that is available
   * and not switched off with {@code -DfakeFcm.jdkTls=true}: it stands in for Google's servers, so
   * the less of the benchmark machine's CPU it takes the better (the client keeps the JDK's TLS).
   */
  private static boolean openSsl() {
    return OpenSSLEngineOptions.isAvailable() && !Boolean.getBoolean("fakeFcm.jdkTls");
  }

  /** "OpenSSL", "JDK" or "none" (HTTP/1.1 without TLS). */
  public String tlsEngine() {
    return certificate == null ? "none" : openSsl() ? "OpenSSL" : "JDK";
  }

  public int port() {
    return port;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** Answers every following request with {@code script}'s choice. */
  public FakeFcm answering(Function<Request, Answer> script) {
    this.script = script;
    return this;
  }

  /** Answers requests for these tokens as given, everything else 200. */
  public FakeFcm answeringTokens(Map<String, Answer> byToken) {
    return answering(r -> byToken.getOrDefault(r.token(), ok()));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requestsFor(String token) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (token.equals(r.token())) {
        out.add(r);
      }
    }
    return out;
  }

  /** How many messages to this token were answered 200. */
  public int acceptedFor(String token) {
    AtomicInteger n = accepted.get(token);
    return n == null ? 0 : n.get();
  }

  /**
   * How many notifications each token's phone would show: a message whose Android tag and APNs
   * collapse id match an earlier one's replaces it, any other is shown beside it.
   */
  public Map<String, Integer> shownByToken() {
    Map<String, Integer> out = new java.util.HashMap<>();
    shown.forEach((k, v) -> out.put(k, v.size()));
    return out;
  }

  private static String shownAs(JsonObject message, long unique) {
    JsonObject android = message.getJsonObject("android");
    JsonObject notification = android == null ? null : android.getJsonObject("notification");
    String tag = notification == null ? null : notification.getString("tag");
    JsonObject apns = message.getJsonObject("apns");
    JsonObject headers = apns == null ? null : apns.getJsonObject("headers");
    String collapseId = headers == null ? null : headers.getString("apns-collapse-id");
    return tag != null && tag.equals(collapseId) ? tag : "message " + unique;
  }

  public Map<String, Integer> acceptedByToken() {
    Map<String, Integer> out = new java.util.HashMap<>();
    accepted.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * The threads that have served requests (a benchmark counts their CPU as Google's, not the
   * service's).
   */
  public Set<Long> threadIds() {
    return Set.copyOf(threadIds);
  }

  /** Connections opened to this server since it started. */
  public long connections() {
    return connections.get();
  }

  public long received() {
    return received.get();
  }

  public long acceptedTotal() {
    return acceptedTotal.get();
  }

  public int hangingCount() {
    return hanging.size();
  }

  public void reset() {
    requests.clear();
    accepted.clear();
    shown.clear();
    received.set(0);
    acceptedTotal.set(0);
    releaseHanging();
    script = r -> ok();
  }

  /**
   * Closes the connections of requests that were left hanging (the client sees an I/O error, if
   * still waiting).
   */
  public void releaseHanging() {
    for (Hung h : hanging) {
      vertx.runOnContext(v -> h.response().reset());
    }
    hanging.clear();
  }

  /** Accepts the hanging request to this token now, as FCM answering late would. */
  public void acceptHanging(String token) {
    for (Hung h : hanging) {
      if (token.equals(h.token()) && hanging.remove(h)) {
        Answer.Reply reply = accept(token, h.message(), (Answer.Reply) ok());
        vertx.runOnContext(v -> reply(h.response(), reply));
        return;
      }
    }
    throw new IllegalStateException("no request to that token is hanging");
  }

  // ---- the SDK, pointed here ------------------------------------------------------------------

  /**
   * The real Firebase Admin SDK, set up as production does ({@link FirebaseSetup}), sending here.
   */
  public FirebaseApp firebaseApp(String name, FcmSettings settings) {
    GoogleCredentials credentials =
        GoogleCredentials.create(
            new AccessToken(ACCESS_TOKEN, Date.from(Instant.now().plusSeconds(86_400 * 365))));
    return FirebaseSetup.initialize(name, credentials, PROJECT, settings, transport());
  }

  /**
   * A transport whose connections go to this server whatever host the SDK asks for. HTTP/2:
   * production's transport ({@code ApacheHttp2Transport} with {@link FirebaseSetup#http2Client()},
   * the SDK's client settings: 100 streams, 200 / 100 connections, ALPN negotiation; and its
   * connection manager's settings), changed only in where it connects (this port on loopback, still
   * naming fcm.googleapis.com for SNI and host name verification) and in trusting this server's
   * certificate. Closed with this server.
   */
  public HttpTransport transport() {
    HttpTransport transport = protocol == Protocol.HTTP_2 ? http2Transport() : http1Transport();
    transports.add(transport);
    return transport;
  }

  private HttpTransport http1Transport() {
    String base = "http://127.0.0.1:" + port;
    return new NetHttpTransport.Builder()
        .setConnectionFactory(
            url ->
                (HttpURLConnection)
                    new URL(url.toString().replaceFirst("^https://[^/]+", base)).openConnection())
        .build();
  }

  private HttpTransport http2Transport() {
    return http2TransportTo(port, certificate.certificatePath());
  }

  /** This server's certificate (PEM), for an SDK in another process ({@link #firebaseAppTo}). */
  public String certificatePath() {
    return certificate.certificatePath();
  }

  /**
   * The real SDK in another process (an instance of the service started by a test), sending over
   * HTTP/2 to the fake server on {@code port} whose certificate is {@code certificatePath}.
   */
  public static FirebaseApp firebaseAppTo(
      String name, FcmSettings settings, int port, String certificatePath) {
    GoogleCredentials credentials =
        GoogleCredentials.create(
            new AccessToken(ACCESS_TOKEN, Date.from(Instant.now().plusSeconds(86_400 * 365))));
    return FirebaseSetup.initialize(
        name, credentials, PROJECT, settings, http2TransportTo(port, certificatePath));
  }

  private static HttpTransport http2TransportTo(int port, String certificatePath) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    var connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(200)
            .setMaxConnPerRoute(100)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom().setTimeToLive(-1, TimeUnit.MILLISECONDS).build())
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
            .setTlsStrategy(
                ClientTlsStrategyBuilder.create().setSslContext(trusting(certificatePath)).build())
            .build();
    return new ApacheHttp2Transport(
        FirebaseSetup.http2Client()
            .setConnectionManager(connections)
            .setRoutePlanner(
                (target, context) ->
                    new HttpRoute(
                        new HttpHost("https", loopback, target.getHostName(), port), null, true))
            .build());
  }

  private static SSLContext trusting(String certificatePath) {
    try (InputStream in = Files.newInputStream(Path.of(certificatePath))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "fake-fcm", CertificateFactory.getInstance("X.509").generateCertificate(in));
      return SSLContexts.custom().loadTrustMaterial(trust, null).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the fake FCM certificate", e);
    }
  }

  // ---- answers --------------------------------------------------------------------------------

  public static Answer ok() {
    return new Answer.Reply(200, null, Map.of());
  }

  public static Answer hang() {
    return new Answer.Hang();
  }

  public static Answer unregistered() {
    return error(404, "NOT_FOUND", "Requested entity was not found.", fcmError("UNREGISTERED"));
  }

  /** 400 about the token, the way FCM words it: a field violation on message.token. */
  public static Answer invalidToken() {
    return error(
        400,
        "INVALID_ARGUMENT",
        "The registration token is not a valid FCM registration token",
        fcmError("INVALID_ARGUMENT"),
        badRequest("message.token", "Invalid registration token"));
  }

  /** 400 about the token with only the message to say so (no field violations). */
  public static Answer invalidTokenMessageOnly() {
    return error(
        400,
        "INVALID_ARGUMENT",
        "The registration token is not a valid FCM registration token",
        fcmError("INVALID_ARGUMENT"));
  }

  /** 400 about the payload: the token is fine. */
  public static Answer invalidPayload() {
    return error(
        400,
        "INVALID_ARGUMENT",
        "Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), Illegal duration format",
        fcmError("INVALID_ARGUMENT"),
        badRequest("message.android.ttl", "Invalid value"));
  }

  public static Answer quotaExceeded(Integer retryAfterSeconds) {
    Answer.Reply r =
        (Answer.Reply)
            error(
                429,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded for quota metric 'Send requests' of service 'fcm.googleapis.com'.",
                fcmError("QUOTA_EXCEEDED"));
    return withRetryAfter(r, retryAfterSeconds);
  }

  public static Answer unavailable(Integer retryAfterSeconds) {
    Answer.Reply r =
        (Answer.Reply)
            error(
                503,
                "UNAVAILABLE",
                "The service is currently unavailable.",
                fcmError("UNAVAILABLE"));
    return withRetryAfter(r, retryAfterSeconds);
  }

  public static Answer internal() {
    return error(500, "INTERNAL", "Internal error encountered.", fcmError("INTERNAL"));
  }

  private static Answer withRetryAfter(Answer.Reply r, Integer seconds) {
    return seconds == null
        ? r
        : new Answer.Reply(r.status(), r.body(), Map.of("Retry-After", seconds.toString()));
  }

  private static Answer error(
      int status, String grpcStatus, String message, JsonObject... details) {
    JsonObject error =
        new JsonObject()
            .put("code", status)
            .put("message", message)
            .put("status", grpcStatus)
            .put("details", new JsonArray(List.of((Object[]) details)));
    return new Answer.Reply(status, new JsonObject().put("error", error), Map.of());
  }

  private static JsonObject fcmError(String code) {
    return new JsonObject()
        .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
        .put("errorCode", code);
  }

  private static JsonObject badRequest(String field, String description) {
    return new JsonObject()
        .put("@type", "type.googleapis.com/google.rpc.BadRequest")
        .put(
            "fieldViolations",
            new JsonArray()
                .add(new JsonObject().put("field", field).put("description", description)));
  }

  // ---- the server -----------------------------------------------------------------------------

  private void handle(HttpServerRequest req) {
    long at = System.nanoTime();
    if (Thread.currentThread().getPriority() != Thread.MIN_PRIORITY) {
      // it stands in for Google's servers, whose CPU is not the service's in production: in the
      // benchmark it yields to the API as the sender threads do (with -XX:ThreadPriorityPolicy=1)
      Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
      threadIds.add(Thread.currentThread().getId());
    }
    req.body()
        .onSuccess(
            buffer -> {
              received.incrementAndGet();
              JsonObject body = null;
              try {
                body = buffer.length() == 0 ? null : buffer.toJsonObject();
              } catch (RuntimeException e) {
                // answered below as a malformed request
              }
              Request request =
                  new Request(
                      req.method().name(),
                      req.path(),
                      req.getHeader("Authorization"),
                      body,
                      at,
                      req.version().name());
              if (recordBodies) {
                requests.add(request);
              }
              HttpServerResponse response = req.response();
              if (req.method() != HttpMethod.POST || !SEND_PATH.equals(req.path())) {
                reply(
                    response,
                    (Answer.Reply) error(404, "NOT_FOUND", "not found", new JsonObject[0]));
                return;
              }
              if (!("Bearer " + ACCESS_TOKEN).equals(request.authorization())) {
                reply(
                    response,
                    (Answer.Reply)
                        error(
                            401,
                            "UNAUTHENTICATED",
                            "Request had invalid authentication credentials.",
                            new JsonObject[0]));
                return;
              }
              String token = request.token();
              JsonObject message = body == null ? null : body.getJsonObject("message");
              if (message == null
                  || token == null
                  || token.isEmpty()
                  || (message.getJsonObject("notification") == null
                      && message.getJsonObject("data") == null)) {
                reply(
                    response,
                    (Answer.Reply)
                        error(
                            400,
                            "INVALID_ARGUMENT",
                            "Invalid JSON payload received.",
                            badRequest(
                                "message", "a message needs a token and a notification or data")));
                return;
              }
              Answer answer = script.apply(request);
              if (answer instanceof Answer.Hang) {
                hanging.add(new Hung(token, message, response));
                return;
              }
              Answer.Reply reply = (Answer.Reply) answer;
              reply(response, reply.status() == 200 ? accept(token, message, reply) : reply);
            });
  }

  /** Counts the message as accepted and names it, as FCM's 200 does. */
  private Answer.Reply accept(String token, JsonObject message, Answer.Reply ok) {
    long name = messageNames.incrementAndGet();
    accepted.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
    acceptedTotal.incrementAndGet();
    shown.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(shownAs(message, name));
    return new Answer.Reply(
        200,
        new JsonObject().put("name", "projects/" + PROJECT + "/messages/" + name),
        ok.headers());
  }

  private static void reply(HttpServerResponse response, Answer.Reply reply) {
    response.setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    response.putHeader("Content-Type", "application/json; charset=UTF-8");
    response.end(reply.body() == null ? "{}" : reply.body().encode());
  }

  @Override
  public void close() {
    releaseHanging();
    for (HttpTransport t : transports) {
      try {
        t.shutdown();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      server.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    vertx.close();
    if (certificate != null) {
      certificate.delete();
    }
  }
}
