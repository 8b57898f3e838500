package uk.gov.islington.youthsafety.bench;

import com.google.api.core.ApiFuture;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.notifications.push.FcmMessages;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * The SDK alone against the fake server: how many messages a second this machine can push through
 * it, and where the CPU goes (per thread group, {@link CpuByGroup}: our sender threads, the Apache HTTP/2
 * I/O reactor, the fake server's event loops (from the second round on), GC and JIT, the rest).
 *
 * <p>System properties: protocol (HTTP_2 | HTTP_1_1), threads (sender pool, 64), messages per
 * round (20000), rounds (3), inFlight (batches of 500 in flight at once, 0 = all).
 */
public final class SdkThroughput {
  public static void main(String[] args) throws Exception {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "512");
    }
    FakeFcm.Protocol protocol = FakeFcm.Protocol.valueOf(System.getProperty("protocol", "HTTP_2"));
    int threads = Integer.getInteger("threads", 64);
    int total = Integer.getInteger("messages", 20_000);
    int inFlight = Integer.getInteger("inFlight", 0);
    FakeFcm fcm = FakeFcm.start(false, protocol);
    FirebaseApp app = fcm.firebaseApp("sdk", new FcmSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), threads,
        600_000, Duration.ofSeconds(40), Duration.ofSeconds(10)));
    FirebaseMessaging messaging = FirebaseMessaging.getInstance(app);
    // the message the service sends (FcmMessages: notification, data, android, apns)
    PushMessage message = new PushMessage("Youth Safety Bulletin (benchmark)",
        "Services, events, training and reports from across Islington this month.",
        Map.of("type", "bulletin", "bulletinId", "b-1"), "b-1", false, Duration.ofDays(7));
    System.out.printf("protocol %s (fake FCM's TLS: %s), %d sender threads, %d messages a round%n", protocol,
        fcm.tlsEngine(), threads, total);
    for (int round = 0; round < Integer.getInteger("rounds", 3); round++) {
      CpuByGroup.name(fcm.threadIds(), "fake FCM");
      Map<String, Long> cpuBefore = CpuByGroup.snapshot();
      Map<String, Long> allocBefore = CpuByGroup.allocated();
      long t0 = System.nanoTime();
      long cpu0 = CpuByGroup.processNanos();
      List<ApiFuture<BatchResponse>> all = new ArrayList<>();
      for (int b = 0; b < total / 500; b++) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          batch.add(FcmMessages.build(message, "tok-" + round + "-" + b + "-" + i + ":APA91b", Clock.systemUTC().instant()));
        }
        all.add(messaging.sendEachAsync(batch));
        if (inFlight > 0 && all.size() >= inFlight) {
          all.get(all.size() - inFlight).get();
        }
      }
      int failures = 0;
      for (var f : all) {
        BatchResponse response = f.get();
        if (response.getFailureCount() > 0 && failures == 0) {
          response.getResponses().stream().filter(r -> !r.isSuccessful()).findFirst()
              .ifPresent(r -> System.out.println("first failure: " + r.getException()));
        }
        failures += response.getFailureCount();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (CpuByGroup.processNanos() - cpu0) / 1e9;
      Map<String, Long> cpuAfter = CpuByGroup.snapshot();
      Map<String, Long> allocAfter = CpuByGroup.allocated();
      StringBuilder groups = new StringBuilder(" ").append(CpuByGroup.perMessage(cpuBefore, cpuAfter, total));
      groups.append(" allocated per message:");
      allocAfter.forEach((g, bytes) -> {
        double kb = (bytes - allocBefore.getOrDefault(g, 0L)) / 1024.0 / total;
        if (kb >= 0.5) {
          groups.append(String.format(" %s %.1f KB;", g, kb));
        }
      });
      System.out.printf("round %d: %d messages in %.2f s = %.0f/s (failed %d, accepted %d, connections %d); %.2f CPU-s = %.0f"
          + " messages per CPU-second; CPU per message:%s%n", round, total, s, total / s, failures, fcm.acceptedTotal(),
          fcm.connections(), cpu, total / cpu, groups);
    }
    app.delete();
    fcm.close();
  }
}
