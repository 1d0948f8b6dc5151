package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The threads a test starts, and the waits that order them without sleeping.
 *
 * <p>Every thread started here is a daemon that records whatever it throws; {@link #close()}
 * joins them all (with a bound) and rethrows the first failure, with the others suppressed, so
 * that an assertion failing inside a helper thread fails the test. Use it in a
 * try-with-resources statement.
 *
 * <p>The static {@code await...} methods spin, then park briefly, until another thread is
 * visibly where the test needs it (queued on a lock, parked, finished), and fail after {@link
 * #PATIENCE_NANOS} instead of hanging.
 */
final class TestThreads implements AutoCloseable {

  /** How long a test waits for another thread to reach a visible state before failing. */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);

  /** Code run by a test thread; may throw anything, which then fails the test. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  private final String prefix;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  TestThreads() {
    this("test");
  }

  TestThreads(String prefix) {
    this.prefix = prefix;
  }

  /** Starts a daemon thread named {@code prefix-name} running {@code body}. */
  Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failures.add(e);
              }
            },
            prefix + "-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  /** Whether any thread started here is still alive. */
  boolean anyAlive() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  /**
   * Joins every thread started so far and rethrows the first failure any of them recorded.
   * A thread still alive after {@link #PATIENCE_NANOS} is interrupted and reported as a failure.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    List<String> stuck = new ArrayList<>();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while joining " + t.getName(), e);
        }
      }
      if (t.isAlive()) {
        stuck.add(t.getName() + " " + t.getState() + " " + Arrays.toString(t.getStackTrace()));
        t.interrupt();
      }
    }
    AssertionError stuckError =
        stuck.isEmpty() ? null : new AssertionError("threads did not finish: " + stuck);
    Throwable first = failures.poll();
    if (first == null && stuckError == null) {
      return;
    }
    if (first == null) {
      throw stuckError;
    }
    for (Throwable other = failures.poll(); other != null; other = failures.poll()) {
      first.addSuppressed(other);
    }
    if (stuckError != null) {
      first.addSuppressed(stuckError);
    }
    if (first instanceof Error error) {
      throw error;
    }
    throw new AssertionError("a test thread failed", first);
  }

  /** Waits until {@code condition} holds; fails naming {@code what} after the patience. */
  static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    for (int spins = 0; !condition.getAsBoolean(); spins++) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(50_000L);
      }
    }
  }

  /** Waits until {@code t} is parked: in state WAITING or TIMED_WAITING. */
  static void awaitParked(Thread t) {
    awaitCondition(
        t.getName() + " is parked",
        () -> {
          Thread.State s = t.getState();
          return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
  }

  /** Waits until {@code t} has terminated. */
  static void awaitTerminated(Thread t) {
    awaitCondition(t.getName() + " has terminated", () -> t.getState() == Thread.State.TERMINATED);
  }
}
