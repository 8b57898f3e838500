package uk.gov.islington.youthsafety.notifications.push;

import com.google.api.client.http.HttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.ThreadManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the {@link FirebaseApp} the push channel sends through, with our time-outs and our own
 * sender thread pool. Production passes no transport (the SDK's default, HTTP/2 to
 * fcm.googleapis.com); tests and the benchmark pass a transport that points the very same SDK at
 * a local fake FCM server.
 */
public final class FirebaseSetup {

  private FirebaseSetup() {}

  /** Credentials and project from a service-account JSON file ({@code FIREBASE_CREDENTIALS}). */
  public static FirebaseApp fromServiceAccount(String appName, Path serviceAccountJson, String projectId,
      FcmSettings settings) throws IOException {
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(serviceAccountJson)) {
      credentials = GoogleCredentials.fromStream(in)
          .createScoped(List.of("https://www.googleapis.com/auth/firebase.messaging"));
    }
    String project = projectId;
    if (project == null && credentials instanceof ServiceAccountCredentials sa) {
      project = sa.getProjectId();
    }
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException("the Firebase project id is neither in the credentials file nor set");
    }
    return initialize(appName, credentials, project, settings, null);
  }

  /**
   * @param transport null for the SDK's default transport
   */
  public static FirebaseApp initialize(String appName, GoogleCredentials credentials, String projectId,
      FcmSettings settings, HttpTransport transport) {
    FirebaseOptions.Builder options = FirebaseOptions.builder()
        .setCredentials(credentials)
        .setProjectId(projectId)
        .setConnectTimeout(millis(settings.connectTimeout().toMillis()))
        .setReadTimeout(millis(settings.readTimeout().toMillis()))
        .setWriteTimeout(millis(settings.readTimeout().toMillis()))
        .setThreadManager(new SenderThreads(settings.senderThreads()));
    if (transport != null) {
      options.setHttpTransport(transport);
    }
    return FirebaseApp.initializeApp(options.build(), appName);
  }

  private static int millis(long value) {
    return (int) Math.min(Integer.MAX_VALUE, value);
  }

  /**
   * A fixed pool of daemon threads for the SDK's blocking HTTP calls (sendEach runs one request
   * per message on them), instead of the SDK's shared default of 100. Idle threads time out.
   */
  static final class SenderThreads extends ThreadManager {

    private final int threads;
    private final AtomicInteger counter = new AtomicInteger();

    SenderThreads(int threads) {
      this.threads = threads;
    }

    @Override
    protected ExecutorService getExecutor(FirebaseApp app) {
      ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), getThreadFactory());
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }

    @Override
    protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
      executor.shutdownNow();
    }

    @Override
    protected ThreadFactory getThreadFactory() {
      return runnable -> {
        Thread t = new Thread(runnable, "fcm-sender-" + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
