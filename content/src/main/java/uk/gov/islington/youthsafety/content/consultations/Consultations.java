package uk.gov.islington.youthsafety.content.consultations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.consultations.Consultation.Option;
import uk.gov.islington.youthsafety.content.consultations.Consultation.Question;
import uk.gov.islington.youthsafety.content.consultations.ConsultationDraft.QuestionDraft;
import uk.gov.islington.youthsafety.content.consultations.ConsultationStore.Count;
import uk.gov.islington.youthsafety.content.consultations.ConsultationStore.ListKind;
import uk.gov.islington.youthsafety.content.consultations.ConsultationStore.ReplayRow;
import uk.gov.islington.youthsafety.content.consultations.Results.OptionResult;
import uk.gov.islington.youthsafety.content.consultations.Results.QuestionResult;

/**
 * The rules of Youth Council consultations: authoring with freezing after the first vote, one
 * secret ballot per device, counting and publication. docs/features/consultations.md explains why
 * each rule is the way it is.
 */
public final class Consultations {

  /** Every age band the app knows, in display order. */
  public static final List<String> AGE_BANDS = List.of("10-13", "14-17", "18-25");

  /** Turnout cells under this are withheld. */
  public static final int SUPPRESSION_THRESHOLD = 5;

  /** Closed results may still change while ballots validated just before closesAt commit. */
  private static final Duration SETTLE = Duration.ofMinutes(1);

  private static final int STALE_RETRIES = 3;

  private final Pool pool;
  private final ConsultationStore store;
  private final Clock clock;
  private final Idempotency idempotency;
  private final VoterKeys keys;
  private final Duration liveResultsTtl;
  private final SecureRandom random = new SecureRandom();

  /**
   * Definitions the vote path validates against; each vote re-checks the version inside its
   * transaction.
   */
  private final Map<String, Future<Consultation>> definitions = new ConcurrentHashMap<>();

  private final Map<String, Results> counted = new ConcurrentHashMap<>();

  public Consultations(Pool pool, Clock clock, VoterKeys keys, Duration liveResultsTtl) {
    this.pool = pool;
    this.store = new ConsultationStore();
    this.clock = clock;
    this.idempotency = new Idempotency(clock);
    this.keys = keys;
    this.liveResultsTtl = liveResultsTtl;
  }

  // ================================================================== authoring

  /**
   * Creates a consultation; a retry with the same Idempotency-Key and body answers the same
   * consultation.
   */
  public Future<Consultation> create(
      String staffId, String idempotencyKey, ConsultationDraft request) {
    Instant now = clock.instant();
    ConsultationDraft draft =
        request.ageBands() == null
            ? request
            : new ConsultationDraft(
                request.title(),
                request.description(),
                request.opensAt(),
                request.closesAt(),
                canonicalBands(request.ageBands()),
                request.questions());
    InvalidInput.Builder errors = InvalidInput.builder();
    validateFields(request, errors, true, now);
    List<Question> questions =
        draft.questions() == null ? List.of() : newQuestions(draft.questions(), errors);
    errors.throwIfAny();
    String id = newId("cns_");
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "createConsultation",
            Idempotency.keyHash(staffId, idempotencyKey),
            Digests.sha256(draft.toString()),
            id);
    return idempotency
        .once(
            pool,
            claim,
            conn ->
                store
                    .insert(conn, id, draft, now)
                    .compose(v -> store.insertQuestions(conn, id, questions))
                    .map(id),
            (conn, first) -> Future.succeededFuture(first),
            (created, replayed) -> created)
        .compose(this::get);
  }

  /**
   * Changes the fields given (null = keep). Before the first vote anything may change and {@code
   * questions} replaces every question (with new ids). From the first vote on only the description
   * may change: anything else that differs is a 409.
   */
  public Future<Consultation> update(String id, ConsultationDraft changes) {
    Instant now = clock.instant();
    return pool.withTransaction(
            conn ->
                store
                    .lockDefinitionExclusive(conn, id)
                    .compose(v -> store.loadForUpdate(conn, id))
                    .compose(
                        current -> {
                          if (current == null) {
                            return Future.failedFuture(notFound());
                          }
                          if (current.hasBallots()) {
                            List<String> frozen = frozenChanges(current, changes);
                            if (!frozen.isEmpty()) {
                              return Future.failedFuture(
                                  new DomainException.Conflict(
                                      "Voting has started, so the questions are "
                                          + "frozen and only the description can still be corrected; cannot change: "
                                          + String.join(", ", frozen)
                                          + "."));
                            }
                          }
                          ConsultationDraft merged =
                              new ConsultationDraft(
                                  changes.title() != null ? changes.title() : current.title(),
                                  changes.description() != null
                                      ? changes.description()
                                      : current.description(),
                                  changes.opensAt() != null ? changes.opensAt() : current.opensAt(),
                                  changes.closesAt() != null
                                      ? changes.closesAt()
                                      : current.closesAt(),
                                  changes.ageBands() != null
                                      ? changes.ageBands()
                                      : current.ageBands(),
                                  changes.questions());
                          InvalidInput.Builder errors = InvalidInput.builder();
                          boolean closingMoved =
                              changes.closesAt() != null
                                  && !changes.closesAt().equals(current.closesAt());
                          validateFields(merged, errors, closingMoved, now);
                          List<Question> questions =
                              changes.questions() == null
                                  ? null
                                  : newQuestions(changes.questions(), errors);
                          errors.throwIfAny();
                          Future<Void> done =
                              store.update(
                                  conn,
                                  id,
                                  merged.withAgeBands(canonicalBands(merged.ageBands())),
                                  now);
                          if (questions != null) {
                            done =
                                done.compose(v -> store.deleteQuestions(conn, id))
                                    .compose(v -> store.insertQuestions(conn, id, questions));
                          }
                          return done;
                        }))
        .compose(
            v -> {
              definitions.remove(id);
              counted.remove(id);
              return get(id);
            });
  }

  private static List<String> frozenChanges(Consultation c, ConsultationDraft d) {
    List<String> out = new ArrayList<>();
    if (d.title() != null && !d.title().equals(c.title())) {
      out.add("title");
    }
    if (d.opensAt() != null && !d.opensAt().equals(c.opensAt())) {
      out.add("opensAt");
    }
    if (d.closesAt() != null && !d.closesAt().equals(c.closesAt())) {
      out.add("closesAt");
    }
    if (d.ageBands() != null && !new HashSet<>(d.ageBands()).equals(new HashSet<>(c.ageBands()))) {
      out.add("ageBands");
    }
    if (d.questions() != null) {
      out.add("questions");
    }
    return out;
  }

  private static void validateFields(
      ConsultationDraft d, InvalidInput.Builder errors, boolean closingMustBeFuture, Instant now) {
    errors.check(d.title() != null && !d.title().isBlank(), "title", "must not be blank");
    errors.check(
        d.description() != null && !d.description().isBlank(), "description", "must not be blank");
    boolean ordered =
        d.opensAt() == null || d.closesAt() == null || d.closesAt().isAfter(d.opensAt());
    errors.check(ordered, "closesAt", "must be after opensAt");
    if (ordered && closingMustBeFuture && d.closesAt() != null) {
      errors.check(d.closesAt().isAfter(now), "closesAt", "must be in the future");
    }
    if (d.ageBands() != null) {
      errors.check(!d.ageBands().isEmpty(), "ageBands", "must name at least one age band");
      for (int i = 0; i < d.ageBands().size(); i++) {
        String b = d.ageBands().get(i);
        errors.check(AGE_BANDS.contains(b), "ageBands[" + i + "]", "must be one of " + AGE_BANDS);
        errors.check(d.ageBands().indexOf(b) == i, "ageBands[" + i + "]", "is listed twice");
      }
    }
  }

  private List<Question> newQuestions(List<QuestionDraft> drafts, InvalidInput.Builder errors) {
    errors.check(!drafts.isEmpty(), "questions", "must hold at least one question");
    List<Question> out = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      QuestionDraft q = drafts.get(i);
      String at = "questions[" + i + "]";
      errors.check(q.text() != null && !q.text().isBlank(), at + ".text", "must not be blank");
      List<String> options = q.options() == null ? List.of() : q.options();
      errors.check(options.size() >= 2, at + ".options", "must offer at least two options");
      Map<String, Integer> seen = new HashMap<>();
      List<Option> opts = new ArrayList<>();
      for (int j = 0; j < options.size(); j++) {
        String text = options.get(j);
        String field = at + ".options[" + j + "].text";
        if (text == null || text.isBlank()) {
          errors.add(field, "must not be blank");
          continue;
        }
        Integer earlier = seen.putIfAbsent(text.strip().toLowerCase(Locale.ROOT), j);
        errors.check(earlier == null, field, "repeats option " + earlier);
        opts.add(new Option(newId("o_"), text.strip()));
      }
      int maxChoices;
      if (q.type() == QuestionType.SINGLE) {
        errors.check(
            q.maxChoices() == null || q.maxChoices() == 1,
            at + ".maxChoices",
            "a single-choice question takes exactly one option; leave maxChoices out");
        maxChoices = 1;
      } else {
        maxChoices = q.maxChoices() == null ? Math.max(1, options.size()) : q.maxChoices();
        errors.check(
            maxChoices >= 1 && maxChoices <= Math.max(1, options.size()),
            at + ".maxChoices",
            "must be between 1 and the number of options (" + options.size() + ")");
      }
      out.add(
          new Question(
              newId("q_"),
              q.text() == null ? "" : q.text().strip(),
              q.type(),
              maxChoices,
              List.copyOf(opts)));
    }
    return out;
  }

  private static List<String> canonicalBands(List<String> bands) {
    return AGE_BANDS.stream().filter(bands::contains).toList();
  }

  /**
   * What is wrong with {@code draft} as a consultation to create now, field by field (the fields of
   * the contract: title, closesAt, ageBands[0], questions[1].options, ...); empty when nothing is.
   * The console checks each page with it, so its pages and the API apply the same rules.
   */
  public List<InvalidInput.FieldError> problems(ConsultationDraft draft) {
    InvalidInput.Builder errors = InvalidInput.builder();
    validateFields(draft, errors, true, clock.instant());
    if (draft.questions() != null) {
      newQuestions(draft.questions(), errors);
    }
    try {
      errors.throwIfAny();
      return List.of();
    } catch (InvalidInput e) {
      return e.errors();
    }
  }

  // ================================================================== drafts (console)

  /**
   * A consultation being written in the console: {@code body} has the shape of a createConsultation
   * request.
   */
  public record Draft(String id, String createdBy, JsonObject body, Instant updatedAt) {}

  /** Starts or replaces a draft; a new one gets an id. */
  public Future<Draft> saveDraft(String id, String staffId, JsonObject body) {
    String draftId = id == null ? newId("dft_") : id;
    Instant now = clock.instant();
    return store
        .saveDraft(pool, draftId, staffId, body, now)
        .map(v -> new Draft(draftId, staffId, body, now));
  }

  public Future<Draft> draft(String id) {
    return store
        .drafts(pool, id)
        .compose(
            rows ->
                rows.isEmpty()
                    ? Future.failedFuture(
                        new DomainException.NotFound(
                            "There is no such draft: it may have been created already."))
                    : Future.succeededFuture(toDraft(rows.get(0))));
  }

  /** The newest drafts first. */
  public Future<List<Draft>> drafts() {
    return store.drafts(pool, null).map(rows -> rows.stream().map(Consultations::toDraft).toList());
  }

  /**
   * Creates the consultation a draft describes and deletes the draft. The draft's id is the
   * Idempotency-Key, so a second click, or a retry after a lost answer, creates nothing more.
   */
  public Future<Consultation> createFromDraft(
      String staffId, String draftId, ConsultationDraft draft) {
    return create(staffId, draftId, draft).compose(c -> store.deleteDraft(pool, draftId).map(c));
  }

  public Future<Void> deleteDraft(String id) {
    return store.deleteDraft(pool, id);
  }

  /** Drafts untouched since before {@code untouchedSince} are deleted. */
  public Future<Integer> purgeDrafts(Instant untouchedSince) {
    return store.purgeDrafts(pool, untouchedSince);
  }

  private static Draft toDraft(ConsultationStore.DraftRow r) {
    return new Draft(r.id(), r.createdBy(), r.body(), r.updatedAt());
  }

  // ================================================================== reading

  public Future<Consultation> get(String id) {
    return store
        .load(pool, id)
        .compose(c -> c == null ? Future.failedFuture(notFound()) : Future.succeededFuture(c));
  }

  /**
   * A page of consultations in a state (null = all, newest first), optionally only those open to an
   * age band.
   */
  public Future<Page<Consultation>> list(
      ConsultationState state, String ageBand, int limit, String cursor) {
    Instant now = clock.instant();
    JsonObject after = Cursor.decode(cursor);
    Instant afterTime = after == null ? null : parseCursorTime(Cursor.stringAt(after, "t"));
    String afterId = after == null ? null : Cursor.stringAt(after, "i");
    ListKind kind = state == null ? ListKind.ALL : ListKind.valueOf(state.name());
    return store
        .list(pool, kind, now, ageBand, afterTime, afterId, limit + 1)
        .map(rows -> Page.of(rows, limit, last -> position(kind, last)));
  }

  /** Where a page of the list ends: the time it is ordered by, then the id. */
  private static JsonObject position(ListKind kind, Consultation last) {
    Instant key =
        kind == ListKind.ALL || kind == ListKind.UPCOMING ? last.opensAt() : last.closesAt();
    return new JsonObject().put("t", key.toString()).put("i", last.id());
  }

  private static Instant parseCursorTime(String s) {
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      throw InvalidInput.of("cursor", "is not a cursor this API issued");
    }
  }

  // ================================================================== voting

  /**
   * Casts a device's ballot. Checks, in order: the consultation exists (404), voting is open (409;
   * a retry of a ballot already counted still gets its first answer), the device's age band is
   * eligible (403), the answers fit the questions (400 naming each bad field), and finally the
   * database's unique voter key decides between a new ballot (201), the retry of the first one (201
   * again), a second ballot (409) and a reused Idempotency-Key with another ballot (422).
   *
   * @param deviceSubject the token's random subject; it is hashed with the server secret and never
   *     stored
   * @param ageBand the token's self-declared age band, or null
   */
  public Future<VoteOutcome> castVote(
      String id,
      String deviceSubject,
      String ageBand,
      String idempotencyKey,
      List<BallotAnswer> answers) {
    return definition(id, false)
        .compose(c -> vote(c, deviceSubject, ageBand, idempotencyKey, answers, 0));
  }

  private Future<VoteOutcome> vote(
      Consultation c,
      String subject,
      String ageBand,
      String idempotencyKey,
      List<BallotAnswer> answers,
      int attempt) {
    Instant now = clock.instant();
    byte[] voterKey = keys.voterKey(c.id(), subject);
    byte[] replayKey = keys.replayKey(voterKey, idempotencyKey);
    ConsultationState state = c.stateAt(now);
    if (state != ConsultationState.OPEN) {
      return replayOutsideWindow(c, voterKey, replayKey, idempotencyKey, answers)
          .compose(
              replay ->
                  replay != null
                      ? Future.succeededFuture(replay)
                      : refuse(
                          c,
                          new DomainException.Conflict(
                              state == ConsultationState.UPCOMING
                                  ? "Voting has not started yet: it opens at " + c.opensAt() + "."
                                  : "Voting closed at " + c.closesAt() + "."),
                          subject,
                          ageBand,
                          idempotencyKey,
                          answers,
                          attempt));
    }
    if (!c.eligible(ageBand)) {
      return refuse(
          c,
          new DomainException.Forbidden(
              ageBand == null
                  ? "This consultation is for young people aged "
                      + String.join(", ", c.ageBands())
                      + "; your app has not told us your age band, so it cannot take part."
                  : "This consultation is for young people aged "
                      + String.join(", ", c.ageBands())
                      + "."),
          subject,
          ageBand,
          idempotencyKey,
          answers,
          attempt);
    }
    Ballot ballot;
    try {
      ballot = validate(c, answers);
    } catch (InvalidInput e) {
      return refuse(c, e, subject, ageBand, idempotencyKey, answers, attempt);
    }
    byte[] replayCheck = VoterKeys.replayCheck(idempotencyKey, ballot.canonical());
    return pool.withTransaction(
            conn ->
                store
                    .lockDefinitionShared(conn, c.id())
                    .compose(
                        v ->
                            store.cast(
                                conn,
                                new ConsultationStore.CastBallot(
                                    c.id(),
                                    c.version(),
                                    voterKey,
                                    replayKey,
                                    replayCheck,
                                    ageBand,
                                    ballot.optionIds(),
                                    ballot.ranks())))
                    .compose(
                        cast ->
                            cast
                                ? Future.succeededFuture(new VoteOutcome(c.id(), false))
                                // not cast: a second ballot, a retry, or the definition changed
                                // under us
                                : store
                                    .version(conn, c.id())
                                    .compose(
                                        version ->
                                            version == null
                                                ? Future.failedFuture(notFound())
                                                : version != c.version()
                                                    ? Future.failedFuture(new StaleDefinition())
                                                    : store
                                                        .voter(conn, c.id(), voterKey)
                                                        .compose(
                                                            row ->
                                                                second(
                                                                    c,
                                                                    row,
                                                                    replayKey,
                                                                    replayCheck)))))
        .recover(
            e -> {
              if (e instanceof StaleDefinition && attempt < STALE_RETRIES) {
                return definition(c.id(), true)
                    .compose(
                        fresh ->
                            vote(fresh, subject, ageBand, idempotencyKey, answers, attempt + 1));
              }
              return Future.failedFuture(e);
            });
  }

  /**
   * A refusal decided on a cached definition is checked against the database first: another
   * instance may have changed the window, the bands or the questions (before the first vote).
   */
  private Future<VoteOutcome> refuse(
      Consultation c,
      Throwable why,
      String subject,
      String ageBand,
      String idempotencyKey,
      List<BallotAnswer> answers,
      int attempt) {
    return store
        .version(pool, c.id())
        .compose(
            version ->
                version != null && version != c.version() && attempt < STALE_RETRIES
                    ? definition(c.id(), true)
                        .compose(
                            fresh ->
                                vote(fresh, subject, ageBand, idempotencyKey, answers, attempt + 1))
                    : Future.failedFuture(why));
  }

  private static Future<VoteOutcome> second(
      Consultation c, ReplayRow row, byte[] replayKey, byte[] replayCheck) {
    if (row != null && Arrays.equals(row.replayKey(), replayKey)) {
      return Arrays.equals(row.replayCheck(), replayCheck)
          ? Future.succeededFuture(new VoteOutcome(c.id(), true))
          : Future.failedFuture(new Idempotency.KeyReused());
    }
    return Future.failedFuture(
        new DomainException.Conflict(
            "This device has already voted in this consultation: each device has one ballot, and it cannot be changed."));
  }

  /** Outside the window a retry of a ballot counted in time still gets its first answer. */
  private Future<VoteOutcome> replayOutsideWindow(
      Consultation c,
      byte[] voterKey,
      byte[] replayKey,
      String idempotencyKey,
      List<BallotAnswer> answers) {
    Ballot ballot;
    try {
      ballot = validate(c, answers);
    } catch (InvalidInput e) {
      return Future.succeededFuture(null);
    }
    byte[] check = VoterKeys.replayCheck(idempotencyKey, ballot.canonical());
    return store
        .voter(pool, c.id(), voterKey)
        .map(
            row ->
                row != null
                        && Arrays.equals(row.replayKey(), replayKey)
                        && Arrays.equals(row.replayCheck(), check)
                    ? new VoteOutcome(c.id(), true)
                    : null);
  }

  private Future<Consultation> definition(String id, boolean fresh) {
    if (fresh) {
      definitions.remove(id);
    }
    // one load per consultation however many ballots arrive at once ("a popular poll opens")
    Future<Consultation> f = definitions.computeIfAbsent(id, k -> get(k));
    return f.onFailure(e -> definitions.remove(id, f));
  }

  /**
   * A ballot as stored: per answered question (in question order) its options, with their ranks.
   */
  record Ballot(String[] optionIds, Short[] ranks, String canonical) {}

  static Ballot validate(Consultation c, List<BallotAnswer> answers) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Map<String, Integer> questionIndex = new HashMap<>();
    for (int i = 0; i < c.questions().size(); i++) {
      questionIndex.put(c.questions().get(i).id(), i);
    }
    errors.check(
        answers != null && !answers.isEmpty(), "answers", "must answer at least one question");
    List<BallotAnswer> list = answers == null ? List.of() : answers;
    Map<Integer, List<String>> chosen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      BallotAnswer a = list.get(i);
      String at = "answers[" + i + "]";
      Integer qi = a.questionId() == null ? null : questionIndex.get(a.questionId());
      if (qi == null) {
        errors.add(at + ".questionId", "is not a question of this consultation");
        continue;
      }
      if (chosen.containsKey(qi)) {
        errors.add(at + ".questionId", "answers a question that another answer already answers");
        continue;
      }
      Question q = c.questions().get(qi);
      Map<String, Integer> optionIndex = new HashMap<>();
      for (int j = 0; j < q.options().size(); j++) {
        optionIndex.put(q.options().get(j).id(), j);
      }
      List<String> picks = a.optionIds() == null ? List.of() : a.optionIds();
      Set<String> seen = new HashSet<>();
      boolean ok = true;
      for (int j = 0; j < picks.size(); j++) {
        String o = picks.get(j);
        if (o == null || !optionIndex.containsKey(o)) {
          errors.add(at + ".optionIds[" + j + "]", "is not an option of this question");
          ok = false;
        } else if (!seen.add(o)) {
          errors.add(
              at + ".optionIds[" + j + "]",
              q.type() == QuestionType.RANKING
                  ? "ranks an option that is already ranked: each option can take one place"
                  : "chooses the same option twice");
          ok = false;
        }
      }
      if (picks.isEmpty()) {
        errors.add(at + ".optionIds", "must choose at least one option");
        ok = false;
      } else if (q.type() == QuestionType.SINGLE && picks.size() != 1) {
        errors.add(at + ".optionIds", "a single-choice question takes exactly one option");
        ok = false;
      } else if (q.type() == QuestionType.MULTIPLE && picks.size() > q.maxChoices()) {
        errors.add(at + ".optionIds", "at most " + q.maxChoices() + " options may be chosen");
        ok = false;
      } else if (q.type() == QuestionType.RANKING && picks.size() > q.maxChoices()) {
        errors.add(at + ".optionIds", "at most " + q.maxChoices() + " options may be ranked");
        ok = false;
      }
      if (ok) {
        List<String> ordered = new ArrayList<>(picks);
        if (q.type() != QuestionType.RANKING) {
          // the order of picks means nothing here: store it canonically so it cannot mark a ballot
          ordered.sort((x, y) -> Integer.compare(optionIndex.get(x), optionIndex.get(y)));
        }
        chosen.put(qi, ordered);
      }
    }
    errors.throwIfAny();
    List<String> ids = new ArrayList<>();
    List<Short> ranks = new ArrayList<>();
    StringBuilder canonical = new StringBuilder();
    chosen.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              canonical.append(c.questions().get(e.getKey()).id()).append('=');
              for (int r = 0; r < e.getValue().size(); r++) {
                ids.add(e.getValue().get(r));
                ranks.add((short) (r + 1));
                canonical.append(e.getValue().get(r)).append(',');
              }
              canonical.append(';');
            });
    return new Ballot(
        ids.toArray(String[]::new), ranks.toArray(Short[]::new), canonical.toString());
  }

  // ================================================================== results

  /**
   * The results. The public (and devices) see them only once published; the Youth Council sees them
   * at any time — while voting is open as a count at most {@code liveResultsTtl} old.
   */
  public Future<Results> results(String id, boolean youthCouncil) {
    return get(id).compose(c -> results(c, youthCouncil));
  }

  /** The results of a consultation already read (the console's page has it in hand). */
  public Future<Results> results(Consultation c, boolean youthCouncil) {
    if (!youthCouncil && !c.resultsPublished()) {
      return Future.failedFuture(
          new DomainException.Forbidden(
              "The results of this consultation are not published yet: the Youth Council publishes them after voting closes."));
    }
    return count(c)
        .map(
            r ->
                new Results(
                    r.consultationId(),
                    c.resultsPublished(),
                    c.resultsPublishedAt(),
                    c.stateAt(clock.instant()),
                    r.totalBallots(),
                    r.questions(),
                    r.turnoutByAgeBand(),
                    r.asOf()));
  }

  /**
   * Publishes the results once voting has closed (409 before); publishing again changes nothing.
   */
  public Future<Results> publish(String id) {
    Instant now = clock.instant();
    return pool.withTransaction(
            conn ->
                store
                    .loadForUpdate(conn, id)
                    .compose(
                        c -> {
                          if (c == null) {
                            return Future.failedFuture(notFound());
                          }
                          if (c.stateAt(now) != ConsultationState.CLOSED) {
                            return Future.failedFuture(
                                new DomainException.Conflict(
                                    "Results can be published once voting has closed, at "
                                        + c.closesAt()
                                        + "."));
                          }
                          return c.resultsPublished()
                              ? Future.succeededFuture()
                              : store.publish(conn, id, now);
                        }))
        .compose(
            v -> {
              definitions.remove(id);
              return results(id, false);
            });
  }

  private Future<Results> count(Consultation c) {
    Instant now = clock.instant();
    Results cached = counted.get(c.id());
    if (cached != null && cached.questions().size() == c.questions().size()) {
      boolean settled = !cached.asOf().isBefore(c.closesAt().plus(SETTLE));
      boolean fresh =
          cached.asOf().plus(liveResultsTtl).isAfter(now) && !now.isBefore(cached.asOf());
      if (settled || fresh) {
        return Future.succeededFuture(cached);
      }
    }
    return pool.withTransaction(
            conn ->
                store
                    .repeatableReadOnly(conn)
                    .compose(v -> store.counts(conn, c.id()))
                    .compose(
                        counts ->
                            store
                                .turnout(conn, c.id())
                                .map(turnout -> tally(c, counts, turnout, now))))
        .onSuccess(r -> counted.put(c.id(), r));
  }

  static Results tally(
      Consultation c, List<Count> counts, Map<String, Integer> turnout, Instant now) {
    Map<String, int[]> byOption = new HashMap<>(); // count, first preferences, Borda points
    Map<String, Integer> optionsInQuestion = new HashMap<>();
    for (Question q : c.questions()) {
      for (Option o : q.options()) {
        byOption.put(o.id(), new int[3]);
        optionsInQuestion.put(o.id(), q.options().size());
      }
    }
    for (Count k : counts) {
      int[] t = byOption.get(k.optionId());
      if (t == null) {
        continue; // cannot happen: options are frozen once a ballot exists
      }
      t[0] += k.n();
      if (k.rank() == 1) {
        t[1] += k.n();
      }
      t[2] += k.n() * Math.max(0, optionsInQuestion.get(k.optionId()) - k.rank() + 1);
    }
    List<QuestionResult> questions = new ArrayList<>();
    for (Question q : c.questions()) {
      boolean ranking = q.type() == QuestionType.RANKING;
      int answered = 0;
      List<OptionResult> options = new ArrayList<>();
      for (Option o : q.options()) {
        int[] t = byOption.get(o.id());
        answered += t[1]; // every answer has exactly one pick at rank 1
        options.add(
            new OptionResult(o.id(), o.text(), t[0], ranking ? t[1] : null, ranking ? t[2] : null));
      }
      questions.add(new QuestionResult(q.id(), q.text(), q.type(), answered, List.copyOf(options)));
    }
    List<String> bands = new ArrayList<>(canonicalBands(c.ageBands()));
    if (c.openToEveryBand() || turnout.containsKey(null)) {
      bands.add(null);
    }
    int total = turnout.values().stream().mapToInt(Integer::intValue).sum();
    return new Results(
        c.id(),
        c.resultsPublished(),
        c.resultsPublishedAt(),
        c.stateAt(now),
        total,
        List.copyOf(questions),
        Suppression.apply(bands, turnout, SUPPRESSION_THRESHOLD),
        now);
  }

  // ================================================================== maintenance

  /** Shakes the ballot box once (see the store); answers how many ballots were rewritten. */
  public Future<Integer> mixBallots(int sample) {
    return pool.withTransaction(
        conn ->
            store
                .tryMixerLock(conn)
                .compose(locked -> locked ? store.mix(conn, sample) : Future.succeededFuture(0)));
  }

  /**
   * Deletes the voter keys of consultations that closed before {@code closedBefore}; ballots stay.
   */
  public Future<Integer> purgeVoterKeys(Instant closedBefore) {
    return store.purgeVoters(pool, closedBefore);
  }

  /**
   * Records which voter-key secret is in use (by fingerprint). A different secret is adopted only
   * while no voter key exists: with voter keys on record it fails with {@link SecretChanged},
   * because every device would get a new voter key and could vote a second time.
   */
  public Future<Void> adoptSecret(String fingerprint) {
    return pool.withTransaction(
        conn ->
            store
                .claimSecret(conn, fingerprint)
                .compose(
                    recorded -> {
                      if (recorded.equals(fingerprint)) {
                        return Future.succeededFuture();
                      }
                      return store
                          .voterRows(conn)
                          .compose(
                              n ->
                                  n == 0
                                      ? store.replaceSecret(conn, fingerprint)
                                      : Future.failedFuture(
                                          new SecretChanged(recorded, fingerprint, n)));
                    }));
  }

  /** The voter-key secret differs from the one the stored voter keys were made with. */
  public static final class SecretChanged extends IllegalStateException {
    SecretChanged(String recorded, String offered, int voterKeys) {
      super(
          "the consultation voter-key secret changed (recorded "
              + recorded
              + ", now "
              + offered
              + ") while "
              + voterKeys
              + " voter keys exist: devices could vote again. Restore the previous secret, or start with the "
              + "new one only after those consultations closed and their voter keys were purged");
    }
  }

  public Future<Integer> countConsultations() {
    return store.countConsultations(pool);
  }

  private String newId(String prefix) {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static DomainException.NotFound notFound() {
    return new DomainException.NotFound("There is no such consultation.");
  }

  /** The definition validated against changed before the ballot was written: validate again. */
  private static final class StaleDefinition extends RuntimeException {
    StaleDefinition() {
      super("stale definition", null, false, false);
    }
  }
}
