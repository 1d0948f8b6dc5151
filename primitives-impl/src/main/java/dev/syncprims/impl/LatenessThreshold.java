package dev.syncprims.impl;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingControl;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * The JFR setting {@code latenessThreshold} of the event {@code dev.syncprims.TimerLate}: a
 * timespan written as JFR writes its thresholds ({@code "10 ms"}, {@code "500 us"}, {@code "0
 * ns"}, {@code "1 s"}, or {@code "infinity"}); a task is recorded when it starts later than that
 * after its deadline. Default {@value #DEFAULT}. When several recordings run, the smallest value
 * wins, as for JFR's own threshold. Internal; not part of the API.
 */
@Name("dev.syncprims.LatenessThreshold")
@Label("Lateness Threshold")
@Description("Record a late timer task only if it is later than this")
@Timespan
final class LatenessThreshold extends SettingControl {
  /* Implementation notes
   *
   * JFR creates one instance per event type (through its only constructor, made accessible by
   * JFR) and calls setValue/combine/getValue from its own threads when recordings start and stop;
   * the timer's worker reads the threshold in isExceededBy, concurrently: hence the volatile
   * field. setValue with a value that does not parse throws IllegalArgumentException naming the
   * value and changes nothing: JFR logs the message as a warning and keeps the previous value.
   * combine, like JFR's threshold, keeps the smallest of the values that parse.
   *
   * JDK 17 drops combine's result: with several recordings running, its JFR calls setValue(null)
   * after combine, where later JDKs pass combine's result. So combine also keeps its result in
   * `combined`, and setValue(null) applies that. JFR calls combine and then setValue for the same
   * change, one change at a time, so `combined` is the one just computed.
   */

  /** The default value. */
  static final String DEFAULT = "10 ms";

  /** The value that records nothing: no task is ever that late. */
  static final String INFINITY = "infinity";

  private static final Pattern TIMESPAN =
      Pattern.compile("\\s*(\\d+)\\s*(ns|us|ms|s|m|h|d)\\s*", Pattern.CASE_INSENSITIVE);

  private volatile String value = DEFAULT;
  private volatile @Nullable String combined;
  private volatile long nanos = parse(DEFAULT);

  /** Whether a task that started {@code latenessNanos} after its deadline is to be recorded. */
  boolean isExceededBy(long latenessNanos) {
    return latenessNanos > nanos;
  }

  @Override
  public String combine(Set<String> values) {
    String smallest = null;
    long min = Long.MAX_VALUE;
    for (String v : values) {
      long n = parseOrNegative(v);
      if (n >= 0 && (smallest == null || n < min)) {
        smallest = v;
        min = n;
      }
    }
    String result = smallest != null ? smallest : DEFAULT;
    combined = result;
    return result;
  }

  @Override
  public void setValue(@Nullable String value) {
    String v = value != null ? value : combined; // null: JDK 17 lost combine's result (notes)
    long n = parse(v); // throws, changing nothing, if the value does not parse
    this.nanos = n;
    this.value = Objects.requireNonNull(v);
  }

  @Override
  public String getValue() {
    return value;
  }

  /**
   * The nanoseconds of a timespan value, {@link Long#MAX_VALUE} for {@value #INFINITY}.
   *
   * @throws IllegalArgumentException naming the value if it is not a timespan
   */
  static long parse(@Nullable String value) {
    long n = parseOrNegative(value);
    if (n < 0) {
      throw new IllegalArgumentException(
          "latenessThreshold must be a timespan such as \"10 ms\" (units ns, us, ms, s, m, h, d) or"
              + " \"infinity\", not \""
              + value
              + "\"");
    }
    return n;
  }

  /** {@link #parse}, with -1 for a value that does not parse. */
  private static long parseOrNegative(@Nullable String value) {
    if (value == null) {
      return -1;
    }
    if (value.strip().equalsIgnoreCase(INFINITY)) {
      return Long.MAX_VALUE;
    }
    Matcher m = TIMESPAN.matcher(value);
    if (!m.matches()) {
      return -1;
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1; // too many digits
    }
    return unit(m.group(2).toLowerCase(Locale.ROOT)).toNanos(amount); // saturates
  }

  private static TimeUnit unit(String symbol) {
    return switch (symbol) {
      case "ns" -> TimeUnit.NANOSECONDS;
      case "us" -> TimeUnit.MICROSECONDS;
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "m" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      default -> TimeUnit.DAYS;
    };
  }
}
