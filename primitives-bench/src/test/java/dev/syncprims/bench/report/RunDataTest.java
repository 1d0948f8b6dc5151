package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDataTest {

  @Test
  void readsEveryThreadsFileOfTheDirectory() throws IOException {
    RunData data = RunData.load(Fixture.directory());

    // threads-1.json: 3 baseline + 10 mutex + 1 unmatched; threads-2.json: 3 + 10; the ping-pong
    // group reports 2 threads in both files and is kept once.
    assertEquals(26, data.measurements().size());
    assertEquals(3, data.fairness().size());
    assertEquals("2", data.run().get("cores"));
    assertEquals("Intel(R) Xeon(R) Processor", data.run().get("cpu"));
  }

  @Test
  void parsesTheFieldsOfAnEntry() throws IOException {
    Measurement m =
        find(RunData.load(Fixture.directory()), "MutexBench.primitivesBarging", 2, "100");

    assertEquals("dev.syncprims.bench.MutexBench.primitivesBarging", m.benchmark());
    assertEquals("primitivesBarging", m.method());
    assertEquals(Map.of("work", "100"), m.params());
    assertEquals("work=100", m.paramsLabel());
    assertEquals(3.0, m.score(), 1e-9);
    assertEquals(0.1, m.error(), 1e-9);
    assertEquals("ops/us", m.unit());
    assertEquals("17.0.15", m.settings().jdkVersion());
    assertEquals("OpenJDK 64-Bit Server VM", m.settings().vmName());
    assertEquals(1, m.settings().forks());
    assertEquals(3, m.settings().measurementIterations());
    assertEquals("500 ms", m.settings().measurementTime());
    assertEquals("thrpt", m.settings().mode());
  }

  @Test
  void anErrorJmhCouldNotComputeIsNaN() throws IOException {
    Measurement m = find(RunData.load(Fixture.directory()), "MutexBench.jdkSynchronized", 1, "0");

    assertTrue(Double.isNaN(m.error()));
    assertFalse(m.hasError());
  }

  @Test
  void aGroupReportedAtTheSameThreadCountInTwoFilesKeepsTheMatchingFile() throws IOException {
    List<Measurement> pingPong =
        RunData.load(Fixture.directory()).measurements().stream()
            .filter(m -> m.method().equals("parkUnparkPingPong"))
            .toList();

    assertEquals(1, pingPong.size());
    assertEquals(2, pingPong.get(0).threads());
    assertEquals(0.025, pingPong.get(0).score(), 1e-12); // from threads-2.json, not threads-1.json
  }

  @Test
  void parametersKeepJmhsOrder() {
    String json =
        "[{\"benchmark\":\"a.B.c\",\"mode\":\"thrpt\",\"threads\":1,\"forks\":1,"
            + "\"warmupIterations\":1,\"measurementIterations\":1,"
            + "\"params\":{\"zeta\":\"1\",\"alpha\":\"2\"},"
            + "\"primaryMetric\":{\"score\":1.5,\"scoreError\":0.5,\"scoreUnit\":\"ops/ms\"}}]";

    Measurement m = RunData.parseJmh(json).get(0);

    assertEquals("zeta=1, alpha=2", m.paramsLabel());
    assertEquals("", m.settings().jdkVersion());
  }

  @Test
  void aMissingDirectoryIsAnError(@TempDir Path tmp) {
    assertThrows(IOException.class, () -> RunData.load(tmp.resolve("absent")));
  }

  static Measurement find(RunData data, String benchmarkSuffix, int threads, String work) {
    return data.measurements().stream()
        .filter(m -> m.benchmark().endsWith(benchmarkSuffix))
        .filter(m -> m.threads() == threads)
        .filter(m -> work.equals(m.params().get("work")))
        .findFirst()
        .orElseThrow();
  }
}
