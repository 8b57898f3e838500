package uk.gov.islington.youthsafety.content.bulletins;

import java.time.Instant;
import java.util.List;

/**
 * One bulletin. {@code state} is draft, scheduled, sending or sent (the table enforces the order);
 * from "sending" on it is in the public archive, dated {@code publishedAt}.
 */
public record Bulletin(
    String id,
    String title,
    String body,
    List<String> audiences,
    List<String> areas,
    String link,
    boolean urgent,
    String state,
    Instant sendAt,
    Instant createdAt,
    Instant updatedAt,
    Instant publishedAt,
    Instant sentAt) {

  public static final String DRAFT = "draft";
  public static final String SCHEDULED = "scheduled";
  public static final String SENDING = "sending";
  public static final String SENT = "sent";
  public static final List<String> STATES = List.of(DRAFT, SCHEDULED, SENDING, SENT);

  public boolean published() {
    return SENDING.equals(state) || SENT.equals(state);
  }

  public boolean draft() {
    return DRAFT.equals(state);
  }
}
