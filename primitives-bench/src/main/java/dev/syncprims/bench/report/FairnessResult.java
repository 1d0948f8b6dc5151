package dev.syncprims.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The fairness figures of one lock at one thread count, as measured by {@link
 * dev.syncprims.bench.LockFairness} and read by the report.
 *
 * @param lock the name of the lock, {@code jdkReentrantLockFair}
 * @param family the report family it belongs to ({@code mutex}, {@code reentrant}), or {@code jdk}
 * @param threads how many threads contended for it
 * @param measuredNanos the length of the measurement (after the warm-up)
 * @param acquisitions how many times each thread acquired the lock during the measurement
 * @param longestWaitNanos the longest single wait, from calling {@code lock()} to its return
 * @param totalWaitNanos the sum of all waits, for the mean
 * @param criticalSectionTokens the work done while holding the lock, in {@code
 *     Blackhole.consumeCPU} tokens
 * @param thinkTokens the work done between a release and the next acquisition, in tokens
 * @param overtaken how many acquisitions by other threads happened while one thread waited, per
 *     acquisition: its median, 99th and 99.9th percentiles and maximum; all -1 when not measured
 *     (older runs)
 */
public record FairnessResult(
    String lock,
    String family,
    int threads,
    long measuredNanos,
    List<Long> acquisitions,
    long longestWaitNanos,
    long totalWaitNanos,
    long criticalSectionTokens,
    long thinkTokens,
    Overtaken overtaken) {

  /**
   * The distribution of overtaking: per acquisition, the number of acquisitions by other threads
   * between the call to {@code lock()} and its return. Unlike a wait in nanoseconds, a pause of
   * the whole machine (a hypervisor's preemption) cannot inflate it: nobody acquires while nobody
   * runs. The maximum can still catch a thread preempted alone between its call and its
   * enqueueing, while the others acquire an uncontended lock; the 99.9th percentile cannot.
   */
  public record Overtaken(long p50, long p99, long p999, long max) {
    /** The value of a run that did not measure it. */
    public static final Overtaken UNKNOWN = new Overtaken(-1, -1, -1, -1);

    /** The percentiles of a histogram whose last bucket holds everything at or above its index. */
    public static Overtaken of(long[] histogram, long max) {
      long n = 0;
      for (long c : histogram) {
        n += c;
      }
      if (n == 0) {
        return new Overtaken(0, 0, 0, 0);
      }
      return new Overtaken(
          percentile(histogram, n, 0.50),
          percentile(histogram, n, 0.99),
          percentile(histogram, n, 0.999),
          max);
    }

    private static long percentile(long[] histogram, long n, double q) {
      long rank = (long) Math.ceil(q * n);
      long seen = 0;
      for (int i = 0; i < histogram.length; i++) {
        seen += histogram[i];
        if (seen >= rank) {
          return i;
        }
      }
      return histogram.length - 1L;
    }

    /** "p50 / p99 / p99.9 / max", or a dash when not measured. */
    public String describe() {
      return p50 < 0 ? "–" : p50 + " / " + p99 + " / " + p999 + " / " + max;
    }
  }

  public FairnessResult {
    acquisitions = List.copyOf(acquisitions);
  }

  /** All acquisitions of all threads. */
  public long totalAcquisitions() {
    return acquisitions.stream().mapToLong(Long::longValue).sum();
  }

  /** Acquisitions per millisecond, all threads together. */
  public double acquisitionsPerMilli() {
    return measuredNanos == 0 ? 0 : totalAcquisitions() * 1e6 / measuredNanos;
  }

  /**
   * The most acquisitions of one thread divided by the fewest: 1 is perfectly even; infinite when a
   * thread never acquired the lock.
   */
  public double spread() {
    long max = acquisitions.stream().mapToLong(Long::longValue).max().orElse(0);
    long min = acquisitions.stream().mapToLong(Long::longValue).min().orElse(0);
    return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
  }

  /** The coefficient of variation of the per-thread acquisitions: standard deviation / mean. */
  public double coefficientOfVariation() {
    double mean = acquisitions.stream().mapToLong(Long::longValue).average().orElse(0);
    if (mean == 0) {
      return 0;
    }
    double variance =
        acquisitions.stream().mapToDouble(a -> (a - mean) * (a - mean)).average().orElse(0);
    return Math.sqrt(variance) / mean;
  }

  /** The mean wait of one acquisition. */
  public double meanWaitNanos() {
    long n = totalAcquisitions();
    return n == 0 ? 0 : (double) totalWaitNanos / n;
  }

  /** This result as a JSON object. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("lock", lock);
    o.addProperty("family", family);
    o.addProperty("threads", threads);
    o.addProperty("measuredNanos", measuredNanos);
    JsonArray a = new JsonArray();
    acquisitions.forEach(a::add);
    o.add("acquisitions", a);
    o.addProperty("longestWaitNanos", longestWaitNanos);
    o.addProperty("totalWaitNanos", totalWaitNanos);
    o.addProperty("criticalSectionTokens", criticalSectionTokens);
    o.addProperty("thinkTokens", thinkTokens);
    o.addProperty("overtakenP50", overtaken.p50());
    o.addProperty("overtakenP99", overtaken.p99());
    o.addProperty("overtakenP999", overtaken.p999());
    o.addProperty("overtakenMax", overtaken.max());
    return o;
  }

  /** Reads one result from the object written by {@link #toJson()}. */
  public static FairnessResult fromJson(JsonObject o) {
    List<Long> acquisitions = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray("acquisitions")) {
      acquisitions.add(e.getAsLong());
    }
    return new FairnessResult(
        o.get("lock").getAsString(),
        o.get("family").getAsString(),
        o.get("threads").getAsInt(),
        o.get("measuredNanos").getAsLong(),
        acquisitions,
        o.get("longestWaitNanos").getAsLong(),
        o.get("totalWaitNanos").getAsLong(),
        o.get("criticalSectionTokens").getAsLong(),
        o.get("thinkTokens").getAsLong(),
        o.has("overtakenP50")
            ? new Overtaken(
                o.get("overtakenP50").getAsLong(),
                o.get("overtakenP99").getAsLong(),
                o.get("overtakenP999").getAsLong(),
                o.get("overtakenMax").getAsLong())
            : Overtaken.UNKNOWN);
  }

  /** Reads a JSON array of results, the content of a {@code fairness-threads-N.json} file. */
  public static List<FairnessResult> parseAll(String json) {
    List<FairnessResult> results = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
      results.add(fromJson(e.getAsJsonObject()));
    }
    return results;
  }
}
