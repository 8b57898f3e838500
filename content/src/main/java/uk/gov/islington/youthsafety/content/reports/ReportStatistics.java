package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.SmallCells;

/**
 * The monthly counts of closed reports as open data. Each month is published as its total and four
 * breakdowns of it (category group, destination, area, outcome), never as a cross-table: every
 * breakdown sums to the published total, and {@link SmallCells} withholds each cell under {@value
 * #THRESHOLD} and as many more as it takes that none can be worked out from the total and the
 * others. A month whose total is under the threshold is withheld entirely.
 */
public final class ReportStatistics {

  /** The smallest count published, as for consultation turnout. */
  public static final int THRESHOLD = 5;

  /** The breakdowns, in the order they are published. */
  public static final List<String> DIMENSIONS =
      List.of("categoryGroup", "destination", "area", "outcome");

  private static final Map<String, Function<ReportStore.StatisticsRow, String>> KEYS =
      Map.of(
          "categoryGroup", ReportStore.StatisticsRow::categoryGroup,
          "destination", ReportStore.StatisticsRow::destination,
          "area", ReportStore.StatisticsRow::area,
          "outcome", ReportStore.StatisticsRow::outcome);

  /** One month: its total (null when withheld) and its breakdowns by dimension. */
  public record Month(
      YearMonth month, Integer total, Map<String, List<SmallCells.Cell>> breakdowns) {}

  private final Pool pool;
  private final java.time.Clock clock;
  private final ReportStore store = new ReportStore();

  public ReportStatistics(Pool pool, java.time.Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * The months from {@code from} to {@code to} (inclusive; by default the twelve months up to this
   * one) that have any closed report, oldest first.
   */
  public Future<List<Month>> published(YearMonth fromOrNull, YearMonth toOrNull) {
    YearMonth to = toOrNull != null ? toOrNull : YearMonth.from(ReportDates.today(clock));
    YearMonth from = fromOrNull != null ? fromOrNull : to.minusMonths(11);
    if (from.isAfter(to)) {
      return Future.failedFuture(InvalidInput.of("from", "must not be after to"));
    }
    return store
        .statistics(pool, from.atDay(1), to.atDay(1))
        .map(
            rows -> {
              Map<LocalDate, List<ReportStore.StatisticsRow>> byMonth = new TreeMap<>();
              rows.forEach(r -> byMonth.computeIfAbsent(r.month(), m -> new ArrayList<>()).add(r));
              List<Month> out = new ArrayList<>();
              byMonth.forEach((month, cells) -> out.add(month(YearMonth.from(month), cells)));
              return out;
            });
  }

  private static Month month(YearMonth month, List<ReportStore.StatisticsRow> rows) {
    int total = rows.stream().mapToInt(ReportStore.StatisticsRow::reports).sum();
    Map<String, List<SmallCells.Cell>> breakdowns = new LinkedHashMap<>();
    for (String dimension : DIMENSIONS) {
      Map<String, Integer> counts = new TreeMap<>();
      rows.forEach(r -> counts.merge(KEYS.get(dimension).apply(r), r.reports(), Integer::sum));
      List<String> keys = List.copyOf(counts.keySet());
      // a small month says nothing at all: every cell would be under the threshold anyway
      breakdowns.put(
          dimension,
          total < THRESHOLD
              ? keys.stream().map(k -> new SmallCells.Cell(k, null, true)).toList()
              : SmallCells.suppress(keys, counts, THRESHOLD));
    }
    return new Month(month, total < THRESHOLD ? null : total, breakdowns);
  }
}
