package uk.gov.islington.youthsafety.api.console;

import java.util.List;

/** What the editors' report category pages show. */
public final class CategoryViews {

  private CategoryViews() {}

  /** One category as the list shows it. */
  public record Row(
      String id, String label, String description, String destination, boolean active) {}

  /** One contact row of the form, as typed. */
  public record Contact(
      String id, String name, String phone, String email, String url, String note) {}

  /** The form as typed. */
  public record Form(
      String label,
      String description,
      String guidance,
      String destination,
      String sortOrder,
      boolean active,
      List<Contact> contacts) {}
}
