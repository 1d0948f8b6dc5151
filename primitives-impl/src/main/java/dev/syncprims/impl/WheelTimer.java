package dev.syncprims.impl;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import java.lang.Thread.UncaughtExceptionHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Timer} on a hashed timing wheel: scheduling and cancelling cost O(1) whatever the
 * number of pending tasks, one worker thread sleeps until the next tick that has work, and a
 * task that throws does not stop it.
 *
 * <pre>{@code
 * try (WheelTimer timer = WheelTimer.builder()
 *     .tickDuration(Duration.ofMillis(10))
 *     .exceptionHandler((thread, failure) -> log.warn("timer task failed", failure))
 *     .build()) {
 *   Timeout t = timer.schedule(() -> request.abort(), Duration.ofSeconds(30));
 *   ...
 *   t.cancel();
 * }
 * }</pre>
 *
 * <p><b>Resolution.</b> Time is divided into ticks ({@linkplain Builder#tickDuration(Duration)
 * 1 ms} by default). A task never runs before its deadline; it runs at the first tick boundary at
 * or after it, so normally less than one tick late, plus however long the worker thread takes
 * to be scheduled by the operating system and to run the tasks due before it. Tasks due in the
 * same tick run in no particular order. A task whose delay is zero or negative has the
 * scheduling time as its deadline and runs as soon as the worker gets to it, without waiting
 * for a tick.
 *
 * <p><b>Threads.</b> The timer owns one worker thread, made by the {@linkplain
 * Builder#threadFactory(ThreadFactory) thread factory} (by default a daemon thread named
 * {@code primitives-timer-N}) when the timer is built and started by the first {@code
 * schedule}; it ends after {@link #close()}. Tasks run on that thread, one after the other,
 * unless a {@linkplain Builder#taskExecutor(Executor) task executor} is configured; a long task on the
 * worker delays every task due after it. Interrupting the worker does not stop it; {@link
 * #close()} does.
 *
 * <p><b>Failures.</b> A task that throws (any {@link Throwable}) has its timeout marked {@link
 * Timeout.State#DONE DONE}; the exception goes to the {@linkplain
 * Builder#exceptionHandler(UncaughtExceptionHandler) exception handler} and the timer carries
 * on. A periodic task that throws goes on with its schedule. An exception thrown by the
 * handler itself is ignored.
 *
 * <p><b>Far-off deadlines.</b> The wheel is hierarchical: a timeout due in an hour waits in a
 * coarse level and costs the worker nothing until it comes within one turn of the finest level,
 * so a timer holding many long idle timeouts sleeps.
 *
 * <p><b>Closing.</b> {@link #close()} cancels every pending timeout and ends every periodic
 * schedule at once: from its return on, each of them reads {@link Timeout.State#CANCELLED
 * CANCELLED} for ever and no run starts. A task running at that moment finishes, not
 * interrupted and not waited for; then the worker thread ends.
 *
 * <p><b>Memory.</b> A pending timeout costs 48 bytes (with compressed references) beyond
 * the task itself. A cancelled timeout drops its task at once, so the task and everything it
 * refers to can be collected long before the deadline; the worker unlinks the small node later.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before it schedules a task happen-before
 * the task starts. Actions of the task happen-before another thread sees {@link
 * Timeout.State#DONE DONE} from {@link Timeout#state()}.
 */
public final class WheelTimer implements Timer {

  /* Implementation notes
   *
   * The wheel (TimingWheel: Varghese & Lauck, "Hashed and Hierarchical Timing Wheels", SOSP
   *   1987, scheme 7). Time since startNanos is cut into ticks of tickNanos. A timeout due at
   *   tick d (the deadline rounded UP to a tick, so that it never fires early) lives in level 0
   *   (wheelSize one-tick buckets) once it is less than one turn away, and before that in a
   *   coarser level of 64 buckets, from which it moves down when its bucket comes round. The
   *   worker sleeps until the next event of the wheel (a level-0 bucket to fire, or a bucket
   *   to move down), so timeouts an hour away cost nothing until they come near. Linking and
   *   unlinking are O(1). The wheel is a single-threaded data structure, tested on its own.
   *
   * Clock arithmetic. Deadlines are System.nanoTime() values, which may wrap around; they are
   *   only ever compared by subtraction. The deadline is stored as startNanos + offset, with
   *   0 <= offset <= Long.MAX_VALUE (saturated), so deadline - startNanos recovers the offset
   *   exactly and tick numbers are non-negative longs.
   *
   * Who touches what.
   *   - The wheel belongs to the worker thread alone (plain fields, no synchronization).
   *   - Other threads hand new timeouts and cancelled ones to the worker through TimerHandOff:
   *     per stripe, a slot holding the newest entry scheduled on it and a queue for the
   *     entries the slot passes on; a queue of the entries cancelled while linked; the
   *     park/wake protocol. Its implementation notes explain the slots, the park/wake race
   *     and the back-pressure pause.
   *   - The pending count is a PendingCount, chosen when the timer is built (bounded or not).
   *
   * Timeout states (TimerEntry.state, an int via VarHandle). QUEUED and LINKED are both PENDING
   * to the user; they differ in who must clean up after a cancel:
   *
   *     state      | task field | how it gets there
   *     -----------+------------+--------------------------------------------------------
   *     QUEUED     | the task   | constructor; the entry is in a slot or a stripe's queue
   *                |            | (periodic: CAS RUNNING -> QUEUED after a run on an executor)
   *     LINKED     | the task   | worker: CAS QUEUED -> LINKED, then links it in a bucket
   *                |            | (periodic: CAS RUNNING -> LINKED after a run on the worker)
   *     RUNNING    | null       | worker: CAS QUEUED or LINKED -> RUNNING, then takes the task
   *                | (periodic: | (a periodic entry keeps its task for the next run)
   *                |  the task) |
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
   * Timer states: the control word. `control` holds, in one word, whether the timer is open
   *   and which entry the worker is about to fire:
   *
   *     control        | meaning
   *     ---------------+---------------------------------------------------------------
   *     null           | open; the worker is not firing anything
   *     an TimerEntry e     | open; the worker has announced e and is deciding it (CAS to RUNNING)
   *     Closed(a)      | closed for good; a is the entry announced at that moment, or null
   *
   *   close() swaps the word for Closed(a) by CAS (the worker does the same if it dies of an
   *   unexpected error). Once closed, an entry in a raw pending state other than a can never
   *   fire, so state() reports it CANCELLED and cancel() refuses it: close() cancels every
   *   pending timeout at once, in O(1), without touching the wheel; the worker then makes the
   *   raw states CANCELLED, drops the tasks and exits. As a is written once with the Closed, the
   *   set of entries that close() cancelled never changes: CANCELLED, once reported, stays.
   *
   * The close/fire race. close() must not let a task start once it has returned, yet the
   *   worker may be between "is the timer open?" and its CAS to RUNNING. The worker announces
   *   the entry by CAS null -> e on the control word, which fails once the timer is closed
   *   (then it cancels the entry instead); after its CAS of the entry it puts null back by CAS
   *   e -> null, which fails if close() came in between. close() cancels the entry a it found
   *   announced; that CAS and the worker's decide which one wins. state() says PENDING for a
   *   until its CAS is decided, and it was never reported CANCELLED before (the timer was open).
   *
   * The close/schedule race. schedule() checks open, publishes the entry in its slot (and
   *   offers the entry it displaced, if that one is still QUEUED), then reads `control` again.
   *   If it now sees it closed it tries to CAS its entry to CANCELLED itself: on success it
   *   throws RejectedExecutionException (the task was never accepted); on failure the worker
   *   already ran or cancelled it and the timeout is returned. It cancels the entry it
   *   offered too, whose own schedule() may have returned it already. If it still sees open,
   *   the slot's CAS and the offer precede the close in the synchronization order, so the
   *   worker, which reads closed before its final look at the slots and the queues, finds both
   *   entries there (or the newer entry that displaced this one from the slot, whose own
   *   scheduler then deals with this one the same way) and cancels them.
   *   (The slot's CAS is a volatile write. The offer's last store, the link, is a release
   *   store; the full fence after an offer keeps it before the re-read of
   *   `control`, and before the read of `sleepTarget` in the park/wake race below.)
   *   A returned timeout therefore either runs or ends CANCELLED; it is never lost.
   *
   * The park/wake race (TimerHandOff, "The park/wake race"). The worker announces in the
   *   hand-off what it will sleep until, re-checks the queues and the slots, then parks; a
   *   scheduler publishes, then wakes it only if its entry is due before that. In a slot only
   *   a new entry (other than the one the worker saw last, `seen`) that is still QUEUED and
   *   due before the target counts: one due later is taken when the worker wakes at the
   *   target anyway, and without this filter a steady stream of schedule-then-cancel would
   *   keep the worker from ever parking.
   *   Idle turns: a worker that took entries from the queues in its last round (new slot
   *   entries or queued entries, even if they were cancelled before they were linked, the
   *   usual case for timeouts guarding fast requests) sleeps at most one turn of the finest
   *   level, and, if its wheel is empty, exactly one turn instead of without a timeout.
   *   Entries due after its wake-up, which do not wake it, then wait in the queues for at
   *   most a turn, and schedulers of deadlines later than that need not wake it; without
   *   this, every schedule after each such round would pay an unpark, and the worker a
   *   wake-up. A round that took nothing sleeps until the wheel's next event (NO_WORK if the
   *   wheel is empty), so an unused timer costs one extra wake-up after its last schedule,
   *   and one holding only far-off timeouts sleeps until they come near.
   *   close() unparks the worker unconditionally; the worker writes `worker` before it reads
   *   `control` for the first time, and close() writes `control` before it reads `worker`.
   *
   * Lazy start. The first schedule() whose entry is accepted (published, timer still open)
   *   starts the thread, after its offer: a concurrent close() then finds either no worker to
   *   wake (and the starting worker sees it closed and cancels what is queued) or the worker.
   *   A timer that is built and never used costs an unstarted Thread object, no OS thread.
   *
   * The pending count (PendingCount). A periodic schedule counts as one pending entry until
   *   it ends. The worker counts the one-shot entries it fires in `firedCount`, which the
   *   unbounded strategy needs; cancels are counted on the canceller's stripe by the hand-off.
   *
   * Memory modes: TimerEntry.state is read with getAcquire and changed by CAS or setRelease (DONE
   *   publishes the task's effects); the control word is volatile (it takes part in the
   *   Dekker-style races above). The task and seq fields are plain: they are written before the
   *   entry is published in its slot, and the task is read only by the CAS winner. The
   *   deadline is plain for the worker (a periodic entry's next deadline is written before the
   *   release CAS that makes it pending again) and opaque for other readers. firedCount,
   *   periodicRuns and maxLatenessNanos have one writer, the worker: plain volatile fields.
   *
   * Periodic schedules (PeriodicTimerEntry). One entry for all the runs. The CAS to RUNNING starts
   *   a run, as for a one-shot entry, but the task stays in the entry. After the run, the
   *   thread that ran it writes the next deadline and makes the entry pending again: on the
   *   worker by CAS RUNNING -> LINKED and a link in the wheel; on an executor's thread by CAS
   *   RUNNING -> QUEUED and an offer to its stripe's queue (then the close/schedule and
   *   park/wake protocols of a displaced entry). cancel() may CAS RUNNING -> CANCELLED: the
   *   run goes on, and the re-arming CAS fails, so no run starts after cancel() returns.
   *   Such a cancel (or close()'s cancel of the announced entry) may also come between the
   *   worker's CAS to RUNNING and its read of the task, and drop the task: the worker reads the
   *   task once, after its CAS (taskForRun()), and starts no run if it is gone.
   *   close() during a run: the re-arming sees the timer closed and cancels the entry, or
   *   re-arms it into a closed timer, where it reads CANCELLED and is never fired. A stale
   *   reference to the entry in a queue (it may be offered there by its displacer after it was
   *   taken from the slot) is harmless: take() acts only on QUEUED, and a re-armed QUEUED entry
   *   is in a queue; whichever reference is taken first links it, the other is dropped.
   *
   * Progress: schedule() and cancel() are lock-free (CAS loops on the slot and on the sleep
   *   target, the hand-over queues' wait-free offer; schedule() may add one bounded
   *   back-pressure pause); close() is lock-free apart from unpark. The worker is the only thread that runs tasks (without an
   *   executor) and the only one that ever blocks.
   */

  /** The control word of a closed timer, with the entry the worker had announced, if any. */
  private static final class Closed {
    final @Nullable TimerEntry announced;

    Closed(@Nullable TimerEntry announced) {
      this.announced = announced;
    }
  }

  private static final long AWAKE = TimerHandOff.AWAKE;
  private static final long NO_WORK = TimerHandOff.NO_WORK;
  private static final long NOW = TimerHandOff.NOW;
  /** How long the worker sleeps at most when an offer to a queue has stalled half-way. */
  private static final long STALL_NANOS = 20_000L;
  /** The most entries taken from a queue in one round of the worker loop. */
  private static final int DRAIN_LIMIT = 65_536;
  private static final long MAX_TICK_NANOS = TimeUnit.HOURS.toNanos(1);
  private static final int MAX_WHEEL_SIZE = 1 << 20;

  // Configuration.
  private final long tickNanos;
  final long startNanos;
  private final int maxPending;
  /** Called before each entry is allocated, so that tests can make it fail; else null. */
  private final @Nullable Runnable beforeEntry;
  private final @Nullable Executor taskExecutor;
  private final @Nullable UncaughtExceptionHandler exceptionHandler;

  /** Hand-over from other threads to the worker. */
  private final TimerHandOff handOff;

  // Shared words, read and written only through the VarHandles at the bottom.
  /**
   * The timer's state and the worker's announcement, in one word: {@code null} (open, the worker
   * fires nothing), an {@link TimerEntry} (open, the worker is about to fire that entry) or a {@link
   * Closed} (closed, for good). See "The close/fire race".
   */
  @SuppressWarnings("UnusedVariable")
  private volatile @Nullable Object control;
  /** How the pending count is kept: see "The pending count". */
  private final PendingCount pending;
  /** One-shot timeouts fired so far (started, or handed to the executor); worker only writes. */
  private volatile long firedCount;
  /** Runs of periodic tasks started so far; worker only writes. */
  private volatile long periodicRuns;
  /** The largest lateness of a start seen so far, in nanoseconds; worker only writes. */
  private volatile long maxLatenessNanos;
  @SuppressWarnings("UnusedVariable")
  private volatile boolean started;

  /** Made by the thread factory in build(); started by the first schedule. */
  private final Thread thread;

  // The worker's own.
  /** The wheel of linked entries; only the worker thread touches it. */
  private final TimingWheel<TimerEntry> wheel;
  /** The worker's handler of the entries that the wheel reports due. */
  private final TimingWheel.Expiry<TimerEntry> onDue = (e, tick) -> expired(e);
  private int drainStart;
  /** The slot entry of each stripe that the worker saw last. */
  private final TimerEntry[] seen;

  private WheelTimer(Builder b, ThreadFactory factory) {
    this.tickNanos = b.tickNanos;
    this.maxPending = b.maxPending;
    this.taskExecutor = b.taskExecutor;
    this.exceptionHandler = b.exceptionHandler;
    int stripes = b.stripes > 0
        ? b.stripes
        : TimerHandOff.stripeCount(Runtime.getRuntime().availableProcessors());
    TimerEntry none = new TimerEntry(this, () -> {}, 0);
    none.setStateRelease(TimerEntry.DONE);
    none.takeTask();
    this.handOff = new TimerHandOff(stripes, none, b.beforeQueueNode, b.afterQueueClaim);
    this.seen = new TimerEntry[stripes];
    Arrays.fill(seen, none);
    this.pending = b.maxPending == Integer.MAX_VALUE
        ? PendingCount.unbounded(handOff, this::firedOneShots)
        : PendingCount.bounded(b.maxPending);
    this.beforeEntry = b.beforeEntry;
    this.startNanos = System.nanoTime();
    this.wheel = new TimingWheel<>(startNanos, tickNanos, b.wheelSize);
    Thread t = factory.newThread(this::runWorker);
    if (t == null) {
      throw new IllegalStateException("threadFactory returned null instead of a thread");
    }
    this.thread = t;
  }

  /**
   * Returns a builder with the defaults: a 1 ms tick, 512 buckets, a daemon worker thread named
   * {@code primitives-timer-N}, tasks run on the worker, failures to the uncaught-exception
   * handler of the thread that ran the task, and no bound on pending tasks.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The deadline is {@code System.nanoTime()} at the call plus the delay, or the time of the
   * call when the delay is not positive.
   */
  @Override
  public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(unit, "unit");
    return enqueue(task, unit.toNanos(delay), 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The deadline is {@code System.nanoTime()} at the call plus the delay, or the time of the
   * call when the delay is not positive.
   */
  @Override
  public Timeout schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(delay, "delay");
    return enqueue(task, saturatedNanos(delay), 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs are due at {@code initialDelay}, then every {@code period} after that deadline.
   * A run that starts late does not move the later deadlines; if a run ends (or the worker
   * gets to it) a whole period or more after the next deadline, the missed runs are not made
   * up: one run follows at once, and the next one is due at the next deadline of the rate that
   * is still ahead. Runs never overlap. Each run starts at a tick boundary, as a one-shot task
   * does.
   */
  @Override
  public Timeout scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    return enqueue(task, saturatedNanos(initialDelay), saturatedNanos(period));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first run is due at {@code initialDelay}; each later run {@code delay} after the
   * previous run ended, rounded up to a tick boundary.
   */
  @Override
  public Timeout scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be positive: " + delay);
    }
    return enqueue(task, saturatedNanos(initialDelay), -saturatedNanos(delay));
  }

  /**
   * Returns what the timer has counted so far: runs started, cancellations, the pending count
   * and the largest lateness seen. Cheap enough to poll for a dashboard.
   *
   * @return a snapshot of the counts
   */
  public Stats stats() {
    return new Stats(
        firedCount + periodicRuns, handOff.cancelledCount(), pendingCount(), maxLatenessNanos);
  }

  /** The one-shot timeouts fired so far, for the pending count. */
  private long firedOneShots() {
    return firedCount;
  }

  /** The duration in nanoseconds, saturated at Long.MIN_VALUE and Long.MAX_VALUE. */
  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@inheritDoc} Once the timer is closed, this is 0. */
  @Override
  public int pendingCount() {
    if (isClosed()) {
      return 0;
    }
    return Math.max(0, pending.count());
  }

  /**
   * Returns the duration of one tick, the resolution of the timer.
   *
   * @return the tick duration
   */
  public Duration tickDuration() {
    return Duration.ofNanos(tickNanos);
  }

  /**
   * Returns the number of buckets of the wheel, a power of two.
   *
   * @return the wheel size
   */
  public int wheelSize() {
    return wheel.wheelSize();
  }

  /**
   * Tells whether {@link #close()} has been called (or the worker has died of an unexpected
   * error, which closes the timer too).
   *
   * @return {@code true} once the timer no longer accepts tasks
   */
  public boolean isClosed() {
    return getControlVolatile() instanceof Closed;
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    if (!closeControl()) {
      return;
    }
    handOff.unparkWorker();
  }

  @Override
  public String toString() {
    return "WheelTimer["
        + (isClosed() ? "closed" : "open")
        + ", pending=" + pendingCount()
        + ", tick=" + tickDuration()
        + ", wheelSize=" + wheel.wheelSize()
        + "]";
  }

  // ---------------------------------------------------------------- scheduling (any thread)

  /**
   * Schedules {@code task} after {@code delayNanos}; {@code period} is 0 for a one-shot task,
   * positive for a fixed rate and negative for a fixed delay (of {@code -period}).
   */
  private Timeout enqueue(Runnable task, long delayNanos, long period) {
    if (isClosed()) {
      throw new RejectedExecutionException("timer is closed");
    }
    long delay = Math.max(delayNanos, 0);
    Runnable hook = beforeEntry;
    if (hook != null) {
      hook.run();
    }
    long now = System.nanoTime();
    long deadline = deadline(startNanos, now, delay);
    // Allocated before the pending count is raised, so that a failed allocation costs nothing.
    TimerEntry e = period == 0
        ? new TimerEntry(this, task, deadline)
        : new PeriodicTimerEntry(this, task, deadline, period);
    if (!pending.admit()) {
      throw new RejectedExecutionException(
          "timer already holds maxPending=" + maxPending + " pending tasks");
    }
    int stripe = handOff.stripe();
    TimerEntry displaced = handOff.publish(stripe, e);
    long due = delay == 0 ? NOW : e.deadline - startNanos;
    boolean offered = false;
    long offers = 0;
    if (displaced.getStateAcquire() == TimerEntry.QUEUED) {
      // Not yet taken by the worker: pass it on through the stripe's queue ("The slots").
      try {
        offers = handOff.offer(stripe, displaced);
        offered = true;
      } catch (Throwable failure) { // OutOfMemoryError for its node: nothing was queued
        // The displaced entry is now in neither the slot nor the queue; cancel both, so that
        // neither is lost nor runs behind the back of this call, which throws.
        displaced.cancelByTimer();
        e.cancelByTimer();
        throw failure;
      }
      // The store that links the entry for poll() is a release store, which a later load may
      // overtake; the fence keeps it before the reads of `control` and `sleepTarget` below
      // ("The park/wake race").
      VarHandle.fullFence();
      due = Math.min(due, displaced.deadline - now <= 0 ? NOW : displaced.deadline - startNanos);
    }
    if (isClosed()) {
      // close() raced this call; see "The close/schedule race".
      if (offered) {
        displaced.cancelByTimer();
      }
      if (e.cancelByTimer()) {
        throw new RejectedExecutionException("timer is closed");
      }
      return e;
    }
    if (!getStartedVolatile()) {
      startWorker(e, offered ? displaced : null);
    }
    if (offered && handOff.backlogged(stripe)) {
      due = NOW;
    }
    handOff.wakeWorkerBefore(due);
    if (offered) {
      handOff.holdBackIfFlooded(stripe, offers);
    }
    return e;
  }

  /** Called by the thread whose CAS moved {@code e} from PENDING to CANCELLED through cancel(). */
  void onCancelled(TimerEntry e) {
    if (isClosed()) {
      return; // the worker's shut-down unlinks everything
    }
    handOff.offerCancelled(e);
  }

  /** Counts one timeout out of the pending states by a cancel (of a user or of the timer). */
  void countCancelled() {
    handOff.countCancel();
    pending.removed();
  }

  /**
   * The deadline {@code delay >= 0} nanoseconds after {@code now}, saturated at {@code
   * Long.MAX_VALUE} nanoseconds after {@code start}; correct when the values wrap around.
   */
  static long deadline(long start, long now, long delay) {
    long elapsed = now - start;
    long offset = delay > Long.MAX_VALUE - elapsed ? Long.MAX_VALUE : elapsed + delay;
    return start + offset;
  }

  /**
   * The number of the first tick boundary, counted from {@code start}, at or after {@code
   * deadline}.
   */
  static long tickOf(long start, long tickNanos, long deadline) {
    return TimingWheel.tickOf(start, tickNanos, deadline);
  }

  // ---------------------------------------------------------------- the worker

  /**
   * Starts the worker thread once, for the first scheduled entry {@code e}; {@code offered} is
   * the entry that this schedule displaced and passed to the queue, if any.
   */
  private void startWorker(TimerEntry e, @Nullable TimerEntry offered) {
    if (!casStarted(false, true)) {
      return;
    }
    try {
      thread.start();
    } catch (Throwable failure) { // typically OutOfMemoryError: unable to create native thread
      closeControl();
      e.cancelByTimer();
      if (offered != null) {
        offered.cancelByTimer(); // no worker will ever take it from the queue
      }
      // No worker will ever run, so this thread takes its place for its last act: the entries
      // that other threads handed over before the close are cancelled and released here.
      shutDown();
      throw new RejectedExecutionException("could not start the timer's worker thread", failure);
    }
  }

  /**
   * The worker's loop. Each round: unlink what was cancelled, take what was scheduled, fire
   * what is due, then sleep until the next tick with work or until woken.
   */
  private void runWorker() {
    handOff.setWorker(Thread.currentThread());
    try {
      while (!isClosed()) {
        long now = System.nanoTime();
        int taken = drainCancelled() + drainScheduled(now);
        expire(now);
        sleepUntilWork(taken > 0);
      }
    } finally {
      closeControl(); // normally already closed; also if the loop died of an Error
      shutDown();
    }
  }

  /** Unlinks the entries cancelled while linked; returns how many it took from the queue. */
  private int drainCancelled() {
    int n = 0;
    for (; n < DRAIN_LIMIT; n++) {
      TimerEntry e = handOff.cancelled().poll();
      if (e == null) {
        break;
      }
      if (e.isLinked()) { // the cancel reached the wheel before the worker did
        wheel.unlink(e);
      }
    }
    return n;
  }

  /** Links (or fires) the new entries; returns how many it took from the queues. */
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

  /** What the worker's re-check before parking found; see {@link #lookBeforeSleep}. */
  private static final int NOTHING_DUE = 0;
  private static final int WORK = 1;
  private static final int STALLED_OFFER = 2;

  /**
   * The worker's re-check before it parks (see "The park/wake race"): WORK if a queue holds an
   * entry or a slot holds a new QUEUED entry due at or before the deadline offset {@code target};
   * STALLED_OFFER if nothing else but an offer that has claimed its place and not linked it yet;
   * NOTHING_DUE otherwise. A new slot entry due later is left for the wake-up at the target, and
   * one that is no longer QUEUED needs nothing: under a steady stream of schedules the slots
   * always change, and the worker would otherwise never park.
   */
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
   * cancelled or the timer closed.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate") // the worker is the only writer of the counts
  private void fire(TimerEntry e, int rawPending) {
    // Announce the entry in the control word, which fails once the timer is closed; see
    // "The close/fire race".
    if (!casControl(null, e)) {
      e.cancelByTimer(); // closed: nothing fires any more
      return;
    }
    boolean won = e.casState(rawPending, TimerEntry.RUNNING);
    casControl(e, null); // fails if close() came in between: the word stays Closed
    if (!won) {
      return;
    }
    // NOTE: a periodic entry may be cancelled (by cancel() or close()) from RUNNING at any
    // moment, this one included, and its task dropped: then no run starts.
    Runnable task = e.taskForRun();
    if (task == null) {
      return;
    }
    long lateness = System.nanoTime() - e.deadline;
    if (lateness > maxLatenessNanos) {
      maxLatenessNanos = lateness; // the worker is the only writer
    }
    PeriodicTimerEntry p = e instanceof PeriodicTimerEntry periodic ? periodic : null;
    if (p == null) {
      firedCount = firedCount + 1; // the worker is the only writer
      pending.removed();
    } else {
      periodicRuns = periodicRuns + 1; // a schedule stays pending until it ends
    }
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
        countCancelled();
      }
    }
  }

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
    if (isClosed()) {
      p.cancelByTimer();
    } else if (p.casState(TimerEntry.RUNNING, TimerEntry.LINKED)) {
      wheel.link(p);
    }
  }

  /**
   * Hands a periodic entry back to the worker after its run on an executor thread: QUEUED
   * again, through the queue of this thread's stripe, with the same close/schedule and
   * park/wake protocols as a displaced entry in schedule().
   */
  private void rearmFromExecutor(PeriodicTimerEntry p) {
    if (isClosed()) {
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
    VarHandle.fullFence(); // as after the offer in enqueue()
    if (isClosed()) {
      p.cancelByTimer();
      return;
    }
    long now = System.nanoTime();
    handOff.wakeWorkerBefore(p.deadline - now <= 0 ? NOW : p.deadline - startNanos);
  }

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

  /**
   * Parks until the next tick with work, or until it is woken. {@code busy}: this round took
   * entries from the queues; see "Idle turns".
   */
  private void sleepUntilWork(boolean busy) {
    long target;
    target = wheel.isEmpty() ? NO_WORK : wheel.nextEventTick();
    if (busy) {
      // See "Idle turns": back within a turn, to take what arrived meanwhile for later ticks.
      target = Math.min(target, wheel.currentTick() + wheel.wheelSize());
    }
    if (target != NO_WORK && target > Long.MAX_VALUE / tickNanos) {
      target = NO_WORK; // only saturated deadlines: nothing due in the life of the process
    }
    // Announce, then re-check: see "The park/wake race".
    long announced = target == NO_WORK ? NO_WORK : (target - 1) * tickNanos;
    handOff.announceSleep(announced);
    int found = lookBeforeSleep(announced);
    if (found != WORK && !handOff.cancelledBacklog() && !isClosed()) {
      long wait = target == NO_WORK ? Long.MAX_VALUE
          : startNanos + target * tickNanos - System.nanoTime();
      if (found == STALLED_OFFER) {
        // A scheduler claimed a place in a queue and has not linked its entry yet (it may
        // have been preempted): come back for it soon, rather than wait for it or spin.
        wait = Math.min(wait, STALL_NANOS);
      }
      if (wait == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else if (wait > 0) {
        LockSupport.parkNanos(this, wait);
      }
      // An interrupt of the worker does not stop it; cleared, so that the next park parks.
      Thread.interrupted();
    }
    handOff.awake();
  }

  /**
   * The worker's last act (or, if the worker could not be started, that of the thread that
   * tried): every timeout still pending is cancelled and released.
   */
  private void shutDown() {
    wheel.clear((e, tick) -> e.cancelByTimer());
    for (int i = 0; i < handOff.stripes(); i++) {
      handOff.slot(i).cancelByTimer();
      HandOffQueue<TimerEntry> queue = handOff.scheduled(i);
      for (TimerEntry e = queue.poll(); e != null; e = queue.poll()) {
        e.cancelByTimer();
      }
    }
    while (handOff.cancelled().poll() != null) {
      // drop: the entries are unlinked already
    }
  }

  // ---------------------------------------------------------------- accessors

  /**
   * Closes the timer: swaps the control word for a {@link Closed} that records the entry the
   * worker had announced, and cancels that entry (its CAS against the worker's decides). Returns
   * false if the timer was closed already.
   */
  private boolean closeControl() {
    Object c = getControlVolatile();
    for (;;) {
      if (c instanceof Closed) {
        return false;
      }
      TimerEntry announced = (TimerEntry) c;
      Object witness = caeControl(c, new Closed(announced));
      if (witness == c) {
        if (announced != null) {
          announced.cancelByTimer();
        }
        return true;
      }
      c = witness;
    }
  }

  @Nullable Object getControlVolatile() {
    return CONTROL.getVolatile(this);
  }

  private boolean casControl(@Nullable Object expected, @Nullable Object c) {
    return CONTROL.compareAndSet(this, expected, c);
  }

  private @Nullable Object caeControl(@Nullable Object expected, Object c) {
    return CONTROL.compareAndExchange(this, expected, c);
  }

  /**
   * Whether closing the timer has cancelled {@code e}, an entry whose raw state is pending:
   * the timer is closed and {@code e} is not the entry that the worker had announced when it
   * closed. Final once true.
   */
  boolean closedWithout(TimerEntry e) {
    Object c = getControlVolatile();
    return c instanceof Closed closed && closed.announced != e;
  }



  private boolean getStartedVolatile() {
    return (boolean) STARTED.getVolatile(this);
  }

  private boolean casStarted(boolean expected, boolean s) {
    return STARTED.compareAndSet(this, expected, s);
  }

  // ---------------------------------------------------------------- the timeout

  /**
   * What a timer has counted so far, for dashboards: a read-only snapshot, each figure read at
   * a slightly different moment while the timer runs.
   */
  public static final class Stats {
    private final long fired;
    private final long cancelled;
    private final int pending;
    private final long maxLatenessNanos;

    Stats(long fired, long cancelled, int pending, long maxLatenessNanos) {
      this.fired = fired;
      this.cancelled = cancelled;
      this.pending = pending;
      this.maxLatenessNanos = maxLatenessNanos;
    }

    /**
     * Returns the runs started so far: one-shot tasks, and each run of a periodic task (a
     * task handed to the executor counts, even if the executor then rejected it).
     *
     * @return the number of runs started
     */
    public long fired() {
      return fired;
    }

    /**
     * Returns the timeouts and periodic schedules cancelled so far, by {@link Timeout#cancel()}
     * or by closing the timer.
     *
     * @return the number of cancellations
     */
    public long cancelled() {
      return cancelled;
    }

    /**
     * Returns {@link WheelTimer#pendingCount()} at the time of the snapshot.
     *
     * @return the pending count
     */
    public int pending() {
      return pending;
    }

    /**
     * Returns the largest lateness seen so far: how long after its deadline a run started (or
     * was handed to the executor). Zero before the first run.
     *
     * @return the largest lateness seen
     */
    public Duration maxLateness() {
      return Duration.ofNanos(maxLatenessNanos);
    }

    @Override
    public String toString() {
      return "WheelTimer.Stats[fired=" + fired + ", cancelled=" + cancelled
          + ", pending=" + pending + ", maxLateness=" + maxLateness() + "]";
    }
  }


  // ---------------------------------------------------------------- the builder

  /**
   * Configures and builds a {@link WheelTimer}. Every option has a default; {@link #build()}
   * may be called more than once, each time for a new timer with its own thread.
   */
  public static final class Builder {
    private long tickNanos = TimeUnit.MILLISECONDS.toNanos(1);
    private int wheelSize = 512;
    private @Nullable ThreadFactory threadFactory;
    private @Nullable Executor taskExecutor;
    private @Nullable UncaughtExceptionHandler exceptionHandler;
    private int maxPending = Integer.MAX_VALUE;
    private int stripes;
    private @Nullable Runnable beforeEntry;
    private @Nullable Runnable beforeQueueNode;
    private @Nullable Runnable afterQueueClaim;

    Builder() {}

    /**
     * For tests (package-private): hooks called before each allocation of an entry and of a
     * node of a hand-over queue, which may throw to simulate an {@code OutOfMemoryError}, and
     * between the claim of a place in a hand-over queue and the link, which may block to
     * simulate a preempted scheduler.
     */
    Builder faultHooks(
        @Nullable Runnable beforeEntry,
        @Nullable Runnable beforeQueueNode,
        @Nullable Runnable afterQueueClaim) {
      this.beforeEntry = beforeEntry;
      this.beforeQueueNode = beforeQueueNode;
      this.afterQueueClaim = afterQueueClaim;
      return this;
    }

    /**
     * Sets the tick, the resolution of the timer: tasks run at the first tick boundary at or
     * after their deadline. Default 1 ms. A shorter tick gives more precise firing and more
     * wake-ups of the worker; it cannot be finer than what {@link LockSupport#parkNanos} honours
     * on the platform (typically 50 µs or more).
     *
     * @param tick the tick, positive and at most one hour
     * @return this builder
     * @throws NullPointerException if {@code tick} is {@code null}
     * @throws IllegalArgumentException if {@code tick} is not positive or longer than one hour
     */
    public Builder tickDuration(Duration tick) {
      Objects.requireNonNull(tick, "tick");
      if (tick.isNegative() || tick.isZero() || tick.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "tickDuration must be positive and at most 1 hour: " + tick);
      }
      this.tickNanos = tick.toNanos();
      return this;
    }

    /**
     * Sets the tick, the resolution of the timer; see {@link #tickDuration(Duration)}.
     *
     * @param tick the tick, positive and at most one hour
     * @param unit the unit of {@code tick}
     * @return this builder
     * @throws NullPointerException if {@code unit} is {@code null}
     * @throws IllegalArgumentException if {@code tick} is not positive or longer than one hour
     */
    public Builder tickDuration(long tick, TimeUnit unit) {
      Objects.requireNonNull(unit, "unit");
      long nanos = unit.toNanos(tick);
      if (nanos <= 0 || nanos > MAX_TICK_NANOS) {
        throw new IllegalArgumentException(
            "tickDuration must be positive and at most 1 hour: " + tick + " " + unit);
      }
      this.tickNanos = nanos;
      return this;
    }

    /**
     * Sets the number of one-tick buckets of the wheel's finest level, rounded up to a power of
     * two. Default 512. Deadlines further away than {@code wheelSize} ticks wait in coarser
     * levels (64 buckets each, each level 64 times coarser than the one below) and move down as
     * they come near, so they cost the worker nothing meanwhile. A bigger finest level moves
     * timeouts down less often, at the cost of a bigger array (about 24 bytes per bucket).
     *
     * @param wheelSize the number of buckets, from 1 to 2<sup>20</sup>
     * @return this builder
     * @throws IllegalArgumentException if {@code wheelSize} is out of range
     */
    public Builder wheelSize(int wheelSize) {
      if (wheelSize < 1 || wheelSize > MAX_WHEEL_SIZE) {
        throw new IllegalArgumentException(
            "wheelSize must be between 1 and " + MAX_WHEEL_SIZE + ": " + wheelSize);
      }
      this.wheelSize = wheelSize == 1 ? 1 : Integer.highestOneBit(wheelSize - 1) << 1;
      return this;
    }

    /**
     * Sets the factory of the worker thread. Default: a daemon thread named {@code
     * primitives-timer-N}. The factory is called once per {@link #build()}; the timer starts
     * the thread it returns when the first task is scheduled. The timer's loop runs in {@code
     * run()} of that thread and parks and unparks whichever thread runs it.
     *
     * @param threadFactory the factory of the worker thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Sets the executor that runs the tasks, for example {@code
     * Executors.newVirtualThreadPerTaskExecutor()} for one virtual thread per task. Default: tasks
     * run on the worker thread. A task counts as {@link Timeout.State#RUNNING RUNNING} from the
     * moment it is handed to the executor (it can no longer be cancelled). If the executor
     * rejects it, the rejection goes to the exception handler and the timeout ends {@link
     * Timeout.State#CANCELLED CANCELLED}: the task did not run, and the timeout must not look
     * like one that did (a periodic schedule ends there too). Closing the timer does not shut
     * the executor down.
     *
     * @param taskExecutor the executor of the tasks
     * @return this builder
     * @throws NullPointerException if {@code taskExecutor} is {@code null}
     */
    public Builder taskExecutor(Executor taskExecutor) {
      this.taskExecutor = Objects.requireNonNull(taskExecutor, "taskExecutor");
      return this;
    }

    /**
     * Sets the handler of the exceptions thrown by tasks; it is called on the thread that ran
     * the task, with that thread and the exception. Default: that thread's {@linkplain
     * Thread#getUncaughtExceptionHandler() uncaught-exception handler}, which by default prints
     * the stack trace. Either way the timer carries on.
     *
     * @param exceptionHandler the handler of task failures
     * @return this builder
     * @throws NullPointerException if {@code exceptionHandler} is {@code null}
     */
    public Builder exceptionHandler(UncaughtExceptionHandler exceptionHandler) {
      this.exceptionHandler = Objects.requireNonNull(exceptionHandler, "exceptionHandler");
      return this;
    }

    /**
     * Bounds the number of pending tasks: a {@code schedule} that would exceed it throws {@link
     * RejectedExecutionException}. Default: unbounded ({@link Integer#MAX_VALUE}).
     *
     * @param maxPending the most pending tasks, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxPending < 1}
     */
    public Builder maxPending(int maxPending) {
      if (maxPending < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
      }
      this.maxPending = maxPending;
      return this;
    }

    /**
     * For tests (package-private): the number of stripes, a power of two from 1 to MAX_STRIPES,
     * instead of the default for the number of processors. With one stripe every scheduling
     * thread shares one slot and one queue, so the races between schedulers always happen.
     */
    Builder stripes(int stripes) {
      if (stripes < 1 || stripes > TimerHandOff.MAX_STRIPES || Integer.bitCount(stripes) != 1) {
        throw new IllegalArgumentException(
            "stripes must be a power of two from 1 to " + TimerHandOff.MAX_STRIPES + ": "
                + stripes);
      }
      this.stripes = stripes;
      return this;
    }

    /**
     * Builds a timer with the options set so far. Its worker thread is made by the thread
     * factory now and started by the first {@code schedule}, so a timer that is never used
     * costs no running thread.
     *
     * @return a new timer
     * @throws IllegalStateException if the thread factory returns {@code null}
     */
    public WheelTimer build() {
      return new WheelTimer(
          this, threadFactory != null ? threadFactory : DefaultThreadFactory.INSTANCE);
    }
  }

  /** Daemon threads named primitives-timer-1, -2, ... */
  private static final class DefaultThreadFactory implements ThreadFactory {
    static final DefaultThreadFactory INSTANCE = new DefaultThreadFactory();

    @SuppressWarnings("UnusedVariable") // through CREATED
    private volatile int created;

    @Override
    public Thread newThread(Runnable r) {
      int n = (int) CREATED.getAndAdd(this, 1) + 1;
      Thread t = new Thread(r, "primitives-timer-" + n);
      t.setDaemon(true);
      return t;
    }

    private static final VarHandle CREATED;

    static {
      try {
        CREATED =
            MethodHandles.lookup().findVarHandle(DefaultThreadFactory.class, "created", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  private static final VarHandle CONTROL;
  private static final VarHandle STARTED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CONTROL = l.findVarHandle(WheelTimer.class, "control", Object.class);
      STARTED = l.findVarHandle(WheelTimer.class, "started", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
