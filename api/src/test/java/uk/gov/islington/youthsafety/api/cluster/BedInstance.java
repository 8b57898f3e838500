package uk.gov.islington.youthsafety.api.cluster;

import java.time.Duration;
import uk.gov.islington.youthsafety.api.Main;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * One instance of the scale-out bed: the service's own {@link Main}, in a process of its own, with
 * one difference from production when {@code BED_FAKE_FCM_PORT} is set: the real Firebase Admin SDK
 * is pointed at the fake FCM server there (FCM itself cannot be reached from a test), named by
 * {@code FIREBASE_APP_NAME} as the benchmark does.
 */
public final class BedInstance {

  /** The name of the FirebaseApp set up here (FIREBASE_APP_NAME). */
  static final String FIREBASE_APP = "cluster-bed";

  private BedInstance() {}

  public static void main(String[] args) {
    String fcmPort = System.getenv("BED_FAKE_FCM_PORT");
    if (fcmPort != null) {
      FcmSettings d = FcmSettings.defaults();
      String threads = System.getenv("FCM_SENDER_THREADS");
      FcmSettings settings =
          new FcmSettings(
              d.connectTimeout(),
              Duration.ofSeconds(20),
              threads == null ? d.senderThreads() : Integer.parseInt(threads),
              d.messagesPerMinute(),
              d.batchDeadline(),
              d.maxLimiterWait());
      FakeFcm.firebaseAppTo(
          FIREBASE_APP, settings, Integer.parseInt(fcmPort), System.getenv("BED_FAKE_FCM_CERT"));
    }
    Main.main(args);
  }
}
