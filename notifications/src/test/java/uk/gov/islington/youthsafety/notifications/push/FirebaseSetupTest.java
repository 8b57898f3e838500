package uk.gov.islington.youthsafety.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.firebase.FirebaseApp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production set-up from a service-account file (FIREBASE_CREDENTIALS), without calling Google.
 */
class FirebaseSetupTest {

  @Test
  void aServiceAccountFileGivesTheAppItsProjectAndOurTimeouts() throws Exception {
    Path file = serviceAccount("islington-youth-safety");
    FirebaseApp app =
        FirebaseSetup.fromServiceAccount("setup-test", file, null, FcmSettings.defaults());
    try {
      assertThat(app.getOptions().getProjectId()).isEqualTo("islington-youth-safety");
      assertThat(app.getOptions().getConnectTimeout()).isEqualTo(10_000);
      assertThat(app.getOptions().getReadTimeout()).isEqualTo(20_000);
      // production's transport: the SDK's default class (HTTP/2), our instance with low-priority
      // threads
      assertThat(app.getOptions().getHttpTransport())
          .isInstanceOf(com.google.firebase.internal.ApacheHttp2Transport.class);
    } finally {
      app.delete();
    }
    FirebaseApp overridden =
        FirebaseSetup.fromServiceAccount(
            "setup-test-2", file, "other-project", FcmSettings.defaults());
    try {
      assertThat(overridden.getOptions().getProjectId()).isEqualTo("other-project");
    } finally {
      overridden.delete();
    }
  }

  @Test
  void senderAndHttp2IoThreadsAreLowPriorityDaemonsSoASendYieldsToTheApi() throws Exception {
    Thread sender = new FirebaseSetup.SenderThreads(2, null).getThreadFactory().newThread(() -> {});
    assertThat(sender.getName()).startsWith("fcm-sender-");
    assertThat(sender.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
    assertThat(sender.isDaemon()).isTrue();
    Thread io = FirebaseSetup.lowPriorityDaemons("fcm-http2-io-").newThread(() -> {});
    assertThat(io.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
    assertThat(io.isDaemon()).isTrue();
  }

  @Test
  void anUnreadableFileStopsTheStart() {
    assertThatThrownBy(
            () ->
                FirebaseSetup.fromServiceAccount(
                    "setup-test-3", Path.of("/nonexistent/sa.json"), null, FcmSettings.defaults()))
        .isInstanceOf(java.io.IOException.class);
  }

  private static Path serviceAccount(String project) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    JsonObject json =
        new JsonObject()
            .put("type", "service_account")
            .put("project_id", project)
            .put("private_key_id", "test-key")
            .put("private_key", pem)
            .put("client_email", "push@" + project + ".iam.gserviceaccount.com")
            .put("client_id", "1")
            .put("token_uri", "https://oauth2.googleapis.com/token");
    Path file = Files.createTempFile("service-account", ".json");
    Files.writeString(file, json.encode());
    return file;
  }

  @Test
  void thePriorityCheckNamesWhatIsMissingAndIsQuietWithTheDocumentedFlags() throws Exception {
    // flags cannot change inside a running JVM: ask fresh ones
    assertThat(priorityProblemIn()).contains("thread priorities are off");
    assertThat(
            priorityProblemIn("-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=19"))
        .contains("Java priority 6 is not mapped to nice 0");
    assertThat(priorityProblemIn(FirebaseSetup.PRIORITY_FLAGS.split(" "))).isEqualTo("none");
  }

  private static String priorityProblemIn(String... flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(flags));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), PriorityProblem.class.getName()));
    // stdout only: as non-root the JVM warns on stderr that raising priorities may need root
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  /** Prints what {@link FirebaseSetup#threadPriorityProblem()} finds in this JVM. */
  public static final class PriorityProblem {
    public static void main(String[] args) {
      System.out.println(FirebaseSetup.threadPriorityProblem().orElse("none"));
    }
  }
}
