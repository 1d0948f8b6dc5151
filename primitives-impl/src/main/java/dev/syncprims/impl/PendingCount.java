package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * How a {@link WheelTimer} keeps its pending count: a strategy chosen when the timer is built,
 * {@link Bounded} when a {@code maxPending} bound is configured, {@link Unbounded} otherwise, so
 * that a timer without a bound pays nothing per schedule for a count that nobody enforces.
 *
 * <p>Thread-safety: {@link #admit()} is called by any scheduling thread, {@link #removed()} by
 * whichever thread moves an entry out of the pending states (a canceller, the closing thread or
 * the worker), {@link #count()} by any thread. All three are lock-free.
 */
abstract class PendingCount {

  /* Implementation notes
   *
   * A periodic schedule counts as one pending entry from its schedule until it ends (cancelled,
   * closed, or its executor rejected a run); its runs do not change the count.
   *
   * Bounded: one int, raised by getAndAdd after the entry is allocated and before it is
   *   published (rolled back at once when the bound is reached), lowered by getAndAdd by
   *   whoever moves an entry out of the pending states. The getAndAdd makes the bound exact:
   *   at most maxPending entries are ever admitted and not yet removed. Schedulers and
   *   removers contend on that word, which is the price of a bound.
   * Unbounded: nothing on the schedule path. Each entry carries `seq`, the number of entries
   *   scheduled on its stripe so far (one more than the entry it displaced from the slot, set
   *   before the slot's CAS publishes it), so the newest entries of the slots count every
   *   schedule. Cancels are counted on the canceller's stripe (TimerHandOff.countCancel) and
   *   one-shot firings by the worker, so the count is the sum of the slots' seq minus the
   *   cancels minus the fired. The removals are read first, so that a racing
   *   schedule-and-cancel is counted whole, or as pending for a moment, never as a negative.
   *   The seq are ints that wrap around; the count is taken modulo 2^32, which is exact as no
   *   timer holds 2^31 timeouts.
   */

  /**
   * Called before a new entry is published; returns {@code false}, having changed nothing, if
   * the bound is reached.
   */
  abstract boolean admit();

  /** An entry left the pending states: cancelled, or a one-shot entry fired. */
  abstract void removed();

  /** The count, which may be negative for a moment while removals race schedules. */
  abstract int count();

  /** The strategy for a timer with at most {@code maxPending} pending entries. */
  static PendingCount bounded(int maxPending) {
    return new Bounded(maxPending);
  }

  /**
   * The strategy for a timer without a bound, derived from the slots' sequence numbers of
   * {@code handOff} and the removals: the cancels it counted and {@code fired}, the one-shot
   * entries the worker fired.
   */
  static PendingCount unbounded(TimerHandOff handOff, LongSupplier fired) {
    return new Unbounded(handOff, fired);
  }

  /** No bound: the count is derived from the slots' sequence numbers and the removals. */
  private static final class Unbounded extends PendingCount {
    private final TimerHandOff handOff;
    private final LongSupplier fired;

    Unbounded(TimerHandOff handOff, LongSupplier fired) {
      this.handOff = handOff;
      this.fired = fired;
    }

    @Override
    boolean admit() {
      return true;
    }

    @Override
    void removed() {}

    @Override
    int count() {
      long removed = fired.getAsLong() + handOff.cancelledCount(); // removals first
      int count = -(int) removed;
      for (int i = 0; i < handOff.stripes(); i++) {
        count += handOff.slot(i).seq;
      }
      return count;
    }
  }

  /** A bound: one word, raised before publication by getAndAdd, exact against the bound. */
  private static final class Bounded extends PendingCount {
    private final int max;
    @SuppressWarnings("UnusedVariable") // through VALUE
    private volatile int value;

    Bounded(int max) {
      this.max = max;
    }

    @Override
    boolean admit() {
      if (getAndAddValue(1) >= max) {
        getAndAddValue(-1);
        return false;
      }
      return true;
    }

    @Override
    void removed() {
      getAndAddValue(-1);
    }

    @Override
    int count() {
      return value;
    }

    private int getAndAddValue(int delta) {
      return (int) VALUE.getAndAdd(this, delta);
    }

    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Bounded.class, "value", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
