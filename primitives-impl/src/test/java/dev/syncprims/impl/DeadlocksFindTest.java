package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Deadlocks#find()} on real hangs, with on-wait detection off (this JVM's default): the
 * threads are blocked for good until the test interrupts one of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlocksFindTest {

  @BeforeAll
  static void detectionIsOff() {
    assumeFalse(DeadlockDetection.ENABLED, "these hangs would be refused with detection on");
  }

  enum Kind {
    PLATFORM,
    VIRTUAL
  }

  /** Starts threads of one kind, records what they throw, and joins them on close. */
  private static final class Started implements AutoCloseable {
    private final Kind kind;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    Started(Kind kind) {
      this.kind = kind;
    }

    Thread start(String name, TestThreads.Body body) throws ReflectiveOperationException {
      Runnable r =
          () -> {
            try {
              body.run();
            } catch (Throwable e) {
              failures.add(e);
            }
          };
      Thread t;
      if (kind == Kind.PLATFORM) {
        t = new Thread(r, name);
        t.setDaemon(true);
      } else {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        builder = builderType.getMethod("name", String.class).invoke(builder, name);
        t = (Thread) builderType.getMethod("unstarted", Runnable.class).invoke(builder, r);
      }
      threads.add(t);
      t.start();
      return t;
    }

    @Override
    public void close() {
      for (Thread t : threads) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while joining " + t.getName(), e);
        }
        assertFalse(t.isAlive(), t.getName() + " did not finish");
      }
      Throwable first = failures.poll();
      if (first != null) {
        throw new AssertionError("a test thread failed", first);
      }
    }
  }

  private static boolean virtualThreadsExist() {
    return Runtime.version().feature() >= 21;
  }

  /** The primitive that {@code thread} waits for in {@code d}. */
  private static Object waitedBy(Deadlock d, Thread thread) {
    return d.primitives().get(d.threads().indexOf(thread));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aTwoThreadHangIsFoundOnceAndIsGoneWhenItEnds(Kind kind) throws Exception {
    assumeTrue(kind == Kind.PLATFORM || virtualThreadsExist(), "virtual threads need JDK 21");
    Mutex a = Primitives.mutex();
    ReentrantMutex b = Primitives.reentrantMutex(Fairness.FIFO);
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread t1;
    Thread t2;
    try (Started threads = new Started(kind)) {
      t1 =
          threads.start(
              "find-t1",
              () -> {
                a.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  assertThrows(InterruptedException.class, b::lockInterruptibly);
                } finally {
                  a.unlock();
                }
              });
      t2 =
          threads.start(
              "find-t2",
              () -> {
                b.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  a.lockInterruptibly(); // gets it once t1 gives up
                  a.unlock();
                } finally {
                  b.unlock();
                }
              });
      Thread w1 = t1;
      Thread w2 = t2;
      TestThreads.awaitCondition("t1 queued on b", () -> b.hasQueuedThread(w1));
      TestThreads.awaitCondition("t2 queued on a", () -> a.hasQueuedThread(w2));
      List<Deadlock> found = DeadlockScenes.cyclesOf(t1, t2);
      assertEquals(1, found.size(), "cycles: " + found);
      Deadlock d = found.get(0);
      assertEquals(Set.of(t1, t2), Set.copyOf(d.threads()));
      assertSame(b, waitedBy(d, t1));
      assertSame(a, waitedBy(d, t2));
      assertFalse(d.suspected());
      assertTrue(d.toString().contains("find-t1") && d.toString().contains("find-t2"), d.toString());
      t1.interrupt(); // t1 gives up b and lets go of a: the cycle ends
    }
    assertEquals(List.of(), DeadlockScenes.cyclesOf(t1, t2));
  }

  @Test
  void threeThreadsThroughAMonitorAndTimedWaitsAreFoundToo() throws Exception {
    Mutex a = Primitives.mutex(Fairness.FIFO);
    Monitor m = Primitives.mesaMonitor();
    ReentrantMutex r = Primitives.reentrantMutex();
    CountDownLatch allHold = new CountDownLatch(3);
    try (TestThreads threads = new TestThreads("find3")) {
      Thread t1 =
          threads.start(
              "t1",
              () -> {
                a.lock();
                try {
                  allHold.countDown();
                  allHold.await();
                  m.enterInterruptibly(); // gets it once t3 is interrupted
                  m.exit();
                } finally {
                  a.unlock();
                }
              });
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                m.enter();
                try {
                  allHold.countDown();
                  allHold.await();
                  // A timed wait that will not end for the whole test: find() reports it too.
                  assertTrue(r.tryLock(1, TimeUnit.HOURS));
                  r.unlock();
                } finally {
                  m.exit();
                }
              });
      Thread t3 =
          threads.start(
              "t3",
              () -> {
                r.lock();
                try {
                  allHold.countDown();
                  allHold.await();
                  assertThrows(InterruptedException.class, a::lockInterruptibly);
                } finally {
                  r.unlock();
                }
              });
      TestThreads.awaitCondition("t1 entering m", () -> ((QueuedMonitor) m).hasQueuedThread(t1));
      TestThreads.awaitCondition("t2 queued on r", () -> r.hasQueuedThread(t2));
      TestThreads.awaitCondition("t3 queued on a", () -> a.hasQueuedThread(t3));
      List<Deadlock> found = DeadlockScenes.cyclesOf(t1, t2, t3);
      assertEquals(1, found.size(), "cycles: " + found);
      Deadlock d = found.get(0);
      assertEquals(3, d.threads().size());
      assertSame(m, waitedBy(d, t1));
      assertSame(r, waitedBy(d, t2));
      assertSame(a, waitedBy(d, t3));
      t3.interrupt();
    }
  }

  @Test
  void threadsThatMerelyWaitAreNoCycle() throws Exception {
    Lock a = (Lock) Primitives.mutex();
    try (TestThreads threads = new TestThreads("nocycle")) {
      a.lock();
      try {
        Thread w1 = threads.start("w1", () -> DeadlockScenes.lockThenUnlock(a));
        Thread w2 = threads.start("w2", () -> DeadlockScenes.lockThenUnlock(a));
        TestThreads.awaitCondition("both queued", () -> ((QueuedMutex) a).getQueueLength() == 2);
        assertEquals(List.of(), DeadlockScenes.cyclesOf(w1, w2));
      } finally {
        a.unlock();
      }
    }
  }
}
