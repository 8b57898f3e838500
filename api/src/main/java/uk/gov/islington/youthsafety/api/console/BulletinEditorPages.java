package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.bulletins.BulletinView;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDraft;
import uk.gov.islington.youthsafety.content.bulletins.BulletinPatch;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;

/**
 * The editors' bulletins: the list by state; composing a draft, previewed as the phone's
 * notification and as the archive page; sending it now or scheduling it; and its delivery, which
 * updates itself while it goes (server-sent events from {@link ConsoleEvents}; without JavaScript a
 * refresh shows the same). Every rule is {@link Bulletins}', the service behind createBulletin,
 * updateBulletin, sendBulletin and getBulletinDelivery.
 */
final class BulletinEditorPages {

  private static final String LIST = "/console/bulletins";
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final int LISTED = 20;

  private final ConsolePages pages;
  private final Bulletins bulletins;
  private final Clock clock;
  private final ConsoleEvents events;

  BulletinEditorPages(
      AppContext app, ConsolePages pages, Bulletins bulletins, Duration eventsHeartbeat) {
    this.pages = pages;
    this.bulletins = bulletins;
    this.clock = app.clock();
    this.events =
        new ConsoleEvents(
            app,
            pages.sessions(),
            eventsHeartbeat,
            "bulletin delivery events",
            "content_bulletin_delivery_changed",
            ConsoleRoles.BULLETIN_DELIVERY);
  }

  PgListener listener() {
    return events.listener();
  }

  Future<Void> start() {
    return events.start();
  }

  Future<Void> stop() {
    return events.stop();
  }

  void mount(Router router) {
    router.get(LIST).handler(pages.page(ConsoleRoles.BULLETINS, this::list));
    router
        .get(LIST + "/new")
        .handler(
            pages.page(
                ConsoleRoles.BULLETIN_COMPOSE,
                (ctx, s) -> composePage(ctx, s, null, 200, List.of(), blank())));
    router.post(LIST + "/new").handler(pages.page(ConsoleRoles.BULLETIN_COMPOSE, this::create));
    router
        .get(LIST + "/:bulletinId")
        .handler(pages.page(ConsoleRoles.BULLETIN_DELIVERY, this::show));
    router
        .get(LIST + "/:bulletinId/events")
        .handler(
            pages.page(
                ConsoleRoles.BULLETIN_DELIVERY,
                (ctx, s) -> bulletin(ctx).compose(b -> events.subscribe(ctx, s))));
    router
        .get(LIST + "/:bulletinId/edit")
        .handler(
            pages.page(
                ConsoleRoles.BULLETIN_EDIT,
                (ctx, s) ->
                    bulletin(ctx).compose(b -> composePage(ctx, s, b, 200, List.of(), values(b)))));
    router
        .post(LIST + "/:bulletinId/edit")
        .handler(pages.page(ConsoleRoles.BULLETIN_EDIT, this::edit));
    router
        .get(LIST + "/:bulletinId/send")
        .handler(
            pages.page(
                ConsoleRoles.BULLETIN_SEND,
                (ctx, s) ->
                    bulletin(ctx).compose(b -> sendPage(ctx, s, b, 200, List.of(), sendValues()))));
    router
        .post(LIST + "/:bulletinId/send")
        .handler(pages.page(ConsoleRoles.BULLETIN_SEND, this::send));
  }

  private Future<Bulletin> bulletin(RoutingContext ctx) {
    return bulletins.get(ctx.pathParam("bulletinId"), true);
  }

  // ---- the list ---------------------------------------------------------------------------

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    List<String> states =
        List.of(Bulletin.DRAFT, Bulletin.SCHEDULED, Bulletin.SENDING, Bulletin.SENT);
    List<Future<?>> pagesOf = new ArrayList<>();
    states.forEach(state -> pagesOf.add(bulletins.listByState(state, LISTED, null)));
    return Future.all(pagesOf)
        .compose(
            all -> {
              List<BulletinEditorViews.Section> sections = new ArrayList<>();
              for (int i = 0; i < states.size(); i++) {
                uk.gov.islington.youthsafety.content.common.Page<Bulletin> page = all.resultAt(i);
                String state = states.get(i);
                sections.add(
                    new BulletinEditorViews.Section(
                        state,
                        switch (state) {
                          case Bulletin.DRAFT -> "Drafts";
                          case Bulletin.SCHEDULED -> "Scheduled";
                          case Bulletin.SENDING -> "Being sent";
                          default -> "Sent";
                        },
                        page.items().stream()
                            .map(
                                b ->
                                    new BulletinEditorViews.Row(
                                        LIST + "/" + b.id(),
                                        b.title(),
                                        switch (state) {
                                          case Bulletin.DRAFT ->
                                              "Last changed "
                                                  + BulletinEditorViews.when(b.updatedAt());
                                          case Bulletin.SCHEDULED ->
                                              "To be sent " + BulletinEditorViews.when(b.sendAt());
                                          default ->
                                              "Sent " + BulletinEditorViews.when(b.publishedAt());
                                        },
                                        b.urgent()))
                            .toList()));
              }
              return pages.render(
                  ctx,
                  200,
                  "bulletins/list",
                  Map.of("frame", pages.frame(ctx, s, "Bulletins"), "sections", sections));
            });
  }

  // ---- one bulletin: previews, or its delivery -------------------------------------------

  private Future<Void> show(RoutingContext ctx, StaffSessions.Session s) {
    return bulletin(ctx)
        .compose(
            b ->
                (b.draft()
                        ? Future.succeededFuture(
                            (uk.gov.islington.youthsafety.content.bulletins.BulletinDelivery) null)
                        : bulletins.delivery(b.id()))
                    .compose(
                        d -> {
                          PushMessage push = Bulletins.pushMessage(b);
                          Instant dated =
                              b.publishedAt() != null
                                  ? b.publishedAt()
                                  : b.sendAt() != null ? b.sendAt() : clock.instant();
                          boolean done =
                              d != null
                                  && Bulletin.SENT.equals(d.state())
                                  && d.pending() == 0
                                  && d.email().pending() == 0;
                          BulletinEditorViews.Page view =
                              new BulletinEditorViews.Page(
                                  b,
                                  BulletinEditorViews.state(b.state()),
                                  String.join(
                                      ", ",
                                      b.audiences().stream()
                                          .map(
                                              a -> BulletinView.audienceLabels().getOrDefault(a, a))
                                          .toList()),
                                  b.areas().isEmpty()
                                      ? "The whole borough"
                                      : String.join(
                                          ", ",
                                          b.areas().stream()
                                              .map(
                                                  a -> BulletinView.areaLabels().getOrDefault(a, a))
                                              .toList()),
                                  new BulletinEditorViews.Notification(
                                      push.title(), push.body(), b.urgent()),
                                  BulletinView.dated(b, dated),
                                  d,
                                  BulletinEditorViews.when(b.sendAt()),
                                  done,
                                  LIST + "/" + b.id() + "/events",
                                  banner(ctx.queryParams().get("done")));
                          return pages.render(
                              ctx,
                              200,
                              b.draft() ? "bulletins/draft" : "bulletins/delivery",
                              Map.of("frame", pages.frame(ctx, s, b.title()), "view", view));
                        }));
  }

  private static String banner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "saved" -> "The draft is saved. Nothing is sent until you send or schedule it.";
      case "scheduled" -> "The bulletin is scheduled. It will be sent once, at the time you chose.";
      case "sending" -> "The bulletin is on its way. This page shows how the delivery goes.";
      default -> null;
    };
  }

  // ---- composing --------------------------------------------------------------------------

  private static Map<String, Object> blank() {
    Map<String, Object> v = new HashMap<>();
    v.put("title", "");
    v.put("body", "");
    v.put("link", "");
    v.put("urgent", false);
    v.put("audiences", List.of());
    v.put("areas", List.of());
    v.put("idempotencyKey", UUID.randomUUID().toString());
    return v;
  }

  private static Map<String, Object> values(Bulletin b) {
    Map<String, Object> v = new HashMap<>();
    v.put("title", b.title());
    v.put("body", b.body());
    v.put("link", Objects.requireNonNullElse(b.link(), ""));
    v.put("urgent", b.urgent());
    v.put("audiences", b.audiences());
    v.put("areas", b.areas());
    v.put("idempotencyKey", "");
    return v;
  }

  private static Map<String, Object> typed(RoutingContext ctx) {
    Map<String, Object> v = new HashMap<>();
    v.put("title", Objects.requireNonNullElse(ConsolePages.form(ctx, "title"), ""));
    // the body keeps its line breaks and spaces exactly as typed
    v.put("body", Objects.requireNonNullElse(ctx.request().getFormAttribute("body"), ""));
    v.put("link", Objects.requireNonNullElse(ConsolePages.form(ctx, "link"), ""));
    v.put("urgent", "yes".equals(ConsolePages.form(ctx, "urgent")));
    v.put(
        "audiences",
        ctx.request().formAttributes().getAll("audiences").stream().distinct().toList());
    v.put("areas", ctx.request().formAttributes().getAll("areas").stream().distinct().toList());
    String key = ConsolePages.form(ctx, "idempotencyKey");
    v.put("idempotencyKey", key == null || key.isEmpty() ? UUID.randomUUID().toString() : key);
    return v;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Map<String, Object> v, String key) {
    return (List<String>) v.get(key);
  }

  private Future<Void> composePage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Bulletin b,
      int status,
      List<FieldError> errors,
      Map<String, Object> v) {
    String heading = b == null ? "Write a bulletin" : "Change the draft";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("heading", heading);
    p.put("action", b == null ? LIST + "/new" : LIST + "/" + b.id() + "/edit");
    p.put("back", b == null ? LIST : LIST + "/" + b.id());
    p.put("v", v);
    p.put(
        "audiences",
        BulletinView.audienceLabels().entrySet().stream()
            .map(
                a ->
                    new Choice(a.getKey(), a.getValue(), list(v, "audiences").contains(a.getKey())))
            .toList());
    p.put(
        "areas",
        BulletinView.areaLabels().entrySet().stream()
            .map(a -> new Choice(a.getKey(), a.getValue(), list(v, "areas").contains(a.getKey())))
            .toList());
    return pages.render(ctx, status, "bulletins/compose", p);
  }

  private static String orNull(Map<String, Object> v, String key) {
    String s = (String) v.get(key);
    return s == null || s.isBlank() ? null : s;
  }

  private Future<Void> create(RoutingContext ctx, StaffSessions.Session s) {
    Map<String, Object> v = typed(ctx);
    BulletinDraft draft =
        new BulletinDraft(
            orNull(v, "title"),
            orNull(v, "body"),
            list(v, "audiences"),
            list(v, "areas"),
            orNull(v, "link"),
            (Boolean) v.get("urgent"));
    return ConsolePages.attempt(
            () -> bulletins.create(draft, s.staffId(), (String) v.get("idempotencyKey")))
        .compose(c -> pages.redirect(ctx, LIST + "/" + c.bulletin().id() + "?done=saved"))
        .recover(
            e ->
                e instanceof InvalidInput invalid
                    ? composePage(ctx, s, null, 400, errors(invalid), v)
                    : Future.failedFuture(e));
  }

  private Future<Void> edit(RoutingContext ctx, StaffSessions.Session s) {
    Map<String, Object> v = typed(ctx);
    return bulletin(ctx)
        .compose(
            b -> {
              BulletinPatch patch =
                  new BulletinPatch(
                      Objects.requireNonNullElse(orNull(v, "title"), ""),
                      Objects.requireNonNullElse(orNull(v, "body"), ""),
                      list(v, "audiences"),
                      list(v, "areas"),
                      true,
                      orNull(v, "link"),
                      (Boolean) v.get("urgent"));
              return ConsolePages.attempt(() -> bulletins.update(b.id(), patch))
                  .compose(x -> pages.redirect(ctx, LIST + "/" + b.id() + "?done=saved"))
                  .recover(
                      e -> {
                        if (e instanceof InvalidInput invalid) {
                          return composePage(ctx, s, b, 400, errors(invalid), v);
                        }
                        if (e instanceof DomainException.Conflict conflict) {
                          return composePage(
                              ctx,
                              s,
                              b,
                              409,
                              List.of(
                                  new FieldError(
                                      null,
                                      conflict.getMessage() + " Your changes are not saved.")),
                              v);
                        }
                        return Future.failedFuture(e);
                      });
            });
  }

  private static List<FieldError> errors(InvalidInput invalid) {
    List<FieldError> out = new ArrayList<>();
    for (InvalidInput.FieldError f : invalid.errors()) {
      String field = f.field().replaceAll("\\[\\d+]$", "");
      FieldError mapped =
          switch (field) {
            case "title" ->
                new FieldError(
                    "title",
                    f.message().startsWith("must be at most")
                        ? "The title must be 120 characters or fewer"
                        : f.message().contains("control")
                            ? "The title must be plain text"
                            : "Enter a title");
            case "body" ->
                new FieldError(
                    "body",
                    f.message().startsWith("must be at most")
                        ? "The text must be 10,000 characters or fewer"
                        : f.message().contains("control")
                            ? "The text must be plain text"
                            : "Enter the text of the bulletin");
            case "audiences" -> new FieldError("audiences", "Select who the bulletin is for");
            case "areas" -> new FieldError("areas", "Select wards from the list");
            case "link" ->
                new FieldError("link", "Enter a link that starts with https://, or leave it empty");
            default -> new FieldError(null, "The " + f.field() + " " + f.message());
          };
      if (out.stream().noneMatch(x -> Objects.equals(x.field(), mapped.field()))) {
        out.add(mapped);
      }
    }
    return out;
  }

  // ---- sending ----------------------------------------------------------------------------

  private static Map<String, String> sendValues() {
    Map<String, String> v = new HashMap<>();
    v.put("when", "now");
    return v;
  }

  private Future<Void> sendPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Bulletin b,
      int status,
      List<FieldError> errors,
      Map<String, String> v) {
    if (!b.draft()) {
      // scheduled or sent already: it is sent once, so there is nothing to choose
      return pages.redirect(ctx, LIST + "/" + b.id());
    }
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, "Send " + b.title()).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("bulletin", b);
    p.put("v", v);
    p.put(
        "whens",
        List.of(
            new Choice("now", "Now", "now".equals(v.get("when"))),
            new Choice("later", "At a time I choose", "later".equals(v.get("when")))));
    return pages.render(ctx, status, "bulletins/send", p);
  }

  private Future<Void> send(RoutingContext ctx, StaffSessions.Session s) {
    Map<String, String> v = new HashMap<>();
    for (String name :
        List.of("when", "sendAt-day", "sendAt-month", "sendAt-year", "sendAt-time")) {
      v.put(name, Objects.requireNonNullElse(ConsolePages.form(ctx, name), ""));
    }
    return bulletin(ctx)
        .compose(
            b -> {
              List<FieldError> errors = new ArrayList<>();
              Instant at = null;
              if ("later".equals(v.get("when"))) {
                at = londonTime(v, errors);
              } else if (!"now".equals(v.get("when"))) {
                errors.add(new FieldError("when", "Select when to send the bulletin"));
              }
              if (!errors.isEmpty()) {
                return sendPage(ctx, s, b, 400, errors, v);
              }
              Instant sendAt = at;
              return ConsolePages.attempt(() -> bulletins.send(b.id(), sendAt, s.staffId()))
                  .compose(
                      sent ->
                          pages.redirect(
                              ctx,
                              LIST
                                  + "/"
                                  + b.id()
                                  + (sendAt == null ? "?done=sending" : "?done=scheduled")))
                  .recover(
                      e -> {
                        if (e instanceof InvalidInput invalid) {
                          String message = invalid.errors().get(0).message();
                          return sendPage(
                              ctx,
                              s,
                              b,
                              400,
                              List.of(
                                  new FieldError(
                                      "sendAt-day",
                                      message.contains("past")
                                          ? "The time to send must be in the future"
                                          : "The time to send must be within a year")),
                              v);
                        }
                        if (e instanceof DomainException.Conflict conflict) {
                          return sendPage(
                              ctx,
                              s,
                              b,
                              409,
                              List.of(new FieldError(null, conflict.getMessage())),
                              v);
                        }
                        return Future.failedFuture(e);
                      });
            });
  }

  private static Instant londonTime(Map<String, String> v, List<FieldError> errors) {
    LocalDate date = FormDates.date(v, "sendAt", "the date to send it", errors);
    LocalTime time = FormDates.time(v.get("sendAt-time"), "sendAt-time", "sending", errors);
    return date == null || time == null ? null : ZonedDateTime.of(date, time, LONDON).toInstant();
  }
}
