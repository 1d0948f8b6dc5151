package dev.syncprims.bench;

import dev.syncprims.Fairness;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link ReentrantMutex} against {@link ReentrantLock}, with one re-entry per
 * operation: lock, lock again, critical section, unlock, unlock. Every thread locks the same lock
 * (the thread count is JMH's {@code -t}):
 *
 * <ul>
 *   <li>{@code primitivesBarging}, {@code primitivesFifo}: {@code QueuedReentrantMutex} in each
 *       fairness mode;
 *   <li>{@code jdkReentrantLockNonFair}, {@code jdkReentrantLockFair}: {@code ReentrantLock}.
 * </ul>
 *
 * The critical section and the layout of the shared state are those of {@link MutexBench}: a
 * counter increment plus {@code work} tokens of {@link Blackhole#consumeCPU}, each lock allocated
 * between spacers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ReentrantMutexBench {

  /** Blackhole.consumeCPU tokens spent inside the critical section, after the increment. */
  @Param({"0", "100"})
  public int work;

  long p01, p02, p03, p04, p05, p06, p07, p08;
  long counter;
  long q01, q02, q03, q04, q05, q06, q07, q08;
  // Each lock is allocated between spacers (field initializers run in this order).
  final long[] spacer0 = Spacer.allocate();
  final ReentrantMutex barging = Primitives.reentrantMutex(Fairness.BARGING);
  final long[] spacer1 = Spacer.allocate();
  final ReentrantMutex fifo = Primitives.reentrantMutex(Fairness.FIFO);
  final long[] spacer2 = Spacer.allocate();
  final ReentrantLock nonFair = new ReentrantLock(false);
  final long[] spacer3 = Spacer.allocate();
  final ReentrantLock fair = new ReentrantLock(true);
  final long[] spacer4 = Spacer.allocate();

  private void criticalSection() {
    counter++;
    if (work > 0) {
      Blackhole.consumeCPU(work);
    }
  }

  @Benchmark
  public void primitivesBarging() {
    ReentrantMutex m = barging;
    m.lock();
    try {
      m.lock();
      try {
        criticalSection();
      } finally {
        m.unlock();
      }
    } finally {
      m.unlock();
    }
  }

  @Benchmark
  public void primitivesFifo() {
    ReentrantMutex m = fifo;
    m.lock();
    try {
      m.lock();
      try {
        criticalSection();
      } finally {
        m.unlock();
      }
    } finally {
      m.unlock();
    }
  }

  @Benchmark
  public void jdkReentrantLockNonFair() {
    ReentrantLock l = nonFair;
    l.lock();
    try {
      l.lock();
      try {
        criticalSection();
      } finally {
        l.unlock();
      }
    } finally {
      l.unlock();
    }
  }

  @Benchmark
  public void jdkReentrantLockFair() {
    ReentrantLock l = fair;
    l.lock();
    try {
      l.lock();
      try {
        criticalSection();
      } finally {
        l.unlock();
      }
    } finally {
      l.unlock();
    }
  }
}
