package dev.syncprims.impl;

import static dev.syncprims.impl.MutexContractTest.assertFree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.impl.LockUnderTest.Kind;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soak: several threads take and give back one lock millions of times in total, mixing every
 * acquire method with short timeouts and with interrupts sent at random by another thread; then
 * the invariants must hold exactly. A second test makes a million timed-out waits against a held
 * lock and checks that the wait queue retains none of their nodes.
 *
 * <p>Sized to take a few seconds per case on two cores; the operation counts are the point, not
 * the time, and nothing here measures speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MutexSoakTest {

  private static final int WORKERS = 4;

  /**
   * The timeout of the retention test's waits: it expires while the thread spins before
   * queueing, so each wait queues a node, finds its deadline passed, and must unlink the node,
   * without the cost of parking.
   */
  private static final long TIMED_OUT_WAIT_NANOS = 1;

  static Stream<Arguments> kindsAndFairness() {
    return LockUnderTest.kindsAndFairness();
  }

  /** What one worker did. */
  private static final class Tally {
    long acquired;
    long timedOut;
    long interrupted;
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void everyAcquisitionIsCountedOnceAndNothingIsLeftBehind(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    // Hand-offs under FIFO cost a park and an unpark each: fewer of them fit in the same time.
    int opsPerWorker = fairness == Fairness.FIFO ? 100_000 : 750_000;
    long[] guarded = {0};
    List<Tally> tallies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    AtomicLong finished = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong interruptsSent = new AtomicLong();
    long start = System.nanoTime();
    try (TestThreads threads = new TestThreads("soak")) {
      try {
        for (int w = 0; w < WORKERS; w++) {
          Tally tally = new Tally();
          tallies.add(tally);
          long seed = 42L * (w + 1);
          workers.add(
              threads.start(
                  "worker" + w,
                  () -> {
                    try {
                      work(lock, opsPerWorker, new SplittableRandom(seed), guarded, tally);
                    } finally {
                      finished.incrementAndGet();
                    }
                  }));
        }
        threads.start(
            "interrupter",
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              while (!stop.get() && finished.get() < WORKERS) {
                workers.get(random.nextInt(WORKERS)).interrupt();
                interruptsSent.incrementAndGet();
                LockSupport.parkNanos(random.nextLong(20_000, 200_000));
              }
            });
        TestThreads.awaitCondition(
            "the workers finished", () -> finished.get() == WORKERS);
      } finally {
        stop.set(true);
      }
    }
    long elapsed = System.nanoTime() - start;

    long acquired = 0;
    long timedOut = 0;
    long interrupted = 0;
    for (Tally t : tallies) {
      acquired += t.acquired;
      timedOut += t.timedOut;
      interrupted += t.interrupted;
    }
    System.out.printf(
        "soak %s %s: %d ops in %d ms: %d acquired, %d timed out, %d interrupted (%d sent)%n",
        kind,
        fairness,
        (long) WORKERS * opsPerWorker,
        TimeUnit.NANOSECONDS.toMillis(elapsed),
        acquired,
        timedOut,
        interrupted,
        interruptsSent.get());
    assertEquals((long) WORKERS * opsPerWorker, acquired + timedOut + interrupted);
    assertEquals(acquired, guarded[0], "the guarded counter is not the number of acquisitions");
    assertTrue(interrupted > 0, "no operation was interrupted: the soak missed a path");
    assertTrue(timedOut > 0, "no operation timed out: the soak missed a path");
    assertFree(lock);
    assertNoRetainedNodes(lock);
  }

  /**
   * One worker's operations. Every acquisition, by whichever method, adds one to the guarded
   * counter exactly once; failed ones (timed out, interrupted) add nothing.
   */
  private static void work(
      LockUnderTest lock, int ops, SplittableRandom random, long[] guarded, Tally tally) {
    for (int i = 0; i < ops; i++) {
      int how = random.nextInt(10);
      boolean acquired;
      try {
        if (how < 2) {
          lock.lock();
          acquired = true;
        } else if (how < 4) {
          lock.lockInterruptibly();
          acquired = true;
        } else if (how < 5) {
          acquired = lock.tryLock();
        } else {
          // Mostly short timeouts; some zero or negative (no wait), some a little longer.
          long nanos = random.nextLong(-1_000, 50_000);
          acquired = lock.tryLock(nanos, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        tally.interrupted++;
        continue;
      }
      if (!acquired) {
        tally.timedOut++;
        continue;
      }
      try {
        if (!lock.isHeldByCurrentThread()) {
          throw new AssertionError("acquired but not held: " + lock);
        }
        long before = guarded[0];
        // Hold it a little, now and then longer, so that the others queue, park and time out.
        int spins = random.nextInt(100) == 0 ? 2_000 : random.nextInt(40);
        for (int k = 0; k < spins; k++) {
          Thread.onSpinWait();
        }
        if (lock.isReentrant() && how % 3 == 0) {
          lock.lock(); // a nested hold must not free the lock when it is given back
          try {
            guarded[0] = before + 1;
          } finally {
            lock.unlock();
          }
        } else {
          guarded[0] = before + 1;
        }
        tally.acquired++;
      } finally {
        lock.unlock();
      }
      if (how == 0) {
        // Some interrupts are consumed here, others stay set for the next operation to see on
        // entry (an interruptible one then fails at once; lock() and tryLock() keep it).
        Thread.interrupted();
      }
    }
    Thread.interrupted();
  }

  /**
   * A million timed-out waits against a held lock, from several threads, must leave no node in
   * the wait queue: each one unlinks its node when it gives up.
   */
  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void timedOutWaitsRetainNothing(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    int perThread = 1_000_000 / WORKERS;
    AtomicLong timedOut = new AtomicLong();
    try (TestThreads threads = new TestThreads("retention")) {
      MutexContractTest.Holder holder = new MutexContractTest.Holder(threads, lock);
      int maxQueued = 0;
      try (TestThreads waiters = new TestThreads("timed-out")) {
        for (int w = 0; w < WORKERS; w++) {
          waiters.start(
              "waiter" + w,
              () -> {
                long mine = 0;
                for (int i = 0; i < perThread; i++) {
                  if (lock.tryLock(TIMED_OUT_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("acquired a lock that another thread holds");
                  }
                  mine++;
                }
                timedOut.addAndGet(mine);
              });
        }
        // Meanwhile, check now and then that the waits really do queue.
        while (timedOut.get() == 0 && waiters.anyAlive()) {
          maxQueued = Math.max(maxQueued, lock.getQueueLength());
          LockSupport.parkNanos(100_000);
        }
      }
      assertTrue(maxQueued > 0, "no wait was ever seen queued");
      assertEquals((long) WORKERS * perThread, timedOut.get());
      assertEquals(0, lock.getQueueLength());
      assertNoRetainedNodes(lock);
      holder.release();
    }
    assertFree(lock);
    assertNoRetainedNodes(lock);
  }

  /** The lock's wait queue, if it has one, links no node: head, tail and size are empty. */
  static void assertNoRetainedNodes(LockUnderTest lock) throws ReflectiveOperationException {
    Field queueField = OwnedLock.class.getDeclaredField("queue");
    queueField.setAccessible(true);
    EntryQueue queue = (EntryQueue) queueField.get(lock.target());
    if (queue == null) {
      return; // nobody ever had to wait
    }
    assertEquals(0, queue.size(), queue.toString());
    assertNull(queue.first(), "the queue's head is still linked");
    Field tail = NodeList.class.getDeclaredField("tail");
    tail.setAccessible(true);
    assertNull(tail.get(queue), "the queue's tail is still linked");
  }
}
