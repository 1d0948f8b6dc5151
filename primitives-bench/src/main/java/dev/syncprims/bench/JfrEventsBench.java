package dev.syncprims.bench;

import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the JFR event {@code dev.syncprims.Contended} costs a contended {@link Mutex}: 4 threads
 * (by default; JMH's {@code -t} changes it) lock one mutex around a small critical section, while
 * JFR is in one of three states ({@code jfr}):
 *
 * <ul>
 *   <li>{@code off}: no recording was ever made in the JVM (each parameter value runs in a fork of
 *       its own), so every contended wait asks one volatile field whether JFR is up;
 *   <li>{@code disabled}: a recording runs with the event disabled: the wait asks JFR whether the
 *       event is enabled (a field read) and records nothing;
 *   <li>{@code enabled}: a recording runs with the event enabled and its default threshold, 20 ms,
 *       which almost no wait here reaches: every contended wait creates the event and describes
 *       the mutex (its {@code toString()} and owner), and almost none is written.
 * </ul>
 *
 * {@code primitivesMutex} is the library's mutex ({@code BARGING}); {@code jdkReentrantLock}, which
 * has no such event, is measured in the same forks as a yardstick for the noise between them.
 * Compare {@code primitivesMutex} across the three values of {@code jfr}, each as a ratio to
 * {@code jdkReentrantLock} of the same fork.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
@State(Scope.Benchmark)
public class JfrEventsBench {

  /** The name of the event measured. */
  static final String CONTENDED = "dev.syncprims.Contended";

  /** JFR's state during the trial: {@code off}, {@code disabled} or {@code enabled}. */
  @Param({"off", "disabled", "enabled"})
  public String jfr;

  /** Blackhole.consumeCPU tokens spent inside the critical section, after the increment. */
  @Param({"10"})
  public int work;

  long p01, p02, p03, p04, p05, p06, p07, p08;
  long counter;
  long q01, q02, q03, q04, q05, q06, q07, q08;
  // Each lock is allocated between spacers (field initializers run in this order).
  final long[] spacer0 = Spacer.allocate();
  final Mutex mutex = Primitives.mutex();
  final long[] spacer1 = Spacer.allocate();
  final ReentrantLock reentrantLock = new ReentrantLock(false);
  final long[] spacer2 = Spacer.allocate();

  private @Nullable Recording recording;

  @Setup(Level.Trial)
  public void startRecording() {
    if (!jfr.equals("off") && !jfr.equals("disabled") && !jfr.equals("enabled")) {
      throw new IllegalArgumentException("jfr must be off, disabled or enabled, not " + jfr);
    }
    if (jfr.equals("off")) {
      return; // and nothing in this fork starts JFR
    }
    Recording r = new Recording();
    if (jfr.equals("disabled")) {
      r.disable(CONTENDED);
    } else {
      r.enable(CONTENDED).withThreshold(Duration.ofMillis(20)).withStackTrace();
    }
    r.setToDisk(false);
    r.start();
    recording = r;
  }

  @TearDown(Level.Trial)
  public void stopRecording() {
    Recording r = recording;
    if (r != null) {
      r.close();
      recording = null;
    }
  }

  private void criticalSection() {
    counter++;
    if (work > 0) {
      Blackhole.consumeCPU(work);
    }
  }

  @Benchmark
  public void primitivesMutex() {
    Mutex m = mutex;
    m.lock();
    try {
      criticalSection();
    } finally {
      m.unlock();
    }
  }

  @Benchmark
  public void jdkReentrantLock() {
    ReentrantLock l = reentrantLock;
    l.lock();
    try {
      criticalSection();
    } finally {
      l.unlock();
    }
  }
}
