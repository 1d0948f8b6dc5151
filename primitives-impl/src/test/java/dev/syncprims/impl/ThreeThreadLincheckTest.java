package dev.syncprims.impl;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Monitor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generated scenarios of three threads, model-checked by Lincheck against a sequential model,
 * for the blocking operations of semaphores and monitors ({@link MutexLincheckTest} does the
 * same for the mutexes, {@link SemaphoreLincheckTest} the non-blocking semaphore operations).
 *
 * <p>Every operation takes the primitive by one of its waiting methods, does its work inside, and
 * gives it back, so every scenario can finish whatever the interleaving (a scenario in which a
 * thread can never finish fails as a hang):
 *
 * <ul>
 *   <li><b>Semaphores</b>, two permits, requests of one or two: inside, a thread adds its permits
 *       to a count of permits in use and checks that the count never exceeds two. Every operation
 *       returns that check, which the model says is always true. A permit handed out twice, or
 *       taken from a count that did not have it, fails the check; one that is never given back
 *       makes a later request wait for ever.
 *   <li><b>Monitors</b>, MESA and HOARE: each operation enters (once or twice, by one of the
 *       entering methods, with a {@code signalAll()} of a condition nobody waits on for good
 *       measure) and increments a plain counter; the values returned must be those of some
 *       sequential order.
 * </ul>
 *
 * <p>Positive timeouts never expire in the model checker (see {@link ModelChecked}), so a timed
 * operation here is a blocking one that must succeed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThreeThreadLincheckTest {

  private static ModelCheckingOptions options(Class<?> model) {
    return new ModelCheckingOptions()
        .iterations(Integer.getInteger("syncprims.lincheck.iterations", 3))
        .invocationsPerIteration(ModelChecked.INVOCATIONS)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(0)
        .actorsAfter(0)
        .sequentialSpecification(model);
  }

  @Test
  void semaphoreBargingNeverHandsOutMorePermitsThanItHas() {
    options(AlwaysTrue.class).check(SemaphoreBarging.class);
  }

  @Test
  void semaphoreFifoNeverHandsOutMorePermitsThanItHas() {
    options(AlwaysTrue.class).check(SemaphoreFifo.class);
  }

  @Test
  void mesaMonitorCountsUnderMutualExclusion() {
    options(CounterModel.class).check(MesaCounter.class);
  }

  @Test
  void hoareMonitorCountsUnderMutualExclusion() {
    options(CounterModel.class).check(HoareCounter.class);
  }

  // -----------------------------------------------------------------------------------------
  // Semaphores

  /** The permits of the semaphores under test. */
  static final int PERMITS = 2;

  /** Blocking operations on a semaphore of {@link #PERMITS} permits; {@code n} is 1 or 2. */
  @Param(name = "n", gen = IntGen.class, conf = "1:2")
  public abstract static class SemaphoreOps {
    private final CountingSemaphore s;
    private final AtomicInteger inUse = new AtomicInteger();

    SemaphoreOps(Fairness fairness) {
      s = Primitives.boundedSemaphore(PERMITS, PERMITS, fairness);
    }

    /** Counts {@code n} permits in use while inside; whether the count stayed within bounds. */
    private boolean use(int n) {
      boolean ok = inUse.addAndGet(n) <= PERMITS;
      inUse.addAndGet(-n);
      return ok;
    }

    @Operation
    public boolean acquire(@Param(name = "n") int n) throws InterruptedException {
      s.acquire(n);
      try {
        return use(n);
      } finally {
        s.release(n);
      }
    }

    @Operation
    public boolean acquireUninterruptibly(@Param(name = "n") int n) {
      s.acquireUninterruptibly(n);
      try {
        return use(n);
      } finally {
        s.release(n);
      }
    }

    @Operation
    public boolean tryAcquireForADay(@Param(name = "n") int n) throws InterruptedException {
      if (!s.tryAcquire(n, 1, TimeUnit.DAYS)) {
        return false; // never in the model checker, where time stands still
      }
      try {
        return use(n);
      } finally {
        s.release(n);
      }
    }

    @Operation
    public boolean acquired(@Param(name = "n") int n) throws InterruptedException {
      Held h = s.acquired(n);
      try {
        return use(n);
      } finally {
        h.close();
      }
    }

    @Operation
    public boolean tryAcquire(@Param(name = "n") int n) throws InterruptedException {
      // Untimed, or with a zero timeout: may fail, but never hands out a permit it lacks.
      boolean got = n == 1 ? s.tryAcquire(n) : s.tryAcquire(n, 0, TimeUnit.NANOSECONDS);
      if (!got) {
        return true;
      }
      try {
        return use(n);
      } finally {
        s.release(n);
      }
    }
  }

  /** The sequential model of {@link SemaphoreOps}: every check holds. */
  public static final class AlwaysTrue {
    public boolean acquire(int n) {
      return true;
    }

    public boolean acquireUninterruptibly(int n) {
      return true;
    }

    public boolean tryAcquireForADay(int n) {
      return true;
    }

    public boolean acquired(int n) {
      return true;
    }

    public boolean tryAcquire(int n) {
      return true;
    }
  }

  public static final class SemaphoreBarging extends SemaphoreOps {
    public SemaphoreBarging() {
      super(Fairness.BARGING);
    }
  }

  public static final class SemaphoreFifo extends SemaphoreOps {
    public SemaphoreFifo() {
      super(Fairness.FIFO);
    }
  }

  // -----------------------------------------------------------------------------------------
  // Monitors

  /** A plain counter guarded by a monitor; each operation returns the new value. */
  public abstract static class MonitorCounter {
    private final Monitor m;
    private final Monitor.Condition nobodyWaits;
    private int count;

    MonitorCounter(Monitor.Semantics semantics) {
      m = new QueuedMonitor(semantics, Fairness.BARGING);
      nobodyWaits = m.newCondition();
    }

    @Operation
    public int enterAndIncrement() {
      m.enter();
      try {
        return ++count;
      } finally {
        m.exit();
      }
    }

    @Operation
    public int enterTwiceAndIncrement() throws InterruptedException {
      m.enterInterruptibly();
      m.enter();
      try {
        nobodyWaits.signalAll();
        return ++count;
      } finally {
        m.exit();
        m.exit();
      }
    }

    @Operation
    public int tryEnterForADayAndIncrement() throws InterruptedException {
      if (!m.tryEnter(1, TimeUnit.DAYS)) {
        return -1; // never in the model checker, where time stands still
      }
      try {
        return ++count;
      } finally {
        m.exit();
      }
    }

    @Operation
    public int enteredAndIncrement() {
      Held h = m.entered();
      try {
        nobodyWaits.signal();
        return ++count;
      } finally {
        h.close();
      }
    }
  }

  /** The sequential model of {@link MonitorCounter}. */
  public static final class CounterModel {
    private int count;

    public int enterAndIncrement() {
      return ++count;
    }

    public int enterTwiceAndIncrement() {
      return ++count;
    }

    public int tryEnterForADayAndIncrement() {
      return ++count;
    }

    public int enteredAndIncrement() {
      return ++count;
    }
  }

  public static final class MesaCounter extends MonitorCounter {
    public MesaCounter() {
      super(Monitor.Semantics.MESA);
    }
  }

  public static final class HoareCounter extends MonitorCounter {
    public HoareCounter() {
      super(Monitor.Semantics.HOARE);
    }
  }
}
