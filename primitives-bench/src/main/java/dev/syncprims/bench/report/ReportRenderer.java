package dev.syncprims.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Renders the benchmark report from one results directory of {@code ./bench}:
 *
 * <pre>
 * java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.report.ReportRenderer \
 *     bench-results/2026-11-25T10-00-00Z [docs]
 * </pre>
 *
 * It writes {@code docs/benchmarks/throughput-*.svg}, one chart per family and parameter
 * combination (removing the {@code throughput-*.svg} charts of families no longer measured), and
 * replaces the block between {@code <!-- generated:begin -->} and {@code <!-- generated:end -->} of
 * {@code docs/benchmarks.md}, keeping the hand-written rest of the page. {@code ./bench --report}
 * and {@code ./bench --render DIR} call it.
 *
 * <p>What is read is described in {@link RunData}; how families are recognised in {@link Family};
 * the charts, and why they are drawn without a charting library, in {@link ThroughputChart}.
 */
public final class ReportRenderer {
  private ReportRenderer() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 1 && args.length <= 2 && args[0].equals("--check")) {
      try {
        Path page = check(Paths.get(args.length > 1 ? args[1] : "docs"));
        System.out.println("report page can be rendered: " + page);
        return;
      } catch (IllegalStateException e) {
        System.err.println("error: " + e.getMessage());
        System.exit(1);
      }
    }
    if (args.length < 1 || args.length > 2 || args[0].startsWith("-")) {
      System.err.println(
          "usage: ReportRenderer RESULTS_DIR [DOCS_DIR]   (DOCS_DIR defaults to docs)\n"
              + "       ReportRenderer --check [DOCS_DIR]     (checks the page's markers only)");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    Path page = render(Paths.get(args[0]), Paths.get(args.length > 1 ? args[1] : "docs"));
    System.out.println("report: " + page);
  }

  /**
   * Renders the results in {@code results} into {@code docs/benchmarks.md} and {@code
   * docs/benchmarks/}.
   *
   * @return the page written
   * @throws IllegalStateException if the page's markers are broken ({@link #check}); nothing is
   *     written then
   */
  public static Path render(Path results, Path docs) throws IOException {
    check(docs);
    RunData data = RunData.load(results);
    List<Report.Group> groups = Report.groups(data.measurements());

    Path charts = docs.resolve("benchmarks");
    Files.createDirectories(charts);
    Set<Path> written = new HashSet<>();
    for (Report.Group g : groups) {
      Path chart = charts.resolve(g.chartFileName());
      Files.writeString(chart, ThroughputChart.svg(g), StandardCharsets.UTF_8);
      written.add(chart);
    }
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> files = Files.list(charts)) {
      files
          .filter(f -> f.getFileName().toString().matches("throughput-.*\\.svg"))
          .filter(f -> !written.contains(f))
          .forEach(stale::add);
    }
    for (Path f : stale) {
      Files.delete(f);
    }

    Path page = page(docs);
    String existing = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
    String block = Report.markdown(data, groups, charts.getFileName().toString());
    Files.writeString(page, Report.splice(existing, block), StandardCharsets.UTF_8);
    return page;
  }

  /**
   * Checks, without measuring or writing anything, that the page in {@code docs} can take a
   * rendered block: see {@link Report#checkPage}. A missing page is fine (it will be created).
   *
   * @return the page
   * @throws IllegalStateException if its markers are broken
   */
  public static Path check(Path docs) throws IOException {
    Path page = page(docs);
    if (Files.exists(page)) {
      Report.checkPage(Files.readString(page, StandardCharsets.UTF_8));
    }
    return page;
  }

  private static Path page(Path docs) {
    return docs.resolve("benchmarks.md");
  }
}
