package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FairnessResultTest {

  private static FairnessResult result(List<Long> acquisitions) {
    return new FairnessResult(
        "lock",
        "jdk",
        acquisitions.size(),
        2_000_000_000L,
        acquisitions,
        12_500_000L,
        40_000_000L,
        50,
        50,
        new FairnessResult.Overtaken(0, 3, 5, 7));
  }

  @Test
  void overtakenPercentilesComeFromTheHistogram() {
    long[] histogram = new long[8];
    histogram[0] = 900; // 900 acquisitions nobody overtook
    histogram[2] = 90;
    histogram[3] = 9;
    histogram[7] = 1; // the last bucket: 7 or more
    FairnessResult.Overtaken o = FairnessResult.Overtaken.of(histogram, 12);
    assertEquals(0, o.p50());
    assertEquals(2, o.p99());
    assertEquals(3, o.p999());
    assertEquals(12, o.max());
    assertEquals("0 / 2 / 3 / 12", o.describe());
    assertEquals("–", FairnessResult.Overtaken.UNKNOWN.describe());
  }

  @Test
  void overtakenSurvivesJsonAndOlderFilesReadAsUnknown() {
    FairnessResult r = result(List.of(1L, 2L));
    assertEquals(r, FairnessResult.fromJson(r.toJson()));
    com.google.gson.JsonObject old = r.toJson();
    old.remove("overtakenP50");
    old.remove("overtakenP99");
    old.remove("overtakenP999");
    old.remove("overtakenMax");
    assertEquals(FairnessResult.Overtaken.UNKNOWN, FairnessResult.fromJson(old).overtaken());
  }

  @Test
  void spreadIsTheMostOverTheFewest() {
    assertEquals(3.0, result(List.of(1000L, 3000L, 2000L, 2000L)).spread(), 1e-12);
    assertEquals(1.0, result(List.of(500L, 500L)).spread(), 1e-12);
  }

  @Test
  void aStarvedThreadMakesTheSpreadInfinite() {
    assertTrue(Double.isInfinite(result(List.of(0L, 10L)).spread()));
  }

  @Test
  void coefficientOfVariation() {
    // mean 2000, deviations -1000, 1000, 0, 0: variance 500000, sd 707.1
    assertEquals(
        Math.sqrt(500_000) / 2000,
        result(List.of(1000L, 3000L, 2000L, 2000L)).coefficientOfVariation(),
        1e-12);
    assertEquals(0.0, result(List.of(7L, 7L, 7L)).coefficientOfVariation(), 1e-12);
  }

  @Test
  void ratesAndMeans() {
    FairnessResult r = result(List.of(1000L, 3000L, 2000L, 2000L));
    assertEquals(8000, r.totalAcquisitions());
    assertEquals(4.0, r.acquisitionsPerMilli(), 1e-12); // 8000 in 2000 ms
    assertEquals(5000.0, r.meanWaitNanos(), 1e-12); // 40 ms over 8000
  }

  @Test
  void roundTripsThroughJson() {
    FairnessResult r = result(List.of(1000L, 3000L));
    assertEquals(r, FairnessResult.fromJson(r.toJson()));
    assertEquals(List.of(r), FairnessResult.parseAll("[" + r.toJson() + "]"));
  }
}
