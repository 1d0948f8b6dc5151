package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.io.IOException;
import java.io.ObjectInputStream;
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
 * the lazily created entry queue, the acquire and release paths in both fairness modes, and the
 * condition wait. {@link QueuedMutex} and {@link QueuedReentrantMutex} differ only in what happens
 * when the holder locks again ({@link #relockByOwner}); {@link QueuedMonitor} adds its signal
 * semantics on top. Internal; not part of the API.
 */
abstract class OwnedLock extends AbstractOwnableSynchronizer {
  /* Implementation notes
   *
   * State word (int, accessed through STATE):
   *   bits 0-15  HOLDS     the hold count: 0 = free, 1 = held once, up to MAX_HOLDS (reentrant)
   *   bit  30    FIFO_BIT  the fairness mode, fixed at construction
   *
   *   holds | owner             | meaning
   *   ------+-------------------+-----------------------------------------------------------
   *   0     | null              | free: the first CAS 0 -> 1 wins (a queued thread tries only
   *         |                   | under the queue lock, and only when its policy lets it)
   *   n > 0 | the holder        | held; only the holder writes the state (re-lock, unlock)
   *   n > 0 | null (briefly)    | a thread has just won the CAS and is about to record itself
   *   n > 0 | releaser->grantee | a hand-off in progress (Sync.grant, under the queue lock): the
   *         |                   | word stays held while the owner changes; the grantee sees
   *         |                   | itself as owner only after it reads GRANTED
   *
   * The owner lives in AbstractOwnableSynchronizer's field, so that thread dumps (jstack -l) list
   * the lock under "Locked ownable synchronizers" of its holder, and ThreadMXBean reports the
   * holder as the lock owner of a thread parked on it (the blocker of every park is the lock). It
   * is a plain field: the holder reads its own writes, and other threads read it only for
   * monitoring (owner(), toString()), where a stale answer is allowed.
   *
   * The waiting core's callbacks (EntryQueue.Acquirer and Granter) are implemented by Sync, a
   * private object created with the queue, never by this class: nothing a caller can reach, a cast
   * included, can take or free the word without the ownership checks below.
   *
   * Acquire: one CAS on the state word when it is free (under FIFO only when nobody is queued).
   * Otherwise the entry queue queues the thread and parks it; it calls back Sync.tryAcquire.
   *
   * Release (hold count back to 0):
   *   - if the queue's policy says a hand-off is due (FIFO: anybody queued; BARGING: the head has
   *     waited past the fairness bound, see BargingEntryQueue), the lock is handed to the head
   *     directly (EntryQueue.handOff -> Sync.grant): the state word stays held, the owner becomes
   *     the waiter. No arriving thread can overtake it, because the word is never free in between;
   *   - otherwise the owner is cleared, the word is freed with a volatile write, and then the queue
   *     is read: if a thread waits, the head is signalled to try again (it competes with arriving
   *     threads: that is barging). Write-then-read here against append-then-re-check in the queue
   *     is what makes a lost wake-up impossible (EntryQueue, note 1).
   * The release reads the queue without its lock. If the head it saw leaves before handOff takes
   * the lock, handOff serves the next head, or frees the word if nobody is left (Sync.grant with
   * no node): harmless, and it keeps the check off the lock.
   *
   * Conditions: a waiter appends a node (its hold count saved in it) to the condition's queue,
   * releases the lock completely, and waits for a signal (awaitCondition). A Mesa signal moves the
   * node to the entry queue without waking it (ConditionQueue.transferTo): it is woken by a release
   * like any queued thread, so a signal costs no futile wake-up while the signaller still holds the
   * lock. A Hoare signal (monitors) grants the lock to the node directly, with its saved depth. A
   * waiter whose deadline passes or that is interrupted removes its node from the condition queue;
   * if the node was already taken out, the signal won. Either way the waiter holds the lock again,
   * at its hold count, before it returns.
   *
   * Serialization: AbstractOwnableSynchronizer is Serializable, so these classes are too. Only the
   * fairness mode travels: the queue is transient, the owner is transient in the superclass, and
   * readObject clears the hold count, so a lock always deserializes unheld and unqueued (as
   * java.util.concurrent.locks.ReentrantLock does), never held by nobody.
   *
   * Footprint: object header (12 bytes with compressed class pointers), the owner (4), the state
   * (4) and the queue reference (4): 24 bytes while the lock is uncontended; the queue and its Sync
   * are created the first time a thread has to wait, and nodes exist only while threads wait.
   */

  private static final long serialVersionUID = 1L;

  static final int HOLDS = 0xFFFF;
  static final int MAX_HOLDS = HOLDS;
  static final int FIFO_BIT = 1 << 30;

  /** What {@link #awaitCondition} returns for a wait that ended by an interrupt. */
  static final long INTERRUPTED_WAIT = Long.MIN_VALUE;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  private transient volatile @Nullable EntryQueue queue;

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
    if (!spinForFree()) {
      int unused =
          DeadlockDetection.ENABLED
              ? acquireChecked(false)
              : queue().acquire(1, false, Parking.NO_DEADLINE);
    }
  }

  /**
   * The untimed wait with deadlock detection on: refuses to wait if that would close a cycle
   * (throws {@link dev.syncprims.DeadlockException}, nothing acquired), and is visible to other
   * threads' checks while it waits.
   */
  private int acquireChecked(boolean interruptible) {
    DeadlockDetection.Wait wait = DeadlockDetection.beginWait(this, true);
    try {
      return queue().acquire(1, interruptible, Parking.NO_DEADLINE);
    } finally {
      DeadlockDetection.endWait(wait);
    }
  }

  /**
   * How many spin rounds an arriving thread that found the lock taken watches the state word
   * before it queues: none for mutexes (a spinner slows the holder down: EntryQueue, note 3), a
   * few for monitors, whose users wait for each other (see QueuedMonitor).
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
    if (tryAcquireArriving()) {
      return;
    }
    if (getExclusiveOwnerThread() == Thread.currentThread()) {
      relockByOwner(true);
      return;
    }
    if (spinForFree()) {
      return;
    }
    int r =
        DeadlockDetection.ENABLED
            ? acquireChecked(true)
            : queue().acquire(1, true, Parking.NO_DEADLINE);
    if (r == Parking.INTERRUPTED) {
      throw new InterruptedException();
    }
  }

  public boolean tryLock() {
    if (tryAcquireBarging()) {
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
    int r = queue().acquire(1, true, Parking.deadlineAfter(nanos));
    if (r == Parking.INTERRUPTED) {
      throw new InterruptedException();
    }
    return r == Parking.ACQUIRED;
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
   * Releases the lock held once (hold count 1 in {@code s}): hands it to the head if the queue's
   * policy says a hand-off is due, otherwise frees the word and signals the head.
   */
  void release(int s) {
    EntryQueue q = queue;
    if (q != null && q.handOffDue(1, 0)) {
      int unused = q.handOff(1);
      return;
    }
    setExclusiveOwnerThread(null);
    setStateVolatile(s & FIFO_BIT);
    if (q == null) {
      q = queue; // read after the write of the word: see the implementation notes
    }
    if (q != null && q.hasWaiters()) {
      q.signalFirst();
    }
  }

  /**
   * The hold count a thread starts with when the lock is handed to it: the count a condition
   * waiter or a Hoare signaller saved in its node, or 1 for an entrant (which saved none).
   */
  static int holdsOnGrant(WaitNode node) {
    return node.saved > 0 ? node.saved : 1;
  }

  /**
   * Gives the held word to {@code node}'s thread at its hold count: the word stays held, only the
   * owner changes. Called by the holder (or under the queue lock on its behalf) just before the
   * node is marked GRANTED.
   */
  final void giveTo(WaitNode node) {
    setStateOpaque((getStatePlain() & FIFO_BIT) | holdsOnGrant(node));
    setExclusiveOwnerThread(node.thread);
  }

  /** One attempt to take the free word, ignoring the queue (barging). */
  private boolean tryAcquireBarging() {
    int s = getStateVolatile();
    if ((s & HOLDS) == 0 && casState(s, s + 1)) {
      setExclusiveOwnerThread(Thread.currentThread());
      return true;
    }
    return false;
  }

  /**
   * The arriving thread's attempt: it does not take the word while the queue's policy keeps it for
   * the waiters (FIFO: anybody queued; BARGING: the head has asked for its hand-off).
   */
  private boolean tryAcquireArriving() {
    int s = getStateVolatile();
    if ((s & HOLDS) != 0) {
      return false;
    }
    EntryQueue q = queue;
    if (q != null && !q.arrivalMayTake()) {
      return false;
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
    EntryQueue q = queue;
    return q != null && q.hasWaiters();
  }

  /**
   * Whether {@code thread} is waiting to acquire this lock now (a snapshot, for monitoring).
   *
   * @throws NullPointerException if {@code thread} is null
   */
  public boolean hasQueuedThread(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    EntryQueue q = queue;
    return q != null && q.contains(thread);
  }

  public int getQueueLength() {
    EntryQueue q = queue;
    return q == null ? 0 : q.size();
  }

  /**
   * Whether any thread waits on {@code condition}, one of this lock's conditions (a snapshot, for
   * monitoring).
   *
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException if {@code condition} was not created by this lock
   * @throws IllegalMonitorStateException if the calling thread does not hold this lock
   */
  public boolean hasWaiters(Condition condition) {
    return ownCondition(condition, "hasWaiters()").hasWaiters();
  }

  /**
   * The number of threads waiting on {@code condition}, one of this lock's conditions (an
   * estimate, for monitoring).
   *
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException if {@code condition} was not created by this lock
   * @throws IllegalMonitorStateException if the calling thread does not hold this lock
   */
  public int getWaitQueueLength(Condition condition) {
    return ownCondition(condition, "getWaitQueueLength()").size();
  }

  /** The queue of {@code condition}, checked in ReentrantLock's order: null, owner, holder. */
  private ConditionQueue ownCondition(Condition condition, String method) {
    Objects.requireNonNull(condition, "condition");
    ConditionQueue waiters = waitersOf(condition);
    if (waiters == null) {
      throw new IllegalArgumentException(condition + " is not a condition of " + this);
    }
    checkHeldByCaller(method);
    return waiters;
  }

  /** The queue of {@code condition} if it is one of this lock's conditions, else null. */
  @SuppressWarnings("ReferenceEquality") // identity: a condition of this very lock
  @Nullable ConditionQueue waitersOf(Condition condition) {
    if (condition instanceof MesaCondition mesa && mesa.lock == this) {
      return mesa.waiters;
    }
    return null;
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
    return ReleaseHandle.of(this);
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

  /** The entry queue, created (with its Sync) on first use; it is never replaced. */
  final EntryQueue queue() {
    EntryQueue q = queue;
    if (q == null) {
      Sync sync = new Sync();
      q = EntryQueue.create(isFifo(), false, Integer.MAX_VALUE, sync, sync, this);
      if (QUEUE.compareAndSet(this, null, q)) {
        Deadlocks.register(q);
      } else {
        q = Objects.requireNonNull(queue);
      }
    }
    return q;
  }

  /**
   * The condition wait shared by every condition of the library: gives up the lock whatever the
   * hold count ({@code s} is the caller's state word), waits in {@code waiters} for a signal, the
   * deadline or (if {@code interruptible}) an interrupt, then holds the lock again at the same
   * count. The blocker is the condition: a thread waiting for a signal is not blocked by the lock's
   * holder, and tools must not say it is.
   *
   * @return {@link #INTERRUPTED_WAIT} if interrupted (the status is then cleared); otherwise the
   *     time left when the wait ended, before re-acquiring: at least 1 if signalled ({@code
   *     Long.MAX_VALUE} without a deadline), at most 0 if the deadline passed
   */
  final long awaitCondition(
      ConditionQueue waiters, Object condition, int s, boolean interruptible, long deadline) {
    int holds = s & HOLDS;
    WaitNode node = new WaitNode(Thread.currentThread(), 1);
    node.saved = holds;
    waiters.enqueue(node);
    releaseAll(s);
    int result = waiters.awaitSignal(node, condition, interruptible, deadline);
    long endedAt = System.nanoTime();
    if (result != Parking.ACQUIRED || node.status != WaitNode.GRANTED) {
      reenterAfterWait(node, result == Parking.ACQUIRED);
    } else if (DeadlockDetection.ENABLED) {
      // Handed the lock at our count: by a Hoare signal, or by the entry queue after a Mesa signal
      // moved us while we were parked; that signal recorded our wait for the lock, which is over.
      DeadlockDetection.endMovedWait();
    }
    if (holds > 1) {
      setStateRelease((getStatePlain() & FIFO_BIT) | holds);
    }
    if (result == Parking.INTERRUPTED) {
      Thread.interrupted(); // one more interrupt while re-acquiring is part of the same report
      return INTERRUPTED_WAIT;
    }
    if (result == Parking.ACQUIRED) {
      return deadline == Parking.NO_DEADLINE ? Long.MAX_VALUE : Math.max(deadline - endedAt, 1L);
    }
    return Math.max(Math.min(deadline - endedAt, 0L), Long.MIN_VALUE + 1);
  }

  /**
   * Takes the lock again after a condition wait that did not end with a hand-off: in the entry
   * queue where a Mesa signal moved {@code node} ({@code moved}), or like an entrant (the wait gave
   * up). With deadlock detection on, the wait is visible to other threads' checks but does not
   * check itself: it must end holding the lock. A moved waiter's wait was recorded by the signal
   * (ConditionQueue.transferTo); an entrant's is recorded here.
   */
  private void reenterAfterWait(WaitNode node, boolean moved) {
    if (moved) {
      try {
        queue().awaitMoved(node);
      } finally {
        if (DeadlockDetection.ENABLED) {
          DeadlockDetection.endMovedWait();
        }
      }
      return;
    }
    if (tryAcquireArriving()) {
      return;
    }
    DeadlockDetection.Wait wait =
        DeadlockDetection.ENABLED ? DeadlockDetection.beginWait(this, false) : null;
    try {
      int unused = queue().acquire(1, false, Parking.NO_DEADLINE);
    } finally {
      if (wait != null) {
        DeadlockDetection.endWait(wait);
      }
    }
  }

  /** Releases the lock completely (whatever the hold count, in {@code s}). */
  private void releaseAll(int s) {
    if ((s & HOLDS) > 1) {
      setStateOpaque((s & FIFO_BIT) | 1);
    }
    release((s & FIFO_BIT) | 1);
  }

  /** Deserializes unheld and unqueued, whatever the lock's state when it was written. */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    setStateVolatile(getStatePlain() & FIFO_BIT);
  }

  // ---------------------------------------------------------------------------------------------
  // The waiting core's callbacks, on a private object (see the implementation notes)

  /** Takes and gives the state word for the entry queue; created with the queue. */
  private final class Sync implements EntryQueue.Acquirer, EntryQueue.Granter {
    @Override
    public boolean tryAcquire(int ignored) {
      return tryAcquireBarging();
    }

    @Override
    public boolean mayAcquire(int ignored) {
      return (getStateVolatile() & HOLDS) == 0;
    }

    /**
     * Under the queue lock: hands the held word to {@code first} at its hold count (the word stays
     * held; only the owner changes), or, with nobody queued, frees it, so that a thread queueing
     * at the same moment sees the release when it re-checks.
     */
    @Override
    public int grant(@Nullable WaitNode first, int units) {
      if (first == null) {
        setExclusiveOwnerThread(null);
        setStateVolatile(getStatePlain() & FIFO_BIT);
        return 0;
      }
      giveTo(first);
      return 1;
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

  /**
   * A Mesa-style condition of an {@link OwnedLock} (signal-and-continue): a signal moves the
   * longest waiter to the lock's queue, and the signaller keeps the lock.
   */
  static final class MesaCondition implements Condition {
    final OwnedLock lock;
    final ConditionQueue waiters = new ConditionQueue();

    MesaCondition(OwnedLock lock) {
      this.lock = lock;
    }

    @Override
    public void await() throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      int s = lock.checkHeldByCaller("await()");
      if (lock.awaitCondition(waiters, this, s, true, Parking.NO_DEADLINE) == INTERRUPTED_WAIT) {
        throw new InterruptedException();
      }
    }

    @Override
    public void awaitUninterruptibly() {
      int s = lock.checkHeldByCaller("awaitUninterruptibly()");
      long unused = lock.awaitCondition(waiters, this, s, false, Parking.NO_DEADLINE);
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

    @Override
    @SuppressWarnings("JavaUtilDate") // the signature is Condition's
    public boolean awaitUntil(Date deadline) throws InterruptedException {
      Objects.requireNonNull(deadline, "deadline");
      return timedWait(Parking.nanosUntil(deadline), "awaitUntil()") > 0L;
    }

    /**
     * The timed waits: the interrupt, then the ownership, then a wait unless {@code nanos <= 0}.
     * Returns the time left when the wait ended (see {@link OwnedLock#awaitCondition}).
     */
    private long timedWait(long nanos, String method) throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      int s = lock.checkHeldByCaller(method);
      if (nanos <= 0L) {
        return nanos;
      }
      long left = lock.awaitCondition(waiters, this, s, true, Parking.deadlineAfter(nanos));
      if (left == INTERRUPTED_WAIT) {
        throw new InterruptedException();
      }
      return left;
    }

    @Override
    public void signal() {
      lock.checkHeldByCaller("signal()");
      int unused = waiters.transferTo(lock.queue(), false);
    }

    @Override
    public void signalAll() {
      lock.checkHeldByCaller("signalAll()");
      int unused = waiters.transferTo(lock.queue(), true);
    }

    /** The number of threads waiting on this condition (for tests and monitoring). */
    int waitQueueLength() {
      return waiters.size();
    }

    @Override
    public String toString() {
      return "Condition[" + waiters.size() + " waiting] of " + lock;
    }
  }

  private static final VarHandle STATE;
  private static final VarHandle QUEUE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(OwnedLock.class, "state", int.class);
      QUEUE = l.findVarHandle(OwnedLock.class, "queue", EntryQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
