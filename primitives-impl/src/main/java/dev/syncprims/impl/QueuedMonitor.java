package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Monitor;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Monitor} with {@linkplain Monitor.Semantics#MESA Mesa} or {@linkplain
 * Monitor.Semantics#HOARE Hoare} semantics, chosen when it is created: a reentrant region of
 * mutual exclusion with any number of condition variables, whose threads wait in FIFO queues.
 * {@link Primitives#mesaMonitor()} and {@link Primitives#hoareMonitor()} create one.
 *
 * <pre>{@code
 * Monitor monitor = Primitives.hoareMonitor();
 * Monitor.Condition nonEmpty = monitor.newCondition();
 *
 * // a consumer
 * try (Held h = monitor.entered()) {
 *   nonEmpty.waitFor(() -> !queue.isEmpty());   // correct under both semantics
 *   item = queue.remove();
 * }
 *
 * // a producer
 * try (Held h = monitor.entered()) {
 *   queue.add(item);
 *   nonEmpty.signal();   // HOARE: the consumer runs here, before this returns; MESA: it is queued
 * }
 * }</pre>
 *
 * <p><b>The queues.</b> Threads that want to enter wait on the <em>entry queue</em>; each condition
 * has its own queue of waiting occupants; a Hoare monitor adds the <em>urgent queue</em> of
 * signallers that handed the monitor to a waiter. When the monitor is released, a thread on the
 * urgent queue gets it first (Hoare only), then the entry queue is served according to the
 * fairness policy. A Mesa {@code signal()} moves the longest waiter of the condition to the entry
 * queue; a Hoare {@code signal()} hands the monitor to it directly and puts the signaller on the
 * urgent queue. A signaller on the urgent queue, or a waiter being handed the monitor, is never
 * overtaken by an entrant, not even by {@link #tryEnter()}.
 *
 * <p><b>Depth.</b> Every wait gives up the monitor whatever the caller's depth, and restores it
 * before returning; so does a Hoare {@code signal()}. The maximum depth is 65,535.
 *
 * <p><b>Fairness</b> orders the entry queue as for {@link QueuedMutex}: under {@link
 * Fairness#BARGING} an arriving thread may enter a free monitor ahead of queued ones, but once
 * the head of the entry queue has waited the bound of about 1 ms and has run since, it enters
 * before any thread that arrives later; under {@link Fairness#FIFO} entrants occupy it in
 * arrival order.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before it gives up the monitor (by its last
 * {@link #exit()}, by waiting, or by a Hoare {@code signal()}) happen-before the actions of the
 * next occupant after it gains the monitor.
 *
 * <p><b>Also a {@link Lock}.</b> {@code lock()} is {@link #enter()}, {@code unlock()} is {@link
 * #exit()}, and the conditions are also {@link java.util.concurrent.locks.Condition}s with this
 * monitor's semantics, so the monitor can be passed where a {@code Lock} is expected. The
 * monitoring queries of a lock describe the entry queue and the occupant: {@link
 * #getQueueLength()}, {@link #hasQueuedThreads()}, {@link #hasQueuedThread(Thread)}, {@link
 * #isLocked()}, {@link #owner()}, and, for its conditions, {@link
 * #hasWaiters(java.util.concurrent.locks.Condition)} and {@link
 * #getWaitQueueLength(java.util.concurrent.locks.Condition)}; {@link #locked()} is {@link
 * #entered()} and {@link #isHeldByCurrentThread()} is {@link #isOccupiedByCurrentThread()}. A monitor is serializable as a lock is: it deserializes free and unqueued. Thread dumps ({@code
 * jstack -l}) list the monitor under the "Locked ownable synchronizers" of its occupant.
 */
public final class QueuedMonitor extends OwnedLock implements Monitor, Lock {
  /* Implementation notes
   *
   * The monitor is an OwnedLock (see its notes for the state word, the entry queue, barging and
   * eventual fairness) whose hold count is the occupant's depth, plus one ConditionQueue per condition
   * and, under HOARE, the urgent queue. Priorities at a release: urgent head (HOARE), then the
   * entry queue by the fairness policy. A condition's waiters are never woken by a release, only
   * by a signal.
   *
   *   queue      who is in it                              how a node leaves
   *   ---------  ----------------------------------------  -----------------------------------
   *   entry      threads entering; Mesa-signalled waiters  acquires, is granted (hand-off), or
   *              (moved here by transferTo)                gives up (timed/interruptible enter)
   *   condition  occupants that wait, depth saved in the   MESA signal: moved to entry
   *              node (WaitNode.saved)                       HOARE signal: granted the monitor
   *                                                        timeout/interrupt: removes itself
   *   urgent     HOARE signallers, depth saved in the node  granted the monitor at a release
   *
   * The one place where the semantics differ is wake(): a MESA signal moves the first waiter to
   * the entry queue and returns (signal-and-continue); a HOARE signal puts the signaller on the
   * urgent queue, grants the monitor to the first waiter, and parks until a release grants the
   * monitor back (signal-and-urgent-wait). Everything else is shared: the release checks the
   * urgent queue, which only a Hoare signal ever fills (it is null under MESA), and a signalled
   * waiter looks at its node to see what the signal did: GRANTED means it occupies the monitor;
   * otherwise it is in the entry queue and waits there like any entrant.
   *
   * Hoare signal, step by step (the signaller S occupies the monitor at depth d):
   *   1. S appends its node U (U.saved = d) to the urgent queue. Only the occupant appends there,
   *      and urgent waiters wait uninterruptibly, so nothing else changes the urgent queue while
   *      S still occupies the monitor.
   *   2. S calls grantFirst on the condition queue: under that queue's lock, the first waiter W
   *      becomes the owner with its saved depth, is marked GRANTED and unlinked; W is unparked.
   *      A W that times out at the same moment either removed itself first (then the next waiter
   *      is granted, or nobody: S removes U and returns, having done nothing) or finds itself
   *      granted. The state word stays held throughout: no entrant can slip in.
   *   3. S parks until U is GRANTED. W, and whoever W signals in turn, run; at the next release
   *      (an exit to depth 0 or a wait), release() grants the monitor to the urgent head with its
   *      saved depth, again without freeing the state word. S returns from signal().
   * signalAll under HOARE repeats this for the waiters whose arrival number is at most the last
   * one at the call (NodeList.lastSeq), so a woken thread that waits again is not woken again.
   * The urgent queue is a stack (UrgentStack): with nested signals (S signals W1, W1 signals W2),
   * the most recent signaller resumes first: when W2 leaves, W1's signal() returns; when W1
   * leaves, S's does. Only the occupant touches the stack, so it needs no lock of its own.
   *
   * Why a Mesa waiter must loop and a Hoare waiter need not: between a Mesa signal and the
   * waiter's return, the signaller continues, and any entrant (barging) or earlier-queued thread
   * may occupy the monitor and falsify the condition. A Hoare waiter is the next occupant after
   * the signaller, with the state word never free in between, so what the signaller established
   * holds when it resumes. waitFor() loops anyway, because a timeout or an interrupt also ends a
   * wait.
   *
   * Memory modes: all through OwnedLock's state word and the queues of the waiting core (see both); the semantics
   * and urgent fields are final.
   *
   * References: C. A. R. Hoare, "Monitors: an operating system structuring concept", CACM 17(10),
   * 1974 (the urgent queue); B. W. Lampson and D. D. Redell, "Experience with processes and
   * monitors in Mesa", CACM 23(2), 1980; P. A. Buhr, M. Fortier and M. H. Coffin, "Monitor
   * classification", ACM Computing Surveys 27(1), 1995.
   */

  private static final long serialVersionUID = 1L;

  private final Semantics semantics;

  /**
   * The signallers waiting to get the monitor back (HOARE), created by the first signal that
   * needs it; only the occupant reads or writes this field (see UrgentStack).
   */
  private transient @Nullable UrgentStack urgent;

  /**
   * Creates a free monitor.
   *
   * @throws NullPointerException if {@code semantics} or {@code fairness} is null
   */
  public QueuedMonitor(Semantics semantics, Fairness fairness) {
    super(fairness);
    this.semantics = Objects.requireNonNull(semantics, "semantics");
  }

  // ---------------------------------------------------------------------------------------------
  // Entering and exiting

  /** Spin rounds of an arriving thread before it queues; see {@link #arrivalSpins()}. */
  private static final int ARRIVAL_SPINS = 64;

  /**
   * {@inheritDoc}
   *
   * <p>A monitor's occupants wait for each other: a consumer that queues behind a producer's
   * short visit and parks makes the producer, once the buffer is full, wait for a thread that
   * first has to be woken; a short spin lets the entrant catch the monitor at the end of that
   * visit instead (docs/benchmarks.md, "Design measurements", has the figures). Mutexes do the
   * opposite; see note 3 of EntryQueue.
   */
  @Override
  int arrivalSpins() {
    return ARRIVAL_SPINS;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Same as {@link #lock()}.
   */
  @Override
  public void enter() {
    lock();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Same as {@link #lockInterruptibly()}.
   */
  @Override
  public void enterInterruptibly() throws InterruptedException {
    lockInterruptibly();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Same as {@link #tryLock()}.
   */
  @Override
  public boolean tryEnter() {
    return tryLock();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Same as {@link #tryLock(long, TimeUnit)}.
   */
  @Override
  public boolean tryEnter(long time, TimeUnit unit) throws InterruptedException {
    return tryLock(time, unit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Same as {@link #unlock()}, with a message that names this method.
   */
  @Override
  public void exit() {
    checkOccupiedByCaller("exit()");
    unlock();
  }

  @Override
  public Held entered() {
    enter();
    return ReleaseHandle.of(this);
  }

  @Override
  void releaseByHandle() {
    exit();
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  @Override
  public boolean isOccupied() {
    return isLocked();
  }

  @Override
  public boolean isOccupiedByCurrentThread() {
    return isHeldByCurrentThread();
  }

  @Override
  public int getOccupiedDepth() {
    return holdsOfCaller();
  }

  @Override
  public Semantics semantics() {
    return semantics;
  }

  /**
   * Returns a new condition variable bound to this monitor, with its semantics. Any thread may
   * call this method.
   */
  @Override
  public MonitorCondition newCondition() {
    return new MonitorCondition(this);
  }

  /** The number of signallers waiting on the urgent queue (0 under MESA); for tests. */
  int urgentQueueLength() {
    UrgentStack u = urgent;
    return u == null ? 0 : u.size();
  }

  @Override
  @Nullable ConditionQueue waitersOf(java.util.concurrent.locks.Condition condition) {
    if (condition instanceof MonitorCondition mc && mc.monitor == this) {
      return mc.waiters;
    }
    return null;
  }

  /**
   * Shows the occupant and its depth, the number of threads waiting to enter (and, under HOARE,
   * on the urgent queue), the semantics and the fairness, for example {@code
   * QueuedMonitor@1b6d3586[occupied by "worker-1" at depth 2, 3 entering, 1 urgent, HOARE,
   * BARGING]}.
   */
  @Override
  public String toString() {
    Thread o = owner();
    int depth = getStatePlain() & HOLDS;
    StringBuilder b = new StringBuilder(kind()).append('@');
    b.append(Integer.toHexString(System.identityHashCode(this))).append('[');
    if (!isLocked()) {
      b.append("free");
    } else {
      b.append("occupied by ")
          .append(o == null ? "a thread being recorded" : "\"" + o.getName() + "\"")
          .append(" at depth ")
          .append(depth);
    }
    b.append(", ").append(getQueueLength()).append(" entering, ");
    if (semantics == Semantics.HOARE) {
      b.append(urgentQueueLength()).append(" urgent, ");
    }
    return b.append(semantics).append(", ").append(fairness()).append(']').toString();
  }

  // ---------------------------------------------------------------------------------------------
  // OwnedLock hooks

  @Override
  boolean relockByOwner(boolean wouldWait) {
    incrementHolds();
    return true;
  }

  @Override
  String kind() {
    return "QueuedMonitor";
  }

  /**
   * Releases the monitor occupied at depth one: to the urgent head if a Hoare signaller waits
   * there, otherwise as an owned lock does (hand-off to the entry head, or free and signal).
   */
  @Override
  void release(int s) {
    UrgentStack u = urgent;
    WaitNode signaller = u == null ? null : u.pop();
    if (signaller != null) {
      giveTo(signaller); // the word stays held: no entrant can slip in
      UrgentStack.grant(signaller);
      return;
    }
    super.release(s);
  }

  // ---------------------------------------------------------------------------------------------
  // Signalling and waiting

  /** Returns the state word if the caller occupies the monitor, else throws naming {@code method}. */
  int checkOccupiedByCaller(String method) {
    if (!isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException(
          method + " called by " + Thread.currentThread() + ", which does not occupy " + this);
    }
    return getStatePlain();
  }

  /**
   * What a signal does: the one place where MESA and HOARE differ. Wakes the first waiter of
   * {@code waiters}, or every waiter present now if {@code all}. The caller occupies the monitor,
   * and {@code waiters} has waiters.
   */
  private void wake(ConditionQueue waiters, boolean all) {
    if (semantics == Semantics.MESA) {
      // Signal-and-continue: move to the entry queue without waking; the caller keeps the monitor.
      int unused = waiters.transferTo(queue(), all);
    } else {
      // Signal-and-urgent-wait: hand the monitor to each waiter present now, in turn.
      long last = all ? waiters.lastSeq() : Long.MAX_VALUE;
      while (handOffAndWait(waiters, last) && all) {
        // the caller occupies the monitor again; the next waiter, if any, is due
      }
    }
  }

  /**
   * The Hoare signal (see the implementation notes): hands the monitor to the first waiter that
   * arrived by {@code maxSeq} and waits on the urgent stack until it is handed back. Returns false,
   * having changed nothing, if there was no such waiter.
   */
  private boolean handOffAndWait(ConditionQueue waiters, long maxSeq) {
    UrgentStack u = urgent;
    if (u == null) {
      u = new UrgentStack();
      urgent = u; // occupant only; published to later occupants by the hand-offs
    }
    WaitNode me = new WaitNode(Thread.currentThread(), 1);
    me.saved = getStatePlain() & HOLDS;
    // Waiting for the monitor back, held by the signalled thread, is an edge of the wait-for graph
    // that others' deadlock checks must see; it cannot check itself (it must end occupying). It is
    // published before the grant: the signalled thread may run, and check, at once.
    DeadlockDetection.Wait wait =
        DeadlockDetection.ENABLED ? DeadlockDetection.beginWait(this, false) : null;
    try {
      u.push(me); // before the grant: the next occupant must find us here
      if (!waiters.grantFirst(queue().granter, maxSeq)) {
        u.pop(); // still the occupant, and still on top: nobody else touched the stack
        return false;
      }
      u.awaitGrant(me, this);
      return true;
    } finally {
      if (wait != null) {
        DeadlockDetection.endWait(wait);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A condition variable of a {@link QueuedMonitor}, with the monitor's semantics. It is also a
   * {@link java.util.concurrent.locks.Condition} of the monitor seen as a {@link Lock}.
   *
   * <p>Waiting threads queue in arrival order; {@code signal()} wakes the longest-waiting one.
   * Waits never end spuriously. See {@link Monitor.Condition} for the contract of every method.
   */
  public static final class MonitorCondition
      implements Monitor.Condition, java.util.concurrent.locks.Condition {
    final QueuedMonitor monitor;
    final ConditionQueue waiters = new ConditionQueue();

    MonitorCondition(QueuedMonitor monitor) {
      this.monitor = monitor;
    }

    @Override
    public void await() throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      int s = monitor.checkOccupiedByCaller("await()");
      if (monitor.awaitCondition(waiters, this, s, true, Parking.NO_DEADLINE) == INTERRUPTED_WAIT) {
        throw new InterruptedException();
      }
    }

    @Override
    public void awaitUninterruptibly() {
      int s = monitor.checkOccupiedByCaller("awaitUninterruptibly()");
      long unused = monitor.awaitCondition(waiters, this, s, false, Parking.NO_DEADLINE);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
      return timedWait(nanosTimeout, "awaitNanos()");
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
      Objects.requireNonNull(unit, "unit");
      return timedWait(unit.toNanos(time), "await()") > 0L;
    }

    /**
     * Waits as {@link #await(long, TimeUnit)} does, until the given wall-clock time (the API of
     * {@link java.util.concurrent.locks.Condition} requires a {@link Date}).
     *
     * @throws NullPointerException if {@code deadline} is null
     */
    @Override
    @SuppressWarnings("JavaUtilDate") // the signature is fixed by Condition
    public boolean awaitUntil(Date deadline) throws InterruptedException {
      Objects.requireNonNull(deadline, "deadline");
      return timedWait(Parking.nanosUntil(deadline), "awaitUntil()") > 0L;
    }

    /**
     * The timed waits: the interrupt, then the occupancy, then a wait unless {@code nanos <= 0}.
     * Returns the time left when the wait ended (see {@link OwnedLock#awaitCondition}).
     */
    private long timedWait(long nanos, String method) throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      int s = monitor.checkOccupiedByCaller(method);
      if (nanos <= 0L) {
        return nanos;
      }
      long left = monitor.awaitCondition(waiters, this, s, true, Parking.deadlineAfter(nanos));
      if (left == INTERRUPTED_WAIT) {
        throw new InterruptedException();
      }
      return left;
    }

    @Override
    public void waitFor(BooleanSupplier guard) throws InterruptedException {
      Objects.requireNonNull(guard, "guard");
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      monitor.checkOccupiedByCaller("waitFor()");
      while (!guard.getAsBoolean()) {
        await();
      }
    }

    @Override
    public boolean waitFor(BooleanSupplier guard, long time, TimeUnit unit)
        throws InterruptedException {
      Objects.requireNonNull(guard, "guard");
      Objects.requireNonNull(unit, "unit");
      long nanos = unit.toNanos(time);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      monitor.checkOccupiedByCaller("waitFor()");
      if (guard.getAsBoolean()) {
        return true;
      }
      if (nanos <= 0L) {
        return false;
      }
      long deadline = Parking.deadlineAfter(nanos);
      for (long left = nanos; left > 0L; left = deadline - System.nanoTime()) {
        long unused = timedWait(left, "waitFor()");
        if (guard.getAsBoolean()) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void signal() {
      monitor.checkOccupiedByCaller("signal()");
      // Only an occupant can start waiting, so while the caller occupies the monitor no waiter
      // can arrive: an empty queue here really has nobody to signal.
      if (waiters.hasWaiters()) {
        monitor.wake(waiters, false);
      }
    }

    @Override
    public void signalAll() {
      monitor.checkOccupiedByCaller("signalAll()");
      if (waiters.hasWaiters()) {
        monitor.wake(waiters, true);
      }
    }

    @Override
    public boolean hasWaiters() {
      return waiters.hasWaiters();
    }

    @Override
    public int getWaitQueueLength() {
      return waiters.size();
    }

    /** Shows the number of waiting threads and the monitor, e.g. {@code Condition[2 waiting] of QueuedMonitor@...}. */
    @Override
    public String toString() {
      return "Condition[" + waiters.size() + " waiting] of " + monitor;
    }
  }
}
