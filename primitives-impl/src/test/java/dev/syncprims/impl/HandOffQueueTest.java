package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The hand-over queue of the timer: FIFO, a failed allocation, a stalled producer, many producers. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandOffQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void firstInFirstOut() {
    HandOffQueue<Integer> q = new HandOffQueue<>();
    assertTrue(q.isEmpty());
    assertNull(q.poll());
    for (int i = 0; i < 10; i++) {
      assertEquals(i + 1, q.offer(i));
    }
    assertEquals(10, q.size());
    assertFalse(q.isEmpty());
    for (int i = 0; i < 10; i++) {
      assertEquals(i, q.poll());
    }
    assertNull(q.poll());
    assertTrue(q.isEmpty());
    assertFalse(q.hasStalledOffer());
    assertEquals(0, q.size());
  }

  @Test
  void aFailedAllocationLosesNothingAndBlocksNobody() {
    AtomicBoolean fail = new AtomicBoolean();
    HandOffQueue<String> q = new HandOffQueue<>(() -> {
      if (fail.getAndSet(false)) {
        throw new OutOfMemoryError("simulated");
      }
    }, null);
    q.offer("a");
    fail.set(true);
    assertThrows(OutOfMemoryError.class, () -> q.offer("b"));
    assertFalse(q.hasStalledOffer(), "nothing was claimed");
    q.offer("c");
    assertEquals("a", q.poll());
    assertEquals("c", q.poll());
    assertNull(q.poll());
    assertTrue(q.isEmpty());
  }

  @Test
  void aStalledOfferIsReportedNotWaitedFor() throws Exception {
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch link = new CountDownLatch(1);
    AtomicReference<@Nullable Thread> staller = new AtomicReference<>();
    HandOffQueue<String> q = new HandOffQueue<>(null, () -> {
      if (Thread.currentThread() == staller.get()) {
        claimed.countDown();
        try {
          link.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    });
    q.offer("before");
    Thread producer = new Thread(() -> q.offer("stalled"));
    staller.set(producer);
    producer.start();
    assertTimeoutPreemptively(WAIT, () -> claimed.await());
    q.offer("after"); // behind the stalled one: reachable only once it is linked
    assertEquals("before", q.poll());
    assertNull(q.poll(), "poll() returns at once instead of waiting for the producer");
    assertTrue(q.hasStalledOffer());
    assertFalse(q.isEmpty());
    link.countDown();
    producer.join(WAIT.toMillis());
    assertFalse(producer.isAlive());
    assertFalse(q.hasStalledOffer());
    assertEquals("stalled", q.poll());
    assertEquals("after", q.poll());
    assertTrue(q.isEmpty());
  }

  @Test
  void manyProducersOneConsumerEveryElementOnceAndInEachProducersOrder() throws Exception {
    HandOffQueue<long[]> q = new HandOffQueue<>();
    int producers = 4;
    int perProducer = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        long id = p;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perProducer; i++) {
            q.offer(new long[] {id, i});
          }
        }));
      }
      long[] next = new long[producers];
      int taken = 0;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (taken < producers * perProducer) {
        long[] e = q.poll();
        if (e == null) {
          assertTrue(System.nanoTime() - deadline < 0, "elements missing after " + taken);
          Thread.onSpinWait();
          continue;
        }
        assertEquals(next[(int) e[0]], e[1], "order of producer " + e[0]);
        next[(int) e[0]]++;
        taken++;
      }
      for (Future<?> f : futures) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      assertNull(q.poll());
      assertTrue(q.isEmpty());
      assertEquals(0, q.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTakenElementIsNotKeptByTheQueue() {
    HandOffQueue<Object> q = new HandOffQueue<>();
    Object o = new Object();
    q.offer(o);
    assertSame(o, q.poll());
    // The node that held it is now the stub: its value must be cleared.
    assertNull(q.head.value);
  }
}
