package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads taking and giving back random numbers of permits in every way the API offers, with
 * timeouts, random interrupts and releases by other threads, for a couple of seconds per
 * configuration. Afterwards the count must be exactly what it was at the start and the queue
 * empty; meanwhile, the permits held never exceed the initial count.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SemaphoreSoakTest {
  private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(2_000);
  private static final int WORKERS = 6;

  /** The operations a worker performs on the semaphore under test. */
  private interface Ops {
    void acquire(int k) throws InterruptedException;

    void acquireUninterruptibly(int k);

    boolean tryAcquire(int k);

    boolean tryAcquire(int k, long nanos) throws InterruptedException;

    void release(int k);

    int drain();

    int available();

    int queued();

    int maxRequest();
  }

  private static Ops of(CountingSemaphore s) {
    return new Ops() {
      @Override
      public void acquire(int k) throws InterruptedException {
        s.acquire(k);
      }

      @Override
      public void acquireUninterruptibly(int k) {
        s.acquireUninterruptibly(k);
      }

      @Override
      public boolean tryAcquire(int k) {
        return s.tryAcquire(k);
      }

      @Override
      public boolean tryAcquire(int k, long nanos) throws InterruptedException {
        return s.tryAcquire(k, nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void release(int k) {
        s.release(k);
      }

      @Override
      public int drain() {
        return s.drainPermits();
      }

      @Override
      public int available() {
        return s.availablePermits();
      }

      @Override
      public int queued() {
        return s.getQueueLength();
      }

      @Override
      public int maxRequest() {
        return 3;
      }

      @Override
      public String toString() {
        return s.toString();
      }
    };
  }

  private static Ops of(BinarySemaphore s) {
    return new Ops() {
      @Override
      public void acquire(int k) throws InterruptedException {
        s.acquire();
      }

      @Override
      public void acquireUninterruptibly(int k) {
        s.acquireUninterruptibly();
      }

      @Override
      public boolean tryAcquire(int k) {
        return s.tryAcquire();
      }

      @Override
      public boolean tryAcquire(int k, long nanos) throws InterruptedException {
        return s.tryAcquire(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void release(int k) {
        s.release();
      }

      @Override
      public int drain() {
        return s.tryAcquire() ? 1 : 0;
      }

      @Override
      public int available() {
        return s.isAvailable() ? 1 : 0;
      }

      @Override
      public int queued() {
        return s.getQueueLength();
      }

      @Override
      public int maxRequest() {
        return 1;
      }

      @Override
      public String toString() {
        return s.toString();
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void unboundedCounting(Fairness f) throws InterruptedException {
    soak(of(Primitives.countingSemaphore(4, f)), 4);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void boundedCounting(Fairness f) throws InterruptedException {
    soak(of(Primitives.boundedSemaphore(4, 4, f)), 4);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void binary(Fairness f) throws InterruptedException {
    soak(of(Primitives.binarySemaphore(true, f)), 1);
  }

  private static void soak(Ops s, int initial) throws InterruptedException {
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    AtomicLong operations = new AtomicLong();
    ConcurrentLinkedQueue<Integer> passed = new ConcurrentLinkedQueue<>();
    List<Throwable> failures = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    long end = System.nanoTime() + RUN_NANOS;
    for (int w = 0; w < WORKERS; w++) {
      long seed = 42L + w;
      Thread t =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                long ops = 0;
                while (System.nanoTime() - end < 0) {
                  int k = 1 + rnd.nextInt(s.maxRequest());
                  boolean got;
                  try {
                    int how = rnd.nextInt(8);
                    if (how == 0) {
                      s.acquire(k);
                      got = true;
                    } else if (how == 1) {
                      s.acquireUninterruptibly(k);
                      got = true;
                    } else if (how == 2) {
                      got = s.tryAcquire(k);
                    } else if (how == 3) {
                      int d = s.drain();
                      if (d > 0) {
                        k = d;
                        got = true;
                      } else {
                        got = false;
                      }
                    } else if (how == 4) {
                      got = s.tryAcquire(k, 0L);
                    } else {
                      got = s.tryAcquire(k, rnd.nextLong(1_000L, 200_000L));
                    }
                  } catch (InterruptedException e) {
                    got = false;
                  }
                  if (got) {
                    int now = held.addAndGet(k);
                    maxHeld.accumulateAndGet(now, Math::max);
                    if (rnd.nextInt(4) == 0) {
                      passed.add(k); // some other thread gives these back
                    } else {
                      held.addAndGet(-k);
                      s.release(k);
                    }
                  }
                  Integer other = passed.poll();
                  if (other != null) {
                    held.addAndGet(-other);
                    s.release(other);
                  }
                  ops++;
                }
                Thread.interrupted();
                operations.addAndGet(ops);
              },
              "soak-" + w);
      t.setUncaughtExceptionHandler(
          (th, e) -> {
            synchronized (failures) {
              failures.add(e);
            }
          });
      workers.add(t);
    }
    Thread interrupter =
        new Thread(
            () -> {
              SplittableRandom rnd = new SplittableRandom(7L);
              while (System.nanoTime() - end < 0) {
                workers.get(rnd.nextInt(workers.size())).interrupt();
                LockSupport.parkNanos(rnd.nextLong(20_000L, 500_000L));
              }
            },
            "soak-interrupter");
    workers.forEach(Thread::start);
    interrupter.start();
    interrupter.join(TimeUnit.NANOSECONDS.toMillis(RUN_NANOS) + 30_000);
    for (Thread t : workers) {
      t.join(30_000);
      assertTrue(!t.isAlive(), t.getName() + " is stuck: " + s);
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        AssertionError e = new AssertionError("a worker failed: " + s, failures.get(0));
        failures.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
    }
    for (Integer k = passed.poll(); k != null; k = passed.poll()) {
      held.addAndGet(-k);
      s.release(k);
    }
    assertEquals(0, held.get());
    assertEquals(initial, s.available(), "permits conserved: " + s);
    assertEquals(0, s.queued(), "queue empty: " + s);
    assertTrue(maxHeld.get() <= initial, "never more than " + initial + " held: " + maxHeld);
    assertTrue(operations.get() > 1_000, "made progress: " + operations);
  }
}
