package dev.syncprims.stress;

import java.util.function.BooleanSupplier;

/**
 * Busy waits for the stress tests: a thread that must wait a few microseconds, or until another
 * thread has reached a point, spins on {@link System#nanoTime()} instead of sleeping (a sleep lasts
 * a millisecond or more, which would hide the races the tests look for). Every wait is bounded, so
 * a thread that another never releases gives up instead of hanging the test.
 */
final class Pause {
  /** The longest any rendezvous of the tests waits for another thread. */
  static final long MAX_WAIT_NANOS = 10_000_000L;

  /** How long {@link #until} spins before it starts to yield. */
  static final long SPIN_NANOS = 20_000L;

  private Pause() {}

  /** Spins for about {@code nanos} nanoseconds; returns at once if {@code nanos <= 0}. */
  static void nanos(long nanos) {
    if (nanos <= 0L) {
      return;
    }
    untilNanoTime(System.nanoTime() + nanos);
  }

  /** Spins until {@code System.nanoTime()} passes {@code deadline}, or for the longest wait. */
  static void untilNanoTime(long deadline) {
    long start = System.nanoTime();
    long now = start;
    while (now - deadline < 0L && now - start < MAX_WAIT_NANOS) {
      Thread.onSpinWait();
      now = System.nanoTime();
    }
  }

  /**
   * Waits until {@code condition} holds, at most {@link #MAX_WAIT_NANOS}; returns whether it
   * holds. Spins for the first {@link #SPIN_NANOS}, then yields between checks: with more waiting
   * threads than cores (the tests run three threads on machines with two), a thread that only
   * spins would take the processor from the thread it waits for.
   */
  @SuppressWarnings("ThreadPriorityCheck") // three threads on two cores: let the awaited one run
  static boolean until(BooleanSupplier condition) {
    if (condition.getAsBoolean()) {
      return true;
    }
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      long waited = System.nanoTime() - start;
      if (waited > MAX_WAIT_NANOS) {
        return false;
      }
      if (waited < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return true;
  }

  /** Joins {@code thread}, carrying on through interrupts and restoring the status after. */
  static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
