package uk.gov.islington.youthsafety.notifications.push;

import org.junit.jupiter.api.BeforeAll;
import uk.gov.islington.youthsafety.testing.FakeFcm;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * Every {@link FcmPushTest} case again with the SDK on {@code NetHttpTransport} (HTTP/1.1 through
 * {@code HttpURLConnection}), the transport DESIGN.md describes for tests. Production and {@link
 * FcmPushTest} use the SDK's default HTTP/2 transport.
 */
class FcmPushHttp11Test extends FcmPushTest {

  /** Hides {@link PushTestBase#startAll()}: the same database set-up, the fake FCM on HTTP/1.1. */
  @BeforeAll
  static void startAll() {
    db = TestPostgres.freshDatabase("notifications");
    fcm = FakeFcm.start(true, FakeFcm.Protocol.HTTP_1_1);
  }
}
