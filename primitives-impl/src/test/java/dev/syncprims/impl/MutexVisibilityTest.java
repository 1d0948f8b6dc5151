package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What tools see: a thread blocked on a mutex is parked with the mutex as its blocker, and
 * because the locks extend AbstractOwnableSynchronizer, ThreadMXBean names the holder and lists
 * the mutex among the holder's ownable synchronizers (what {@code jstack -l} prints).
 */
class MutexVisibilityTest {

  @ParameterizedTest
  @EnumSource(Fairness.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void threadDumpShowsWhatABlockedThreadWaitsForAndWhoHoldsIt(Fairness fairness)
      throws InterruptedException {
    for (OwnedLock lock : new OwnedLock[] {new QueuedMutex(fairness), new QueuedReentrantMutex(fairness)}) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      lock.lock();
      Thread waiter =
          new Thread(
              () -> {
                try {
                  lock.lock();
                  lock.unlock();
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "visibility-waiter");
      waiter.start();
      try {
        // A BARGING head first parks with a timeout (TIMED_WAITING), wakes when it becomes due to
        // ask for its hand-off, spins, and then parks without one (WAITING); a FIFO head parks
        // without one at once. Only that last park lasts, so the dump below is read in it.
        while (lock.getQueueLength() == 0 || waiter.getState() != Thread.State.WAITING) {
          Thread.onSpinWait();
        }
        assertSame(lock, LockSupport.getBlocker(waiter));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // A BARGING head wakes from its timed park when it becomes due and spins, awake, for a
        // hand-off before it parks again: a snapshot taken then shows it RUNNABLE, with no lock
        // info. The holder never releases here, so the head parks again; take the snapshot
        // until it shows the waiter parked.
        ThreadInfo info = mx.getThreadInfo(new long[] {waiter.getId()}, true, true)[0];
        while (info != null
            && info.getThreadState() != Thread.State.WAITING
            && info.getThreadState() != Thread.State.TIMED_WAITING) {
          Thread.onSpinWait();
          info = mx.getThreadInfo(new long[] {waiter.getId()}, true, true)[0];
        }
        assertNotNull(info);
        LockInfo waitedOn = info.getLockInfo();
        assertNotNull(waitedOn);
        assertEquals(lock.getClass().getName(), waitedOn.getClassName());
        assertEquals(Thread.currentThread().getName(), info.getLockOwnerName());
        assertEquals(Thread.currentThread().getId(), info.getLockOwnerId());

        ThreadInfo me = mx.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, true)[0];
        assertTrue(
            Arrays.stream(me.getLockedSynchronizers())
                .anyMatch(s -> s.getIdentityHashCode() == System.identityHashCode(lock)),
            "the holder's locked synchronizers list the mutex");
      } finally {
        lock.unlock();
        waiter.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
    }
  }

  /**
   * A lock-order cycle between two mutexes is found by ThreadMXBean.findDeadlockedThreads(),
   * because the mutexes are ownable synchronizers and their waiters park on them. The second lock
   * is taken interruptibly, so the test can break the cycle afterwards.
   */
  @ParameterizedTest
  @EnumSource(Fairness.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLockOrderCycleIsReportedAsADeadlock(Fairness fairness) throws InterruptedException {
    QueuedMutex a = new QueuedMutex(fairness);
    QueuedMutex b = new QueuedMutex(fairness);
    CountDownLatch bothHoldTheirFirst = new CountDownLatch(2);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean breaking = new AtomicBoolean();
    Thread t1 = new Thread(() -> lockBoth(a, b, bothHoldTheirFirst, breaking, failure), "cycle-1");
    Thread t2 = new Thread(() -> lockBoth(b, a, bothHoldTheirFirst, breaking, failure), "cycle-2");
    t1.start();
    t2.start();
    try {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long[] deadlocked = null;
      while (deadlocked == null) {
        deadlocked = mx.findDeadlockedThreads();
        Thread.onSpinWait();
      }
      long[] ids = deadlocked;
      assertTrue(Arrays.stream(ids).anyMatch(id -> id == t1.getId()));
      assertTrue(Arrays.stream(ids).anyMatch(id -> id == t2.getId()));
    } finally {
      breaking.set(true);
      t1.interrupt();
      t2.interrupt();
      t1.join();
      t2.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  private static void lockBoth(
      QueuedMutex first,
      QueuedMutex second,
      CountDownLatch ready,
      AtomicBoolean breaking,
      AtomicReference<Throwable> failure) {
    try {
      first.lock();
      try {
        ready.countDown();
        ready.await();
        second.lockInterruptibly();
        second.unlock();
        if (!breaking.get()) {
          failure.set(new AssertionError("the cycle did not form"));
        }
      } finally {
        first.unlock();
      }
    } catch (InterruptedException expected) {
      // how the test breaks the cycle
    } catch (Throwable t) {
      failure.set(t);
    }
  }
}
