package dev.syncprims.impl;

import static dev.syncprims.impl.SemaphoreTestSupport.awaitParked;
import static dev.syncprims.impl.SemaphoreTestSupport.awaitTrue;
import static dev.syncprims.impl.SemaphoreTestSupport.letTimePass;
import static dev.syncprims.impl.SemaphoreTestSupport.start;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.impl.SemaphoreTestSupport.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract of {@link BinarySemaphore} in both fairness modes. */
@Timeout(value = 60, unit = SECONDS)
class BinarySemaphoreTest {

  @AfterEach
  void noInterruptLeaks() {
    assertFalse(Thread.interrupted(), "a test left the interrupted status set");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void factoriesAndQueries(Fairness f) {
    BinarySemaphore free = Primitives.binarySemaphore(true, f);
    assertTrue(free.isAvailable());
    assertSame(f, free.fairness());
    assertFalse(free.hasQueuedThreads());
    assertEquals(0, free.getQueueLength());
    assertTrue(free.toString().contains("[available, 0 queued, " + f + "]"), free.toString());
    BinarySemaphore taken = Primitives.binarySemaphore(false, f);
    assertFalse(taken.isAvailable());
    assertTrue(taken.toString().contains("[taken, 0 queued, " + f + "]"), taken.toString());
    assertSame(Fairness.BARGING, Primitives.binarySemaphore(true).fairness());
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Primitives.binarySemaphore(true, null));
    assertEquals("fairness", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void acquireAndRelease(Fairness f) throws InterruptedException {
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    s.acquire();
    assertFalse(s.isAvailable());
    assertFalse(s.tryAcquire());
    assertFalse(s.tryAcquire(0, NANOSECONDS));
    s.release();
    assertTrue(s.tryAcquire());
    s.release();
    s.acquireUninterruptibly();
    s.release();
    assertTrue(s.tryAcquire(1, SECONDS));
    s.release();
    assertTrue(s.isAvailable());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void releaseWhileAvailableIsRejectedAndChangesNothing(Fairness f) throws InterruptedException {
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
    assertTrue(e.getMessage().startsWith("release() while the permit is already available"), e.getMessage());
    assertTrue(s.isAvailable());
    s.acquire();
    s.release();
    assertThrows(IllegalStateException.class, s::release, "a double release");
    assertTrue(s.tryAcquire());
    assertFalse(s.tryAcquire(), "still a single permit");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void noOwnerAnotherThreadReleases(Fairness f) throws Exception {
    BinarySemaphore ready = Primitives.binarySemaphore(false, f);
    Worker<Void> consumer =
        start(
            "consumer",
            () -> {
              ready.acquire();
              return null;
            });
    awaitTrue("consumer queued", () -> ready.getQueueLength() == 1);
    assertTrue(ready.hasQueuedThreads());
    Worker<Void> producer =
        start(
            "producer",
            () -> {
              ready.release(); // never acquired it: allowed, there is no owner
              return null;
            });
    producer.join();
    consumer.join();
    assertFalse(ready.isAvailable(), "the consumer took it");
    // and the consumer's permit may be given back by a third thread
    start(
            "third",
            () -> {
              ready.release();
              return null;
            })
        .join();
    assertTrue(ready.isAvailable());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void selfDeadlockIsNotDetectedButTimesOut(Fairness f) throws InterruptedException {
    // The difference from a mutex: the holder asking again just waits (here: until the timeout).
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    s.acquire();
    assertFalse(s.tryAcquire(10, MILLISECONDS));
    s.release();
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void interruptBeforeWaiting(Fairness f) {
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::acquire);
    assertFalse(Thread.currentThread().isInterrupted());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.tryAcquire(0, NANOSECONDS));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::acquired);
    assertTrue(s.isAvailable(), "not taken");
    Thread.currentThread().interrupt();
    assertTrue(s.tryAcquire());
    s.release();
    s.acquireUninterruptibly();
    assertTrue(Thread.interrupted());
    s.release();
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void interruptWhileWaiting(Fairness f) throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, f);
    Worker<Void> a =
        start(
            "acquire",
            () -> {
              s.acquire();
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(a.thread);
    a.thread.interrupt();
    assertInstanceOf(InterruptedException.class, a.joinFailure());
    Worker<Boolean> t = start("timed", () -> s.tryAcquire(1, TimeUnit.HOURS));
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(t.thread);
    t.thread.interrupt();
    assertInstanceOf(InterruptedException.class, t.joinFailure());
    assertEquals(0, s.getQueueLength());
    s.release();
    assertTrue(s.isAvailable(), "the interrupted waiters took nothing");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void uninterruptibleWaitSurvivesInterrupts(Fairness f) throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, f);
    Worker<Boolean> w =
        start(
            "uninterruptible",
            () -> {
              s.acquireUninterruptibly();
              return Thread.interrupted();
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(w.thread);
    w.thread.interrupt();
    awaitParked(w.thread);
    assertEquals(1, s.getQueueLength());
    s.release();
    assertEquals(true, w.join());
    assertFalse(s.isAvailable());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void timeoutEdges(Fairness f) throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, f);
    for (long t : new long[] {0L, -1L, Long.MIN_VALUE}) {
      assertFalse(s.tryAcquire(t, NANOSECONDS));
      assertFalse(s.tryAcquire(t, TimeUnit.DAYS));
    }
    assertEquals(0, s.getQueueLength());
    long start = System.nanoTime();
    assertFalse(s.tryAcquire(15, MILLISECONDS));
    assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(15));
    assertEquals(0, s.getQueueLength());
    NullPointerException e = assertThrows(NullPointerException.class, () -> s.tryAcquire(1, null));
    assertEquals("unit", e.getMessage());
    Worker<Boolean> forever = start("MAX", () -> s.tryAcquire(Long.MAX_VALUE, TimeUnit.DAYS));
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    s.release();
    assertEquals(true, forever.join());
  }

  @Test
  void fifoHandsThePermitInArrivalOrder() throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, Fairness.FIFO);
    List<Worker<Void>> ws = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ws.add(
          start(
              "waiter" + i,
              () -> {
                s.acquire();
                return null;
              }));
      int queued = i + 1;
      awaitTrue(queued + " queued", () -> s.getQueueLength() == queued);
    }
    for (int i = 0; i < ws.size(); i++) {
      s.release(); // handed to the head at once: not available, one fewer queued
      assertFalse(s.isAvailable());
      assertEquals(ws.size() - i - 1, s.getQueueLength());
      assertFalse(s.tryAcquire(), "an arriving thread finds nothing");
      ws.get(i).join();
    }
  }

  @Test
  void fifoReleaseGrantsTheTimedWaiterAndTimeoutZeroSucceedsWhenNobodyQueued() throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, Fairness.FIFO);
    Worker<Boolean> w = start("waiter", () -> s.tryAcquire(1, TimeUnit.MINUTES));
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    s.release(); // granted to the waiter
    assertEquals(true, w.join());
    assertEquals(0, s.getQueueLength());
    s.release();
    assertTrue(s.tryAcquire(0, NANOSECONDS), "nobody queued: a timeout-0 try succeeds");
    s.release();
  }

  @Test
  void bargingOverdueHeadIsHandedThePermit() throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(false, Fairness.BARGING);
    Worker<Void> w =
        start(
            "waiter",
            () -> {
              s.acquire();
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    letTimePass(3 * BargingEntryQueue.FAIRNESS_BOUND_NANOS);
    s.release();
    assertFalse(s.isAvailable(), "handed to the overdue waiter, not left for arrivals");
    assertFalse(s.tryAcquire());
    w.join();
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void usedAsAMutexItExcludes(Fairness f) throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    long[] counter = {0};
    int threads = 4;
    int rounds = 20_000;
    List<Worker<Void>> ws = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      ws.add(
          start(
              "worker" + t,
              () -> {
                for (int i = 0; i < rounds; i++) {
                  if (i % 3 == 0) {
                    s.acquire();
                  } else if (i % 3 == 1) {
                    s.acquireUninterruptibly();
                  } else {
                    while (!s.tryAcquire(50, TimeUnit.MICROSECONDS)) {
                      Thread.onSpinWait();
                    }
                  }
                  counter[0]++;
                  s.release();
                }
                return null;
              }));
    }
    for (Worker<Void> w : ws) {
      w.join();
    }
    assertEquals((long) threads * rounds, counter[0]);
    assertTrue(s.isAvailable());
    assertEquals(0, s.getQueueLength());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void acquiredHandle(Fairness f) throws Exception {
    BinarySemaphore s = Primitives.binarySemaphore(true, f);
    try (Held h = s.acquired()) {
      assertFalse(s.isAvailable(), h.toString());
    }
    assertTrue(s.isAvailable());
    Held h = s.acquired();
    start(
            "closer",
            () -> {
              h.close();
              return null;
            })
        .join();
    assertTrue(s.isAvailable());
    assertThrows(IllegalStateException.class, h::close);
    assertTrue(s.isAvailable());
  }
}
