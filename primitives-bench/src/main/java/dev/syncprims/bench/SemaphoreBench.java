package dev.syncprims.bench;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The library's counting semaphore against {@link java.util.concurrent.Semaphore}, in the same run,
 * run at 1, 2, 4 and 8 threads ({@code -t}):
 *
 * <ul>
 *   <li>single permit: {@code acquire(); work; release();} on a semaphore of {@value #PERMITS}
 *       permits ({@code primitivesBarging}, {@code primitivesFifo}, {@code jdkSemaphoreNonFair},
 *       {@code jdkSemaphoreFair});
 *   <li>multi-permit: {@code acquire(2); work; release(2);} on a semaphore of {@value
 *       #MULTI_PERMITS} permits (the same names with {@code Multi}).
 * </ul>
 *
 * Either way at most two threads are inside at a time, so from 3 threads on the benchmark measures
 * queueing, parking and waking. BARGING is compared with the non-fair JDK semaphore and FIFO with
 * the fair one. The work inside is a few nanoseconds of {@link Blackhole#consumeCPU}. Every
 * semaphore lives in one padded {@link Scope#Benchmark} state shared by all threads, so it
 * escapes and does not share a cache line with the others.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SemaphoreBench {
  static final int PERMITS = 2;
  static final int MULTI_PERMITS = 4;
  static final int WORK = 10;

  /** The semaphores, their references padded apart; one benchmark runs at a time, so the others are cold. */
  @State(Scope.Benchmark)
  public static class Shared {
    long p01, p02, p03, p04, p05, p06, p07, p08;
    final CountingSemaphore barging = Primitives.countingSemaphore(PERMITS, Fairness.BARGING);
    long q01, q02, q03, q04, q05, q06, q07, q08;
    final CountingSemaphore fifo = Primitives.countingSemaphore(PERMITS, Fairness.FIFO);
    long r01, r02, r03, r04, r05, r06, r07, r08;
    final Semaphore jdkNonFair = new Semaphore(PERMITS, false);
    long s01, s02, s03, s04, s05, s06, s07, s08;
    final Semaphore jdkFair = new Semaphore(PERMITS, true);
    long t01, t02, t03, t04, t05, t06, t07, t08;
    final CountingSemaphore bargingMulti =
        Primitives.countingSemaphore(MULTI_PERMITS, Fairness.BARGING);
    long u01, u02, u03, u04, u05, u06, u07, u08;
    final CountingSemaphore fifoMulti = Primitives.countingSemaphore(MULTI_PERMITS, Fairness.FIFO);
    long v01, v02, v03, v04, v05, v06, v07, v08;
    final Semaphore jdkNonFairMulti = new Semaphore(MULTI_PERMITS, false);
    long w01, w02, w03, w04, w05, w06, w07, w08;
    final Semaphore jdkFairMulti = new Semaphore(MULTI_PERMITS, true);
    long x01, x02, x03, x04, x05, x06, x07, x08;
  }

  @Benchmark
  public void primitivesBarging(Shared s) throws InterruptedException {
    s.barging.acquire();
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.barging.release();
    }
  }

  @Benchmark
  public void primitivesFifo(Shared s) throws InterruptedException {
    s.fifo.acquire();
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.fifo.release();
    }
  }

  @Benchmark
  public void jdkSemaphoreNonFair(Shared s) throws InterruptedException {
    s.jdkNonFair.acquire();
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.jdkNonFair.release();
    }
  }

  @Benchmark
  public void jdkSemaphoreFair(Shared s) throws InterruptedException {
    s.jdkFair.acquire();
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.jdkFair.release();
    }
  }

  @Benchmark
  public void primitivesBargingMulti(Shared s) throws InterruptedException {
    s.bargingMulti.acquire(2);
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.bargingMulti.release(2);
    }
  }

  @Benchmark
  public void primitivesFifoMulti(Shared s) throws InterruptedException {
    s.fifoMulti.acquire(2);
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.fifoMulti.release(2);
    }
  }

  @Benchmark
  public void jdkSemaphoreNonFairMulti(Shared s) throws InterruptedException {
    s.jdkNonFairMulti.acquire(2);
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.jdkNonFairMulti.release(2);
    }
  }

  @Benchmark
  public void jdkSemaphoreFairMulti(Shared s) throws InterruptedException {
    s.jdkFairMulti.acquire(2);
    try {
      Blackhole.consumeCPU(WORK);
    } finally {
      s.jdkFairMulti.release(2);
    }
  }
}
