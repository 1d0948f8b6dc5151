package dev.syncprims.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The content of the report: the measurements of a run grouped by family and parameter values, the
 * ratios, and the Markdown of the generated block of {@code docs/benchmarks.md}.
 */
public final class Report {
  /** The first line of the generated block of {@code docs/benchmarks.md}. */
  public static final String BEGIN = "<!-- generated:begin -->";

  /** The last line of the generated block. */
  public static final String END = "<!-- generated:end -->";

  private Report() {}

  /**
   * One line of a table and of a chart: one implementation across thread counts.
   *
   * @param method the benchmark method, {@code primitivesBarging}
   * @param jdk whether it is a JDK line
   * @param reference the JDK method it is compared to, if its family pairs it with one
   * @param byThreads its measurements by thread count
   */
  public record Line(
      String method,
      boolean jdk,
      @Nullable String reference,
      Map<Integer, Measurement> byThreads) {}

  /**
   * The benchmarks of one family with one combination of parameter values: one table, one chart.
   *
   * @param family the family
   * @param paramsLabel the parameter values, {@code "work=10"}; empty when there are none
   * @param unit JMH's unit of the scores
   * @param threads every thread count measured, ascending
   * @param lines the implementations, the library's first, then the JDK's
   */
  public record Group(
      Family family, String paramsLabel, String unit, List<Integer> threads, List<Line> lines) {

    /**
     * The file name of its chart: {@code throughput-mutex.svg}, {@code
     * throughput-mutex-work-10.svg}.
     */
    public String chartFileName() {
      String suffix =
          paramsLabel.isEmpty() ? "" : "-" + paramsLabel.replaceAll("[^A-Za-z0-9]+", "-");
      return "throughput-" + family.fileName() + suffix.replaceAll("-+$", "") + ".svg";
    }

    /** The chart's title. */
    public String title() {
      return family.title() + (paramsLabel.isEmpty() ? "" : " (" + paramsLabel + ")");
    }

    /** The line of {@code method}, if it was measured. */
    public Optional<Line> line(String method) {
      return lines.stream().filter(l -> l.method().equals(method)).findFirst();
    }

    /**
     * The score of {@code line} divided by the score of its JDK reference at the same thread count;
     * empty when it has no reference or either was not measured at that count.
     */
    public OptionalDouble ratio(Line line, int threads) {
      Measurement m = line.byThreads().get(threads);
      Measurement r = referenceAt(line, threads);
      if (m == null || r == null || r.score() == 0) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(m.score() / r.score());
    }

    /**
     * Whether the confidence intervals of {@code line} and its reference overlap at {@code
     * threads}: the difference is then within the noise of the run.
     */
    public boolean withinError(Line line, int threads) {
      Measurement m = line.byThreads().get(threads);
      Measurement r = referenceAt(line, threads);
      return m != null
          && r != null
          && m.hasError()
          && r.hasError()
          && Math.abs(m.score() - r.score()) <= m.error() + r.error();
    }

    private @Nullable Measurement referenceAt(Line line, int threads) {
      String reference = line.reference();
      return reference == null
          ? null
          : line(reference).map(l -> l.byThreads().get(threads)).orElse(null);
    }
  }

  /**
   * Groups the measurements of a run by family and parameter values, in the order of {@link
   * Family}.
   */
  public static List<Group> groups(List<Measurement> measurements) {
    List<Group> groups = new ArrayList<>();
    for (Family family : Family.values()) {
      // Parameter combinations in the order JMH ran them.
      Map<String, List<Measurement>> byParams = new LinkedHashMap<>();
      for (Measurement m : measurements) {
        if (family.matches(m.benchmark())) {
          byParams.computeIfAbsent(m.paramsLabel(), k -> new ArrayList<>()).add(m);
        }
      }
      byParams.forEach((label, ms) -> groups.add(group(family, label, ms)));
    }
    return groups;
  }

  private static Group group(Family family, String paramsLabel, List<Measurement> ms) {
    Map<String, Map<Integer, Measurement>> byMethod = new LinkedHashMap<>();
    Set<Integer> threads = new TreeSet<>();
    for (Measurement m : ms) {
      byMethod.computeIfAbsent(m.method(), k -> new TreeMap<>()).put(m.threads(), m);
      threads.add(m.threads());
    }
    List<String> pairOrder = new ArrayList<>();
    for (Family.Pair p : family.pairs()) {
      pairOrder.add(p.subject());
      pairOrder.add(p.reference());
    }
    List<Line> lines =
        byMethod.entrySet().stream()
            .map(
                e ->
                    new Line(
                        e.getKey(),
                        family.isJdk(e.getKey()),
                        family.referenceOf(e.getKey()).orElse(null),
                        e.getValue()))
            .sorted(
                Comparator.comparing(Line::jdk)
                    .thenComparingInt(
                        l -> {
                          int i = pairOrder.indexOf(l.method());
                          return i < 0 ? Integer.MAX_VALUE : i;
                        })
                    .thenComparing(Line::method))
            .toList();
    String unit = ms.get(0).unit();
    return new Group(family, paramsLabel, unit, List.copyOf(threads), lines);
  }

  /** The Markdown table of a group. */
  public static String table(Group g) {
    StringBuilder sb = new StringBuilder();
    sb.append("| implementation | compared to |");
    for (int t : g.threads()) {
      sb.append(' ').append(t).append(t == 1 ? " thread |" : " threads |");
    }
    sb.append("\n| --- | --- |");
    g.threads().forEach(t -> sb.append(" ---: |"));
    sb.append('\n');
    for (Line line : g.lines()) {
      String reference = line.reference();
      sb.append("| `").append(line.method()).append('`').append(line.jdk() ? " (JDK)" : "");
      sb.append(" | ").append(reference == null ? "" : "`" + reference + "`").append(" |");
      for (int t : g.threads()) {
        Measurement m = line.byThreads().get(t);
        sb.append(' ');
        if (m == null) {
          sb.append('—');
        } else {
          sb.append(Format.scoreWithError(m.score(), m.error()));
          OptionalDouble r = g.ratio(line, t);
          if (r.isPresent()) {
            sb.append(" (**")
                .append(g.withinError(line, t) ? "≈" : "")
                .append(Format.ratio(r.getAsDouble()))
                .append("**)");
          }
        }
        sb.append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The Markdown table of the fairness figures: the library's locks first, then the JDK's. */
  public static String fairnessTable(List<FairnessResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| lock | family | threads | cs / think | acquisitions/ms | spread (max/min) | CV |"
            + " overtaken p50 / p99 / p99.9 / max | longest wait | mean wait |\n");
    sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    results.stream()
        .sorted(
            Comparator.comparingLong(FairnessResult::criticalSectionTokens)
                .thenComparingInt(FairnessResult::threads)
                .thenComparing((FairnessResult r) -> r.family().equals("jdk"))
                .thenComparing(FairnessResult::family)
                .thenComparing(FairnessResult::lock))
        .forEach(
            r ->
                sb.append("| `")
                    .append(r.lock())
                    .append("` | ")
                    .append(r.family())
                    .append(" | ")
                    .append(r.threads())
                    .append(" | ")
                    .append(r.criticalSectionTokens())
                    .append(" / ")
                    .append(r.thinkTokens())
                    .append(" | ")
                    .append(Format.number(r.acquisitionsPerMilli()))
                    .append(" | ")
                    .append(
                        Double.isInfinite(r.spread())
                            ? "∞ (a thread never got it)"
                            : Format.number(r.spread()))
                    .append(" | ")
                    .append(Format.number(r.coefficientOfVariation()))
                    .append(" | ")
                    .append(r.overtaken().describe())
                    .append(" | ")
                    .append(Format.nanos((double) r.longestWaitNanos()))
                    .append(" | ")
                    .append(Format.nanos(r.meanWaitNanos()))
                    .append(" |\n"));
    return sb.toString();
  }

  /**
   * The generated block, from {@link #BEGIN} to {@link #END}.
   *
   * @param data the run
   * @param groups its groups, from {@link #groups(List)}
   * @param chartDirectory where the charts are, relative to the page: {@code benchmarks}
   */
  public static String markdown(RunData data, List<Group> groups, String chartDirectory) {
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append('\n');
    sb.append(
        "<!-- Written by ./bench --report (or ./bench --render DIR); edits between these markers"
            + " are lost, the rest of the page is kept. -->\n\n");
    setup(sb, data);

    sb.append("## Throughput\n\n");
    sb.append("Operations per ")
        .append(timeUnit(groups))
        .append(
            " summed over all threads (higher is better), as mean ± the half-width of JMH's 99.9 %"
                + " confidence interval (no ± when there were too few iterations to compute one)."
                + " The ratio in bold is the score divided by the score of the JDK implementation"
                + " named in *compared to*, at the same thread count in the same run; ≈ marks a"
                + " ratio whose two intervals overlap, a difference within the noise of the run. In"
                + " the charts the JDK's lines are dashed and a library line has the colour of the"
                + " JDK line it is compared to.\n\n");
    Set<Family> measured = new LinkedHashSet<>();
    for (Group g : groups) {
      if (measured.add(g.family())) {
        sb.append("### ").append(g.family().title()).append("\n\n");
      }
      if (!g.paramsLabel().isEmpty()) {
        sb.append("#### ").append(g.paramsLabel()).append("\n\n");
      }
      sb.append(table(g)).append('\n');
      sb.append("![")
          .append(g.title())
          .append(": throughput against threads](")
          .append(chartDirectory)
          .append('/')
          .append(g.chartFileName())
          .append(")\n\n");
    }
    List<String> missing = new ArrayList<>();
    for (Family f : Family.values()) {
      if (!measured.contains(f)) {
        missing.add(f.title());
      }
    }
    if (!missing.isEmpty()) {
      sb.append("Not measured in this run: ").append(String.join(", ", missing)).append(".\n\n");
    }
    Set<String> unmatched =
        data.measurements().stream()
            .map(Measurement::benchmark)
            .filter(b -> Family.of(b).isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
    if (!unmatched.isEmpty()) {
      sb.append("In no family (see `Family` in the bench module), so not shown: ")
          .append(unmatched.stream().map(b -> "`" + b + "`").collect(Collectors.joining(", ")))
          .append(".\n\n");
    }

    sb.append("## Fairness under contention\n\n");
    if (data.fairness().isEmpty()) {
      sb.append("Not measured in this run.\n\n");
    } else {
      FairnessResult first = data.fairness().get(0);
      sb.append("`LockFairness`: the threads share one lock for ")
          .append(Format.nanos((double) first.measuredNanos()))
          .append(
              " after a warm-up; each takes it, works *cs* tokens (`Blackhole.consumeCPU`) while"
                  + " holding it, releases it and works *think* tokens before asking again (0 / 0"
                  + " at 2 threads is the workload in which a non-fair lock starves a thread)."
                  + " *Overtaken* counts, per acquisition, the acquisitions by other threads"
                  + " between the call to `lock()` and its return: a pause of the whole machine"
                  + " cannot inflate it, unlike a wait in milliseconds. *Spread* is the most"
                  + " acquisitions of one thread divided"
                  + " by the fewest (1 is perfectly even), *CV* the coefficient of variation of the"
                  + " per-thread acquisitions (0 is perfectly even); a wait runs from calling"
                  + " `lock()` to its return, and includes any time the thread was"
                  + " descheduled.\n\n");
      sb.append(fairnessTable(data.fairness())).append('\n');
    }
    sb.append(END).append('\n');
    return sb.toString();
  }

  private static String timeUnit(List<Group> groups) {
    Set<String> units = new TreeSet<>();
    groups.forEach(g -> units.add(Format.unit(g.unit())));
    if (units.size() == 1) {
      String u = units.iterator().next();
      return u.substring(u.indexOf('/') + 1);
    }
    return "time unit (see each table)";
  }

  private static void setup(StringBuilder sb, RunData data) {
    Map<String, String> run = data.run();
    sb.append("## Setup\n\n");
    sb.append("| | |\n| --- | --- |\n");
    row(sb, "date", run.getOrDefault("date", "not recorded"));
    row(
        sb,
        "machine",
        run.containsKey("cores")
            ? run.get("cores")
                + " cores, "
                + run.getOrDefault("cpu", "CPU not recorded")
                + (run.containsKey("os") ? ", " + run.get("os") : "")
            : "not recorded");
    Set<String> jdks = new LinkedHashSet<>();
    Set<String> jmh = new LinkedHashSet<>();
    for (Measurement m : data.measurements()) {
      Measurement.Settings s = m.settings();
      jdks.add(s.jdkVersion() + " (" + s.vmName() + " " + s.vmVersion() + ")");
      jmh.add(
          s.jmhVersion()
              + ", mode "
              + s.mode()
              + ", "
              + s.forks()
              + (s.forks() == 1 ? " fork" : " forks")
              + ", "
              + s.warmupIterations()
              + " warm-up × "
              + s.warmupTime()
              + ", "
              + s.measurementIterations()
              + " measurement × "
              + s.measurementTime());
    }
    row(
        sb,
        "JDK",
        jdks.isEmpty() ? run.getOrDefault("jdk", "not recorded") : String.join("; ", jdks));
    row(sb, "JMH", jmh.isEmpty() ? "no JMH results" : String.join("; ", jmh));
    if (run.containsKey("jmhOptions")) {
      row(sb, "options", "`" + run.get("jmhOptions") + "`");
    }
    if (run.containsKey("threads")) {
      row(sb, "threads", run.get("threads").replace(",", ", "));
    }
    if (run.containsKey("profile")) {
      row(sb, "profile", run.get("profile"));
    }
    row(sb, "results", "`" + data.directory().getFileName() + "`");
    sb.append('\n');
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  /**
   * Checks that {@link #splice} can put a generated block into {@code page}: it holds exactly one
   * {@link #BEGIN} followed by exactly one {@link #END}, or neither (a new page, to which the block
   * is appended). {@code ./bench --report} calls it, through {@link ReportRenderer}, before it
   * measures, so that a page broken by an edit stops the run at once rather than after it.
   *
   * @throws IllegalStateException naming what is wrong with the markers
   */
  public static void checkPage(String page) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 && end < 0) {
      return;
    }
    String problem;
    if (begin < 0) {
      problem = "it has " + END + " but no " + BEGIN;
    } else if (end < 0) {
      problem = "it has " + BEGIN + " but no " + END;
    } else if (page.indexOf(BEGIN, begin + 1) >= 0) {
      problem = "it has " + BEGIN + " more than once";
    } else if (page.indexOf(END, end + 1) >= 0) {
      problem = "it has " + END + " more than once";
    } else if (end < begin) {
      problem = "its " + END + " comes before its " + BEGIN;
    } else {
      return;
    }
    throw new IllegalStateException(
        "docs/benchmarks.md must hold exactly one "
            + BEGIN
            + " followed by one "
            + END
            + ", but "
            + problem
            + "; fix the markers by hand (the rest of the page is kept, the block between them"
            + " is rewritten)");
  }

  /**
   * Puts {@code block} into {@code page} in place of the previous generated block and keeps the
   * rest of the page. A page without one gets the block appended; an empty page gets a title and a
   * short introduction first.
   *
   * @throws IllegalStateException if the page has only one of the markers, or {@link #END} before
   *     {@link #BEGIN}: the renderer will not guess what to overwrite
   */
  public static String splice(String page, String block) {
    checkPage(page);
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 && end < 0) {
      if (page.isBlank()) {
        return "# Benchmarks\n\n"
            + "How the primitives compare with their `java.util.concurrent` counterparts. The block"
            + " between the `generated` markers is written by `./bench --report`; the rest of this"
            + " page is written by hand and kept when the report is rendered again.\n\n"
            + block;
      }
      return page + (page.endsWith("\n") ? "\n" : "\n\n") + block;
    }
    int after = end + END.length();
    if (after < page.length() && page.charAt(after) == '\n') {
      after++;
    }
    return page.substring(0, begin) + block + page.substring(after);
  }
}
