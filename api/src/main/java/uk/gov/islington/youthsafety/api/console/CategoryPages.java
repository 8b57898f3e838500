package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.reports.CategoryPatch;
import uk.gov.islington.youthsafety.content.reports.Destination;
import uk.gov.islington.youthsafety.content.reports.ReportCategory;
import uk.gov.islington.youthsafety.content.reports.ReportService;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The editors' pages for what a young person picks when they report, and what they are told: each
 * category's label, description, guidance and the contacts shown with it, where it goes, its place
 * in the list and whether it is offered. Saved through {@link ReportService#updateCategory}, as
 * updateReportCategory saves it, so its rules are the API's.
 */
final class CategoryPages {

  /** Blank rows offered for new contacts (the service takes at most ten in all). */
  static final int NEW_CONTACTS = 2;

  private static final List<String> CONTACT_PARTS =
      List.of("name", "phone", "email", "url", "note");

  private final ConsolePages pages;
  private final ReportService reports;

  CategoryPages(ConsolePages pages, ReportService reports) {
    this.pages = pages;
    this.reports = reports;
  }

  void mount(Router router) {
    router.get("/console/categories").handler(pages.page(ConsoleRoles.CATEGORIES, this::list));
    router
        .get("/console/categories/:categoryId")
        .handler(pages.page(ConsoleRoles.CATEGORY_EDIT, this::edit));
    router
        .post("/console/categories/:categoryId")
        .handler(pages.page(ConsoleRoles.CATEGORY_EDIT, this::save));
  }

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    return Future.all(reports.categories(true), reports.destinations())
        .compose(
            all -> {
              List<ReportCategory> categories = all.resultAt(0);
              Map<String, Destination> destinations = all.resultAt(1);
              List<CategoryViews.Row> rows =
                  categories.stream()
                      .map(
                          c ->
                              new CategoryViews.Row(
                                  c.id(),
                                  c.label(),
                                  c.description(),
                                  destinations.containsKey(c.destination())
                                      ? destinations.get(c.destination()).name()
                                      : c.destination(),
                                  c.active()))
                      .toList();
              String done = ctx.queryParams().get("saved");
              String banner =
                  done == null
                      ? null
                      : categories.stream()
                          .filter(c -> c.id().equals(done))
                          .findFirst()
                          .map(
                              c ->
                                  "\""
                                      + c.label()
                                      + "\" is saved: the app shows the change within minutes.")
                          .orElse(null);
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, "Report categories"));
              p.put("rows", rows);
              p.put("banner", banner);
              return pages.render(ctx, 200, "categories/list", p);
            });
  }

  private Future<Void> edit(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("categoryId");
    return category(id)
        .compose(
            c -> {
              List<CategoryViews.Contact> contacts = new ArrayList<>();
              for (int i = 0; i < c.contacts().size(); i++) {
                JsonObject o = c.contacts().getJsonObject(i);
                contacts.add(
                    new CategoryViews.Contact(
                        "contact-" + (i + 1),
                        o.getString("name", ""),
                        o.getString("phone", ""),
                        o.getString("email", ""),
                        o.getString("url", ""),
                        o.getString("note", "")));
              }
              CategoryViews.Form form =
                  new CategoryViews.Form(
                      c.label(),
                      c.description(),
                      c.guidance(),
                      c.destination(),
                      Integer.toString(c.sortOrder()),
                      c.active(),
                      withBlankRows(contacts));
              return formPage(ctx, s, c, form, List.of(), 200);
            });
  }

  /** The category with this id, active or not; 404 when there is none. */
  private Future<ReportCategory> category(String id) {
    return reports
        .categories(true)
        .map(
            all ->
                all.stream()
                    .filter(c -> c.id().equals(id))
                    .findFirst()
                    .orElseThrow(
                        () -> new DomainException.NotFound("There is no report category " + id)));
  }

  private static List<CategoryViews.Contact> withBlankRows(List<CategoryViews.Contact> contacts) {
    List<CategoryViews.Contact> out = new ArrayList<>(contacts);
    for (int i = 0; i < NEW_CONTACTS; i++) {
      out.add(new CategoryViews.Contact("contact-" + (out.size() + 1), "", "", "", "", ""));
    }
    return out;
  }

  private Future<Void> formPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      ReportCategory c,
      CategoryViews.Form form,
      List<FieldError> errors,
      int status) {
    return reports
        .destinationList()
        .compose(
            destinations -> {
              List<Choice> choices =
                  destinations.stream()
                      .filter(d -> d.active() || d.id().equals(form.destination()))
                      .map(
                          d ->
                              new Choice(
                                  d.id(),
                                  d.name(),
                                  d.id().equals(form.destination()),
                                  d.active() ? null : "No longer active: choose another"))
                      .toList();
              String title = "Change the category " + c.label();
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, title).withError(!errors.isEmpty()));
              p.put("errors", errors);
              p.put("id", c.id());
              p.put("heading", title);
              p.put("form", form);
              p.put("destinations", choices);
              p.put(
                  "active",
                  List.of(
                      new Choice("yes", "Yes, offer it in the app", form.active()),
                      new Choice(
                          "no", "No, hide it (reports already made keep it)", !form.active())));
              return pages.render(ctx, status, "categories/edit", p);
            });
  }

  private Future<Void> save(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("categoryId");
    CategoryViews.Form form = read(ctx);
    Map<String, String> where = new LinkedHashMap<>();
    JsonArray contacts = new JsonArray();
    for (CategoryViews.Contact c : form.contacts()) {
      JsonObject o = new JsonObject();
      List<String> values = List.of(c.name(), c.phone(), c.email(), c.url(), c.note());
      for (int i = 0; i < CONTACT_PARTS.size(); i++) {
        if (!values.get(i).isEmpty()) {
          o.put(CONTACT_PARTS.get(i), values.get(i));
        }
      }
      if (!o.isEmpty()) {
        where.put("contacts[" + contacts.size() + "]", c.id());
        contacts.add(o);
      }
    }
    Integer order;
    try {
      order = Integer.valueOf(form.sortOrder());
    } catch (NumberFormatException e) {
      order = null;
    }
    Integer sortOrder = order;
    return category(id)
        .compose(
            current -> {
              if (sortOrder == null) {
                return formPage(
                    ctx,
                    s,
                    current,
                    form,
                    List.of(
                        new FieldError("sortOrder", "Position must be a whole number, e.g. 10")),
                    400);
              }
              CategoryPatch patch =
                  new CategoryPatch(
                      form.label(),
                      form.description(),
                      form.destination(),
                      form.guidance(),
                      contacts,
                      sortOrder,
                      form.active());
              return ConsolePages.attempt(() -> reports.updateCategory(id, patch))
                  .compose(c -> pages.redirect(ctx, "/console/categories?saved=" + c.id()))
                  .recover(
                      e ->
                          e instanceof InvalidInput invalid
                              ? formPage(ctx, s, current, form, errors(invalid, where), 400)
                              : Future.failedFuture(e));
            });
  }

  private static CategoryViews.Form read(RoutingContext ctx) {
    int rows;
    try {
      rows = Math.min(Math.max(Integer.parseInt(field(ctx, "contact-count")), 0), 20);
    } catch (NumberFormatException e) {
      rows = NEW_CONTACTS;
    }
    List<CategoryViews.Contact> contacts = new ArrayList<>();
    for (int i = 1; i <= rows; i++) {
      String at = "contact-" + i;
      contacts.add(
          new CategoryViews.Contact(
              at,
              field(ctx, at + "-name"),
              field(ctx, at + "-phone"),
              field(ctx, at + "-email"),
              field(ctx, at + "-url"),
              field(ctx, at + "-note")));
    }
    return new CategoryViews.Form(
        field(ctx, "label"),
        field(ctx, "description"),
        field(ctx, "guidance"),
        field(ctx, "destination"),
        field(ctx, "sortOrder"),
        !"no".equals(field(ctx, "active")),
        contacts);
  }

  private static String field(RoutingContext ctx, String name) {
    return Objects.requireNonNullElse(ConsolePages.form(ctx, name), "");
  }

  private static final Map<String, String> LABELS =
      Map.of(
          "label", "Label",
          "description", "Description",
          "guidance", "Guidance",
          "destination", "Where reports go",
          "sortOrder", "Position",
          "contacts", "Contacts");

  /** The service's complaints against the form's inputs. */
  private static List<FieldError> errors(InvalidInput invalid, Map<String, String> where) {
    List<FieldError> out = new ArrayList<>();
    for (InvalidInput.FieldError e : invalid.errors()) {
      String field = e.field();
      String message = e.message().replace("; see listReportDestinations", "");
      if (field.startsWith("contacts[")) {
        String entry = field.substring(0, field.indexOf(']') + 1);
        String row = where.getOrDefault(entry, "contact-1");
        String part =
            field.length() > entry.length() ? field.substring(entry.length() + 1) : "name";
        out.add(
            new FieldError(
                row + "-" + part,
                "Contact " + row.substring("contact-".length()) + ": the " + part + " " + message));
      } else if (field.equals("destination")) {
        out.add(new FieldError("destination", "Choose where reports go: " + message));
      } else {
        out.add(new FieldError(field, LABELS.getOrDefault(field, field) + " " + message));
      }
    }
    return out;
  }
}
