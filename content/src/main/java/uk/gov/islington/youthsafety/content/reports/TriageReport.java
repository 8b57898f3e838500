package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One report as a moderator sees it: the decrypted text, the conversation, its forwards and its
 * history.
 */
public record TriageReport(
    String id,
    String reference,
    String categoryId,
    String categoryLabel,
    String destination,
    boolean urgent,
    boolean immediateDanger,
    String areaId,
    String areaLabel,
    String happenedWhen,
    String description,
    String status,
    String reporterStatus,
    String outcome,
    LocalDate createdOn,
    LocalDate updatedOn,
    LocalDate closedOn,
    String claimedBy,
    List<Message> messages,
    List<Forward> forwards,
    List<AuditEntry> history) {

  /**
   * @param author moderator or reporter; {@code staffId} only for moderators
   */
  public record Message(String author, String staffId, String text, LocalDate sentOn) {}

  /**
   * A forward and its delivery.
   *
   * @param state pending, retrying, awaiting_handoff, delivered or failed
   * @param handoff for a manual forward awaiting its hand-off: the sanitised text to paste
   */
  public record Forward(
      String id,
      String destination,
      String channel,
      String recipient,
      String state,
      String requestedBy,
      Instant requestedAt,
      Instant deliveredAt,
      String deliveredVia,
      String externalReference,
      int attempts,
      String lastError,
      Instant nextAttemptAt,
      Handoff handoff) {}

  /** What a moderator needs for a manual hand-off (e.g. Crimestoppers' anonymous form). */
  public record Handoff(String instructions, String text, String phone, String url) {}

  public record AuditEntry(String action, String staffId, Instant at, JsonObject detail) {}

  @Override
  public String toString() {
    return "TriageReport[" + reference + "]";
  }
}
