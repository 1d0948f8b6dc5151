package dev.syncprims.impl;

import dev.syncprims.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A task scheduled on a {@link WheelTimer}: the {@link Timeout} handed to the user, and the node
 * that the worker links in its wheel. Its state word is the single point where a cancel, the
 * firing and the closing of the timer decide; the table of its states is in the implementation
 * notes of {@link WheelTimer} ("Timeout states").
 */
class TimerEntry extends TimingWheel.Node implements Timeout {
  /** Pending, in a slot or a stripe's queue: the worker has not taken it yet. */
  static final int QUEUED = 0;
  /** Pending, linked in a bucket of the wheel (or about to be) by the worker. */
  static final int LINKED = 1;
  static final int RUNNING = 2;
  static final int DONE = 3;
  static final int CANCELLED = 4;
  private static final State[] STATES = {
    State.PENDING, State.PENDING, State.RUNNING, State.DONE, State.CANCELLED
  };

  final WheelTimer timer;
  // The deadline (TimingWheel.Node.deadline), of the next run for a periodic entry: written
  // before the entry is published, or by the thread that ran a periodic task before the
  // release that makes it pending again; read plainly by the worker after it read the state,
  // opaquely by others.
  /**
   * The number of entries scheduled on its stripe up to and including this one (wrapping
   * around); written before the entry is published in the slot.
   */
  int seq;
  @Nullable Runnable task;
  @SuppressWarnings("UnusedVariable") // through STATE
  private volatile int state;

  TimerEntry(WheelTimer timer, Runnable task, long deadline) {
    this.timer = timer;
    this.task = task;
    this.deadline = deadline;
  }

  static boolean isPending(int rawState) {
    return rawState <= LINKED;
  }

  /** Whether cancel() may move it from RUNNING to CANCELLED: only a periodic schedule. */
  boolean cancellableWhileRunning() {
    return false;
  }

  @Override
  public boolean cancel() {
    int s = getStateAcquire();
    while (isPending(s) || (s == RUNNING && cancellableWhileRunning())) {
      if (timer.closedWithout(this)) {
        return false; // closing the timer cancelled it (or ends it after this run)
      }
      if (casState(s, CANCELLED)) {
        task = null;
        timer.countCancelled();
        if (s == LINKED) {
          timer.onCancelled(this); // the worker unlinks it
        } // else QUEUED: the worker drops it when it takes it; RUNNING: not linked
        return true;
      }
      s = getStateAcquire(); // the worker moved it (QUEUED -> LINKED or -> RUNNING, ...)
    }
    return false;
  }

  /** Cancels on behalf of the timer (closing): CAS to CANCELLED and release the task. */
  boolean cancelByTimer() {
    int s = getStateAcquire();
    while (isPending(s) || (s == RUNNING && cancellableWhileRunning())) {
      if (casState(s, CANCELLED)) {
        task = null;
        timer.countCancelled();
        return true;
      }
      s = getStateAcquire();
    }
    return false;
  }

  /**
   * The executor rejected the task, which therefore did not run: from RUNNING (where the
   * worker's CAS put it) to CANCELLED, releasing the task.
   */
  void rejectedByExecutor() {
    task = null;
    setStateRelease(CANCELLED);
  }

  Runnable takeTask() {
    Runnable t = Objects.requireNonNull(task, "task of a timeout that won the CAS to RUNNING");
    task = null;
    return t;
  }

  /**
   * The task of the run that the caller's CAS to RUNNING has just started, or {@code null} if
   * the entry has been cancelled since. A one-shot entry gives its task up (the timer keeps no
   * reference to it) and cannot be cancelled once RUNNING, so it never returns {@code null};
   * a periodic entry keeps its task for the next run and may be cancelled at any moment of a
   * run (see {@link PeriodicTimerEntry#taskForRun()}).
   */
  @Nullable Runnable taskForRun() {
    return takeTask();
  }

  @Override
  public State state() {
    int s = getStateAcquire();
    if (isPending(s) && timer.closedWithout(this)) {
      // Closing cancelled it, unless the worker ran it first (before the close): re-read.
      s = getStateAcquire();
      return isPending(s) ? State.CANCELLED : STATES[s];
    }
    return STATES[s];
  }

  @Override
  public boolean isCancelled() {
    return state() == State.CANCELLED;
  }

  @Override
  public long deadlineNanos() {
    return getDeadlineOpaque();
  }

  @Override
  public long getDelay(TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    return unit.convert(getDeadlineOpaque() - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    State s = state();
    if (s == State.PENDING) {
      return "Timeout[PENDING, due in " + Duration.ofNanos(getDelay(TimeUnit.NANOSECONDS)) + "]";
    }
    return "Timeout[" + s + "]";
  }

  int getStateAcquire() {
    return (int) STATE.getAcquire(this);
  }

  boolean casState(int expected, int s) {
    return STATE.compareAndSet(this, expected, s);
  }

  void setStateRelease(int s) {
    STATE.setRelease(this, s);
  }

  long getDeadlineOpaque() {
    return (long) DEADLINE.getOpaque(this);
  }

  void setDeadlineOpaque(long d) {
    DEADLINE.setOpaque(this, d);
  }

  private static final VarHandle STATE;
  private static final VarHandle DEADLINE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(TimerEntry.class, "state", int.class);
      DEADLINE = l.findVarHandle(TimingWheel.Node.class, "deadline", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
