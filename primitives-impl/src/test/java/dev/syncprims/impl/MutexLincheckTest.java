package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model checking with Lincheck: it runs small scenarios of operations on a few threads, explores
 * their interleavings systematically (switching threads at every shared-memory access, park and
 * unpark), and checks each outcome against a sequential model.
 *
 * <ul>
 *   <li><b>Mutual exclusion.</b> Each operation takes the lock (by one of the waiting methods),
 *       increments a plain counter and unlocks; the counter values returned must be those of some
 *       sequential order. Two holders at once (a lost update) or an unlock that throws fails the
 *       check.
 *   <li><b>States.</b> Operations that never wait ({@code tryLock}, {@code tryLock(0)}, {@code
 *       unlock}, the queries) are checked against a model that records which thread holds the
 *       lock (and how often). Each operation gets the number of the thread that runs it ({@link
 *       ThreadIdGen}), so that the model knows who is asking.
 * </ul>
 *
 * <p>What this does not show: Lincheck lets {@code LockSupport.park} return spuriously, and
 * the waiting core re-checks after every wake-up, so a lost wake-up is invisible here (the
 * contract tests, which wait for a real unpark, and the jcstress suite cover it). And Lincheck
 * makes {@code System.nanoTime()} return a constant, so a timed wait never expires here and a
 * BARGING head never becomes due its eventual-fairness hand-off: BARGING unlocks take the
 * free-and-signal path only (the hand-off path is the FIFO one, and jcstress's).
 *
 * <p>Iteration counts are kept small so that all of it runs in seconds; raise them locally to
 * search further.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutexLincheckTest {

  private static final int ITERATIONS = 4;
  private static final int INVOCATIONS = 150;

  private static ModelCheckingOptions options(Class<?> spec) {
    return new ModelCheckingOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(INVOCATIONS)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(0)
        .actorsAfter(0)
        .sequentialSpecification(spec);
  }

  @Test
  void mutexCountsUnderMutualExclusionBarging() {
    options(CounterModel.class).check(MutexBargingCounter.class);
  }

  @Test
  void mutexCountsUnderMutualExclusionFifo() {
    options(CounterModel.class).check(MutexFifoCounter.class);
  }

  @Test
  void reentrantMutexCountsUnderMutualExclusionBarging() {
    options(CounterModel.class).check(ReentrantBargingCounter.class);
  }

  @Test
  void reentrantMutexCountsUnderMutualExclusionFifo() {
    options(CounterModel.class).check(ReentrantFifoCounter.class);
  }

  @Test
  void mutexStatesFollowTheModelBarging() {
    options(MutexStatesModel.class).check(MutexBargingStates.class);
  }

  @Test
  void mutexStatesFollowTheModelFifo() {
    options(MutexStatesModel.class).check(MutexFifoStates.class);
  }

  @Test
  void reentrantMutexStatesFollowTheModelBarging() {
    options(ReentrantStatesModel.class).check(ReentrantBargingStates.class);
  }

  @Test
  void reentrantMutexStatesFollowTheModelFifo() {
    options(ReentrantStatesModel.class).check(ReentrantFifoStates.class);
  }

  // -----------------------------------------------------------------------------------------
  // Mutual exclusion

  /** A plain counter guarded by the lock under test; each operation returns the new value. */
  public abstract static class GuardedCounter {
    private final LockUnderTest lock;
    private int count;

    GuardedCounter(LockUnderTest lock) {
      this.lock = lock;
    }

    @Operation
    public int lockAndIncrement() {
      lock.lock();
      try {
        return ++count;
      } finally {
        lock.unlock();
      }
    }

    @Operation
    public int lockInterruptiblyAndIncrement() throws InterruptedException {
      lock.lockInterruptibly();
      try {
        return ++count;
      } finally {
        lock.unlock();
      }
    }

    @Operation
    public int tryLockAndIncrement() throws InterruptedException {
      if (!lock.tryLock(1, TimeUnit.DAYS)) {
        return -1;
      }
      try {
        return ++count;
      } finally {
        lock.unlock();
      }
    }

    @Operation
    public int lockedAndIncrement() {
      Held held = lock.locked();
      try {
        return ++count;
      } finally {
        held.close();
      }
    }
  }

  /** The sequential model of {@link GuardedCounter}. */
  public static final class CounterModel {
    private int count;

    public int lockAndIncrement() {
      return ++count;
    }

    public int lockInterruptiblyAndIncrement() {
      return ++count;
    }

    public int tryLockAndIncrement() {
      return ++count;
    }

    public int lockedAndIncrement() {
      return ++count;
    }
  }

  public static final class MutexBargingCounter extends GuardedCounter {
    public MutexBargingCounter() {
      super(LockUnderTest.Kind.MUTEX.create(Fairness.BARGING));
    }
  }

  public static final class MutexFifoCounter extends GuardedCounter {
    public MutexFifoCounter() {
      super(LockUnderTest.Kind.MUTEX.create(Fairness.FIFO));
    }
  }

  public static final class ReentrantBargingCounter extends GuardedCounter {
    public ReentrantBargingCounter() {
      super(LockUnderTest.Kind.REENTRANT_MUTEX.create(Fairness.BARGING));
    }
  }

  public static final class ReentrantFifoCounter extends GuardedCounter {
    public ReentrantFifoCounter() {
      super(LockUnderTest.Kind.REENTRANT_MUTEX.create(Fairness.FIFO));
    }
  }

  // -----------------------------------------------------------------------------------------
  // States of a Mutex

  /** Results of a lock attempt, as numbers the model can return too. */
  static final int ACQUIRED = 1;

  static final int NOT_ACQUIRED = 0;
  static final int SELF_DEADLOCK = -1;

  /** Non-waiting operations on a {@link Mutex}; {@code tid} names the calling thread. */
  @Param(name = "tid", gen = ThreadIdGen.class)
  public abstract static class MutexStates {
    private final Mutex mutex;

    MutexStates(Fairness fairness) {
      mutex = Primitives.mutex(fairness);
    }

    @Operation
    public boolean tryLock(@Param(name = "tid") int tid) {
      return mutex.tryLock();
    }

    @Operation
    public int tryLockZero(@Param(name = "tid") int tid) throws InterruptedException {
      try {
        return mutex.tryLock(0, TimeUnit.NANOSECONDS) ? ACQUIRED : NOT_ACQUIRED;
      } catch (IllegalStateException e) {
        return SELF_DEADLOCK;
      }
    }

    @Operation
    public boolean unlock(@Param(name = "tid") int tid) {
      try {
        mutex.unlock();
        return true;
      } catch (IllegalMonitorStateException e) {
        return false;
      }
    }

    @Operation
    public boolean isHeldByCurrentThread(@Param(name = "tid") int tid) {
      return mutex.isHeldByCurrentThread();
    }

    @Operation
    public boolean isLocked() {
      return mutex.isLocked();
    }

    @Operation
    public int getQueueLength() {
      return mutex.getQueueLength();
    }
  }

  /** The sequential model of {@link MutexStates}: who holds it, if anyone. */
  public static final class MutexStatesModel {
    private static final int NOBODY = -1;
    private int owner = NOBODY;

    public boolean tryLock(int tid) {
      if (owner != NOBODY) {
        return false;
      }
      owner = tid;
      return true;
    }

    public int tryLockZero(int tid) {
      if (owner == tid) {
        return SELF_DEADLOCK;
      }
      return tryLock(tid) ? ACQUIRED : NOT_ACQUIRED;
    }

    public boolean unlock(int tid) {
      if (owner != tid) {
        return false;
      }
      owner = NOBODY;
      return true;
    }

    public boolean isHeldByCurrentThread(int tid) {
      return owner == tid;
    }

    public boolean isLocked() {
      return owner != NOBODY;
    }

    public int getQueueLength() {
      return 0; // nothing here ever waits
    }
  }

  public static final class MutexBargingStates extends MutexStates {
    public MutexBargingStates() {
      super(Fairness.BARGING);
    }
  }

  public static final class MutexFifoStates extends MutexStates {
    public MutexFifoStates() {
      super(Fairness.FIFO);
    }
  }

  // -----------------------------------------------------------------------------------------
  // States of a ReentrantMutex

  /** Non-waiting operations on a {@link ReentrantMutex}; {@code tid} names the calling thread. */
  @Param(name = "tid", gen = ThreadIdGen.class)
  public abstract static class ReentrantStates {
    private final ReentrantMutex mutex;

    ReentrantStates(Fairness fairness) {
      mutex = Primitives.reentrantMutex(fairness);
    }

    @Operation
    public boolean tryLock(@Param(name = "tid") int tid) {
      return mutex.tryLock();
    }

    @Operation
    public boolean tryLockZero(@Param(name = "tid") int tid) throws InterruptedException {
      return mutex.tryLock(0, TimeUnit.NANOSECONDS);
    }

    @Operation
    public boolean unlock(@Param(name = "tid") int tid) {
      try {
        mutex.unlock();
        return true;
      } catch (IllegalMonitorStateException e) {
        return false;
      }
    }

    @Operation
    public int getHoldCount(@Param(name = "tid") int tid) {
      return mutex.getHoldCount();
    }

    @Operation
    public boolean isLocked() {
      return mutex.isLocked();
    }
  }

  /** The sequential model of {@link ReentrantStates}: who holds it, and how many times. */
  public static final class ReentrantStatesModel {
    private static final int NOBODY = -1;
    private int owner = NOBODY;
    private int holds;

    public boolean tryLock(int tid) {
      if (owner != NOBODY && owner != tid) {
        return false;
      }
      owner = tid;
      holds++;
      return true;
    }

    public boolean tryLockZero(int tid) {
      return tryLock(tid);
    }

    public boolean unlock(int tid) {
      if (owner != tid) {
        return false;
      }
      if (--holds == 0) {
        owner = NOBODY;
      }
      return true;
    }

    public int getHoldCount(int tid) {
      return owner == tid ? holds : 0;
    }

    public boolean isLocked() {
      return owner != NOBODY;
    }
  }

  public static final class ReentrantBargingStates extends ReentrantStates {
    public ReentrantBargingStates() {
      super(Fairness.BARGING);
    }
  }

  public static final class ReentrantFifoStates extends ReentrantStates {
    public ReentrantFifoStates() {
      super(Fairness.FIFO);
    }
  }
}
