package dev.syncprims.bench;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
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
 * Throughput of {@link Mutex} against its JDK counterparts, every thread locking the same lock
 * (the thread count is JMH's {@code -t}, which {@code ./bench --threads 1,2,4,8} sets):
 *
 * <ul>
 *   <li>{@code primitivesBarging}, {@code primitivesFifo}: {@code QueuedMutex} in each fairness
 *       mode;
 *   <li>{@code jdkReentrantLockNonFair}, {@code jdkReentrantLockFair}: {@code ReentrantLock};
 *   <li>{@code jdkSynchronized}: a {@code synchronized} block on an object that escapes.
 * </ul>
 *
 * The critical section increments a shared counter and then burns {@code work} tokens of {@link
 * Blackhole#consumeCPU} (0: the shortest critical section there is; 100: a few hundred
 * nanoseconds). At one thread the figure is the uncontended cost of a lock and unlock; at 2
 * threads (the build machines have 2 cores) it is contention between running threads; at 4 and 8
 * threads it is mostly the cost of parking and waking. Compare each figure with the JDK lock of
 * the same fairness in the same run.
 *
 * <p>Every lock lives in the shared state (so it escapes: the JIT cannot elide it), is allocated
 * between spacer arrays so that it does not share a cache line with another lock or with the
 * counter, and the state's own fields are padded the same way.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MutexBench {

  /** Blackhole.consumeCPU tokens spent inside the critical section, after the increment. */
  @Param({"0", "100"})
  public int work;

  long p01, p02, p03, p04, p05, p06, p07, p08;
  long counter;
  long q01, q02, q03, q04, q05, q06, q07, q08;
  // Each lock is allocated between spacers (field initializers run in this order).
  final long[] spacer0 = Spacer.allocate();
  final Mutex barging = Primitives.mutex(Fairness.BARGING);
  final long[] spacer1 = Spacer.allocate();
  final Mutex fifo = Primitives.mutex(Fairness.FIFO);
  final long[] spacer2 = Spacer.allocate();
  final ReentrantLock nonFair = new ReentrantLock(false);
  final long[] spacer3 = Spacer.allocate();
  final ReentrantLock fair = new ReentrantLock(true);
  final long[] spacer4 = Spacer.allocate();
  final Object monitor = new Object();
  final long[] spacer5 = Spacer.allocate();

  private void criticalSection() {
    counter++;
    if (work > 0) {
      Blackhole.consumeCPU(work);
    }
  }

  @Benchmark
  public void primitivesBarging() {
    Mutex m = barging;
    m.lock();
    try {
      criticalSection();
    } finally {
      m.unlock();
    }
  }

  @Benchmark
  public void primitivesFifo() {
    Mutex m = fifo;
    m.lock();
    try {
      criticalSection();
    } finally {
      m.unlock();
    }
  }

  @Benchmark
  public void jdkReentrantLockNonFair() {
    ReentrantLock l = nonFair;
    l.lock();
    try {
      criticalSection();
    } finally {
      l.unlock();
    }
  }

  @Benchmark
  public void jdkReentrantLockFair() {
    ReentrantLock l = fair;
    l.lock();
    try {
      criticalSection();
    } finally {
      l.unlock();
    }
  }

  @Benchmark
  public void jdkSynchronized() {
    synchronized (monitor) {
      criticalSection();
    }
  }
}
