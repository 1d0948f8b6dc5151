package dev.syncprims.impl;

import java.lang.Thread.UncaughtExceptionHandler;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The loop of a {@link WheelTimer}'s worker thread: it takes what other threads handed over
 * ({@link TimerHandOff}), keeps the linked entries in its {@link TimingWheel}, fires what is due,
 * runs the tasks (or hands them to the executor), re-arms periodic schedules, and sleeps until
 * the next tick with work. Its {@link #run()} is what the timer's thread runs.
 *
 * <p>Each round of the loop, in order:
 *
 * <pre>
 *   drainCancelled()       unlink the entries cancelled while linked
 *   drainScheduled(now)    link (or fire at once) the new entries of the slots and queues
 *   expire(now)            fire every linked entry due by now, in tick order
 *   sleepUntilWork(busy)   announce a sleep target, re-check the hand-over, park
 * </pre>
 *
 * <p>Thread-safety: everything here belongs to the worker thread alone (the wheel, the
 * worker's view of the slots, the round-robin start), except what a configured executor runs on
 * its own thread ({@link #runTask}, {@link #runPeriodic} and its {@link #rearmFromExecutor},
 * which touch the entry, the hand-over and {@link #report}, never the wheel), and the counts ({@link #firedCount()}, {@link #periodicRuns()}, {@link
 * #maxLatenessNanos()}), which any thread may read. {@link #shutDown()} is the worker's last act,
 * or that of the thread that takes its place for good when it could not be started.
 */
final class TimerWorker implements Runnable {

  /* Implementation notes
   *
   * Firing (fire()). The worker announces the entry on the timer's control word
   *   (WheelTimer.announce, see "The close/fire race" there), moves it from its raw pending state
   *   to RUNNING by CAS, withdraws the announcement, and, if its CAS won, reads the task once
   *   (taskForRun()). A periodic entry may be cancelled from RUNNING at any moment, the moment
   *   between that CAS and that read included, and its task dropped: then no run starts. Only
   *   then does the run count (onStart: the lateness, the counters), and the task runs on the
   *   worker or goes to the executor.
   *
   * Idle turns. A worker that took entries from the hand-over in its last round (new slot
   *   entries or queued entries, even if they were cancelled before they were linked, the usual
   *   case for timeouts guarding fast requests) sleeps at most one turn of the finest level,
   *   and, if its wheel is empty, exactly one turn instead of without a timeout. Entries due
   *   after its wake-up, which do not wake it, then wait in the queues for at most a turn, and
   *   schedulers of deadlines later than that need not wake it; without this, every schedule
   *   after each such round would pay an unpark, and the worker a wake-up. A round that took
   *   nothing sleeps until the wheel's next event (NO_WORK if the wheel is empty), so an unused
   *   timer costs one extra wake-up after its last schedule, and one holding only far-off
   *   timeouts sleeps until they come near.
   *
   * The re-check before parking (lookBeforeSleep). After announcing its sleep target the worker
   *   looks at every queue and slot once more: a queue holding an entry is work; in a slot only
   *   a new entry (other than the one in `seen`) that is still QUEUED and due before the target
   *   counts, since one due later is taken at the wake-up anyway and a steady stream of
   *   schedule-then-cancel would otherwise keep the worker from ever parking. An offer that has
   *   claimed its place in a queue and not linked it yet (a preempted scheduler) is not waited
   *   for: the worker sleeps at most STALL_NANOS and comes back for it.
   *
   * Periodic re-arming. After a run on the worker, the next deadline is written and the entry
   *   goes back by CAS RUNNING -> LINKED and a link in the wheel (during expire(), the wheel
   *   accepts links from its callback and puts a deadline already past at the next tick; the
   *   next deadline skips the runs a late fixed rate has missed, so it runs once at once rather
   *   than once per missed period, see PeriodicTimerEntry.nextDeadline). After a run on an executor's thread,
   *   the entry goes back by CAS RUNNING -> QUEUED and an offer to that thread's stripe, with the
   *   close/schedule and park/wake protocols of a displaced entry in schedule(). A cancel
   *   during the run makes that CAS fail; a close() during it is seen by the re-arming, or, if
   *   it comes after the CAS, the entry reads CANCELLED in the closed timer and the shut-down
   *   drops it.
   *
   * Failures. A task's exception (any Throwable) goes to report(), as does one thrown by the
   *   executor's execute(); an exception thrown by the handler is dropped. As defence in depth,
   *   anything else thrown while one entry is fired (a defect of the timer itself) is reported
   *   the same way and that entry is cancelled by the timer, so that one entry cannot stop the
   *   worker. A throwable that escapes the rest of the loop (the wheel or the hand-over in an
   *   unexpected state, where going on could loop for ever) is reported too, and then the
   *   timer closes: every pending timeout reads CANCELLED and later schedules are rejected,
   *   rather than accepted and never run.
   *
   * Memory modes. firedCount, periodicRuns and maxLatenessNanos have one writer, this thread:
   *   plain volatile fields, read by stats() and the pending count. Everything else here is the
   *   worker's own, plain.
   */

  /** How long the worker sleeps at most when an offer to a queue has stalled half-way. */
  private static final long STALL_NANOS = 20_000L;
  /** The most entries taken from a queue in one round of the worker loop. */
  private static final int DRAIN_LIMIT = 65_536;

  /** What the re-check before parking found; see {@link #lookBeforeSleep}. */
  private static final int NOTHING_DUE = 0;
  private static final int WORK = 1;
  private static final int STALLED_OFFER = 2;

  private final WheelTimer timer;
  private final TimerHandOff handOff;
  private final PendingCount pending;
  private final long startNanos;
  private final long tickNanos;
  private final @Nullable Executor taskExecutor;
  private final @Nullable UncaughtExceptionHandler exceptionHandler;

  // The worker thread's own.
  /** The wheel of linked entries. */
  private final TimingWheel<TimerEntry> wheel;
  /** The handler of the entries that the wheel reports due. */
  private final TimingWheel.Expiry<TimerEntry> onDue = (e, tick) -> expired(e);
  /** The slot entry of each stripe that the worker saw last. */
  private final TimerEntry[] seen;
  /** Rotates the stripe that drainScheduled() starts with. */
  private int drainStart;

  // Counts for stats() and the pending count: written by the worker thread only.
  /** One-shot timeouts fired so far (started, or handed to the executor). */
  private volatile long firedCount;
  /** Runs of periodic tasks started so far. */
  private volatile long periodicRuns;
  /** The largest lateness of a start seen so far, in nanoseconds. */
  private volatile long maxLatenessNanos;

  /**
   * The worker of {@code timer}; {@code none} is the finished entry that the hand-over's slots
   * start out with.
   */
  TimerWorker(
      WheelTimer timer,
      TimerHandOff handOff,
      PendingCount pending,
      TimerEntry none,
      int wheelSize,
      @Nullable Executor taskExecutor,
      @Nullable UncaughtExceptionHandler exceptionHandler) {
    this.timer = timer;
    this.handOff = handOff;
    this.pending = pending;
    this.startNanos = timer.startNanos;
    this.tickNanos = timer.tickNanos;
    this.taskExecutor = taskExecutor;
    this.exceptionHandler = exceptionHandler;
    this.wheel = new TimingWheel<>(startNanos, tickNanos, wheelSize);
    this.seen = new TimerEntry[handOff.stripes()];
    Arrays.fill(seen, none);
  }

  /** The number of level-0 buckets of the wheel. */
  int wheelSize() {
    return wheel.wheelSize();
  }

  /** One-shot timeouts fired so far; any thread. */
  long firedCount() {
    return firedCount;
  }

  /** Runs of periodic tasks started so far; any thread. */
  long periodicRuns() {
    return periodicRuns;
  }

  /** The largest lateness of a start seen so far, in nanoseconds; any thread. */
  long maxLatenessNanos() {
    return maxLatenessNanos;
  }

  /**
   * The worker's loop. Each round: unlink what was cancelled, take what was scheduled, fire
   * what is due, then sleep until the next tick with work or until woken. Ends when the timer
   * is closed; then cancels and releases whatever is still pending.
   */
  @Override
  public void run() {
    handOff.setWorker(Thread.currentThread());
    try {
      while (!timer.isClosed()) {
        long now = System.nanoTime();
        int taken = drainCancelled() + drainScheduled(now);
        expire(now);
        sleepUntilWork(taken > 0);
      }
    } catch (Throwable defect) {
      report(defect); // see "Failures": the timer closes below rather than run on in this state
    } finally {
      timer.closeOnWorkerExit(); // normally closed already
      shutDown();
    }
  }

  // ---------------------------------------------------------------- phase 1: cancelled entries

  /** Unlinks the entries cancelled while linked; returns how many it took from the queue. */
  private int drainCancelled() {
    HandOffQueue<TimerEntry> cancelled = handOff.cancelled();
    int n = 0;
    for (; n < DRAIN_LIMIT; n++) {
      TimerEntry e = cancelled.poll();
      if (e == null) {
        break;
      }
      if (e.isLinked()) { // the cancel reached the wheel before the worker did
        wheel.unlink(e);
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- phase 2: new entries

  /** Links (or fires) the new entries; returns how many it took from the hand-over. */
  @SuppressWarnings("ReferenceEquality") // identity: a new entry in the slot, or the one seen before
  private int drainScheduled(long now) {
    int n = 0;
    int stripes = handOff.stripes();
    int first = drainStart++ & (stripes - 1); // rotate, so that no stripe waits behind the others
    for (int i = 0; i < stripes; i++) {
      int stripe = (first + i) & (stripes - 1);
      TimerEntry newest = handOff.slot(stripe);
      if (newest != seen[stripe]) {
        seen[stripe] = newest;
        n++; // counted even if cancelled already: see "Idle turns"
        take(newest, now);
      }
      HandOffQueue<TimerEntry> queue = handOff.scheduled(stripe);
      TimerEntry e;
      // poll() does not wait for an offer that has claimed its place and not linked it yet
      // (a preempted scheduler): the round goes on, and sleepUntilWork() comes back for it.
      while (n < DRAIN_LIMIT && (e = queue.poll()) != null) {
        n++;
        take(e, now);
      }
    }
    return n;
  }

  /** Links or fires an entry found in a slot or a queue, unless it is no longer QUEUED. */
  private void take(TimerEntry e, long now) {
    // Most entries taken here were cancelled while queued (timeouts that guard fast
    // requests): a read, not a failing CAS, tells so without taking the line for writing.
    // An entry in another state was also cancelled, or is one the worker took already from
    // a slot and that its displacer passed on through the queue all the same.
    if (e.getStateAcquire() != TimerEntry.QUEUED) {
      return;
    }
    // `now` was read when the round began; an entry scheduled since may be due already (a
    // delay of zero) though its deadline is after `now`. Linked, it would wait for the next
    // tick, so the clock is read again for an entry due within a tick of `now`.
    long deadline = e.deadline;
    long left = deadline - now;
    if (left <= 0 || (left < tickNanos && deadline - System.nanoTime() <= 0)) {
      fire(e, TimerEntry.QUEUED);
    } else if (e.casState(TimerEntry.QUEUED, TimerEntry.LINKED)) {
      wheel.link(e);
    } // else cancelled since the read above
  }

  // ---------------------------------------------------------------- phase 3: what is due

  /** Fires every linked entry that is due at the current tick. */
  private void expire(long now) {
    wheel.advance(wheel.tickAt(now), onDue);
  }

  /** An entry that the wheel reports due (and has unlinked): fired unless it was cancelled. */
  private void expired(TimerEntry e) {
    // A cancelled entry's cancel may still be on its way through the queue; drainCancelled()
    // then finds it unlinked already.
    if (e.getStateAcquire() == TimerEntry.LINKED) {
      fire(e, TimerEntry.LINKED);
    }
  }

  /**
   * Runs (or hands to the executor) a due entry in raw state {@code rawPending}, unless it was
   * cancelled or the timer closed. Nothing thrown here stops the worker (see "Failures").
   */
  private void fire(TimerEntry e, int rawPending) {
    try {
      fireOrDrop(e, rawPending);
    } catch (Throwable defect) { // not a task's failure: those are reported where they run
      report(defect);
      e.cancelByTimer();
    }
  }

  private void fireOrDrop(TimerEntry e, int rawPending) {
    // Announce the entry on the control word, which fails once the timer is closed; see
    // "The close/fire race" in WheelTimer.
    if (!timer.announce(e)) {
      e.cancelByTimer(); // closed: nothing fires any more
      return;
    }
    boolean won = e.casState(rawPending, TimerEntry.RUNNING);
    timer.withdraw(e); // fails if close() came in between: the word stays closed
    if (!won) {
      return;
    }
    // NOTE: a periodic entry may be cancelled (by cancel() or close()) from RUNNING at any
    // moment, this one included, and its task dropped: then no run starts.
    Runnable task = e.taskForRun();
    if (task == null) {
      return;
    }
    PeriodicTimerEntry p = e instanceof PeriodicTimerEntry periodic ? periodic : null;
    onStart(e, p == null);
    Executor executor = taskExecutor;
    if (executor == null) {
      if (p == null) {
        runTask(e, task);
      } else {
        runPeriodic(p, task, true);
      }
      Thread.interrupted(); // a task's interrupt of its own thread must not wake the worker's parks
      return;
    }
    try {
      executor.execute(p == null ? () -> runTask(e, task) : () -> runPeriodic(p, task, false));
    } catch (Throwable rejected) {
      // Not run, and must not look like a task that ran: the rejection goes to the handler and
      // the timeout ends CANCELLED (a periodic schedule ends with it).
      report(rejected);
      e.rejectedByExecutor();
      if (p != null) {
        timer.countCancelled();
      }
    }
  }

  /**
   * A run of {@code e} starts now (or is handed to the executor now): the one place where the
   * worker knows both the deadline and the actual start of each run. Counts the run and its
   * lateness; {@code oneShot}: the entry leaves the pending states with this run.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate") // the worker is the only writer of the counts
  private void onStart(TimerEntry e, boolean oneShot) {
    long lateness = System.nanoTime() - e.deadline;
    if (lateness > 0) {
      onLate(e, lateness);
    }
    if (oneShot) {
      firedCount = firedCount + 1;
      pending.removed();
    } else {
      periodicRuns = periodicRuns + 1; // a schedule stays pending until it ends
    }
  }

  /**
   * A run of {@code e} starts {@code latenessNanos} (positive) after its deadline. Keeps the
   * largest lateness for {@link WheelTimer#stats()} and offers it to the JFR event {@code
   * dev.syncprims.TimerLate} (recorded only when enabled and past its threshold). Worker thread
   * only.
   */
  void onLate(TimerEntry e, long latenessNanos) {
    if (latenessNanos > maxLatenessNanos) {
      maxLatenessNanos = latenessNanos; // the worker is the only writer
    }
    Events.timerLate(e, latenessNanos);
  }

  /** Runs a one-shot task, on the worker or on the executor's thread, and marks it DONE. */
  private void runTask(TimerEntry e, Runnable task) {
    try {
      task.run();
    } catch (Throwable failure) {
      report(failure);
    } finally {
      e.setStateRelease(TimerEntry.DONE);
    }
  }

  /**
   * One run of a periodic task, then its re-arming, on the worker ({@code onWorker}) or on the
   * executor's thread. A run that throws goes to the handler and the schedule goes on.
   */
  private void runPeriodic(PeriodicTimerEntry p, Runnable task, boolean onWorker) {
    try {
      task.run();
    } catch (Throwable failure) {
      report(failure);
    }
    p.setDeadlineOpaque(p.nextDeadline(System.nanoTime()));
    if (onWorker) {
      rearmOnWorker(p);
    } else {
      rearmFromExecutor(p);
    }
  }

  /**
   * Links a periodic entry again after its run on the worker. A cancel() during the run has
   * moved it to CANCELLED already, and the CAS fails; a close() during the run is seen here or,
   * if it comes after the CAS, ends the loop, whose shut-down cancels the entry.
   */
  private void rearmOnWorker(PeriodicTimerEntry p) {
    if (timer.isClosed()) {
      p.cancelByTimer();
    } else if (p.casState(TimerEntry.RUNNING, TimerEntry.LINKED)) {
      wheel.link(p);
    }
  }

  /**
   * Hands a periodic entry back to the worker after its run on an executor thread (the calling
   * thread): QUEUED again, through the queue of this thread's stripe, with the same
   * close/schedule and park/wake protocols as a displaced entry in schedule().
   */
  private void rearmFromExecutor(PeriodicTimerEntry p) {
    if (timer.isClosed()) {
      p.cancelByTimer();
      return;
    }
    if (!p.casState(TimerEntry.RUNNING, TimerEntry.QUEUED)) {
      return; // cancelled during the run
    }
    try {
      handOff.offer(handOff.stripe(), p);
    } catch (Throwable failure) { // OutOfMemoryError for its node: the schedule cannot go on
      p.cancelByTimer();
      report(failure);
      return;
    }
    VarHandle.fullFence(); // as after the offer in schedule(): before the reads below
    if (timer.isClosed()) {
      p.cancelByTimer();
      return;
    }
    long now = System.nanoTime();
    handOff.wakeWorkerBefore(
        p.deadline - now <= 0 ? TimerHandOff.NOW : p.deadline - startNanos);
  }

  /**
   * Passes {@code failure} to the configured handler, else to the calling thread's
   * uncaught-exception handler; a handler's own exception is dropped. Any thread.
   */
  private void report(Throwable failure) {
    Thread current = Thread.currentThread();
    UncaughtExceptionHandler handler =
        exceptionHandler != null ? exceptionHandler : current.getUncaughtExceptionHandler();
    try {
      handler.uncaughtException(current, failure);
    } catch (Throwable ignored) {
      // A failing handler must not stop the timer; there is nowhere left to report to.
    }
  }

  // ---------------------------------------------------------------- phase 4: sleep

  /**
   * Parks until the next tick with work, or until it is woken. {@code busy}: this round took
   * entries from the hand-over; see "Idle turns".
   */
  private void sleepUntilWork(boolean busy) {
    long target = wheel.isEmpty() ? TimerHandOff.NO_WORK : wheel.nextEventTick();
    if (busy) {
      // See "Idle turns": back within a turn, to take what arrived meanwhile for later ticks.
      target = Math.min(target, wheel.currentTick() + wheel.wheelSize());
    }
    if (target != TimerHandOff.NO_WORK && target > Long.MAX_VALUE / tickNanos) {
      target = TimerHandOff.NO_WORK; // only saturated deadlines: nothing due in the process's life
    }
    // Announce, then re-check: see "The park/wake race" in TimerHandOff.
    long announced = target == TimerHandOff.NO_WORK ? TimerHandOff.NO_WORK
        : (target - 1) * tickNanos;
    handOff.announceSleep(announced);
    int found = lookBeforeSleep(announced);
    if (found != WORK && !handOff.cancelledBacklog() && !timer.isClosed()) {
      long wait = target == TimerHandOff.NO_WORK ? Long.MAX_VALUE
          : startNanos + target * tickNanos - System.nanoTime();
      if (found == STALLED_OFFER) {
        // A scheduler claimed a place in a queue and has not linked its entry yet (it may
        // have been preempted): come back for it soon, rather than wait for it or spin.
        wait = Math.min(wait, STALL_NANOS);
      }
      if (wait == Long.MAX_VALUE) {
        LockSupport.park(timer);
      } else if (wait > 0) {
        LockSupport.parkNanos(timer, wait);
      }
      // An interrupt of the worker does not stop it; cleared, so that the next park parks.
      Thread.interrupted();
    }
    handOff.awake();
  }

  /**
   * The re-check before parking: WORK if a queue holds an entry or a slot holds a new QUEUED
   * entry due at or before the deadline offset {@code target}; STALLED_OFFER if nothing else
   * but an offer that has claimed its place and not linked it yet; NOTHING_DUE otherwise. See
   * "The re-check before parking".
   */
  @SuppressWarnings("ReferenceEquality") // identity: a new entry in the slot, or the one seen before
  private int lookBeforeSleep(long target) {
    long now = System.nanoTime();
    int found = NOTHING_DUE;
    for (int i = 0; i < handOff.stripes(); i++) {
      HandOffQueue<TimerEntry> queue = handOff.scheduled(i);
      if (queue.hasStalledOffer()) {
        found = STALLED_OFFER;
      } else if (!queue.isEmpty()) {
        return WORK;
      }
      TimerEntry newest = handOff.slot(i);
      if (newest != seen[i]
          && newest.getStateAcquire() == TimerEntry.QUEUED
          && (newest.deadline - startNanos <= target || newest.deadline - now <= 0)) {
        return WORK;
      }
    }
    if (handOff.cancelled().hasStalledOffer()) {
      found = STALLED_OFFER;
    }
    return found;
  }

  // ---------------------------------------------------------------- the end

  /**
   * The worker's last act (or, if the worker could not be started, that of the thread that
   * tried): every timeout still pending is cancelled and released.
   */
  void shutDown() {
    wheel.clear((e, tick) -> e.cancelByTimer());
    for (int i = 0; i < handOff.stripes(); i++) {
      handOff.slot(i).cancelByTimer();
      HandOffQueue<TimerEntry> queue = handOff.scheduled(i);
      for (TimerEntry e = queue.poll(); e != null; e = queue.poll()) {
        e.cancelByTimer();
      }
    }
    HandOffQueue<TimerEntry> cancelled = handOff.cancelled();
    while (cancelled.poll() != null) {
      // drop: the entries are unlinked already
    }
  }
}
