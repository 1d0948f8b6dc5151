package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;

/**
 * What every owned lock of the library shares: the state word with the hold count, the owner,
 * the lazily created wait queue, the acquire and release paths in both fairness modes, and
 * Mesa-style conditions. {@link QueuedMutex} and {@link QueuedReentrantMutex} differ only in what
 * happens when the holder locks again ({@link #relockByOwner}); monitors add their own queues on
 * top. Internal; not part of the API.
 */
abstract class OwnedLock extends AbstractOwnableSynchronizer
    implements WaitQueue.Acquirer, WaitQueue.Granter {
  /* Implementation notes
   *
   * State word (int, accessed through STATE):
   *   bits 0-15  HOLDS     the hold count: 0 = free, 1 = held once, up to MAX_HOLDS (reentrant)
   *   bit  30    FIFO_BIT  the fairness mode, fixed at construction
   *
   *   holds | owner            | meaning
   *   ------+------------------+-----------------------------------------------------------
   *   0     | null             | free: the first CAS 0 -> 1 wins (a queued thread tries only
   *         |                  | under the queue lock; under FIFO only the first one)
   *   n > 0 | the holder       | held; only the holder writes the state (re-lock, unlock)
   *   n > 0 | null (briefly)   | a thread has just won the CAS and is about to record itself
   *   1     | releaser->grantee| a hand-off in progress (inside grant(), under the queue lock):
   *         |                  | the word stays held while the owner changes; the grantee sees
   *         |                  | itself as owner only after it reads GRANTED
   *
   * The owner lives in AbstractOwnableSynchronizer's field, so that thread dumps (jstack -l) list
   * the lock under "Locked ownable synchronizers" of its holder, and ThreadMXBean reports the
   * holder as the lock owner of a thread parked on it (the blocker of every park here is the lock
   * itself). It is a plain field: the holder reads its own writes, and other threads read it only
   * for monitoring (owner(), toString()), where a stale answer is allowed.
   *
   * Acquire: one CAS on the state word when it is free (under FIFO only when nobody is queued).
   * Otherwise the waiting core (WaitQueue.acquire) queues the thread and parks it; it calls back
   * tryAcquire() to take the word.
   *
   * Release (hold count back to 0):
   *   - if the first waiter is due a hand-off (always under FIFO; under BARGING when the head
   *     has waited past the fairness bound, below), the lock is handed to it directly: the
   *     state word stays
   *     held, the owner becomes the waiter, and the core marks it GRANTED and unparks it. No
   *     arriving thread can overtake it, because the word is never free in between;
   *   - otherwise the owner is cleared, the word is released with a volatile write, and then the
   *     queue is read: if a thread waits, the first one is signalled to try again (it competes
   *     with arriving threads: that is barging). Write-then-read here against append-then-re-check
   *     in the core is what makes a lost wake-up impossible (WaitQueue, note 3).
   *
   * The release reads the queue without the queue lock. If the head it saw leaves before handOff
   * takes the lock, handOff serves the next head (perhaps a young one: one release behaves as
   * FIFO would), or frees the word if nobody is left. That is harmless and keeps the check off
   * the lock.
   *
   * Eventual fairness: under BARGING, a queued thread can be overtaken only while the head of
   * the queue has waited less than about 1 ms (counted from its arrival or the last hand-off,
   * whichever is later: hand-offs are at most one per 1 ms, so that an oversubscribed lock does
   * not degrade into a convoy). After that, a release hands off to it if it is parked
   * (WaitQueue.parkedHeadDue: the head's status and, only when it is parked, the clock), and a
   * head that is awake, spinning for the lock, asks for the hand-off itself
   * (WaitQueue.handOffRequest: one volatile read for the release). WaitQueue, note 10, has the
   * details and the one case this leaves to the scheduler. A thread behind the head waits at
   * most for the threads ahead of it, each of which is served in bounded time the same way, so
   * no thread starves.
   *
   * Conditions (Mesa): await appends a node to the condition's own queue, releases the lock
   * completely (saving the hold count), and parks. signal moves the first node to the lock's
   * queue without waking it (WaitQueue.transferTo): it is woken by a release like any queued
   * thread, so a signal costs no futile wake-up while the signaller still holds the lock. A
   * waiter whose deadline passes or that is interrupted removes its node from the condition
   * queue; if the node was already moved, the signal won and the wait counts as signalled. Either
   * way the waiter re-acquires the lock before returning and restores its hold count.
   *
   * Footprint: object header (12 bytes with compressed class pointers), the owner (4), the state
   * (4) and the queue reference (4): 24 bytes while the lock is uncontended; the queue (40 bytes)
   * is created the first time a thread has to wait, and nodes exist only while threads wait.
   */

  static final int HOLDS = 0xFFFF;
  static final int MAX_HOLDS = HOLDS;
  static final int FIFO_BIT = 1 << 30;


  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  private volatile @Nullable WaitQueue queue;

  OwnedLock(Fairness fairness) {
    Objects.requireNonNull(fairness, "fairness");
    state = fairness == Fairness.FIFO ? FIFO_BIT : 0;
  }

  /**
   * Called when the holder asks for the lock again. {@code wouldWait} is true for the methods
   * that would block ({@code lock}, {@code lockInterruptibly}, timed {@code tryLock}) and false
   * for the untimed {@code tryLock}. Returns true if the holder now holds it once more.
   */
  abstract boolean relockByOwner(boolean wouldWait);

  /** The name used by {@link #toString()}. */
  abstract String kind();

  // ---------------------------------------------------------------------------------------------
  // Lock

  public void lock() {
    if (!tryAcquireArriving()) {
      lockSlow();
    }
  }

  private void lockSlow() {
    if (getExclusiveOwnerThread() == Thread.currentThread()) {
      relockByOwner(true);
      return;
    }
    if (spinForFree()) {
      return;
    }
    queue().acquire(this, this, 1, isFifo(), false, false, WaitQueue.NO_DEADLINE);
  }

  /**
   * How many spin rounds an arriving thread that found the lock taken watches the state word
   * before it queues: none for mutexes (note 5 of WaitQueue: a spinner slows the holder down),
   * a few for monitors, whose users wait for each other (see QueuedMonitor).
   */
  int arrivalSpins() {
    return 0;
  }

  /**
   * Spins {@link #arrivalSpins()} rounds, reading the state word and trying only when it looks
   * free; returns whether it acquired. Never under FIFO, where an arrival must queue anyway.
   */
  private boolean spinForFree() {
    int spins = arrivalSpins();
    if (spins == 0 || isFifo()) {
      return false;
    }
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
      if ((getStateVolatile() & HOLDS) == 0 && tryAcquireArriving()) {
        return true;
      }
    }
    return false;
  }

  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (!tryAcquireArriving()) {
      lockInterruptiblySlow();
    }
  }

  private void lockInterruptiblySlow() throws InterruptedException {
    if (getExclusiveOwnerThread() == Thread.currentThread()) {
      relockByOwner(true);
      return;
    }
    if (spinForFree()) {
      return;
    }
    int r = queue().acquire(this, this, 1, isFifo(), false, true, WaitQueue.NO_DEADLINE);
    if (r == WaitQueue.INTERRUPTED) {
      throw new InterruptedException();
    }
  }

  public boolean tryLock() {
    if (tryAcquire(1)) {
      return true;
    }
    return getExclusiveOwnerThread() == Thread.currentThread() && relockByOwner(false);
  }

  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    long nanos = unit.toNanos(time);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (getExclusiveOwnerThread() == Thread.currentThread()) {
      return relockByOwner(true);
    }
    if (tryAcquireArriving()) {
      return true;
    }
    if (nanos <= 0L) {
      return false;
    }
    if (spinForFree()) {
      return true;
    }
    int r =
        queue().acquire(this, this, 1, isFifo(), false, true, WaitQueue.deadlineAfter(nanos));
    if (r == WaitQueue.INTERRUPTED) {
      throw new InterruptedException();
    }
    return r == WaitQueue.ACQUIRED;
  }

  public void unlock() {
    int s = checkHeldByCaller("unlock()");
    if ((s & HOLDS) > 1) {
      setStateRelease(s - 1);
      return;
    }
    release(s);
  }

  /**
   * Releases the lock held once (hold count 1 in {@code s}): hands it to the first waiter if a
   * hand-off is due, otherwise frees the word and signals the first waiter.
   */
  void release(int s) {
    WaitQueue q = queue;
    if (q != null) {
      boolean handOff =
          (s & FIFO_BIT) != 0
              ? q.hasWaiters()
              : q.handOffRequest() != 0 || q.parkedHeadDue();
      if (handOff) {
        q.handOff(this);
        return;
      }
    }
    setExclusiveOwnerThread(null);
    setStateVolatile(s & FIFO_BIT);
    if (q == null) {
      q = queue;
    }
    if (q != null && q.hasWaiters()) {
      q.signalFirst();
    }
  }

  /**
   * Grants the lock to {@code node}'s thread, held {@code holdsOnGrant(node)} times (once, for the
   * locks); the state word stays held.
   */
  @Override
  public boolean grant(WaitQueue.Node node) {
    setStateOpaque((getStatePlain() & FIFO_BIT) | holdsOnGrant(node));
    setExclusiveOwnerThread(node.thread);
    return true;
  }

  /**
   * The hold count a thread starts with when the lock is handed to it: 1 here. A monitor hands
   * itself to a thread that waited on a condition or signalled under Hoare semantics, and restores
   * the depth that thread saved in its node.
   */
  int holdsOnGrant(WaitQueue.Node node) {
    return 1;
  }

  /** The hand-off found nobody queued: free the word (under the queue lock). */
  @Override
  public void releaseUnqueued() {
    setExclusiveOwnerThread(null);
    setStateVolatile(getStatePlain() & FIFO_BIT);
  }

  /** One attempt to take the free word, ignoring the queue (barging): the core's callback. */
  @Override
  public boolean tryAcquire(int ignored) {
    int s = getStateVolatile();
    if ((s & HOLDS) == 0 && casState(s, s + 1)) {
      setExclusiveOwnerThread(Thread.currentThread());
      return true;
    }
    return false;
  }

  /** Whether the word is free now: the core's check before a spinning head re-tries. */
  @Override
  public boolean mayAcquire(int ignored) {
    return (getStateVolatile() & HOLDS) == 0;
  }

  /** The arriving thread's attempt: under FIFO it does not overtake queued threads. */
  private boolean tryAcquireArriving() {
    int s = getStateVolatile();
    if ((s & HOLDS) != 0) {
      return false;
    }
    if ((s & FIFO_BIT) != 0) {
      WaitQueue q = queue;
      if (q != null && q.hasWaiters()) {
        return false;
      }
    }
    if (casState(s, s + 1)) {
      setExclusiveOwnerThread(Thread.currentThread());
      return true;
    }
    return false;
  }

  /** Adds one to the holder's count, refusing past {@link #MAX_HOLDS} with nothing changed. */
  final void incrementHolds() {
    int s = getStatePlain();
    if ((s & HOLDS) == MAX_HOLDS) {
      throw new IllegalStateException(
          "maximum hold count exceeded: " + kind() + " is already held " + MAX_HOLDS + " times");
    }
    setStateRelease(s + 1);
  }

  /** Returns the state if the caller holds the lock, else throws IMSE naming {@code method}. */
  final int checkHeldByCaller(String method) {
    if (getExclusiveOwnerThread() != Thread.currentThread()) {
      throw new IllegalMonitorStateException(
          method + " called by " + Thread.currentThread() + ", which does not hold " + this);
    }
    return getStatePlain();
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  public boolean isLocked() {
    return (getStateVolatile() & HOLDS) != 0;
  }

  public boolean isHeldByCurrentThread() {
    return getExclusiveOwnerThread() == Thread.currentThread();
  }

  public @Nullable Thread owner() {
    return getExclusiveOwnerThread();
  }

  /** The calling thread's hold count, 0 if it does not hold the lock. */
  final int holdsOfCaller() {
    return isHeldByCurrentThread() ? getStatePlain() & HOLDS : 0;
  }

  public boolean hasQueuedThreads() {
    WaitQueue q = queue;
    return q != null && q.hasWaiters();
  }

  public int getQueueLength() {
    WaitQueue q = queue;
    return q == null ? 0 : q.size();
  }

  public Fairness fairness() {
    return isFifo() ? Fairness.FIFO : Fairness.BARGING;
  }

  final boolean isFifo() {
    return (getStatePlain() & FIFO_BIT) != 0;
  }

  /** Locks with {@link #lock()} and returns a handle that unlocks once. */
  public Held locked() {
    lock();
    return newHandle();
  }

  /** A handle whose {@code close()} calls {@link #releaseByHandle()} once. */
  final Held newHandle() {
    return new Handle(this);
  }

  /** What closing a handle releases: the lock here; a monitor exits instead. */
  void releaseByHandle() {
    unlock();
  }

  public Condition newCondition() {
    return new MesaCondition(this);
  }

  @Override
  public String toString() {
    Thread o = getExclusiveOwnerThread();
    int s = getStateVolatile();
    StringBuilder b = new StringBuilder(kind()).append('@');
    b.append(Integer.toHexString(System.identityHashCode(this))).append('[');
    if ((s & HOLDS) == 0) {
      b.append("unlocked");
    } else {
      b.append("locked by ").append(o == null ? "a thread being recorded" : "\"" + o.getName() + "\"");
      if ((s & HOLDS) > 1) {
        b.append(" x").append(s & HOLDS);
      }
    }
    return b.append(", ")
        .append(getQueueLength())
        .append(" queued, ")
        .append(fairness())
        .append(']')
        .toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Support for conditions and monitors

  /** The queue, created on first use; it is never replaced. */
  final WaitQueue queue() {
    WaitQueue q = queue;
    if (q == null) {
      q = new WaitQueue();
      if (!QUEUE.compareAndSet(this, null, q)) {
        q = Objects.requireNonNull(queue);
      }
    }
    return q;
  }

  /** Releases the lock completely (whatever the hold count) and returns the hold count. */
  final int releaseAll(int s) {
    int holds = s & HOLDS;
    if (holds > 1) {
      setStateOpaque((s & FIFO_BIT) | 1);
    }
    release((s & FIFO_BIT) | 1);
    return holds;
  }

  /** Re-acquires, uninterruptibly and without a deadline, and restores the hold count. */
  final void reacquire(WaitQueue.@Nullable Node movedNode, int holds) {
    if (movedNode != null) {
      queue()
          .awaitQueued(this, this, movedNode, isFifo(), false, false, WaitQueue.NO_DEADLINE, true);
    } else if (!tryAcquireArriving()) {
      queue().acquire(this, this, 1, isFifo(), false, false, WaitQueue.NO_DEADLINE);
    }
    if (holds > 1) {
      setStateRelease((getStatePlain() & FIFO_BIT) | holds);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State accessors, named by memory mode

  final int getStatePlain() {
    return (int) STATE.get(this);
  }

  private int getStateVolatile() {
    return (int) STATE.getVolatile(this);
  }

  private boolean casState(int expected, int value) {
    return STATE.compareAndSet(this, expected, value);
  }

  private void setStateVolatile(int value) {
    STATE.setVolatile(this, value);
  }

  private void setStateRelease(int value) {
    STATE.setRelease(this, value);
  }

  private void setStateOpaque(int value) {
    STATE.setOpaque(this, value);
  }

  // ---------------------------------------------------------------------------------------------

  /** The handle returned by {@link #locked()} (and by a monitor's {@code entered()}). */
  private static final class Handle implements Held {
    private final OwnedLock lock;
    private boolean closed;

    Handle(OwnedLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      if (closed) {
        throw new IllegalStateException("this handle of " + lock + " is already closed");
      }
      lock.releaseByHandle();
      closed = true;
    }
  }

  /**
   * A Mesa-style condition of an {@link OwnedLock} (signal-and-continue): a signal moves the
   * longest waiter to the lock's queue, and the signaller keeps the lock.
   */
  static final class MesaCondition implements Condition {
    private final OwnedLock lock;
    private final WaitQueue waiters = new WaitQueue();

    MesaCondition(OwnedLock lock) {
      this.lock = lock;
    }

    @Override
    public void await() throws InterruptedException {
      waitWithDeadline(true, WaitQueue.NO_DEADLINE, 1L);
    }

    @Override
    public void awaitUninterruptibly() {
      int s = lock.checkHeldByCaller("awaitUninterruptibly()");
      waitForSignal(s, false, WaitQueue.NO_DEADLINE);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
      if (nanosTimeout <= 0L) {
        waitWithDeadline(true, WaitQueue.NO_DEADLINE, nanosTimeout);
        return nanosTimeout;
      }
      long deadline = WaitQueue.deadlineAfter(nanosTimeout);
      waitWithDeadline(true, deadline, nanosTimeout);
      long left = deadline - System.nanoTime();
      return left == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : left;
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
      Objects.requireNonNull(unit, "unit");
      long nanos = unit.toNanos(time);
      return waitWithDeadline(true, nanos <= 0L ? WaitQueue.NO_DEADLINE : WaitQueue.deadlineAfter(nanos), nanos);
    }

    @Override
    @SuppressWarnings("JavaUtilDate") // the signature is Condition's
    public boolean awaitUntil(Date deadline) throws InterruptedException {
      Objects.requireNonNull(deadline, "deadline");
      long at = deadline.getTime();
      long now = System.currentTimeMillis();
      // Compared before subtracting: a date far in the past must not wrap into the far future.
      long nanos = at <= now ? 0L : TimeUnit.MILLISECONDS.toNanos(at - now);
      return waitWithDeadline(true, nanos <= 0L ? WaitQueue.NO_DEADLINE : WaitQueue.deadlineAfter(nanos), nanos);
    }

    /**
     * The interruptible waits: interrupt check, ownership check, then a wait unless {@code
     * nanos <= 0}. Returns false if the deadline passed before a signal.
     */
    private boolean waitWithDeadline(boolean interruptible, long deadline, long nanos)
        throws InterruptedException {
      if (interruptible && Thread.interrupted()) {
        throw new InterruptedException();
      }
      int s = lock.checkHeldByCaller("await()");
      if (nanos <= 0L) {
        return false;
      }
      int result = waitForSignal(s, interruptible, deadline);
      if (result == WaitQueue.INTERRUPTED) {
        // An interrupt absorbed while re-acquiring the lock is part of the same report.
        Thread.interrupted();
        throw new InterruptedException();
      }
      return result == WaitQueue.ACQUIRED;
    }

    /**
     * Waits in the condition's queue (the waiting core's condition loop, with the condition as
     * the blocker: a thread waiting for a signal is not blocked by the lock's holder, and tools
     * must not say it is), then re-acquires the lock and restores the hold count. Returns
     * ACQUIRED (signalled), TIMED_OUT or INTERRUPTED; an interrupt absorbed on the way, or lost to
     * a signal, is left set in the thread's status.
     */
    private int waitForSignal(int s, boolean interruptible, long deadline) {
      WaitQueue.Node node = new WaitQueue.Node(Thread.currentThread(), 1);
      waiters.enqueue(node);
      int holds = lock.releaseAll(s);
      int result = waiters.awaitSignal(node, this, interruptible, deadline);
      lock.reacquire(result == WaitQueue.ACQUIRED ? node : null, holds);
      return result;
    }

    @Override
    public void signal() {
      lock.checkHeldByCaller("signal()");
      waiters.transferTo(lock.queue(), false);
    }

    @Override
    public void signalAll() {
      lock.checkHeldByCaller("signalAll()");
      waiters.transferTo(lock.queue(), true);
    }

    /** The number of threads waiting on this condition (for tests and monitoring). */
    int waitQueueLength() {
      return waiters.size();
    }
  }

  private static final VarHandle STATE;
  private static final VarHandle QUEUE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(OwnedLock.class, "state", int.class);
      QUEUE = l.findVarHandle(OwnedLock.class, "queue", WaitQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
