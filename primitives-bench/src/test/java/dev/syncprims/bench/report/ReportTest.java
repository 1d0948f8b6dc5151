package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static RunData data;
  private static List<Report.Group> groups;

  @BeforeAll
  static void load() throws IOException {
    data = RunData.load(Fixture.directory());
    groups = Report.groups(data.measurements());
  }

  private static Report.Group group(Family family, String params) {
    return groups.stream()
        .filter(g -> g.family() == family && g.paramsLabel().equals(params))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void groupsByFamilyThenParametersInJmhsOrder() {
    assertEquals(
        List.of("baseline/", "mutex/work=0", "mutex/work=100"),
        groups.stream().map(g -> g.family().fileName() + "/" + g.paramsLabel()).toList());
    assertEquals(List.of(1, 2), group(Family.MUTEX, "work=0").threads());
  }

  @Test
  void theLibrarysLinesComeFirstInTheOrderOfThePairs() {
    assertEquals(
        List.of(
            "primitivesBarging",
            "primitivesFifo",
            "jdkReentrantLockNonFair",
            "jdkReentrantLockFair",
            "jdkSynchronized"),
        group(Family.MUTEX, "work=0").lines().stream().map(Report.Line::method).toList());
    assertEquals(
        List.of("casAcquireReleaseStore", "parkUnparkPingPong", "reentrantLockNonFair"),
        group(Family.BASELINE, "").lines().stream().map(Report.Line::method).toList());
  }

  @Test
  void jdkLinesAreRecognisedByPrefixOrAsAReference() {
    Report.Group mutex = group(Family.MUTEX, "work=0");
    assertTrue(mutex.line("jdkSynchronized").orElseThrow().jdk());
    assertFalse(mutex.line("primitivesFifo").orElseThrow().jdk());
    assertTrue(group(Family.BASELINE, "").line("reentrantLockNonFair").orElseThrow().jdk());
    assertTrue(Family.BASELINE.isJdk("synchronizedEscaped"));
    assertFalse(Family.BASELINE.isJdk("parkUnparkPingPong"));
  }

  @Test
  void theRatioIsToThePairedJdkLineAtTheSameThreadCount() {
    Report.Group g = group(Family.MUTEX, "work=0");
    Report.Line barging = g.line("primitivesBarging").orElseThrow();
    Report.Line fifo = g.line("primitivesFifo").orElseThrow();

    assertEquals(75.0 / 50.0, g.ratio(barging, 1).getAsDouble(), 1e-12);
    assertEquals(30.0 / 20.0, g.ratio(barging, 2).getAsDouble(), 1e-12);
    assertEquals(8.0 / 4.0, g.ratio(fifo, 2).getAsDouble(), 1e-12);
    assertEquals(OptionalDouble.empty(), g.ratio(g.line("jdkSynchronized").orElseThrow(), 1));
    assertEquals(OptionalDouble.empty(), g.ratio(barging, 4));
  }

  @Test
  void aRatioWhoseIntervalsOverlapIsWithinError() {
    Report.Group g = group(Family.MUTEX, "work=0");
    // primitivesFifo 40.5 ± 1 against jdkReentrantLockFair 40 ± 1 at 1 thread: overlap.
    assertTrue(g.withinError(g.line("primitivesFifo").orElseThrow(), 1));
    assertFalse(g.withinError(g.line("primitivesBarging").orElseThrow(), 1));
  }

  @Test
  void rendersATableRowPerImplementation() {
    String table = Report.table(group(Family.MUTEX, "work=0"));

    assertTrue(
        table.startsWith("| implementation | compared to | 1 thread | 2 threads |\n"), table);
    assertTrue(
        table.contains(
            "| `primitivesBarging` | `jdkReentrantLockNonFair` | 75.0 ± 1.0 (**1.50×**) |"
                + " 30.0 ± 1.0 (**1.50×**) |\n"),
        table);
    assertTrue(
        table.contains(
            "| `primitivesFifo` | `jdkReentrantLockFair` | 40.5 ± 1.0 (**≈1.01×**) |"
                + " 8.00 ± 0.50 (**2.00×**) |\n"),
        table);
    assertTrue(table.contains("| `jdkSynchronized` (JDK) |  | 60.0 | 30.0 |\n"), table);
  }

  @Test
  void aMissingThreadCountIsADash() {
    String table = Report.table(group(Family.BASELINE, ""));
    assertTrue(table.contains("| `parkUnparkPingPong` |  | — | 0.0250 ± 0.0020 |\n"), table);
  }

  @Test
  void theBlockHasTheSetupEveryFamilyAndTheFairnessFigures() {
    String md = Report.markdown(data, groups, "benchmarks");

    assertTrue(md.startsWith(Report.BEGIN + "\n"));
    assertTrue(md.endsWith(Report.END + "\n"));
    assertTrue(md.contains("| date | 2026-11-25 10:00 UTC |\n"), md);
    assertTrue(md.contains("| machine | 2 cores, Intel(R) Xeon(R) Processor, Linux 6.1.0 |\n"), md);
    assertTrue(
        md.contains("| JDK | 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1) |\n"),
        md);
    assertTrue(
        md.contains(
            "| JMH | 1.37, mode thrpt, 1 fork, 1 warm-up × 500 ms, 3 measurement × 500 ms |\n"),
        md);
    assertTrue(md.contains("| options | `-f 1 -wi 1 -w 500ms -i 3 -r 500ms` |\n"), md);
    assertTrue(md.contains("### Baseline\n"), md);
    assertTrue(md.contains("### Mutex\n\n#### work=0\n"), md);
    assertTrue(
        md.contains(
            "![Mutex (work=100): throughput against"
                + " threads](benchmarks/throughput-mutex-work-100.svg)"),
        md);
    assertTrue(
        md.contains("Not measured in this run: ReentrantMutex, Semaphores, Monitor, Timer."), md);
    assertTrue(md.contains("`dev.syncprims.bench.Scratch.tryThis`"), md);
    assertTrue(md.contains("## Fairness under contention\n"), md);
  }

  @Test
  void theFairnessTableListsTheLibrarysLocksBeforeTheJdks() {
    String table = Report.fairnessTable(data.fairness());
    List<String> rows = table.lines().toList();

    assertEquals(5, rows.size());
    assertTrue(
        rows.get(2)
            .startsWith(
                "| `primitivesMutexBarging` | mutex | 4 | 50 / 50 | 4.00 | ∞ (a thread never got it) |"),
        rows.get(2));
    assertTrue(
        rows.get(3)
            .startsWith(
                "| `jdkReentrantLockFair` | jdk | 4 | 50 / 50 | 1.00 | 1.00 | 0 | – | 1.50 ms | 10.0 µs |"),
        rows.get(3));
    assertTrue(
        rows.get(4)
            .startsWith(
                "| `jdkReentrantLockNonFair` | jdk | 4 | 50 / 50 | 4.00 | 3.00 | 0.354 | – | 12.5 ms"
                    + " | 5.00 µs |"),
        rows.get(4));
  }

  @Test
  void spliceReplacesOnlyTheGeneratedBlock() {
    String page =
        "# Benchmarks\n\nIntro by hand.\n\n"
            + Report.BEGIN
            + "\nold\n"
            + Report.END
            + "\n\n## Timer\n\nLateness, by hand.\n";

    String spliced = Report.splice(page, Report.BEGIN + "\nnew\n" + Report.END + "\n");

    assertEquals(
        "# Benchmarks\n\nIntro by hand.\n\n"
            + Report.BEGIN
            + "\nnew\n"
            + Report.END
            + "\n\n## Timer\n\nLateness, by hand.\n",
        spliced);
  }

  @Test
  void spliceAppendsToAPageWithoutABlockAndStartsAnEmptyOne() {
    String block = Report.BEGIN + "\nnew\n" + Report.END + "\n";

    assertEquals("# Mine\n\n" + block, Report.splice("# Mine\n", block));
    assertTrue(Report.splice("", block).startsWith("# Benchmarks\n"));
    assertTrue(Report.splice("", block).endsWith(block));
  }

  @Test
  void spliceRefusesBrokenMarkers() {
    String block = Report.BEGIN + "\nnew\n" + Report.END + "\n";

    assertThrows(
        IllegalStateException.class, () -> Report.splice("x\n" + Report.BEGIN + "\n", block));
    assertThrows(
        IllegalStateException.class, () -> Report.splice(Report.END + "\n" + Report.BEGIN, block));
    assertThrows(
        IllegalStateException.class,
        () -> Report.splice(Report.BEGIN + Report.BEGIN + Report.END, block));
  }

  @Test
  void checkPageAcceptsOneBlockOrNone() {
    Report.checkPage("# Benchmarks\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\nBy hand.\n");
    Report.checkPage("# Benchmarks\n\nNo block yet.\n");
    Report.checkPage("");
  }

  @Test
  void checkPageNamesWhatIsWrongWithTheMarkers() {
    String cut = "# Benchmarks\n\n" + Report.BEGIN + "\nold tables\n\n## Semaphores\n";
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Report.checkPage(cut));
    assertTrue(e.getMessage().contains("but no " + Report.END), e.getMessage());

    e =
        assertThrows(
            IllegalStateException.class, () -> Report.checkPage("x\n" + Report.END + "\n"));
    assertTrue(e.getMessage().contains("but no " + Report.BEGIN), e.getMessage());

    e =
        assertThrows(
            IllegalStateException.class,
            () -> Report.checkPage(Report.END + "\n" + Report.BEGIN + "\n"));
    assertTrue(e.getMessage().contains("comes before"), e.getMessage());

    e =
        assertThrows(
            IllegalStateException.class,
            () -> Report.checkPage(Report.BEGIN + "\n" + Report.END + "\n" + Report.END + "\n"));
    assertTrue(e.getMessage().contains(Report.END + " more than once"), e.getMessage());
  }

  @Test
  void chartFileNames() {
    assertEquals("throughput-baseline.svg", group(Family.BASELINE, "").chartFileName());
    assertEquals("throughput-mutex-work-0.svg", group(Family.MUTEX, "work=0").chartFileName());
  }
}
