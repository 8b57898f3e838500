package uk.gov.islington.youthsafety.api.consultations;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.consultations.BallotAnswer;
import uk.gov.islington.youthsafety.content.consultations.Consultation;
import uk.gov.islington.youthsafety.content.consultations.ConsultationDraft;
import uk.gov.islington.youthsafety.content.consultations.QuestionType;
import uk.gov.islington.youthsafety.content.consultations.Results;

/** JSON in and out for the consultation operations; field names follow openapi.yaml. */
public final class ConsultationJson {

  static final String NOT_STATED = "not_stated";

  private ConsultationJson() {}

  // ------------------------------------------------------------------ in

  /** A create body (everything required by the contract) or an update body (only what changes). */
  public static ConsultationDraft draft(JsonObject body) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Instant opensAt = time(body, "opensAt", errors);
    Instant closesAt = time(body, "closesAt", errors);
    errors.throwIfAny();
    List<String> bands =
        body.getJsonArray("ageBands") == null ? null : strings(body.getJsonArray("ageBands"));
    List<ConsultationDraft.QuestionDraft> questions = null;
    JsonArray qs = body.getJsonArray("questions");
    if (qs != null) {
      questions = new ArrayList<>();
      for (int i = 0; i < qs.size(); i++) {
        JsonObject q = qs.getJsonObject(i);
        List<String> options = new ArrayList<>();
        JsonArray os = q.getJsonArray("options", new JsonArray());
        for (int j = 0; j < os.size(); j++) {
          options.add(os.getJsonObject(j).getString("text"));
        }
        questions.add(
            new ConsultationDraft.QuestionDraft(
                q.getString("text"),
                QuestionType.fromWire(q.getString("type")),
                q.getInteger("maxChoices"),
                options));
      }
    }
    return new ConsultationDraft(
        body.getString("title"),
        body.getString("description"),
        opensAt,
        closesAt,
        bands,
        questions);
  }

  static List<BallotAnswer> answers(JsonObject body) {
    JsonArray list = body.getJsonArray("answers", new JsonArray());
    List<BallotAnswer> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonObject a = list.getJsonObject(i);
      out.add(
          new BallotAnswer(
              a.getString("questionId"), strings(a.getJsonArray("optionIds", new JsonArray()))));
    }
    return out;
  }

  private static Instant time(JsonObject body, String field, InvalidInput.Builder errors) {
    String v = body.getString(field);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          field, "must be an RFC 3339 date-time with an offset, e.g. 2025-06-01T09:00:00+01:00");
      return null;
    }
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    a.forEach(v -> out.add(v == null ? null : v.toString()));
    return out;
  }

  // ------------------------------------------------------------------ out

  /** A consultation as a createConsultation body (no ids): what the console's pages edit. */
  public static JsonObject draftBody(Consultation c) {
    JsonArray questions = new JsonArray();
    for (Consultation.Question q : c.questions()) {
      JsonArray options = new JsonArray();
      q.options().forEach(o -> options.add(new JsonObject().put("text", o.text())));
      JsonObject question =
          new JsonObject()
              .put("text", q.text())
              .put("type", q.type().wire())
              .put("options", options);
      if (q.type() != QuestionType.SINGLE) {
        question.put("maxChoices", q.maxChoices());
      }
      questions.add(question);
    }
    return new JsonObject()
        .put("title", c.title())
        .put("description", c.description())
        .put("opensAt", c.opensAt().toString())
        .put("closesAt", c.closesAt().toString())
        .put("ageBands", new JsonArray(c.ageBands()))
        .put("questions", questions);
  }

  static JsonObject summary(Consultation c, Instant now) {
    return new JsonObject()
        .put("id", c.id())
        .put("title", c.title())
        .put("description", c.description())
        .put("opensAt", c.opensAt().toString())
        .put("closesAt", c.closesAt().toString())
        .put("ageBands", new JsonArray(c.ageBands()))
        .put("state", c.stateAt(now).wire())
        .put("resultsPublished", c.resultsPublished())
        .put("questionCount", c.questionCount());
  }

  static JsonObject full(Consultation c, Instant now) {
    JsonArray questions = new JsonArray();
    for (Consultation.Question q : c.questions()) {
      JsonArray options = new JsonArray();
      q.options()
          .forEach(o -> options.add(new JsonObject().put("id", o.id()).put("text", o.text())));
      questions.add(
          new JsonObject()
              .put("id", q.id())
              .put("text", q.text())
              .put("type", q.type().wire())
              .put("maxChoices", q.maxChoices())
              .put("options", options));
    }
    return summary(c, now).put("questions", questions).put("updatedAt", c.updatedAt().toString());
  }

  /** What the Youth Council sees after create and update: also whether the questions are frozen. */
  static JsonObject staff(Consultation c, Instant now) {
    return full(c, now)
        .put("version", c.version())
        .put("questionsFrozen", c.hasBallots())
        .put("createdAt", c.createdAt().toString());
  }

  static JsonObject results(Results r, int threshold) {
    JsonArray questions = new JsonArray();
    for (Results.QuestionResult q : r.questions()) {
      JsonArray options = new JsonArray();
      for (Results.OptionResult o : q.options()) {
        JsonObject option =
            new JsonObject()
                .put("optionId", o.optionId())
                .put("text", o.text())
                .put("count", o.count());
        if (o.bordaPoints() != null) {
          option.put("firstPreferences", o.firstPreferences()).put("bordaPoints", o.bordaPoints());
        }
        options.add(option);
      }
      questions.add(
          new JsonObject()
              .put("questionId", q.questionId())
              .put("text", q.text())
              .put("type", q.type().wire())
              .put("answered", q.answered())
              .put("options", options));
    }
    JsonArray turnout = new JsonArray();
    r.turnoutByAgeBand()
        .forEach(
            cell ->
                turnout.add(
                    new JsonObject()
                        .put("ageBand", cell.ageBand() == null ? NOT_STATED : cell.ageBand())
                        .put("count", cell.count())
                        .put("suppressed", cell.suppressed())));
    return new JsonObject()
        .put("consultationId", r.consultationId())
        .put("published", r.published())
        .put("publishedAt", r.publishedAt() == null ? null : r.publishedAt().toString())
        .put("state", r.state().wire())
        .put("totalBallots", r.totalBallots())
        .put("questions", questions)
        .put("turnoutByAgeBand", turnout)
        .put("suppressionThreshold", threshold)
        .put("asOf", r.asOf().toString());
  }
}
