package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Threads for the semaphore tests: started, observed without sleeping, always joined. */
final class SemaphoreTestSupport {
  private SemaphoreTestSupport() {}

  /** How long any single wait of a test may take before it counts as hung. */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A started thread whose result or failure reaches the test through {@link #join()}. */
  static final class Worker<T> {
    final Thread thread;
    private volatile @Nullable T result;
    private volatile @Nullable Throwable failure;

    private Worker(String name, Callable<T> body) {
      thread =
          new Thread(
              () -> {
                try {
                  result = body.call();
                } catch (Throwable t) {
                  failure = t;
                }
              },
              name);
      thread.setDaemon(true);
    }

    /** Waits for the thread to end and returns its result, or rethrows its failure. */
    @Nullable T join() throws InterruptedException {
      thread.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
      assertFalse(thread.isAlive(), thread.getName() + " did not finish");
      Throwable f = failure;
      if (f != null) {
        throw new AssertionError(thread.getName() + " failed", f);
      }
      return result;
    }

    /** Waits for the thread to end and returns the exception it threw (failing if none). */
    Throwable joinFailure() throws InterruptedException {
      thread.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
      assertFalse(thread.isAlive(), thread.getName() + " did not finish");
      Throwable f = failure;
      if (f == null) {
        throw new AssertionError(thread.getName() + " returned " + result + " instead of failing");
      }
      return f;
    }
  }

  static <T> Worker<T> start(String name, Callable<T> body) {
    Worker<T> w = new Worker<>(name, body);
    w.thread.start();
    return w;
  }

  /** Polls (parking 10 us between polls) until {@code condition} holds, failing after {@link #PATIENCE_NANOS}. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(10_000L);
    }
  }

  /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING). */
  static void awaitParked(Thread thread) {
    awaitTrue(
        thread.getName() + " is parked",
        () -> {
          Thread.State s = thread.getState();
          return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
  }

  /** Busy-waits (no sleep) until {@code nanos} have passed, e.g. to make a queued thread overdue. */
  static void letTimePass(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
