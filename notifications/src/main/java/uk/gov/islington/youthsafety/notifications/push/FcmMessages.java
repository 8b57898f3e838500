package uk.gov.islington.youthsafety.notifications.push;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;
import java.time.Instant;

/**
 * A {@link PushMessage} for one token, as FCM HTTP v1 wants it. The collapse key doubles as the
 * Android tag and the APNs collapse id, so a repeated delivery replaces the notification on the
 * phone. Urgent messages go with high priority (Android), priority 10 and the time-sensitive
 * interruption level (iOS), on their own Android notification channel.
 */
public final class FcmMessages {

  static final String CHANNEL = "bulletin";
  static final String URGENT_CHANNEL = "bulletin_urgent";

  private FcmMessages() {}

  /** Public for the benchmark, which measures the same message the service sends. */
  public static Message build(PushMessage m, String token, Instant now) {
    long expiresAt = now.plus(m.ttl()).getEpochSecond();
    return Message.builder()
        .setToken(token)
        .setNotification(Notification.builder().setTitle(m.title()).setBody(m.body()).build())
        .putAllData(m.data())
        .setAndroidConfig(
            AndroidConfig.builder()
                .setCollapseKey(m.collapseKey())
                .setPriority(
                    m.urgent() ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
                .setTtl(m.ttl().toMillis())
                .setNotification(
                    AndroidNotification.builder()
                        .setTag(m.collapseKey())
                        .setChannelId(m.urgent() ? URGENT_CHANNEL : CHANNEL)
                        .build())
                .build())
        .setApnsConfig(
            ApnsConfig.builder()
                .putHeader("apns-collapse-id", m.collapseKey())
                .putHeader("apns-priority", m.urgent() ? "10" : "5")
                .putHeader("apns-expiration", Long.toString(expiresAt))
                .setAps(
                    Aps.builder()
                        .setSound("default")
                        .setThreadId(CHANNEL)
                        .putCustomData(
                            "interruption-level", m.urgent() ? "time-sensitive" : "active")
                        .build())
                .build())
        .build();
  }
}
