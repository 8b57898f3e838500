package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What every answer that lists places to get help says first: 999 in an emergency, else 101. */
public final class EmergencyCalls {

  private EmergencyCalls() {}

  /** The numbers and when to call them, as the contract's {@code call} array. */
  public static JsonArray json() {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("number", "999")
                .put("when", "If you are in danger or someone is hurt, call 999 now."))
        .add(
            new JsonObject()
                .put("number", "101")
                .put("when", "If it is not an emergency, call the police on 101."));
  }
}
