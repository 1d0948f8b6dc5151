package dev.syncprims.bench.report;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The families of the benchmark report: the one table to edit when a benchmark class is added.
 *
 * <p>Each family has a name (used for the chart file, {@code docs/benchmarks/throughput-NAME.svg}),
 * a title (the heading in {@code docs/benchmarks.md}), a regular expression that selects its
 * benchmarks by their full JMH name ({@code dev.syncprims.bench.MutexBench.primitivesBarging}), its
 * <em>pairs</em>: which JDK benchmark method each of the library's methods is compared to, and,
 * only for a class that predates the convention, its JDK methods that are not named {@code jdk...}.
 *
 * <h2>The naming convention for benchmark writers</h2>
 *
 * <ul>
 *   <li>One class per family in {@code dev.syncprims.bench}, named as in the table below ({@code
 *       MutexBench}, {@code ReentrantMutexBench}, ...), in {@code Mode.Throughput}.
 *   <li>One {@code @Benchmark} method per implementation, all with the same critical section: the
 *       library's are named {@code primitives...} ({@code primitivesBarging}, {@code
 *       primitivesFifo}), the JDK's {@code jdk...} ({@code jdkReentrantLockNonFair}, {@code
 *       jdkReentrantLockFair}, {@code jdkSynchronized}). A {@code jdk...} line is drawn dashed and
 *       is the reference of the ratio column.
 *   <li>Variants of the workload (critical-section length, permits) are {@code @Param}s: the report
 *       draws one table and one chart per combination of parameter values.
 *   <li>The thread count is not a parameter: {@code ./bench} runs every benchmark once per count.
 *   <li>Each {@code primitives...} method that has a JDK counterpart gets a pair in this table; a
 *       method without a pair is still shown, with no ratio.
 * </ul>
 *
 * A class that matches no family is ignored by the report (it still runs in {@code ./bench}).
 */
public enum Family {
  /**
   * The floors and JDK anchors of {@code Baseline}, which predates the convention: its JDK methods
   * are not prefixed {@code jdk}, so they are named as such.
   */
  BASELINE(
      "baseline",
      "Baseline",
      "dev\\.syncprims\\.bench\\.Baseline\\.\\w+",
      List.of(new Pair("casAcquireReleaseStore", "reentrantLockNonFair")),
      List.of("reentrantLockFair", "synchronizedEscaped")),
  MUTEX(
      "mutex",
      "Mutex",
      "dev\\.syncprims\\.bench\\.MutexBench\\.\\w+",
      List.of(
          new Pair("primitivesBarging", "jdkReentrantLockNonFair"),
          new Pair("primitivesFifo", "jdkReentrantLockFair")),
      List.of()),
  REENTRANT(
      "reentrant",
      "ReentrantMutex",
      "dev\\.syncprims\\.bench\\.ReentrantMutexBench\\.\\w+",
      List.of(
          new Pair("primitivesBarging", "jdkReentrantLockNonFair"),
          new Pair("primitivesFifo", "jdkReentrantLockFair")),
      List.of()),
  SEMAPHORE(
      "semaphore",
      "Semaphores",
      "dev\\.syncprims\\.bench\\.SemaphoreBench\\.\\w+",
      List.of(
          new Pair("primitivesBarging", "jdkSemaphoreNonFair"),
          new Pair("primitivesFifo", "jdkSemaphoreFair"),
          new Pair("primitivesBargingMulti", "jdkSemaphoreNonFairMulti"),
          new Pair("primitivesFifoMulti", "jdkSemaphoreFairMulti")),
      List.of()),
  MONITOR(
      "monitor",
      "Monitor",
      "dev\\.syncprims\\.bench\\.MonitorBench\\.\\w+",
      List.of(
          new Pair("primitivesMesa", "jdkReentrantLockConditions"),
          new Pair("primitivesHoare", "jdkReentrantLockConditions")),
      List.of()),
  TIMER(
      "timer",
      "Timer",
      "dev\\.syncprims\\.bench\\.TimerBench\\.(scheduleThenCancel|scheduleAndFire)",
      List.of(),
      List.of());

  /** The library's method {@code subject} is compared to the JDK's method {@code reference}. */
  public record Pair(String subject, String reference) {}

  private final String fileName;
  private final String title;
  private final Pattern benchmarks;

  @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable
  private final List<Pair> pairs;

  @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable
  private final List<String> unprefixedJdk;

  Family(
      String fileName,
      String title,
      String benchmarkRegex,
      List<Pair> pairs,
      List<String> unprefixedJdk) {
    this.fileName = fileName;
    this.title = title;
    this.benchmarks = Pattern.compile(benchmarkRegex);
    this.pairs = List.copyOf(pairs);
    this.unprefixedJdk = List.copyOf(unprefixedJdk);
  }

  /** The short name, used in file names: {@code mutex}. */
  public String fileName() {
    return fileName;
  }

  /** The heading of the family's section. */
  public String title() {
    return title;
  }

  /** Whether the full JMH benchmark name belongs to this family. */
  public boolean matches(String benchmark) {
    return benchmarks.matcher(benchmark).matches();
  }

  /** The pairs, in the order their lines are listed. */
  public List<Pair> pairs() {
    return pairs;
  }

  /** The JDK method that {@code method} is compared to, if it has one. */
  public Optional<String> referenceOf(String method) {
    return pairs.stream().filter(p -> p.subject().equals(method)).map(Pair::reference).findFirst();
  }

  /**
   * Whether {@code method} is a JDK line: named {@code jdk...}, the reference of a pair, or one of
   * the unprefixed JDK methods of a family that predates the convention.
   */
  public boolean isJdk(String method) {
    return method.startsWith("jdk")
        || unprefixedJdk.contains(method)
        || pairs.stream().anyMatch(p -> p.reference().equals(method));
  }

  /** The family of a full JMH benchmark name, if any. */
  public static Optional<Family> of(String benchmark) {
    for (Family f : values()) {
      if (f.matches(benchmark)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
