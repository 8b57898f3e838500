package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import uk.gov.islington.youthsafety.api.consultations.ConsultationJson;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.consultations.Consultation;
import uk.gov.islington.youthsafety.content.consultations.ConsultationState;
import uk.gov.islington.youthsafety.content.consultations.Consultations;
import uk.gov.islington.youthsafety.content.consultations.QuestionType;
import uk.gov.islington.youthsafety.content.consultations.Results;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The Youth Council's consultations: the list; writing one a page at a time (about, window, age
 * bands, each question) as a draft until "check your answers" creates it; the same pages to change
 * one that exists (questions frozen from the first vote, as the API enforces); a preview as a young
 * person sees it; live turnout while open; results as a chart and a table once closed; publishing;
 * and the published results as CSV. Every rule is {@link Consultations}', the service behind the
 * JSON operations: the pages check each step with its own checks.
 */
final class ConsultationPages {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final String LIST = "/console/consultations";

  private final ConsolePages pages;
  private final Consultations consultations;
  private final Clock clock;

  ConsultationPages(ConsolePages pages, Consultations consultations, Clock clock) {
    this.pages = pages;
    this.consultations = consultations;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get(LIST).handler(pages.page(ConsoleRoles.CONSULTATIONS, this::list));
    router
        .get(LIST + "/new")
        .handler(
            pages.page(
                ConsoleRoles.CONSULTATION_DRAFT,
                (ctx, s) -> aboutPage(ctx, s, null, 200, List.of(), "", "", false)));
    router
        .post(LIST + "/new")
        .handler(pages.page(ConsoleRoles.CONSULTATION_DRAFT, (ctx, s) -> saveAbout(ctx, s, null)));

    String draft = LIST + "/drafts/:draftId";
    router.get(draft + "/check").handler(pages.page(ConsoleRoles.CONSULTATION_DRAFT, this::check));
    router
        .post(draft + "/check")
        .handler(pages.page(ConsoleRoles.CONSULTATION_DRAFT, this::createFromDraft));
    router
        .get(draft + "/discard")
        .handler(pages.page(ConsoleRoles.CONSULTATION_DRAFT, this::discardPage));
    router
        .post(draft + "/discard")
        .handler(pages.page(ConsoleRoles.CONSULTATION_DRAFT, this::discard));
    steps(router, draft, ConsoleRoles.CONSULTATION_DRAFT);

    String one = LIST + "/:consultationId";
    router.get(one).handler(pages.page(ConsoleRoles.CONSULTATION_RESULTS, this::show));
    router
        .get(one + "/results.csv")
        .handler(pages.page(ConsoleRoles.CONSULTATION_RESULTS, this::csv));
    router
        .get(one + "/publish")
        .handler(
            pages.page(
                ConsoleRoles.CONSULTATION_PUBLISH,
                (ctx, s) ->
                    consultations
                        .get(ctx.pathParam("consultationId"))
                        .compose(c -> publishPage(ctx, s, c, List.of(), 200))));
    router
        .post(one + "/publish")
        .handler(pages.page(ConsoleRoles.CONSULTATION_PUBLISH, this::publish));
    steps(router, one, ConsoleRoles.CONSULTATION_EDIT);
  }

  /** The pages a draft and a consultation share: each thing on its own page, and the preview. */
  private void steps(Router router, String base, String rule) {
    router
        .get(base + "/about")
        .handler(
            onTarget(
                rule,
                (ctx, s, t) ->
                    aboutPage(
                        ctx,
                        s,
                        t,
                        200,
                        List.of(),
                        t.body().getString("title", ""),
                        t.body().getString("description", ""),
                        fromCheck(ctx))));
    router.post(base + "/about").handler(onTarget(rule, this::saveAbout));
    router
        .get(base + "/window")
        .handler(
            onTarget(
                rule,
                (ctx, s, t) ->
                    windowPage(ctx, s, t, 200, List.of(), windowValues(t.body()), fromCheck(ctx))));
    router.post(base + "/window").handler(onTarget(rule, this::saveWindow));
    router
        .get(base + "/age-bands")
        .handler(
            onTarget(
                rule,
                (ctx, s, t) ->
                    bandsPage(
                        ctx,
                        s,
                        t,
                        200,
                        List.of(),
                        strings(t.body().getJsonArray("ageBands")),
                        fromCheck(ctx))));
    router.post(base + "/age-bands").handler(onTarget(rule, this::saveBands));
    router.get(base + "/questions").handler(onTarget(rule, this::questionsPage));
    router
        .get(base + "/questions/:number")
        .handler(
            onTarget(
                rule,
                (ctx, s, t) -> {
                  int n = questionNumber(ctx, t);
                  JsonObject q =
                      n <= questions(t.body()).size()
                          ? questions(t.body()).getJsonObject(n - 1)
                          : new JsonObject();
                  return questionPage(
                      ctx, s, t, n, 200, List.of(), questionValues(q), fromCheck(ctx));
                }));
    router.post(base + "/questions/:number").handler(onTarget(rule, this::saveQuestion));
    router.post(base + "/questions/:number/remove").handler(onTarget(rule, this::removeQuestion));
    router.get(base + "/preview").handler(onTarget(rule, this::preview));
  }

  /** A step page: what it edits is the draft or the consultation its path names. */
  private interface StepPage {
    Future<Void> handle(RoutingContext ctx, StaffSessions.Session s, Target t);
  }

  private io.vertx.core.Handler<RoutingContext> onTarget(String rule, StepPage page) {
    return pages.page(rule, (ctx, s) -> target(ctx, s).compose(t -> page.handle(ctx, s, t)));
  }

  // ---- what the pages edit: a draft, or a consultation --------------------------------------

  /** A draft or an existing consultation, as the step pages see it: a createConsultation body. */
  private interface Target {
    String base();

    String caption();

    JsonObject body();

    boolean draft();

    /** Voting has started: only the description may change. */
    boolean frozen();

    /**
     * Stores the changes (fields of the body); fails with InvalidInput naming the body's fields, or
     * Conflict.
     */
    Future<Void> save(JsonObject changes, Predicate<String> pageFields);

    /** Where to go once {@code step} is saved. */
    String after(String step, boolean fromCheck);
  }

  private Future<Target> target(RoutingContext ctx, StaffSessions.Session s) {
    String draftId = ctx.pathParam("draftId");
    if (draftId != null) {
      return consultations.draft(draftId).map(d -> draftTarget(d.id(), s.staffId(), d.body()));
    }
    return consultations.get(ctx.pathParam("consultationId")).map(this::consultationTarget);
  }

  private Target draftTarget(String id, String staffId, JsonObject body) {
    return new Target() {
      @Override
      public String base() {
        return LIST + "/drafts/" + id;
      }

      @Override
      public String caption() {
        return "New consultation";
      }

      @Override
      public JsonObject body() {
        return body;
      }

      @Override
      public boolean draft() {
        return true;
      }

      @Override
      public boolean frozen() {
        return false;
      }

      @Override
      public Future<Void> save(JsonObject changes, Predicate<String> pageFields) {
        JsonObject merged = body.copy().mergeIn(changes);
        List<InvalidInput.FieldError> problems =
            consultations.problems(ConsultationJson.draft(merged)).stream()
                .filter(e -> pageFields.test(e.field()))
                .toList();
        if (!problems.isEmpty()) {
          return Future.failedFuture(new InvalidInput(problems));
        }
        return consultations.saveDraft(id, staffId, merged).mapEmpty();
      }

      @Override
      public String after(String step, boolean fromCheck) {
        if (fromCheck) {
          return base() + "/check";
        }
        return base()
            + switch (step) {
              case "about" -> "/window";
              case "window" -> "/age-bands";
              case "age-bands" -> questions(body).isEmpty() ? "/questions/1" : "/questions";
              default -> "/questions";
            };
      }
    };
  }

  private Target consultationTarget(Consultation c) {
    JsonObject body = ConsultationJson.draftBody(c);
    return new Target() {
      @Override
      public String base() {
        return LIST + "/" + c.id();
      }

      @Override
      public String caption() {
        return c.title();
      }

      @Override
      public JsonObject body() {
        return body;
      }

      @Override
      public boolean draft() {
        return false;
      }

      @Override
      public boolean frozen() {
        return c.hasBallots();
      }

      @Override
      public Future<Void> save(JsonObject changes, Predicate<String> pageFields) {
        return ConsolePages.attempt(
                () -> consultations.update(c.id(), ConsultationJson.draft(changes)))
            .mapEmpty();
      }

      @Override
      public String after(String step, boolean fromCheck) {
        return base() + "?done=saved";
      }
    };
  }

  private static boolean fromCheck(RoutingContext ctx) {
    return ctx.queryParams().contains("check") || "yes".equals(ConsolePages.form(ctx, "fromCheck"));
  }

  /**
   * A failed save as errors on the page's fields, or the failure itself when it is not about the
   * input.
   */
  private static Future<List<FieldError>> errorsOf(Throwable e, Map<String, String> fieldIds) {
    if (e instanceof InvalidInput invalid) {
      List<FieldError> out = new ArrayList<>();
      for (InvalidInput.FieldError f : invalid.errors()) {
        FieldError mapped = message(f.field(), f.message(), fieldIds);
        if (out.stream().noneMatch(x -> java.util.Objects.equals(x.field(), mapped.field()))) {
          out.add(mapped);
        }
      }
      return Future.succeededFuture(out);
    }
    if (e instanceof DomainException.Conflict conflict) {
      return Future.succeededFuture(List.of(new FieldError(null, conflict.getMessage())));
    }
    return Future.failedFuture(e);
  }

  /** The service's messages, in the words of the form (the field ids are the page's inputs). */
  private static FieldError message(String field, String message, Map<String, String> fieldIds) {
    String key = field.replaceAll("^questions\\[\\d+]\\.", "").replaceAll("\\[\\d+].*$", "");
    String id = fieldIds.getOrDefault(key, null);
    String text =
        switch (key) {
          case "title" -> "Enter a title";
          case "description" -> "Enter a description";
          case "opensAt" -> "Enter when voting opens";
          case "closesAt" ->
              message.contains("future")
                  ? "The closing date must be in the future"
                  : "The closing date must be after the opening date";
          case "ageBands" -> "Select at least one age band";
          case "text" -> "Enter the question";
          case "options" ->
              message.contains("repeats")
                  ? "Each choice must be different"
                  : "Enter at least two choices, one on each line";
          case "maxChoices" -> "The most choices must be a number from 1 to the number of choices";
          case "questions" -> "Add at least one question";
          default -> "The " + field + " " + message;
        };
    return new FieldError(id, text);
  }

  private Future<Void> failedSave(
      Throwable e,
      Map<String, String> fieldIds,
      java.util.function.Function<List<FieldError>, Future<Void>> page) {
    return errorsOf(e, fieldIds).compose(errors -> page.apply(errors));
  }

  private static int status(List<FieldError> errors) {
    return errors.stream().anyMatch(e -> e.field() == null) ? 409 : 400;
  }

  // ---- the list ---------------------------------------------------------------------------

  private Future<Void> list(RoutingContext ctx, StaffSessions.Session s) {
    return Future.all(consultations.list(null, null, 100, null), consultations.drafts())
        .compose(
            all -> {
              uk.gov.islington.youthsafety.content.common.Page<Consultation> page = all.resultAt(0);
              List<Consultations.Draft> drafts = all.resultAt(1);
              Instant now = clock.instant();
              List<ConsultationViews.Row> upcoming = new ArrayList<>();
              List<ConsultationViews.Row> open = new ArrayList<>();
              List<ConsultationViews.Row> closed = new ArrayList<>();
              List<ConsultationViews.Row> published = new ArrayList<>();
              for (Consultation c : page.items()) {
                ConsultationState state = c.stateAt(now);
                String href = LIST + "/" + c.id();
                switch (state) {
                  case UPCOMING ->
                      upcoming.add(
                          new ConsultationViews.Row(
                              href,
                              c.title(),
                              "Opens " + Labels.when(c.opensAt()),
                              c.questionCount()));
                  case OPEN ->
                      open.add(
                          new ConsultationViews.Row(
                              href,
                              c.title(),
                              "Closes " + Labels.when(c.closesAt()),
                              c.questionCount()));
                  default ->
                      (c.resultsPublished() ? published : closed)
                          .add(
                              new ConsultationViews.Row(
                                  href,
                                  c.title(),
                                  c.resultsPublished()
                                      ? "Results published " + Labels.when(c.resultsPublishedAt())
                                      : "Closed " + Labels.when(c.closesAt()),
                                  c.questionCount()));
                }
              }
              List<ConsultationViews.Row> draftRows =
                  drafts.stream()
                      .map(
                          d ->
                              new ConsultationViews.Row(
                                  LIST + "/drafts/" + d.id() + "/check",
                                      d.body().getString("title", "Untitled"),
                                  "Last changed " + Labels.when(d.updatedAt()),
                                      questions(d.body()).size()))
                      .toList();
              return pages.render(
                  ctx,
                  200,
                  "consultations/list",
                  Map.of(
                      "frame",
                      pages.frame(ctx, s, "Consultations"),
                      "sections",
                      List.of(
                          new ConsultationViews.Section(
                              "drafts",
                              "Drafts",
                              "Not created yet: only the Youth Council sees these.",
                              draftRows),
                          new ConsultationViews.Section("open", "Open for voting", null, open),
                          new ConsultationViews.Section("upcoming", "Upcoming", null, upcoming),
                          new ConsultationViews.Section(
                              "closed", "Closed, results not published", null, closed),
                          new ConsultationViews.Section(
                              "published", "Results published", null, published))));
            });
  }

  // ---- about: title and description ---------------------------------------------------------

  private Future<Void> aboutPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Target t,
      int status,
      List<FieldError> errors,
      String title,
      String description,
      boolean fromCheck) {
    Map<String, Object> p =
        stepParams(ctx, s, t, "What is the consultation about?", errors, fromCheck);
    p.put("action", t == null ? LIST + "/new" : t.base() + "/about");
    p.put("title", title);
    p.put("description", description);
    p.put("titleLocked", t != null && t.frozen());
    return pages.render(ctx, status, "consultations/about", p);
  }

  private Future<Void> saveAbout(RoutingContext ctx, StaffSessions.Session s, Target t) {
    String title = nonNull(ConsolePages.form(ctx, "title"));
    String description = nonNull(ConsolePages.form(ctx, "description"));
    boolean fromCheck = fromCheck(ctx);
    JsonObject changes = new JsonObject().put("title", title).put("description", description);
    if (t != null && t.frozen()) {
      changes.remove("title"); // shown, not sent: it cannot change once voting has started
    }
    Map<String, String> ids = Map.of("title", "title", "description", "description");
    Predicate<String> fields = f -> f.equals("title") || f.equals("description");
    Future<String> saved;
    if (t == null) {
      // the first page starts the draft: nothing is stored until it is right
      List<InvalidInput.FieldError> problems =
          consultations.problems(ConsultationJson.draft(changes)).stream()
              .filter(e -> fields.test(e.field()))
              .toList();
      saved =
          problems.isEmpty()
              ? consultations
                  .saveDraft(null, s.staffId(), changes)
                  .map(d -> LIST + "/drafts/" + d.id() + "/window")
              : Future.failedFuture(new InvalidInput(problems));
    } else {
      saved = t.save(changes, fields).map(v -> t.after("about", fromCheck));
    }
    return saved
        .compose(next -> pages.redirect(ctx, next))
        .recover(
            e ->
                failedSave(
                    e,
                    ids,
                    errors ->
                        aboutPage(
                            ctx, s, t, status(errors), errors, title, description, fromCheck)));
  }

  // ---- the window -------------------------------------------------------------------------

  private static Map<String, String> windowValues(JsonObject body) {
    Map<String, String> v = new HashMap<>();
    for (String which : List.of("opens", "closes")) {
      String at = body.getString(which + "At");
      if (at != null) {
        ZonedDateTime z = Instant.parse(at).atZone(LONDON);
        v.put(which + "-day", Integer.toString(z.getDayOfMonth()));
        v.put(which + "-month", Integer.toString(z.getMonthValue()));
        v.put(which + "-year", Integer.toString(z.getYear()));
        v.put(which + "-time", FormDates.TIME.format(z));
      }
    }
    return v;
  }

  private Future<Void> windowPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Target t,
      int status,
      List<FieldError> errors,
      Map<String, String> values,
      boolean fromCheck) {
    Map<String, Object> p = stepParams(ctx, s, t, "When is voting open?", errors, fromCheck);
    p.put("action", t.base() + "/window");
    p.put("values", values);
    return pages.render(ctx, status, "consultations/window", p);
  }

  private Future<Void> saveWindow(RoutingContext ctx, StaffSessions.Session s, Target t) {
    Map<String, String> values = new HashMap<>();
    for (String which : List.of("opens", "closes")) {
      for (String part : List.of("day", "month", "year", "time")) {
        values.put(which + "-" + part, nonNull(ConsolePages.form(ctx, which + "-" + part)));
      }
    }
    boolean fromCheck = fromCheck(ctx);
    List<FieldError> errors = new ArrayList<>();
    Instant opens = londonTime(values, "opens", "opening", errors);
    Instant closes = londonTime(values, "closes", "closing", errors);
    if (!errors.isEmpty()) {
      return windowPage(ctx, s, t, 400, errors, values, fromCheck);
    }
    JsonObject changes =
        new JsonObject().put("opensAt", opens.toString()).put("closesAt", closes.toString());
    return t.save(changes, f -> f.equals("opensAt") || f.equals("closesAt"))
        .compose(v -> pages.redirect(ctx, t.after("window", fromCheck)))
        .recover(
            e ->
                failedSave(
                    e,
                    Map.of("opensAt", "opens-day", "closesAt", "closes-day"),
                    list -> windowPage(ctx, s, t, status(list), list, values, fromCheck)));
  }

  /**
   * A London date and time from the page's four fields; an error (linked to the first bad field)
   * when it is not one.
   */
  private static Instant londonTime(
      Map<String, String> v, String which, String words, List<FieldError> errors) {
    LocalDate date = FormDates.date(v, which, "the " + words + " date", errors);
    LocalTime time = FormDates.time(v.get(which + "-time"), which + "-time", words, errors);
    return date == null || time == null ? null : ZonedDateTime.of(date, time, LONDON).toInstant();
  }

  // ---- age bands --------------------------------------------------------------------------

  private Future<Void> bandsPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Target t,
      int status,
      List<FieldError> errors,
      List<String> chosen,
      boolean fromCheck) {
    Map<String, Object> p = stepParams(ctx, s, t, "Who can vote?", errors, fromCheck);
    p.put("action", t.base() + "/age-bands");
    p.put(
        "bands",
        Consultations.AGE_BANDS.stream()
            .map(b -> new Choice(b, Labels.ageBand(b), chosen.contains(b)))
            .toList());
    return pages.render(ctx, status, "consultations/bands", p);
  }

  private Future<Void> saveBands(RoutingContext ctx, StaffSessions.Session s, Target t) {
    List<String> chosen =
        ctx.request().formAttributes().getAll("ageBands").stream().distinct().toList();
    boolean fromCheck = fromCheck(ctx);
    if (chosen.isEmpty()) {
      return bandsPage(
          ctx,
          s,
          t,
          400,
          List.of(new FieldError("ageBands", "Select at least one age band")),
          chosen,
          fromCheck);
    }
    return t.save(
            new JsonObject().put("ageBands", new JsonArray(chosen)), f -> f.startsWith("ageBands"))
        .compose(v -> pages.redirect(ctx, t.after("age-bands", fromCheck)))
        .recover(
            e ->
                failedSave(
                    e,
                    Map.of("ageBands", "ageBands"),
                    list -> bandsPage(ctx, s, t, status(list), list, chosen, fromCheck)));
  }

  // ---- questions --------------------------------------------------------------------------

  private static JsonArray questions(JsonObject body) {
    return body.getJsonArray("questions", new JsonArray());
  }

  /**
   * The question's number from the path: an existing one, or the next new one; anything else is
   * 404.
   */
  private static int questionNumber(RoutingContext ctx, Target t) {
    int n;
    try {
      n = Integer.parseInt(ctx.pathParam("number"));
    } catch (NumberFormatException e) {
      throw new DomainException.NotFound("no such question");
    }
    if (n < 1 || n > questions(t.body()).size() + 1) {
      throw new DomainException.NotFound("no such question");
    }
    return n;
  }

  private Future<Void> questionsPage(RoutingContext ctx, StaffSessions.Session s, Target t) {
    Map<String, Object> p = stepParams(ctx, s, t, "Questions", List.of(), false);
    p.put("summary", summary(t));
    p.put("next", questions(t.body()).size() + 1);
    return pages.render(ctx, 200, "consultations/questions", p);
  }

  private static Map<String, String> questionValues(JsonObject q) {
    Map<String, String> v = new HashMap<>();
    v.put("text", q.getString("text", ""));
    v.put("type", q.getString("type", ""));
    v.put(
        "maxChoices",
        q.getInteger("maxChoices") == null ? "" : q.getInteger("maxChoices").toString());
    List<String> options = new ArrayList<>();
    q.getJsonArray("options", new JsonArray())
        .forEach(o -> options.add(((JsonObject) o).getString("text")));
    v.put("options", String.join("\n", options));
    return v;
  }

  private Future<Void> questionPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Target t,
      int n,
      int status,
      List<FieldError> errors,
      Map<String, String> values,
      boolean fromCheck) {
    Map<String, Object> p = stepParams(ctx, s, t, "Question " + n, errors, fromCheck);
    p.put("action", t.base() + "/questions/" + n);
    p.put("values", values);
    p.put(
        "types",
        List.of(
            new Choice(
                "single",
                "One choice",
                "single".equals(values.get("type")),
                "They choose one of the choices."),
            new Choice(
                "multiple",
                "Several choices",
                "multiple".equals(values.get("type")),
                "They choose as many as they like, or up to the most you set below."),
            new Choice(
                "ranking",
                "Put in order",
                "ranking".equals(values.get("type")),
                "They put the choices in order, their favourite first.")));
    p.put("frozen", t.frozen());
    return pages.render(ctx, status, "consultations/question", p);
  }

  private Future<Void> saveQuestion(RoutingContext ctx, StaffSessions.Session s, Target t) {
    int n = questionNumber(ctx, t);
    boolean fromCheck = fromCheck(ctx);
    Map<String, String> values = new HashMap<>();
    for (String f : List.of("text", "type", "maxChoices", "options")) {
      values.put(f, nonNull(ConsolePages.form(ctx, f)));
    }
    List<FieldError> errors = new ArrayList<>();
    if (values.get("text").isEmpty()) {
      errors.add(new FieldError("text", "Enter the question"));
    }
    QuestionType type = null;
    try {
      type = values.get("type").isEmpty() ? null : QuestionType.fromWire(values.get("type"));
    } catch (IllegalArgumentException e) {
      type = null;
    }
    if (type == null) {
      errors.add(new FieldError("type", "Select how the question is answered"));
    }
    Integer maxChoices = null;
    if (!values.get("maxChoices").isEmpty() && type != QuestionType.SINGLE) {
      try {
        maxChoices = Integer.valueOf(values.get("maxChoices"));
      } catch (NumberFormatException e) {
        errors.add(
            new FieldError("maxChoices", "Enter the most choices as a number, for example 2"));
      }
    }
    List<String> options =
        values.get("options").lines().map(String::strip).filter(x -> !x.isEmpty()).toList();
    if (!errors.isEmpty()) {
      return questionPage(ctx, s, t, n, 400, errors, values, fromCheck);
    }
    JsonObject question =
        new JsonObject()
            .put("text", values.get("text"))
            .put("type", type.wire())
            .put(
                "options",
                new JsonArray(options.stream().map(o -> new JsonObject().put("text", o)).toList()));
    if (maxChoices != null) {
      question.put("maxChoices", maxChoices);
    }
    JsonArray all = questions(t.body()).copy();
    if (n <= all.size()) {
      all.set(n - 1, question);
    } else {
      all.add(question);
    }
    String at = "questions[" + (n - 1) + "]";
    return t.save(
            new JsonObject().put("questions", all), f -> f.startsWith(at) || f.equals("questions"))
        .compose(v -> pages.redirect(ctx, t.after("question", fromCheck)))
        .recover(
            e ->
                failedSave(
                    e,
                    Map.of(
                        "text",
                        "text",
                        "options",
                        "options",
                        "maxChoices",
                        "maxChoices",
                        "questions",
                        "text"),
                    list -> questionPage(ctx, s, t, n, status(list), list, values, fromCheck)));
  }

  private Future<Void> removeQuestion(RoutingContext ctx, StaffSessions.Session s, Target t) {
    int n = questionNumber(ctx, t);
    JsonArray all = questions(t.body()).copy();
    if (n > all.size()) {
      return pages.redirect(ctx, t.draft() ? t.base() + "/questions" : t.base());
    }
    all.remove(n - 1);
    if (all.isEmpty() && !t.draft()) {
      return pages.errorPage(
          ctx,
          409,
          "A consultation needs a question",
          "This is its only question: change it instead, or add another before you remove this one.",
          t.base(),
          "Back to the consultation");
    }
    return t.save(new JsonObject().put("questions", all), f -> false)
        .compose(
            v ->
                pages.redirect(ctx, t.draft() ? t.base() + "/questions" : t.base() + "?done=saved"))
        .recover(
            e ->
                e instanceof DomainException.Conflict c
                    ? pages.errorPage(
                        ctx,
                        409,
                        "The questions are frozen",
                        c.getMessage(),
                        t.base(),
                        "Back to the consultation")
                    : Future.failedFuture(e));
  }

  // ---- check your answers, and create -------------------------------------------------------

  private Future<Void> check(RoutingContext ctx, StaffSessions.Session s) {
    return target(ctx, s).compose(t -> checkPage(ctx, s, t, 200, List.of()));
  }

  private Future<Void> checkPage(
      RoutingContext ctx, StaffSessions.Session s, Target t, int status, List<FieldError> errors) {
    Map<String, Object> p =
        stepParams(ctx, s, t, "Check your answers before creating the consultation", errors, false);
    p.put("summary", summary(t));
    return pages.render(ctx, status, "consultations/check", p);
  }

  private Future<Void> createFromDraft(RoutingContext ctx, StaffSessions.Session s) {
    String draftId = ctx.pathParam("draftId");
    return consultations
        .draft(draftId)
        .compose(
            d -> {
              Target t = draftTarget(d.id(), s.staffId(), d.body());
              List<FieldError> missing = new ArrayList<>();
              JsonObject body = d.body();
              if (body.getString("opensAt") == null) {
                missing.add(new FieldError(null, "Enter when voting opens and closes"));
              }
              if (body.getJsonArray("ageBands") == null) {
                missing.add(new FieldError(null, "Select who can vote"));
              }
              if (questions(body).isEmpty()) {
                missing.add(new FieldError(null, "Add at least one question"));
              }
              if (!missing.isEmpty()) {
                return checkPage(ctx, s, t, 400, missing);
              }
              return ConsolePages.attempt(
                      () ->
                          consultations.createFromDraft(
                              s.staffId(), d.id(), ConsultationJson.draft(body)))
                  .compose(c -> pages.redirect(ctx, LIST + "/" + c.id() + "?done=created"))
                  .recover(
                      e ->
                          errorsOf(e, Map.of())
                              .compose(
                                  list ->
                                      checkPage(
                                          ctx,
                                          s,
                                          t,
                                          400,
                                          list.stream()
                                              .map(x -> new FieldError(null, x.message()))
                                              .toList())));
            });
  }

  /** Asks before a draft is thrown away: nothing else keeps what it says. */
  private Future<Void> discardPage(RoutingContext ctx, StaffSessions.Session s) {
    return consultations
        .draft(ctx.pathParam("draftId"))
        .compose(
            d -> {
              String heading = "Discard the draft " + d.body().getString("title", "Untitled") + "?";
              Map<String, Object> p = new HashMap<>();
              p.put("frame", pages.frame(ctx, s, heading));
              p.put("errors", List.of());
              p.put("caption", "Consultations");
              p.put("heading", heading);
              p.put(
                  "body",
                  "Everything written in it so far is deleted. Young people never saw it: it was"
                      + " not created.");
              p.put("action", LIST + "/drafts/" + d.id() + "/discard");
              p.put("hidden", Map.of());
              p.put("textField", null);
              p.put("textLabel", null);
              p.put("textHint", null);
              p.put("button", "Discard draft");
              p.put("warning", true);
              p.put("cancel", LIST + "/drafts/" + d.id() + "/check");
              return pages.render(ctx, 200, "confirm", p);
            });
  }

  private Future<Void> discard(RoutingContext ctx, StaffSessions.Session s) {
    return consultations
        .draft(ctx.pathParam("draftId"))
        .compose(d -> consultations.deleteDraft(d.id()))
        .compose(v -> pages.redirect(ctx, LIST));
  }

  // ---- one consultation ---------------------------------------------------------------------

  private Future<Void> show(RoutingContext ctx, StaffSessions.Session s) {
    return consultations
        .get(ctx.pathParam("consultationId"))
        .compose(
            c -> {
              ConsultationState state = c.stateAt(clock.instant());
              Future<Results> results =
                  state == ConsultationState.UPCOMING
                      ? Future.succeededFuture(null)
                      : consultations.results(c, true);
              return results.compose(
                  r -> {
                    Target t = consultationTarget(c);
                    ConsultationViews.Turnout turnout = r == null ? null : turnout(r);
                    List<ConsultationViews.QuestionResult> questionResults =
                        r == null || state != ConsultationState.CLOSED
                            ? List.of()
                            : questionResults(r);
                    String stateText =
                        switch (state) {
                          case UPCOMING -> "Upcoming: opens " + Labels.when(c.opensAt());
                          case OPEN -> "Open: closes " + Labels.when(c.closesAt());
                          case CLOSED ->
                              c.resultsPublished()
                                  ? "Closed, results published"
                                  : "Closed " + Labels.when(c.closesAt());
                        };
                    String tag =
                        switch (state) {
                          case UPCOMING -> "govuk-tag--blue";
                          case OPEN -> "govuk-tag--green";
                          case CLOSED ->
                              c.resultsPublished() ? "govuk-tag--purple" : "govuk-tag--grey";
                        };
                    ConsultationViews.Page view =
                        new ConsultationViews.Page(
                            c.id(),
                            summary(t),
                            stateText,
                            tag,
                            turnout,
                            questionResults,
                            state == ConsultationState.CLOSED && !c.resultsPublished(),
                            c.resultsPublished(),
                            c.resultsPublished() ? Labels.when(c.resultsPublishedAt()) : null,
                            showBanner(ctx.queryParams().get("done")));
                    return pages.render(
                        ctx,
                        200,
                        "consultations/show",
                        Map.of("frame", pages.frame(ctx, s, c.title()), "view", view));
                  });
            });
  }

  private static String showBanner(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "created" ->
          "The consultation is created. Young people see it in the app from the time voting opens.";
      case "saved" -> "Your change is saved.";
      case "published" ->
          "The results are published. Anyone can now see them in the app and through the API.";
      default -> null;
    };
  }

  private static ConsultationViews.Turnout turnout(Results r) {
    List<ConsultationViews.Cell> cells =
        r.turnoutByAgeBand().stream()
            .map(
                cell ->
                    new ConsultationViews.Cell(
                        cell.ageBand() == null ? "Not stated" : Labels.ageBand(cell.ageBand()),
                        cell.suppressed()
                            ? "Fewer than "
                                + Consultations.SUPPRESSION_THRESHOLD
                                + ", or hidden so that a small group"
                                + " cannot be worked out"
                            : Integer.toString(cell.count())))
            .toList();
    return new ConsultationViews.Turnout(
        r.totalBallots(),
        cells,
        r.turnoutByAgeBand().stream().anyMatch(Results.TurnoutCell::suppressed),
        Labels.when(r.asOf()));
  }

  private static List<ConsultationViews.QuestionResult> questionResults(Results r) {
    List<ConsultationViews.QuestionResult> out = new ArrayList<>();
    for (int i = 0; i < r.questions().size(); i++) {
      Results.QuestionResult q = r.questions().get(i);
      boolean ranking = q.type() == QuestionType.RANKING;
      List<BarChartSvg.Bar> bars =
          q.options().stream()
              .map(o -> new BarChartSvg.Bar(o.text(), ranking ? o.bordaPoints() : o.count()))
              .toList();
      String what =
          ranking
              ? "points from the rankings (the first place scores most)"
              : "votes for each choice";
      String svg =
          BarChartSvg.of(
              "chart-" + (i + 1),
              "Question " + (i + 1) + ": " + q.text(),
              "A bar chart of the " + what + ". The same numbers are in the table that follows.",
              bars);
      out.add(
          new ConsultationViews.QuestionResult(
              i + 1,
              q.text(),
              Labels.questionType(q.type().wire()),
              q.answered(),
              svg,
              ranking,
              q.options().stream()
                  .map(
                      o ->
                          new ConsultationViews.OptionRow(
                              o.text(), o.count(), o.firstPreferences(), o.bordaPoints()))
                  .toList()));
    }
    return out;
  }

  // ---- publishing -------------------------------------------------------------------------

  private Future<Void> publishPage(
      RoutingContext ctx,
      StaffSessions.Session s,
      Consultation c,
      List<FieldError> errors,
      int status) {
    String heading = "Publish the results of " + c.title() + "?";
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("caption", "Consultations");
    p.put("heading", heading);
    p.put(
        "body",
        "Anyone will be able to see the results in the app and through the API: the votes for each choice,"
            + " the number of votes, and the turnout by age band with small groups hidden.");
    p.put("action", LIST + "/" + c.id() + "/publish");
    p.put("hidden", Map.of());
    p.put("textField", null);
    p.put("textLabel", null);
    p.put("textHint", null);
    p.put("button", "Publish results");
    p.put("warning", true);
    p.put("cancel", LIST + "/" + c.id());
    return pages.render(ctx, status, "confirm", p);
  }

  private Future<Void> publish(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("consultationId");
    return consultations
        .get(id)
        .compose(
            c ->
                consultations
                    .publish(id)
                    .compose(r -> pages.redirect(ctx, LIST + "/" + id + "?done=published"))
                    .recover(
                        e ->
                            e instanceof DomainException.Conflict
                                ? publishPage(
                                    ctx,
                                    s,
                                    c,
                                    List.of(
                                        new FieldError(
                                            null,
                                            "Results can be published once voting has closed, at "
                                                + Labels.when(c.closesAt())
                                                + ".")),
                                    409)
                                : Future.failedFuture(e)));
  }

  /** The published results as CSV: one line per choice, then the turnout by age band. */
  private Future<Void> csv(RoutingContext ctx, StaffSessions.Session s) {
    String id = ctx.pathParam("consultationId");
    return consultations
        .get(id)
        .compose(
            c -> {
              if (!c.resultsPublished()) {
                return pages.errorPage(
                    ctx,
                    409,
                    "The results are not published yet",
                    "The results can be downloaded once they are published.",
                    LIST + "/" + id,
                    "Back to the consultation");
              }
              return consultations
                  .results(id, true)
                  .compose(
                      r -> {
                        StringBuilder out =
                            new StringBuilder(
                                "question,question_text,type,choice,votes,first_preferences,points\r\n");
                        for (int i = 0; i < r.questions().size(); i++) {
                          Results.QuestionResult q = r.questions().get(i);
                          for (Results.OptionResult o : q.options()) {
                            out.append(i + 1)
                                .append(',')
                                .append(cell(q.text()))
                                .append(',')
                                .append(q.type().wire())
                                .append(',')
                                .append(cell(o.text()))
                                .append(',')
                                .append(o.count())
                                .append(',')
                                .append(o.firstPreferences() == null ? "" : o.firstPreferences())
                                .append(',')
                                .append(o.bordaPoints() == null ? "" : o.bordaPoints())
                                .append("\r\n");
                          }
                        }
                        out.append("\r\nage_band,ballots\r\n");
                        r.turnoutByAgeBand()
                            .forEach(
                                cell ->
                                    out.append(
                                            cell.ageBand() == null ? "not_stated" : cell.ageBand())
                                        .append(',')
                                        .append(
                                            cell.suppressed()
                                                ? "suppressed"
                                                : cell.count().toString())
                                        .append("\r\n"));
                        out.append("total,").append(r.totalBallots()).append("\r\n");
                        ctx.response()
                            .setStatusCode(200)
                            .putHeader("Content-Type", "text/csv; charset=utf-8")
                            .putHeader(
                                "Content-Disposition",
                                "attachment; filename=\"consultation-"
                                    + id.replaceAll("[^A-Za-z0-9_-]", "")
                                    + "-results.csv\"")
                            .end(out.toString());
                        return Future.succeededFuture();
                      });
            });
  }

  /** A CSV field: quoted when it must be, and never read by a spreadsheet as a formula. */
  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return v.contains(",")
            || v.contains("\"")
            || v.contains("\n")
            || v.contains("\r")
            || !v.equals(value)
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }

  // ---- the preview ------------------------------------------------------------------------

  private Future<Void> preview(RoutingContext ctx, StaffSessions.Session s, Target t) {
    JsonObject body = t.body();
    List<String> bands = strings(body.getJsonArray("ageBands"));
    List<ConsultationViews.PreviewQuestion> qs = new ArrayList<>();
    JsonArray all = questions(body);
    for (int i = 0; i < all.size(); i++) {
      JsonObject q = all.getJsonObject(i);
      List<String> options = new ArrayList<>();
      q.getJsonArray("options", new JsonArray())
          .forEach(o -> options.add(((JsonObject) o).getString("text")));
      qs.add(
          new ConsultationViews.PreviewQuestion(
              i + 1,
              q.getString("text"),
              q.getString("type"),
              q.getInteger("maxChoices", options.size()),
              options));
    }
    ConsultationViews.Preview view =
        new ConsultationViews.Preview(
            t.draft() ? t.base() + "/check" : t.base(),
            body.getString("title", ""),
            body.getString("description", ""),
            bands.isEmpty()
                ? "Not chosen yet"
                : "For young people aged "
                    + String.join(", ", bands.stream().map(Labels::ageBand).toList()),
            body.getString("closesAt") == null
                ? "Not set yet"
                : "Voting closes " + Labels.when(Instant.parse(body.getString("closesAt"))),
            qs);
    return pages.render(
        ctx,
        200,
        "consultations/preview",
        Map.of("frame", pages.frame(ctx, s, "Preview: " + view.title()), "view", view));
  }

  // ---- shared -----------------------------------------------------------------------------

  private Map<String, Object> stepParams(
      RoutingContext ctx,
      StaffSessions.Session s,
      Target t,
      String heading,
      List<FieldError> errors,
      boolean fromCheck) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", pages.frame(ctx, s, heading).withError(!errors.isEmpty()));
    p.put("errors", errors);
    p.put("heading", heading);
    p.put("caption", t == null ? "New consultation" : t.caption());
    p.put("fromCheck", fromCheck);
    p.put("back", t == null ? LIST : t.draft() ? t.base() + "/check" : t.base());
    p.put("draft", t == null || t.draft());
    return p;
  }

  private static ConsultationViews.Summary summary(Target t) {
    JsonObject b = t.body();
    List<ConsultationViews.Question> qs = new ArrayList<>();
    JsonArray all = questions(b);
    for (int i = 0; i < all.size(); i++) {
      JsonObject q = all.getJsonObject(i);
      List<String> options = new ArrayList<>();
      q.getJsonArray("options", new JsonArray())
          .forEach(o -> options.add(((JsonObject) o).getString("text")));
      String type = Labels.questionType(q.getString("type"));
      if (!"single".equals(q.getString("type"))
          && q.getInteger("maxChoices") != null
          && q.getInteger("maxChoices") < options.size()) {
        type += " (at most " + q.getInteger("maxChoices") + ")";
      }
      qs.add(new ConsultationViews.Question(i + 1, q.getString("text"), type, options));
    }
    List<String> bands = strings(b.getJsonArray("ageBands"));
    return new ConsultationViews.Summary(
        t.base(),
        b.getString("title"),
        b.getString("description"),
        b.getString("opensAt") == null ? null : Labels.when(Instant.parse(b.getString("opensAt"))),
        b.getString("closesAt") == null
            ? null
            : Labels.when(Instant.parse(b.getString("closesAt"))),
        b.getJsonArray("ageBands") == null
            ? null
            : String.join(", ", bands.stream().map(Labels::ageBand).toList()),
        qs,
        t.frozen(),
        true);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
