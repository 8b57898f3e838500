package uk.gov.islington.youthsafety.notifications.push;

import com.google.api.client.http.HttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.ThreadManager;
import com.google.firebase.internal.ApacheHttp2Transport;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;

/**
 * Builds the {@link FirebaseApp} the push channel sends through, with our time-outs and our own
 * sender thread pool. Production passes no transport and gets the SDK's default one, HTTP/2 to
 * fcm.googleapis.com ({@code ApacheHttp2Transport} with the SDK's own client settings), but as its
 * own instance whose I/O threads, like the sender threads, run at the lowest priority: a send must
 * yield the CPU to the API (effective with {@code -XX:ThreadPriorityPolicy=1}, see
 * docs/operations.md). Tests and the benchmark pass a transport built from {@link #http2Client()}
 * that points the very same SDK at a local fake FCM server.
 */
public final class FirebaseSetup {

  private FirebaseSetup() {}

  /** Credentials and project from a service-account JSON file ({@code FIREBASE_CREDENTIALS}). */
  public static FirebaseApp fromServiceAccount(
      String appName, Path serviceAccountJson, String projectId, FcmSettings settings)
      throws IOException {
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(serviceAccountJson)) {
      credentials =
          GoogleCredentials.fromStream(in)
              .createScoped(List.of("https://www.googleapis.com/auth/firebase.messaging"));
    }
    String project = projectId;
    if (project == null && credentials instanceof ServiceAccountCredentials sa) {
      project = sa.getProjectId();
    }
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException(
          "the Firebase project id is neither in the credentials file nor set");
    }
    return initialize(appName, credentials, project, settings, null);
  }

  /**
   * The SDK's HTTP/2 client settings ({@code ApacheHttp2Transport.defaultHttpAsyncClientBuilder()}:
   * 100 concurrent streams, 200 connections, ALPN, no retries or redirects of its own) with
   * low-priority daemon I/O threads named {@code fcm-http2-io-n}.
   */
  public static HttpAsyncClientBuilder http2Client() {
    return ApacheHttp2Transport.defaultHttpAsyncClientBuilder()
        .setThreadFactory(lowPriorityDaemons("fcm-http2-io-"));
  }

  /** The JVM flags that make a send yield the CPU to the API (docs/operations.md). */
  public static final String PRIORITY_FLAGS =
      "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19"
          + " -XX:JavaPriority6_To_OSPriority=0 -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0"
          + " -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0";

  /**
   * What is wrong with this JVM's thread priorities for pushing, if anything. On Linux Java
   * priorities reach the operating system only with {@code -XX:ThreadPriorityPolicy=1}; without it
   * the push threads' low priority does nothing. With it, and run as root (as in many containers),
   * the JVM also raises its own GC, JIT and VM threads (priorities 6-10) to nice -1..-5, above the
   * API, unless those priorities are mapped to 0 (docs/benchmarks.md, "Bulletins", has the health
   * check's p99 during a send both ways).
   */
  public static Optional<String> threadPriorityProblem() {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if ("0".equals(vm.getVMOption("ThreadPriorityPolicy").getValue())) {
        return Optional.of(
            "thread priorities are off: a bulletin send competes with the API for the CPU as an equal");
      }
      for (int priority = 6; priority <= 10; priority++) {
        if (!"0".equals(vm.getVMOption("JavaPriority" + priority + "_To_OSPriority").getValue())) {
          return Optional.of(
              "Java priority "
                  + priority
                  + " is not mapped to nice 0: run as root, the JVM's GC, JIT"
                  + " and VM threads get a higher priority than the API");
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("thread priorities cannot be read: " + e.getClass().getSimpleName());
    }
  }

  static ThreadFactory lowPriorityDaemons(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + counter.incrementAndGet());
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    };
  }

  /**
   * @param transport null for the SDK's default transport (its own instance, shut down with the
   *     app)
   */
  public static FirebaseApp initialize(
      String appName,
      GoogleCredentials credentials,
      String projectId,
      FcmSettings settings,
      HttpTransport transport) {
    HttpTransport owned =
        transport == null ? new ApacheHttp2Transport(http2Client().build()) : null;
    // no write time-out (the SDK's default): with one, ApacheHttp2Request parks the sender thread
    // twice a message, for the write and for the answer (more CPU a message); a
    // stalled write is still ended by the read time-out or, at the latest, the batch deadline
    FirebaseOptions.Builder options =
        FirebaseOptions.builder()
            .setCredentials(credentials)
            .setProjectId(projectId)
            .setConnectTimeout(millis(settings.connectTimeout().toMillis()))
            .setReadTimeout(millis(settings.readTimeout().toMillis()))
            .setThreadManager(new SenderThreads(settings.senderThreads(), owned))
            .setHttpTransport(transport == null ? owned : transport);
    try {
      return FirebaseApp.initializeApp(options.build(), appName);
    } catch (RuntimeException e) {
      shutdown(owned);
      throw e;
    }
  }

  private static int millis(long value) {
    return (int) Math.min(Integer.MAX_VALUE, value);
  }

  private static void shutdown(HttpTransport transport) {
    if (transport != null) {
      try {
        transport.shutdown();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * A fixed pool of low-priority daemon threads for the SDK's blocking HTTP calls (sendEach runs
   * one request per message on them, each waiting for its answer), instead of the SDK's shared
   * default of 100. Idle threads time out. Shuts down the transport we created when the app is
   * deleted.
   */
  static final class SenderThreads extends ThreadManager {

    private final int threads;
    private final HttpTransport owned;
    private final ThreadFactory factory = lowPriorityDaemons("fcm-sender-");

    SenderThreads(int threads, HttpTransport owned) {
      this.threads = threads;
      this.owned = owned;
    }

    @Override
    protected ExecutorService getExecutor(FirebaseApp app) {
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              getThreadFactory());
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }

    @Override
    protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
      executor.shutdownNow();
      shutdown(owned);
    }

    @Override
    protected ThreadFactory getThreadFactory() {
      return factory;
    }
  }
}
