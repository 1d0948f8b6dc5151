package dev.syncprims.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The threads of one test: started by name, joined with a bound, and every failure inside them
 * rethrown in the test thread. Used with try-with-resources so that a failing test leaves no
 * thread behind.
 */
final class Workers implements AutoCloseable {
  /** What a worker runs; it may throw anything, which then fails the test. */
  interface Body {
    void run() throws Exception;
  }

  static final long JOIN_MILLIS = 10_000;

  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

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
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  /** Joins every thread (each within {@link #JOIN_MILLIS}) and rethrows the first failure. */
  void joinAll() throws Exception {
    for (Thread t : threads) {
      t.join(JOIN_MILLIS);
      if (t.isAlive()) {
        AssertionError e = new AssertionError(t.getName() + " did not finish; state " + t.getState());
        StackTraceElement[] trace = t.getStackTrace();
        Throwable where = new Throwable(t.getName() + " is here");
        where.setStackTrace(trace);
        e.addSuppressed(where);
        throw e;
      }
    }
    rethrow();
  }

  /** Rethrows the first failure of a worker so far, if any, with the others suppressed. */
  void rethrow() throws Exception {
    Throwable first = failures.poll();
    if (first == null) {
      return;
    }
    for (Throwable more = failures.poll(); more != null; more = failures.poll()) {
      first.addSuppressed(more);
    }
    if (first instanceof Exception e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw new AssertionError(first);
  }

  /** Interrupts the threads still running (after a failure) and gives them time to end. */
  @Override
  public void close() {
    for (Thread t : threads) {
      if (t.isAlive()) {
        t.interrupt();
      }
    }
    try {
      for (Thread t : threads) {
        t.join(JOIN_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits, politely, until {@code condition} holds; fails after ten seconds naming {@code what}. */
  static void waitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(20_000L);
    }
  }

  /** Waits until {@code t} is parked (WAITING or TIMED_WAITING). */
  static void waitUntilParked(Thread t) {
    waitUntil(
        () -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
        t.getName() + " is parked");
  }
}
