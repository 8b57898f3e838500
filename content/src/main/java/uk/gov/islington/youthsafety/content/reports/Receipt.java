package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The answer to submitReport: the receipt code (shown once), the status, where the report will go
 * and what to do meanwhile. Kept as JSON because the first answer is stored encrypted and replayed
 * byte for byte to a retry with the same Idempotency-Key.
 *
 * @param encoded the JSON text: encoded once, then both sealed for replays and sent as the answer
 */
public record Receipt(JsonObject json, String encoded) {

  static Receipt of(
      String receiptCode,
      String destination,
      String destinationName,
      String statusText,
      JsonObject guidance) {
    JsonObject json =
        new JsonObject()
            .put("receiptCode", receiptCode)
            .put("status", "received")
            .put("statusText", statusText)
            .put("destination", destination)
            .put("destinationName", destinationName)
            .put("guidance", guidance);
    return new Receipt(json, json.encode());
  }

  /** A stored answer, as it was first sent. */
  static Receipt decode(String encoded) {
    return new Receipt(new JsonObject(encoded), encoded);
  }

  /**
   * What a reporter is told after reporting: the category's guidance and contacts; when someone is
   * in immediate danger, 999 comes first, before anything else.
   */
  static JsonObject guidance(ReportCategory category, boolean immediateDanger) {
    JsonArray contacts = new JsonArray();
    String text = category.guidance();
    if (immediateDanger) {
      contacts.add(
          new JsonObject()
              .put("name", "Emergency")
              .put("phone", "999")
              .put("note", "Call 999 now if you or someone else is in danger."));
      text = "If you or someone else is in danger right now, call 999 now. " + text;
    }
    for (Object c : category.contacts()) {
      if (c instanceof JsonObject contact
          && !(immediateDanger && "999".equals(contact.getString("phone")))) {
        contacts.add(contact.copy());
      }
    }
    return new JsonObject().put("text", text).put("contacts", contacts);
  }

  /** Never prints the receipt code. */
  @Override
  public String toString() {
    return "Receipt[destination=" + json.getString("destination") + "]";
  }
}
