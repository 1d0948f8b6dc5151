package dev.syncprims.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One entry of a JMH JSON result: one benchmark, with one combination of parameter values, at one
 * thread count.
 *
 * @param benchmark the full JMH name, {@code dev.syncprims.bench.MutexBench.primitivesBarging} (for
 *     a {@code @Group} benchmark, the group's name)
 * @param params the {@code @Param} values, in JMH's order; empty when the benchmark has none
 * @param threads the number of threads that ran it
 * @param score the primary metric (operations per time unit in {@code Mode.Throughput})
 * @param error the half-width of JMH's 99.9 % confidence interval; {@code NaN} when JMH had too few
 *     iterations to compute one (fewer than three)
 * @param unit JMH's unit, {@code ops/us}
 * @param settings how it was run
 */
public record Measurement(
    String benchmark,
    Map<String, String> params,
    int threads,
    double score,
    double error,
    String unit,
    Settings settings) {

  /** The options and JVM of a measurement, as JMH records them in each entry. */
  public record Settings(
      String jmhVersion,
      String jdkVersion,
      String vmName,
      String vmVersion,
      String mode,
      int forks,
      int warmupIterations,
      String warmupTime,
      int measurementIterations,
      String measurementTime) {}

  public Measurement {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The benchmark method (or group) name: the part after the last dot. */
  public String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** The parameter values as one label, {@code "work=10, permits=2"}; empty when there are none. */
  public String paramsLabel() {
    return params.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** Whether JMH computed a confidence interval. */
  public boolean hasError() {
    return !Double.isNaN(error) && !Double.isInfinite(error);
  }
}
