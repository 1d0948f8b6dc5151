package dev.syncprims.impl;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import java.lang.Thread.UncaughtExceptionHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
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
 * handler itself is ignored. Should firing one timeout fail inside the timer itself (a defect,
 * not a task's exception), that failure goes to the handler too, the timeout ends {@link
 * Timeout.State#CANCELLED CANCELLED}, and the worker goes on with the others.
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
   * Roles. This class is the public API, the builder and the lifecycle (the control word, the
   *   lazy start, close()). The rest of the machine is in package-private classes, each with
   *   its own notes:
   *   - TimingWheel: the worker's data structure (Varghese & Lauck, "Hashed and Hierarchical
   *     Timing Wheels", SOSP 1987, scheme 7): buckets, bitmaps, link/unlink, expire. Not
   *     thread-safe; tested with a fake clock and no threads.
   *   - TimerEntry (and PeriodicTimerEntry): the Timeout handed to the user, and its state
   *     table, the single decision point between cancel, firing and closing.
   *   - TimerHandOff: how other threads hand new and cancelled entries to the worker (stripes,
   *     slots, queues) and wake it (the park/wake race), and the back-pressure pause.
   *   - TimerWorker: the worker loop and its phases, firing, running and re-arming.
   *   - PendingCount: the pending count, bounded or not, as a strategy.
   *
   * Clock arithmetic. Deadlines are System.nanoTime() values, which may wrap around; they are
   *   only ever compared by subtraction. The deadline is stored as startNanos + offset, with
   *   0 <= offset <= Long.MAX_VALUE (saturated), so deadline - startNanos recovers the offset
   *   exactly and tick numbers are non-negative longs.
   *
   * Timer states: the control word. `control` holds, in one word, whether the timer is open
   *   and which entry the worker is about to fire:
   *
   *     control        | meaning
   *     ---------------+---------------------------------------------------------------
   *     null           | open; the worker is not firing anything
   *     a TimerEntry e | open; the worker has announced e and is deciding it (CAS to RUNNING)
   *     Closed(a)      | closed for good; a is the entry announced at that moment, or null
   *
   *   close() swaps the word for Closed(a) by CAS (so does the worker's loop when it ends, in
   *   case a defect escaped it). Once closed, an entry in a raw pending state other than a can
   *   never fire, so state() reports it CANCELLED and cancel() refuses it: close() cancels every
   *   pending timeout at once, in O(1), without touching the wheel; the worker then makes the
   *   raw states CANCELLED, drops the tasks and exits. As a is written once with the Closed, the
   *   set of entries that close() cancelled never changes: CANCELLED, once reported, stays.
   *
   * The close/fire race. close() must not let a task start once it has returned, yet the
   *   worker may be between "is the timer open?" and its CAS to RUNNING. The worker announces
   *   the entry by CAS null -> e on the control word (announce), which fails once the timer is
   *   closed (then it cancels the entry instead); after its CAS of the entry it puts null back
   *   by CAS e -> null (withdraw), which fails if close() came in between. close() cancels the
   *   entry a it found announced; that CAS and the worker's decide which one wins. state() says
   *   PENDING for a until its CAS is decided, and it was never reported CANCELLED before (the
   *   timer was open). A periodic entry that the worker's CAS moved to RUNNING may still be
   *   cancelled by close() before its run starts; the worker then finds its task gone and
   *   starts no run (TimerWorker, "Firing").
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
   *   store; the full fence after an offer keeps it before the re-read of `control`, and
   *   before the read of the sleep target in the park/wake race of TimerHandOff.)
   *   A returned timeout therefore either runs or ends CANCELLED; it is never lost.
   *
   * Waking. A schedule wakes the worker through the hand-off only when its entry (or the one it
   *   displaced) is due before the worker would wake anyway, or a queue has a backlog
   *   (TimerHandOff, "The park/wake race"). close() unparks the worker unconditionally; the
   *   worker records its thread in the hand-off before it reads `control` for the first time,
   *   and close() writes `control` before it reads that thread.
   *
   * Lazy start. The first schedule() whose entry is accepted (published, timer still open)
   *   starts the thread, after its offer: a concurrent close() then finds either no worker to
   *   wake (and the starting worker sees it closed and cancels what is queued) or the worker.
   *   A timer that is built and never used costs an unstarted Thread object, no OS thread. If
   *   the thread cannot be started, the scheduling thread closes the timer and takes the
   *   worker's place for its last act (TimerWorker.shutDown).
   *
   * Memory modes: `control` and `started` are volatile fields, read plainly (volatile reads)
   *   and changed by CAS through CONTROL and STARTED. The entries' fields are described in
   *   TimerEntry, the counts in TimerWorker and PendingCount.
   *
   * Progress: schedule() and cancel() are lock-free (CAS loops on the slot and on the sleep
   *   target, the hand-over queues' wait-free offer; schedule() may add one bounded
   *   back-pressure pause); close() is lock-free apart from unpark. The worker is the only
   *   thread that runs tasks (without an executor) and the only one that ever blocks.
   */

  /** The control word of a closed timer, with the entry the worker had announced, if any. */
  private static final class Closed {
    final @Nullable TimerEntry announced;

    Closed(@Nullable TimerEntry announced) {
      this.announced = announced;
    }
  }

  private static final long NOW = TimerHandOff.NOW;
  private static final long MAX_TICK_NANOS = TimeUnit.HOURS.toNanos(1);
  private static final int MAX_WHEEL_SIZE = 1 << 20;

  // Configuration.
  final long tickNanos;
  final long startNanos;
  private final int maxPending;
  /** Called before each entry is allocated, so that tests can make it fail; else null. */
  private final @Nullable Runnable beforeEntry;
  /** Hand-over from other threads to the worker: stripes, slots, queues, wake-ups. */
  private final TimerHandOff handOff;

  // Lifecycle words: volatile fields, changed by CAS through the VarHandles at the bottom.
  /**
   * The timer's state and the worker's announcement, in one word: {@code null} (open, the worker
   * fires nothing), an {@link TimerEntry} (open, the worker is about to fire that entry) or a {@link
   * Closed} (closed, for good). See "The close/fire race".
   */
  private volatile @Nullable Object control;
  /** How the pending count is kept: bounded or not, chosen at build time (PendingCount). */
  private final PendingCount pending;
  /** Whether the worker thread has been started (or its start attempted); see "Lazy start". */
  private volatile boolean started;

  /** Made by the thread factory in build(); started by the first schedule. */
  private final Thread thread;

  /** The worker's loop, run by `thread`. */
  private final TimerWorker worker;

  private WheelTimer(Builder b, ThreadFactory factory) {
    this.tickNanos = b.tickNanos;
    this.maxPending = b.maxPending;
    this.beforeEntry = b.beforeEntry;
    this.startNanos = System.nanoTime();
    int stripes = b.stripes > 0
        ? b.stripes
        : TimerHandOff.stripeCount(Runtime.getRuntime().availableProcessors());
    TimerEntry none = new TimerEntry(this, () -> {}, 0); // what the slots hold at first
    none.setStateRelease(TimerEntry.DONE);
    none.takeTask();
    this.handOff = new TimerHandOff(stripes, none, b.beforeQueueNode, b.afterQueueClaim);
    this.pending = b.maxPending == Integer.MAX_VALUE
        ? PendingCount.unbounded(handOff, this::firedOneShots)
        : PendingCount.bounded(b.maxPending);
    this.worker = new TimerWorker(
        this, handOff, pending, none, b.wheelSize, b.taskExecutor, b.exceptionHandler);
    Thread t = factory.newThread(worker);
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
        worker.firedCount() + worker.periodicRuns(),
        handOff.cancelledCount(),
        pendingCount(),
        worker.maxLatenessNanos());
  }

  /** The one-shot timeouts fired so far, for the pending count. */
  private long firedOneShots() {
    return worker.firedCount();
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
    return worker.wheelSize();
  }

  /**
   * Tells whether {@link #close()} has been called (or the worker has died of an unexpected
   * error, which closes the timer too).
   *
   * @return {@code true} once the timer no longer accepts tasks
   */
  public boolean isClosed() {
    return control instanceof Closed;
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
        + ", wheelSize=" + worker.wheelSize()
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
      // Not yet taken by the worker: pass it on through the stripe's queue (TimerHandOff,
      // "The slots").
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
      // overtake; the fence keeps it before the reads of `control` and of the sleep target
      // below (TimerHandOff, "The park/wake race").
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
    if (!started) {
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

  // ---------------------------------------------------------------- lazy start

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
      worker.shutDown();
      throw new RejectedExecutionException("could not start the timer's worker thread", failure);
    }
  }

  // ---------------------------------------------------------------- the control word

  /**
   * The worker announces {@code e}, which it is about to fire: false if the timer is closed
   * (then nothing may fire). See "The close/fire race".
   */
  boolean announce(TimerEntry e) {
    return casControl(null, e);
  }

  /**
   * The worker withdraws its announcement of {@code e} once its CAS of {@code e} is decided; if
   * close() came in between, the word stays closed.
   */
  void withdraw(TimerEntry e) {
    casControl(e, null);
  }

  /** The worker's loop has ended (closed, or a defect escaped it): the timer is closed. */
  void closeOnWorkerExit() {
    closeControl();
  }

  /**
   * Closes the timer: swaps the control word for a {@link Closed} that records the entry the
   * worker had announced, and cancels that entry (its CAS against the worker's decides). Returns
   * false if the timer was closed already.
   */
  @SuppressWarnings("ReferenceEquality") // identity: the control word's CAS witness
  private boolean closeControl() {
    Object c = control;
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
  @SuppressWarnings("ReferenceEquality") // identity: the announced entry itself
  boolean closedWithout(TimerEntry e) {
    Object c = control;
    return c instanceof Closed closed && closed.announced != e;
  }

  private boolean casStarted(boolean expected, boolean s) {
    return STARTED.compareAndSet(this, expected, s);
  }

  // ---------------------------------------------------------------- the stats

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
