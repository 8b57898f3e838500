package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.json.JsonArray;

/** An editor's change to a category: null fields stay as they are. */
public record CategoryPatch(
    String label,
    String description,
    String destination,
    String guidance,
    JsonArray contacts,
    Integer sortOrder,
    Boolean active) {

  ReportCategory applyTo(ReportCategory c) {
    return new ReportCategory(
        c.id(),
        label == null ? c.label() : label,
        description == null ? c.description() : description,
        destination == null ? c.destination() : destination,
        guidance == null ? c.guidance() : guidance,
        contacts == null ? c.contacts() : contacts,
        sortOrder == null ? c.sortOrder() : sortOrder,
        active == null ? c.active() : active);
  }
}
