package uk.gov.islington.youthsafety.content.hours;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opening hours in Europe/London wall-clock time (a Safe Haven's, or a support service's phone line
 * or drop-in), and the one place that decides whether it is open at an instant and when that next
 * changes. Pure: no clock, no I/O; callers pass the instant.
 *
 * <p>The model is a list of <em>sessions</em>. Every weekly range or dated exception describes
 * sessions that <em>open</em> on a calendar day; a range whose {@code closes} is not after its
 * {@code opens} runs past midnight into the next day, and {@code 00:00}–{@code 24:00} is the whole
 * day. Rules, in order, for the sessions that open on a day D:
 *
 * <ol>
 *   <li>a temporary closure covering D (from/until inclusive; an open end is unbounded) → none;
 *   <li>dated exceptions for D → exactly those (or none when D is marked closed);
 *   <li>otherwise the weekly ranges of D's day of the week.
 * </ol>
 *
 * A session that opened the evening before runs to its end even when D has an exception: the
 * exception replaces what <em>opens</em> on D, not what is already under way (as published opening
 * times are read: "Christmas Day: closed" does not close the Christmas Eve late session at
 * midnight). Sessions that touch or overlap merge, so a haven open 00:00–24:00 every day is simply
 * open, with no close at midnight.
 *
 * <p>Clock changes: wall-clock times are resolved in Europe/London. A time inside the spring gap
 * (01:00–01:59 on the last Sunday of March does not exist) resolves to the instant the clocks jump,
 * because that is when a wall clock first shows a time at or after it. A time inside the autumn
 * overlap (01:00–01:59 on the last Sunday of October happens twice) resolves to its first
 * occurrence (BST), for opening and closing alike: staff go by the clock on the wall. So
 * 00:00–24:00 is 23 hours long in March and 25 hours in October.
 */
public final class OpeningHours {

  public static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneRules RULES = LONDON.getRules();
  static final int DAY_MINUTES = 24 * 60;

  /**
   * How far ahead a closing time is looked for; beyond it a place is "open for the foreseeable".
   */
  static final int CLOSES_HORIZON_DAYS = 7;

  /** How far ahead an opening time is looked for (closures and exceptions may reach this far). */
  static final int OPENS_HORIZON_DAYS = 400;

  /**
   * Opening and closing, minutes after midnight; {@code closes <= opens} runs into the next day;
   * 1440 = 24:00.
   */
  public record Range(int opens, int closes) {
    public Range {
      if (opens < 0
          || opens >= DAY_MINUTES
          || closes < 0
          || closes > DAY_MINUTES
          || opens == closes) {
        throw new IllegalArgumentException("not a range: " + opens + "-" + closes);
      }
    }

    public static Range of(String opens, String closes) {
      return new Range(minutes(opens), minutes(closes));
    }

    public boolean overnight() {
      return closes < opens;
    }

    /** Minutes from the opening day's midnight to the close (more than 1440 when overnight). */
    public int end() {
      return overnight() ? closes + DAY_MINUTES : closes;
    }

    public String opensText() {
      return text(opens);
    }

    public String closesText() {
      return text(closes);
    }
  }

  /** A weekly range: every {@code day}, {@code range}. */
  public record Weekly(DayOfWeek day, Range range) {}

  /**
   * A dated exception: on {@code date} closed all day ({@code range == null}), or open for {@code
   * range}.
   */
  public record Exception(LocalDate date, Range range) {
    public boolean closed() {
      return range == null;
    }
  }

  /** Temporarily closed for {@code reason}; dates inclusive, null for open-ended. */
  public record Closure(String reason, LocalDate from, LocalDate until) {
    public boolean covers(LocalDate day) {
      return (from == null || !day.isBefore(from)) && (until == null || !day.isAfter(until));
    }
  }

  /**
   * Open now or not, and the next change: {@code closesAt} when open, {@code opensAt} when closed
   * (null: none ahead).
   */
  public record Status(boolean open, Instant opensAt, Instant closesAt) {}

  private record Session(Instant start, Instant end) {}

  /**
   * A status and the epoch milliseconds between which it holds unchanged. Milliseconds are exact
   * here: every change falls on a whole minute, so flooring the instant asked about never moves it
   * across one.
   */
  private record Memo(long fromMillis, long untilMillis, Status status) {}

  /**
   * Longest reuse of a memoised status, so that a look-ahead horizon moving with the date is
   * honoured.
   */
  private static final long MEMO_MAX_MILLIS = java.time.Duration.ofMinutes(10).toMillis();

  private final List<Weekly> weekly;
  private final List<Exception> exceptions;
  private final Closure closure;
  private final Map<DayOfWeek, List<Range>> byDay = new EnumMap<>(DayOfWeek.class);
  private final Map<LocalDate, List<Range>> byDate = new HashMap<>();
  private final LocalDate lastHoursDate;
  // the last answer of at(): valid until the next change (it cannot differ before then)
  private volatile Memo memo;

  public OpeningHours(List<Weekly> weekly, List<Exception> exceptions, Closure closure) {
    this.weekly = List.copyOf(weekly);
    this.exceptions = List.copyOf(exceptions);
    this.closure = closure;
    for (DayOfWeek d : DayOfWeek.values()) {
      byDay.put(d, new ArrayList<>(2));
    }
    for (Weekly w : weekly) {
      byDay.get(w.day()).add(w.range());
    }
    LocalDate last = null;
    for (Exception e : exceptions) {
      List<Range> ranges = byDate.computeIfAbsent(e.date(), d -> new ArrayList<>(2));
      if (e.range() != null) {
        ranges.add(e.range());
        last = last == null || e.date().isAfter(last) ? e.date() : last;
      }
    }
    this.lastHoursDate = last;
  }

  public static OpeningHours alwaysClosed() {
    return new OpeningHours(List.of(), List.of(), null);
  }

  public List<Weekly> weekly() {
    return weekly;
  }

  public List<Exception> exceptions() {
    return exceptions;
  }

  public Closure closure() {
    return closure;
  }

  /** The same hours with another temporary closure (or none). */
  public OpeningHours withClosure(Closure closure) {
    return new OpeningHours(weekly, exceptions, closure);
  }

  /**
   * Whether it is open at {@code now}, and when that next changes. By definition nothing changes
   * before the next change, so the answer is reused for any instant up to it (at most {@link
   * #MEMO_MAX_MILLIS}): a nearby query asks about hundreds of havens, most of them answered
   * already.
   */
  public Status at(Instant now) {
    long millis = now.toEpochMilli();
    Memo m = memo;
    if (m != null && millis >= m.fromMillis() && millis < m.untilMillis()) {
      return m.status();
    }
    Status s = compute(now);
    Instant next = s.open() ? s.closesAt() : s.opensAt();
    long cap = millis + MEMO_MAX_MILLIS;
    memo = new Memo(millis, next == null ? cap : Math.min(cap, next.toEpochMilli()), s);
    return s;
  }

  private Status compute(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, LONDON);
    // a session lasts at most a day, so only yesterday's and today's can be under way
    Session current = null;
    for (LocalDate d = today.minusDays(1);
        !d.isAfter(today) && current == null;
        d = d.plusDays(1)) {
      for (Session s : sessions(d)) {
        if (!now.isBefore(s.start()) && now.isBefore(s.end())) {
          current = s;
          break;
        }
      }
    }
    if (current != null) {
      return new Status(true, null, closesAt(current, today));
    }
    return new Status(false, opensAt(now, today), null);
  }

  public boolean isOpen(Instant now) {
    return at(now).open();
  }

  private Instant closesAt(Session current, LocalDate today) {
    List<Session> ahead = new ArrayList<>();
    for (int i = -1; i <= CLOSES_HORIZON_DAYS; i++) {
      ahead.addAll(sessions(today.plusDays(i)));
    }
    ahead.sort(Comparator.comparing(Session::start));
    Instant end = current.end();
    for (Session s : ahead) {
      if (s.start().isAfter(end)) {
        break;
      }
      if (s.end().isAfter(end)) {
        end = s.end();
      }
    }
    Instant horizon = start(today.plusDays(CLOSES_HORIZON_DAYS), 0);
    return end.isAfter(horizon) ? null : end;
  }

  private Instant opensAt(Instant now, LocalDate today) {
    boolean anyWeekly = !weekly.isEmpty();
    for (int i = 0; i <= OPENS_HORIZON_DAYS; i++) {
      LocalDate d = today.plusDays(i);
      if (closure != null && closure.covers(d)) {
        if (closure.until() == null) {
          return null;
        }
        i = (int) (closure.until().toEpochDay() - today.toEpochDay());
        continue;
      }
      if (!anyWeekly && (lastHoursDate == null || d.isAfter(lastHoursDate))) {
        return null;
      }
      for (Session s : sessions(d)) {
        if (s.start().isAfter(now)) {
          return s.start();
        }
      }
    }
    return null;
  }

  /** The sessions that open on {@code day}, earliest first. */
  private List<Session> sessions(LocalDate day) {
    if (closure != null && closure.covers(day)) {
      return List.of();
    }
    List<Range> ranges = byDate.get(day);
    if (ranges == null) {
      ranges = byDay.get(day.getDayOfWeek());
    }
    if (ranges.isEmpty()) {
      return List.of();
    }
    List<Session> out = new ArrayList<>(ranges.size());
    for (Range r : ranges) {
      Instant start = start(day, r.opens());
      Instant end =
          r.end() >= DAY_MINUTES
              ? start(day.plusDays(1), r.end() - DAY_MINUTES)
              : start(day, r.end());
      // a range entirely inside the spring gap has no length: the clocks skip it
      if (end.isAfter(start)) {
        out.add(new Session(start, end));
      }
    }
    if (out.size() > 1) {
      out.sort(Comparator.comparing(Session::start));
    }
    return out;
  }

  /**
   * The instant a London wall clock first shows {@code minutes} after midnight of {@code day}: in
   * the spring gap, the moment the clocks jump; in the autumn overlap, the first (BST) occurrence.
   */
  static Instant start(LocalDate day, int minutes) {
    LocalDateTime local = day.atTime(minutes / 60, minutes % 60);
    List<ZoneOffset> offsets = RULES.getValidOffsets(local);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = RULES.getTransition(local);
      return gap.getInstant();
    }
    // in an overlap the first valid offset is the one before the transition: the earlier instant
    return local.toInstant(offsets.get(0));
  }

  /** "HH:MM" (or "24:00") to minutes after midnight. */
  public static int minutes(String hhmm) {
    if (hhmm == null || hhmm.length() != 5 || hhmm.charAt(2) != ':') {
      throw new IllegalArgumentException("not HH:MM");
    }
    int h = digits(hhmm, 0);
    int m = digits(hhmm, 3);
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) {
      throw new IllegalArgumentException("not HH:MM");
    }
    return h * 60 + m;
  }

  private static int digits(String s, int at) {
    char a = s.charAt(at);
    char b = s.charAt(at + 1);
    return Character.isDigit(a) && Character.isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
  }

  static String text(int minutes) {
    return String.format("%02d:%02d", minutes / 60, minutes % 60);
  }
}
