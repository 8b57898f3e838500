package uk.gov.islington.youthsafety.bench;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/** The SDK alone against the fake server: how many messages a second this machine can push through it. */
public final class SdkThroughput {
  public static void main(String[] args) throws Exception {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "512");
    }
    int threads = Integer.getInteger("threads", 64);
    int total = Integer.getInteger("messages", 20_000);
    FakeFcm fcm = FakeFcm.start(false);
    FirebaseApp app = fcm.firebaseApp("sdk", new FcmSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), threads,
        600_000, Duration.ofSeconds(40), Duration.ofSeconds(10)));
    FirebaseMessaging messaging = FirebaseMessaging.getInstance(app);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int round = 0; round < Integer.getInteger("rounds", 3); round++) {
      long t0 = System.nanoTime();
      long cpu0 = os.getProcessCpuTime();
      List<com.google.api.core.ApiFuture<?>> all = new ArrayList<>();
      for (int b = 0; b < total / 500; b++) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          batch.add(Message.builder().setToken("tok-" + round + "-" + b + "-" + i)
              .setNotification(Notification.builder().setTitle("t").setBody("b").build()).build());
        }
        all.add(messaging.sendEachAsync(batch));
      }
      for (var f : all) {
        f.get();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      System.out.printf("round %d: %d messages in %.2f s = %.0f/s (accepted %d); %.2f CPU-s = %.0f messages per CPU-second%n",
          round, total, s, total / s, fcm.acceptedTotal(), cpu, total / cpu);
    }
    app.delete();
    fcm.close();
  }
}
