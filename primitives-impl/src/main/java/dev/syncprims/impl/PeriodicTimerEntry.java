package dev.syncprims.impl;

import org.jspecify.annotations.Nullable;

/**
 * A periodic schedule: one entry for all its runs. Between runs it is pending (QUEUED or
 * LINKED) like a one-shot entry; after a run, the thread that ran it writes the next deadline
 * and makes it pending again, unless a cancel() has moved it from RUNNING to CANCELLED.
 */
final class PeriodicTimerEntry extends TimerEntry {

  /* Implementation notes
   *
   * One entry for all the runs. The worker's CAS to RUNNING starts a run, as for a one-shot
   *   entry, but the task stays in the entry; cancel() and close() may CAS RUNNING -> CANCELLED
   *   (cancellableWhileRunning), which drops the task and makes the re-arming CAS after the run
   *   fail, so no run starts after cancel() returns (TimerWorker, "Periodic re-arming").
   * A stale reference to the entry in a stripe's queue (offered there by the schedule that
   *   displaced it from its slot, after the worker had taken it from the slot) is harmless: the
   *   worker acts only on QUEUED, and a re-armed QUEUED entry is in a queue; whichever
   *   reference is taken first links it, the other is dropped.
   */
  /** Positive: the period of a fixed rate; negative: minus the delay of a fixed delay. */
  final long period;

  PeriodicTimerEntry(WheelTimer timer, Runnable task, long deadline, long period) {
    super(timer, task, deadline);
    this.period = period;
  }

  @Override
  boolean cancellableWhileRunning() {
    return true;
  }

  /**
   * The task, for one more run, or {@code null} if the schedule was cancelled since the
   * caller's CAS to RUNNING: cancel() and close() may move a periodic entry from RUNNING to
   * CANCELLED and drop its task at any moment, the moment between that CAS and this read
   * included. A {@code null} here means that no run starts; the cancel has counted the entry
   * out already.
   */
  @Override
  @Nullable Runnable taskForRun() {
    return task; // NOTE: races with the plain `task = null` of a cancel; either value is right
  }

  /**
   * The deadline of the next run, after a run that ended at {@code now}. Fixed delay: {@code
   * now} plus the delay. Fixed rate: the previous deadline plus the period; if that is late
   * by a whole period or more, the missed runs are not made up: the next run is due at the
   * latest deadline of the rate that is not after {@code now} (so it runs at once, and only
   * once, and the rate keeps its phase).
   */
  long nextDeadline(long now) {
    if (period < 0) {
      return WheelTimer.deadline(timer.startNanos, now, -period);
    }
    long next = WheelTimer.deadline(timer.startNanos, deadline, period);
    long late = now - next;
    if (late >= period) {
      next += late - late % period;
    }
    return next;
  }
}
