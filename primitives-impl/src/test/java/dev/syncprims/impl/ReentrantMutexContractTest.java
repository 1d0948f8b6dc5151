package dev.syncprims.impl;

import static dev.syncprims.impl.MutexContractTest.assertFree;
import static dev.syncprims.impl.MutexContractTest.awaitQueued;
import static dev.syncprims.impl.MutexContractTest.released;
import static dev.syncprims.impl.TestThreads.awaitParked;
import static dev.syncprims.impl.TestThreads.awaitTerminated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.ReentrantMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only a {@link ReentrantMutex} does: the holder locks again, the hold count, and its
 * maximum. The contract it shares with {@link dev.syncprims.Mutex} is in {@link
 * MutexContractTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReentrantMutexContractTest {

  static Stream<Arguments> fairnessAndEveryMethod() {
    return Stream.of(Fairness.values())
        .flatMap(f -> Stream.of(Acquire.values()).map(m -> Arguments.of(f, m)));
  }

  @ParameterizedTest
  @MethodSource("fairnessAndEveryMethod")
  void everyAcquireMethodOfTheHolderAddsOneHold(Fairness fairness, Acquire method)
      throws InterruptedException {
    LockUnderTest lock = LockUnderTest.Kind.REENTRANT_MUTEX.create(fairness);
    assertEquals(0, lock.holdCount());

    lock.lock();
    try {
      Acquire.Release second = method.acquire(lock);
      assertNotNull(second, method.name());
      assertEquals(2, lock.holdCount());
      Acquire.Release third = method.acquire(lock);
      assertEquals(3, lock.holdCount());
      released(third);
      assertEquals(2, lock.holdCount());
      released(second);
      assertEquals(1, lock.holdCount());
      assertTrue(lock.isLocked());
      assertSame(Thread.currentThread(), lock.owner());
    } finally {
      lock.unlock();
    }
    assertFree(lock);
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void theMutexIsFreedOnlyByTheLastUnlockAndTheHolderNeverWaitsBehindTheQueue(Fairness fairness)
      throws Exception {
    LockUnderTest lock = LockUnderTest.Kind.REENTRANT_MUTEX.create(fairness);
    AtomicBoolean freed = new AtomicBoolean();
    lock.lock();
    try (TestThreads threads = new TestThreads("reentrant")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                lock.lock();
                try {
                  assertTrue(freed.get(), "acquired before the last unlock");
                  assertEquals(1, lock.holdCount());
                } finally {
                  lock.unlock();
                }
              });
      awaitQueued(lock, 1);
      awaitParked(waiter);

      // Re-locking with a thread queued: never waits, under FIFO too, even with a zero timeout.
      assertTrue(lock.tryLock(0, TimeUnit.NANOSECONDS));
      assertTrue(lock.tryLock());
      lock.lockInterruptibly();
      assertEquals(4, lock.holdCount());
      for (int held = 4; held > 1; held--) {
        lock.unlock();
        assertEquals(held - 1, lock.holdCount());
        assertSame(Thread.currentThread(), lock.owner());
        assertEquals(1, lock.getQueueLength());
        assertTrue(waiter.isAlive());
      }
      freed.set(true);
      lock.unlock();
      assertEquals(0, lock.holdCount());
      awaitTerminated(waiter);
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void anotherThreadsHoldCountIsZero(Fairness fairness) throws Exception {
    ReentrantMutex mutex = Primitives.reentrantMutex(fairness);
    mutex.lock();
    try {
      mutex.lock();
      try (TestThreads threads = new TestThreads("count")) {
        assertEquals(2, mutex.getHoldCount());
        threads.start(
            "other",
            () -> {
              assertEquals(0, mutex.getHoldCount());
              assertFalse(mutex.isHeldByCurrentThread());
              assertTrue(mutex.isLocked());
            });
      } finally {
        mutex.unlock();
      }
    } finally {
      mutex.unlock();
    }
    assertEquals(0, mutex.getHoldCount());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void theMaximumHoldCountIsEnforcedAndLeavesTheCountUnchanged(Fairness fairness)
      throws InterruptedException {
    LockUnderTest lock = LockUnderTest.Kind.REENTRANT_MUTEX.create(fairness);
    for (int i = 0; i < ReentrantMutex.MAX_HOLD_COUNT; i++) {
      lock.lock();
    }
    try {
      assertEquals(ReentrantMutex.MAX_HOLD_COUNT, lock.holdCount());
      for (Acquire method : Acquire.values()) {
        assertThrows(IllegalStateException.class, () -> method.acquire(lock), method.name());
        assertEquals(ReentrantMutex.MAX_HOLD_COUNT, lock.holdCount(), method.name());
        assertSame(Thread.currentThread(), lock.owner());
      }
      // One hold fewer, and there is room for exactly one again.
      lock.unlock();
      assertTrue(lock.tryLock());
      assertThrows(IllegalStateException.class, lock::lock);
      assertEquals(ReentrantMutex.MAX_HOLD_COUNT, lock.holdCount());
    } finally {
      for (int i = 0; i < ReentrantMutex.MAX_HOLD_COUNT; i++) {
        lock.unlock();
      }
    }
    assertFree(lock);
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void anInterruptStatusOnEntryWinsOverReentryAndLeavesTheCountUnchanged(Fairness fairness) {
    LockUnderTest lock = LockUnderTest.Kind.REENTRANT_MUTEX.create(fairness);
    lock.lock();
    try {
      for (Acquire method : Acquire.values()) {
        if (!method.interruptible) {
          continue;
        }
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> method.acquire(lock), method.name());
        assertFalse(Thread.interrupted(), method.name());
        assertEquals(1, lock.holdCount(), method.name());
      }
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void aHandleUndoesExactlyTheHoldItTook(Fairness fairness) {
    ReentrantMutex mutex = Primitives.reentrantMutex(fairness);
    mutex.lock();
    try {
      Held inner = mutex.locked();
      assertEquals(2, mutex.getHoldCount());
      try (Held innermost = mutex.locked()) {
        assertEquals(3, mutex.getHoldCount());
        assertNotNull(innermost);
      }
      assertEquals(2, mutex.getHoldCount());
      inner.close();
      assertEquals(1, mutex.getHoldCount());
      assertThrows(IllegalStateException.class, inner::close);
      assertEquals(1, mutex.getHoldCount());
      assertTrue(mutex.isHeldByCurrentThread());
    } finally {
      mutex.unlock();
    }
    assertFalse(mutex.isLocked());
    assertEquals(0, mutex.getHoldCount());
  }
}
