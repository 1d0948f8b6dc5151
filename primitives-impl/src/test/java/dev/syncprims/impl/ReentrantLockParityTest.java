package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The monitoring queries that code migrating from {@link ReentrantLock} uses ({@code
 * hasQueuedThread}, {@code hasWaiters(Condition)}, {@code getWaitQueueLength(Condition)}), with
 * ReentrantLock's errors in ReentrantLock's order, and serialization: a lock always deserializes
 * unheld and unqueued.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReentrantLockParityTest {

  /** The three owned locks of the library, seen through the methods the queries share. */
  enum Kind {
    MUTEX,
    REENTRANT,
    MONITOR;

    OwnedLock create(Fairness fairness) {
      return switch (this) {
        case MUTEX -> new QueuedMutex(fairness);
        case REENTRANT -> new QueuedReentrantMutex(fairness);
        case MONITOR -> new QueuedMonitor(Monitor.Semantics.MESA, fairness);
      };
    }
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kinds() {
    return java.util.Arrays.stream(Kind.values())
        .flatMap(
            k ->
                java.util.Arrays.stream(Fairness.values())
                    .map(f -> org.junit.jupiter.params.provider.Arguments.of(k, f)));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("kinds")
  void hasQueuedThreadSeesExactlyTheQueuedThread(Kind kind, Fairness fairness) throws Exception {
    OwnedLock lock = kind.create(fairness);
    assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
    assertFalse(lock.hasQueuedThread(Thread.currentThread()));
    lock.lock();
    try (Workers w = new Workers()) {
      Thread waiter =
          w.start(
              "waiter",
              () -> {
                lock.lock();
                lock.unlock();
              });
      TestThreads.awaitCondition("the waiter queues", () -> lock.hasQueuedThread(waiter));
      assertFalse(lock.hasQueuedThread(Thread.currentThread()), "the holder is not queued");
      lock.unlock();
      w.joinAll();
      assertFalse(lock.hasQueuedThread(waiter), "it left the queue when it acquired");
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("kinds")
  void conditionQueriesCountWaitersAndCheckTheirArguments(Kind kind, Fairness fairness)
      throws Exception {
    OwnedLock lock = kind.create(fairness);
    Condition c = lock.newCondition();
    Condition foreign = kind.create(fairness).newCondition();
    Condition jdk = new ReentrantLock().newCondition();

    // ReentrantLock's order: null, then a foreign condition, then the holder check.
    assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
    assertThrows(NullPointerException.class, () -> lock.getWaitQueueLength(null));
    assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(foreign));
    assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(jdk));
    assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(c));
    assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitQueueLength(c));

    lock.lock();
    try {
      assertFalse(lock.hasWaiters(c));
      assertEquals(0, lock.getWaitQueueLength(c));
      assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(foreign));
    } finally {
      lock.unlock();
    }
    try (Workers w = new Workers()) {
      for (int i = 0; i < 2; i++) {
        w.start(
            "waiter-" + i,
            () -> {
              lock.lock();
              try {
                c.await();
              } finally {
                lock.unlock();
              }
            });
      }
      TestThreads.awaitCondition(
          "two threads wait on the condition",
          () -> {
            lock.lock();
            try {
              return lock.getWaitQueueLength(c) == 2;
            } finally {
              lock.unlock();
            }
          });
      lock.lock();
      try {
        assertTrue(lock.hasWaiters(c));
        c.signal();
        assertEquals(1, lock.getWaitQueueLength(c), "the signalled thread left the condition");
        c.signalAll();
        assertFalse(lock.hasWaiters(c));
        assertEquals(0, lock.getWaitQueueLength(c));
      } finally {
        lock.unlock();
      }
      w.joinAll();
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("kinds")
  void serializationNeverProducesALockNobodyCanTake(Kind kind, Fairness fairness)
      throws Exception {
    OwnedLock held = kind.create(fairness);
    held.lock();
    OwnedLock copy = roundTrip(held);
    assertFalse(copy.isLocked(), copy.toString());
    assertEquals(fairness, copy.fairness());
    assertTrue(copy.tryLock(), "the copy can be locked");
    copy.unlock();
    held.unlock();

    OwnedLock contended = kind.create(fairness);
    contended.lock();
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            contended.lock();
            contended.unlock();
          });
      TestThreads.awaitCondition("a thread queues", () -> contended.getQueueLength() == 1);
      OwnedLock copy2 = roundTrip(contended);
      assertFalse(copy2.isLocked());
      assertFalse(copy2.hasQueuedThreads());
      assertEquals(0, copy2.getQueueLength());
      assertTrue(copy2.tryLock(1, TimeUnit.SECONDS));
      copy2.unlock();
      contended.unlock();
      w.joinAll();
    }
  }

  @Test
  void aHoareMonitorCopyWorksAsAHoareMonitor() throws Exception {
    QueuedMonitor m = new QueuedMonitor(Monitor.Semantics.HOARE, Fairness.BARGING);
    m.enter();
    QueuedMonitor copy = roundTrip(m);
    m.exit();
    assertEquals(Monitor.Semantics.HOARE, copy.semantics());
    assertFalse(copy.isOccupied());
    Monitor.Condition c = copy.newCondition();
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            copy.enter();
            try {
              c.await();
            } finally {
              copy.exit();
            }
          });
      TestThreads.awaitCondition(
          "it waits", () -> c.getWaitQueueLength() == 1 && !copy.isOccupied());
      copy.enter();
      c.signal(); // Hoare: the waiter runs and exits before this returns
      assertEquals(1, copy.getOccupiedDepth());
      copy.exit();
      w.joinAll();
    }
  }

  @Test
  void semaphoresAreNotSerializable() {
    assertFalse(Primitives.binarySemaphore(true) instanceof Serializable);
    assertFalse(Primitives.countingSemaphore(1) instanceof Serializable);
    assertFalse(Primitives.boundedSemaphore(1, 2) instanceof Serializable);
    assertNotNull(Primitives.mutex());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
