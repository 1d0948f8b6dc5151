package dev.syncprims.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The floors and the JDK anchors every later ratio refers to, run at 1 and 2 threads ({@code -t}):
 *
 * <ul>
 *   <li>{@code casAcquireReleaseStore}: one CAS from 0 to 1 and one release store back to 0 on a
 *       VarHandle, the least a lock can do per acquisition (it spins on a failed CAS, so under
 *       contention it is a spin lock, not a blocking one);
 *   <li>{@code reentrantLockNonFair} and {@code reentrantLockFair}: {@code lock(); unlock();};
 *   <li>{@code synchronizedEscaped}: an empty {@code synchronized} block on an object that escapes
 *       (the state is shared by all threads, so the JIT cannot elide the lock);
 *   <li>{@code parkUnparkPingPong}: two threads passing a turn back and forth with {@code
 *       LockSupport.park/unpark}, the floor of a hand-off from one thread to a parked one.
 * </ul>
 *
 * The shared state is padded so that the word under test does not share a cache line with other
 * hot fields.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Baseline {

  /** Shared by every benchmark thread; every lock guards {@code counter} (a one-increment critical section). */
  @State(Scope.Benchmark)
  public static class Shared {
    long p01, p02, p03, p04, p05, p06, p07, p08;
    volatile int word;
    long q01, q02, q03, q04, q05, q06, q07, q08;
    final ReentrantLock nonFair = new ReentrantLock(false);
    final ReentrantLock fair = new ReentrantLock(true);
    final Object monitor = new Object();
    long counter;

    boolean casWord() {
      return WORD.compareAndSet(this, 0, 1);
    }

    void releaseWord() {
      WORD.setRelease(this, 0);
    }

    private static final VarHandle WORD;

    static {
      try {
        WORD = MethodHandles.lookup().findVarHandle(Shared.class, "word", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  @Benchmark
  public void casAcquireReleaseStore(Shared s) {
    while (!s.casWord()) {
      Thread.onSpinWait();
    }
    try {
      s.counter++;
    } finally {
      s.releaseWord();
    }
  }

  @Benchmark
  public void reentrantLockNonFair(Shared s) {
    s.nonFair.lock();
    try {
      s.counter++;
    } finally {
      s.nonFair.unlock();
    }
  }

  @Benchmark
  public void reentrantLockFair(Shared s) {
    s.fair.lock();
    try {
      s.counter++;
    } finally {
      s.fair.unlock();
    }
  }

  @Benchmark
  public void synchronizedEscaped(Shared s) {
    synchronized (s.monitor) {
      s.counter++;
    }
  }

  /** The turn passed between the two threads of {@code parkUnparkPingPong}. */
  @State(Scope.Group)
  public static class PingPong {
    volatile int turn;
    volatile @Nullable Thread ping;
    volatile @Nullable Thread pong;
  }

  @Benchmark
  @Group("parkUnparkPingPong")
  @GroupThreads(1)
  public void ping(PingPong s, Control control) {
    if (s.ping == null) {
      s.ping = Thread.currentThread();
    }
    if (awaitTurn(s, 0, control)) {
      s.turn = 1;
      LockSupport.unpark(s.pong);
    }
  }

  @Benchmark
  @Group("parkUnparkPingPong")
  @GroupThreads(1)
  public void pong(PingPong s, Control control) {
    if (s.pong == null) {
      s.pong = Thread.currentThread();
    }
    if (awaitTurn(s, 1, control)) {
      s.turn = 0;
      LockSupport.unpark(s.ping);
    }
  }

  /**
   * Parks until it is {@code me}'s turn. The park is bounded so that a thread whose partner has
   * already left the measurement (or has not yet published itself) is not stranded.
   */
  private static boolean awaitTurn(PingPong s, int me, Control control) {
    while (s.turn != me) {
      if (control.stopMeasurement) {
        return false;
      }
      LockSupport.parkNanos(s, 100_000L);
    }
    return true;
  }
}
