package dev.syncprims.bench;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What deadlock detection costs: the same lock and unlock (and the same semaphore acquire and
 * release) in forks with {@code -Ddev.syncprims.deadlockDetection=true} ({@code ...On}) and
 * without ({@code ...Off}), with the JDK's counterpart in the same run as the yardstick. Run it at
 * 1 thread (the uncontended path: detection must cost nothing there for locks) and at 4 threads
 * on 2 cores (contended: every wait walks the wait-for graph under the detector's lock first).
 * Semaphores have no walk, but with detection on every acquire and release records its thread in
 * the semaphore's holder map, for {@code Deadlocks.find()}.
 *
 * <p>Against the library before detection existed, run {@code MutexBench.primitivesBarging} from
 * both builds' jars in one session (docs/benchmarks.md has the commands).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DeadlockDetectionBench {
  private static final String ON = "-Ddev.syncprims.deadlockDetection=true";

  long p01, p02, p03, p04, p05, p06, p07, p08;
  long counter;
  long q01, q02, q03, q04, q05, q06, q07, q08;
  final long[] spacer0 = Spacer.allocate();
  final Mutex mutex = Primitives.mutex();
  final long[] spacer1 = Spacer.allocate();
  final ReentrantLock jdkLock = new ReentrantLock();
  final long[] spacer2 = Spacer.allocate();
  final CountingSemaphore semaphore = Primitives.countingSemaphore(1);
  final long[] spacer3 = Spacer.allocate();
  final Semaphore jdkSemaphore = new Semaphore(1);
  final long[] spacer4 = Spacer.allocate();

  private void mutexRound() {
    Mutex m = mutex;
    m.lock();
    try {
      counter++;
    } finally {
      m.unlock();
    }
  }

  private void semaphoreRound() {
    CountingSemaphore s = semaphore;
    s.acquireUninterruptibly();
    try {
      counter++;
    } finally {
      s.release();
    }
  }

  @Benchmark
  public void mutexOff() {
    mutexRound();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = ON)
  public void mutexOn() {
    mutexRound();
  }

  @Benchmark
  public void jdkReentrantLock() {
    ReentrantLock l = jdkLock;
    l.lock();
    try {
      counter++;
    } finally {
      l.unlock();
    }
  }

  @Benchmark
  public void semaphoreOff() {
    semaphoreRound();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = ON)
  public void semaphoreOn() {
    semaphoreRound();
  }

  @Benchmark
  public void jdkSemaphore() {
    Semaphore s = jdkSemaphore;
    s.acquireUninterruptibly();
    try {
      counter++;
    } finally {
      s.release();
    }
  }
}
