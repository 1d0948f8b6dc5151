package dev.syncprims.impl;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Parking, deadlines, interrupts and bounded spinning: what every wait of the waiting core does
 * the same way. Internal; not part of the API.
 */
final class Parking {
  /* Implementation notes
   *
   * Deadlines are absolute System.nanoTime() values computed once; comparisons are by difference
   * (deadline - now > 0), which stays right across the overflow of nanoTime. NO_DEADLINE (0) means
   * "none"; deadlineAfter never returns it. A timeout of Long.MAX_VALUE nanoseconds is about 292
   * years, so it never wraps.
   *
   * Interrupts: interruptible waits check the interrupted status after every wake-up, before the
   * deadline, so an interrupt wins over a concurrent timeout. Uninterruptible waits clear it (so
   * that park does not return at once for ever) and set it again before returning (finish). A
   * spin checks the same two things (spinMustEnd), and a wait whose spin ended for either reason
   * gives up without another try: once a wait has seen its interrupt or its deadline, it answers
   * it (unless it was granted first).
   */

  /** Results of a wait. */
  static final int ACQUIRED = 0;

  static final int TIMED_OUT = 1;
  static final int INTERRUPTED = 2;

  /** {@link #verdict}: no reason to stop waiting. */
  static final int KEEP_WAITING = -1;

  /** {@link #verdict}: an uninterruptible wait was interrupted; the status was cleared. */
  static final int ABSORBED_INTERRUPT = -2;

  /** Means "no deadline" where a deadline is expected; never compared by difference. */
  static final long NO_DEADLINE = 0L;

  /** Whether spinning can pay at all: with one processor the thread spun for cannot run. */
  static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

  /** How long {@link #spinWhile} spins without yielding. */
  private static final long SPIN_BEFORE_YIELD_NANOS = 2_000L;

  private Parking() {}

  /** The absolute deadline {@code nanos} from now; {@code nanos} must be positive. */
  static long deadlineAfter(long nanos) {
    long deadline = System.nanoTime() + nanos; // may wrap; compared by difference
    return deadline == NO_DEADLINE ? deadline + 1 : deadline;
  }

  /** The earlier of two deadlines, either of which may be {@link #NO_DEADLINE}. */
  static long earlier(long a, long b) {
    if (a == NO_DEADLINE) {
      return b;
    }
    if (b == NO_DEADLINE) {
      return a;
    }
    return a - b < 0L ? a : b;
  }

  /**
   * The nanoseconds from now until the wall-clock time {@code date} ({@code Condition.awaitUntil}),
   * 0 if it has passed. Compared before subtracting: a date far in the past must not wrap into the
   * far future.
   */
  @SuppressWarnings("JavaUtilDate") // the signature is Condition's
  static long nanosUntil(java.util.Date date) {
    long at = date.getTime();
    long now = System.currentTimeMillis();
    return at <= now ? 0L : java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(at - now);
  }

  /** Parks once: until unparked, until the deadline (if any), or spuriously. */
  static void parkUntil(Object blocker, long deadline) {
    if (deadline == NO_DEADLINE) {
      LockSupport.park(blocker);
    } else {
      long remaining = deadline - System.nanoTime();
      if (remaining > 0L) {
        LockSupport.parkNanos(blocker, remaining);
      }
    }
  }

  /**
   * What a wake-up means for a wait, the interrupt checked before the deadline so that it wins
   * over a concurrent timeout: {@link #INTERRUPTED} (interruptible; status cleared), {@link
   * #TIMED_OUT}, {@link #ABSORBED_INTERRUPT} (uninterruptible; status cleared, {@link #finish}
   * sets it again), or {@link #KEEP_WAITING}.
   */
  static int verdict(boolean interruptible, long deadline) {
    if (Thread.interrupted()) {
      return interruptible ? INTERRUPTED : ABSORBED_INTERRUPT;
    }
    if (deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0L) {
      return TIMED_OUT;
    }
    return KEEP_WAITING;
  }

  /** Whether a spinning waiter must stop and let {@link #verdict} answer. */
  static boolean spinMustEnd(boolean interruptible, long deadline) {
    return (interruptible && Thread.currentThread().isInterrupted())
        || (deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0L);
  }

  /** Returns {@code result}, first setting the interrupted status again if a wait absorbed one. */
  static int finish(int result, boolean absorbedInterrupt) {
    if (absorbedInterrupt) {
      Thread.currentThread().interrupt();
    }
    return result;
  }

  /**
   * Spins while {@code condition} holds, for at most about {@code nanos} nanoseconds; returns true
   * if the condition stopped holding, false if the time ran out first.
   */
  @SuppressWarnings("ThreadPriorityCheck") // the yield is the point: see the comment below
  static boolean spinWhile(BooleanSupplier condition, long nanos) {
    long start = System.nanoTime();
    for (int i = 1; condition.getAsBoolean(); i++) {
      if ((i & 15) != 0) {
        Thread.onSpinWait();
        continue;
      }
      long spent = System.nanoTime() - start;
      if (spent > nanos) {
        return false;
      }
      if (spent > SPIN_BEFORE_YIELD_NANOS) {
        // With more runnable threads than processors, the thread we wait for may be waiting for
        // this processor: let it run.
        Thread.yield();
      }
    }
    return true;
  }
}
