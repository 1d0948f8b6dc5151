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
 * firing and the closing of the timer decide.
 *
 * <p>Thread-safety: the {@link Timeout} methods may be called by any thread; {@link
 * #cancelByTimer()} by any thread acting for the timer (closing, a rejected schedule, the
 * worker's shut-down); {@link #taskForRun()}, {@link #takeTask()} and {@link
 * #rejectedByExecutor()} only by the thread whose CAS moved the entry to RUNNING (the worker).
 */
class TimerEntry extends TimingWheel.Node implements Timeout {

  /* Implementation notes
   *
   * States (`state`, an int through STATE). QUEUED and LINKED are both PENDING to the user;
   * they differ in who must clean up after a cancel:
   *
   *     state      | task field | how it gets there
   *     -----------+------------+--------------------------------------------------------
   *     QUEUED     | the task   | constructor; the entry is in a slot or a stripe's queue
   *                |            | (periodic: CAS RUNNING -> QUEUED after a run on an executor)
   *     LINKED     | the task   | worker: CAS QUEUED -> LINKED, then links it in a bucket
   *                |            | (periodic: CAS RUNNING -> LINKED after a run on the worker)
   *     RUNNING    | null       | worker: CAS QUEUED or LINKED -> RUNNING, then takes the task
   *                | (periodic: | (a periodic entry keeps its task for the next run, unless
   *                |  the task) | a cancel from RUNNING drops it)
   *     DONE       | null       | the thread that ran the task: release store after it ends
   *     CANCELLED  | null       | cancel(), close() or the worker's shut-down: CAS from
   *                |            | QUEUED or LINKED (periodic: also from RUNNING); the worker:
   *                |            | release store from RUNNING when the executor rejects the task
   *
   *   A CAS out of the two pending states is the single decision point: exactly one of cancel
   *   and firing wins. The winner of a CAS to CANCELLED nulls the task field at once (so the
   *   task becomes collectable even while the entry is still linked in a bucket) and counts
   *   the entry out of the pending count. A cancel that wins from QUEUED leaves the entry
   *   where it is: the worker, or the next scheduler on its stripe, reads that it is no longer
   *   QUEUED and drops it. Only a cancel from LINKED passes the entry to the worker through
   *   the `cancelled` queue. A cancel that reads QUEUED and loses its CAS to the worker's
   *   QUEUED -> LINKED re-reads the state and tries again.
   *
   * Memory modes: `state` is read with getAcquire and changed by CAS or setRelease (DONE
   *   publishes the task's effects). `task` and `seq` are plain: they are written before the
   *   entry is published in its slot (the slot's CAS is the release), the task is read only by
   *   the CAS winner, and the plain `task = null` of a cancel from RUNNING may race the
   *   worker's read of a periodic task, which handles either value (taskForRun). The deadline
   *   is plain for the worker (a periodic entry's next deadline is written before the release
   *   CAS that makes it pending again) and opaque for other readers.
   */

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
