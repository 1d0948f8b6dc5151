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
   * Spins until {@code condition} holds, at most {@link #MAX_WAIT_NANOS}; returns whether it
   * holds.
   */
  static boolean until(BooleanSupplier condition) {
    if (condition.getAsBoolean()) {
      return true;
    }
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > MAX_WAIT_NANOS) {
        return false;
      }
      Thread.onSpinWait();
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
