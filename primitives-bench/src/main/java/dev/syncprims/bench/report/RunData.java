package dev.syncprims.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything one run of {@code ./bench --report} left in its results directory:
 *
 * <ul>
 *   <li>{@code threads-N.json}: JMH's JSON output of the run at {@code -t N}, one per thread count;
 *   <li>{@code fairness-threads-N.json} and {@code fairness-starving-threads-N.json} (the workload
 *       in which a non-fair lock starves a thread): the figures of {@link
 *       dev.syncprims.bench.LockFairness};
 *   <li>{@code run.properties}: what JMH does not record: the date, the machine (cores, CPU model,
 *       OS), the profile and the options given to JMH.
 * </ul>
 *
 * @param directory where the files were read from
 * @param run the content of {@code run.properties}; empty when there is none
 * @param measurements every JMH entry, in the order of the files (by thread count) and within a
 *     file
 * @param fairness every fairness figure
 */
public record RunData(
    Path directory,
    Map<String, String> run,
    List<Measurement> measurements,
    List<FairnessResult> fairness) {

  private static final Pattern THREADS_FILE = Pattern.compile("threads-(\\d+)\\.json");
  private static final Pattern FAIRNESS_FILE = Pattern.compile("fairness-(?:starving-)?threads-(\\d+)\\.json");

  public RunData {
    run = Collections.unmodifiableMap(new LinkedHashMap<>(run));
    measurements = List.copyOf(measurements);
    fairness = List.copyOf(fairness);
  }

  /** Reads a results directory. */
  public static RunData load(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("not a results directory: " + directory);
    }
    Map<String, String> run = new LinkedHashMap<>();
    Path properties = directory.resolve("run.properties");
    if (Files.exists(properties)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      p.stringPropertyNames().stream().sorted().forEach(k -> run.put(k, p.getProperty(k)));
    }

    // Keyed by benchmark, parameters and thread count. A @Group benchmark runs with a multiple of
    // its group size, so the runs at -t 1 and -t 2 of a two-thread group both report 2 threads:
    // the entry of the file whose N is the reported thread count wins, else the first one read.
    Map<String, Measurement> byKey = new LinkedHashMap<>();
    for (Path file : numbered(directory, THREADS_FILE)) {
      int fileThreads = number(file, THREADS_FILE);
      for (Measurement m : parseJmh(Files.readString(file, StandardCharsets.UTF_8))) {
        String key = m.benchmark() + "|" + m.paramsLabel() + "|" + m.threads();
        if (!byKey.containsKey(key) || m.threads() == fileThreads) {
          byKey.put(key, m);
        }
      }
    }
    List<FairnessResult> fairness = new ArrayList<>();
    for (Path file : numbered(directory, FAIRNESS_FILE)) {
      fairness.addAll(FairnessResult.parseAll(Files.readString(file, StandardCharsets.UTF_8)));
    }
    return new RunData(directory, run, new ArrayList<>(byKey.values()), fairness);
  }

  /** Parses JMH's JSON output ({@code -rf json}): an array with one object per measurement. */
  public static List<Measurement> parseJmh(String json) {
    List<Measurement> result = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      Map<String, String> params = new LinkedHashMap<>();
      JsonObject p = o.getAsJsonObject("params");
      if (p != null) {
        p.entrySet().forEach(entry -> params.put(entry.getKey(), entry.getValue().getAsString()));
      }
      JsonObject primary = o.getAsJsonObject("primaryMetric");
      Measurement.Settings settings =
          new Measurement.Settings(
              text(o, "jmhVersion"),
              text(o, "jdkVersion"),
              text(o, "vmName"),
              text(o, "vmVersion"),
              text(o, "mode"),
              o.get("forks").getAsInt(),
              o.get("warmupIterations").getAsInt(),
              text(o, "warmupTime"),
              o.get("measurementIterations").getAsInt(),
              text(o, "measurementTime"));
      result.add(
          new Measurement(
              o.get("benchmark").getAsString(),
              params,
              o.get("threads").getAsInt(),
              primary.get("score").getAsDouble(),
              primary.get("scoreError").getAsDouble(), // "NaN" when JMH computed none
              primary.get("scoreUnit").getAsString(),
              settings));
    }
    return result;
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }

  private static List<Path> numbered(Path directory, Pattern name) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> name.matcher(Objects.toString(f.getFileName())).matches())
          .sorted(Comparator.comparingInt(f -> number(f, name)))
          .toList();
    }
  }

  private static int number(Path file, Pattern name) {
    Matcher m = name.matcher(Objects.toString(file.getFileName()));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a numbered results file: " + file);
    }
    return Integer.parseInt(m.group(1));
  }
}
