package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What both semaphores of the library share: the permit count, the lazily created wait queue,
 * and the acquire and release paths in both fairness modes. {@link QueuedBinarySemaphore} and
 * {@link QueuedCountingSemaphore} differ only in their bound, their messages and their API.
 * Internal; not part of the API.
 */
abstract class QueuedSemaphore implements WaitQueue.Acquirer, WaitQueue.Granter {
  /* Implementation notes
   *
   * Words:
   *   permits  volatile int, through PERMITS: the count, at most maxPermits; below zero only
   *            for an unbounded semaphore created with a negative count.
   *   config   final int: bit 31 FIFO_BIT, the fairness mode; bits 0-30 MAX_MASK, maxPermits
   *            (1 for a binary semaphore, Integer.MAX_VALUE when unbounded). Folding the mode
   *            into the bound keeps the object at 24 bytes (see Footprint).
   *   queue    volatile WaitQueue, created by the first thread that has to wait, never replaced.
   *
   *   permits p | queue         | what an acquire(n), n >= 1, does      | what a release(k) does
   *   ----------+---------------+---------------------------------------+--------------------------
   *   p >= n    | empty / none  | one CAS p -> p - n                    | CAS p -> p + k
   *   p >= n    | waiting, FIFO | queues behind them (no overtaking)    | CAS, then grants in order
   *   p >= n    | waiting,      | CAS p -> p - n (barging); the head    | CAS, then signals the
   *             | BARGING       | was signalled by the release          | head (or hands off: below)
   *   p < n     | any           | queues and parks                      | as above
   *   p + k > max                                                       | throws, nothing changed
   *
   * Acquire: the fast path is one CAS when permits suffice (under FIFO only when nobody is
   * queued, as OwnedLock.tryAcquireArriving). Otherwise WaitQueue.acquire queues and
   * parks in shared mode, calling back tryAcquire(n) (a CAS loop that fails only when p < n, so
   * it is lock-free, and is safe with or without the queue lock). Shared mode: a waiter that
   * acquired signals the next head, so one release(k) serves several waiters in turn. acquire(0)
   * returns at once, whatever the count and the queue.
   *
   * Release, always: the bound check and the add are one CAS loop (p > max - k throws before any
   * write, so a rejected release changes nothing; max - k cannot overflow). Then the queue is
   * read: state write, then queue read, against the waiter's append, then re-check: no lost
   * wake-up (WaitQueue, note 3).
   *   - FIFO: WaitQueue.grantInOrder(this): under the queue lock, grant(node) takes node.arg
   *     permits with the same CAS as tryAcquire, head after head, and stops at the first head
   *     it cannot satisfy, so a large head request is not overtaken by smaller ones behind it.
   *     Permits released while the head waits for more stay in the count (availablePermits()
   *     shows them), so a head that times out or is interrupted takes none of them away; its
   *     cancellation signals the new head, which tries again.
   *   - BARGING: signal the head (WaitQueue.signalFirst); it competes with arriving threads.
   *   - BARGING with a head that has waited past WaitQueue.FAIRNESS_BOUND_NANOS (a parked head
   *     found due by WaitQueue.parkedHeadDue, or an awake one that asked, handOffRequest; note
   *     10 there), if this release with the count covers what the head waits for (for a head
   *     that asked; a parked one is simply tried): hand off, see below.
   *
   * The barging window, closed. If the hand-off to an overdue head added the permits first and
   * granted them afterwards, an arriving thread could take them in between (its CAS does not
   * look at the queue), and the same could happen at every later release: eventual fairness
   * would be a hope, not a bound. So the hand-off never publishes the released permits first:
   * under the queue lock, a HandOff granter carries the k permits being released and grants the
   * head with one CAS p -> p + k - arg when p + k >= arg (and p + k <= max: the release must be
   * legal at that point). The released permits go straight to the head; an arriving thread sees
   * either the count before the release or the count after the grant, never the permits in
   * between. Heads behind it are then granted from the count as long as it suffices. If p + k
   * is still short of the head's request (or nobody is queued any more), nothing has changed
   * yet and the release falls back to the ordinary add-then-signal path, whose bound check and
   * wake-up protocol are those above.
   *   What stays open, and is documented: under BARGING, a head that asks for more permits than
   *   one release plus the current count provides can still be overtaken by arriving threads
   *   that take the permits as they accumulate. Holding permits back for it would hide them
   *   from availablePermits() and cost a word checked on every fast path; FIFO is the mode for
   *   mixes of large and small requests under sustained load.
   *
   * Also known and shared with java.util.concurrent.Semaphore: under BARGING only the head is
   * woken by a release; a small request queued behind a head that cannot be satisfied waits for
   * a later release or for the head to leave (arriving threads may still take the permits).
   *
   * drainPermits: CAS p -> 0 (no CAS when p is already 0); it frees nothing, so wakes no one.
   *
   * Memory modes: every read of permits that decides anything is volatile and every write a CAS,
   * so a release (CAS) happens-before the acquire (CAS, or grant CAS + GRANTED status) that takes
   * its permits. config is final. queue is read volatile and published by CAS.
   *
   * Progress: release and the fast paths are lock-free (a CAS fails only when another thread
   * changed the count); the hand-off and the granting hold the queue lock for a few CASes.
   *
   * Footprint (64-bit JVM, compressed pointers): header 12 + permits 4 + config 4 + queue 4 = 24
   * bytes while uncontended, half of java.util.concurrent.Semaphore (48: the semaphore and its
   * Sync). The queue is lazy for that reason; it costs a null check on release and a CAS the
   * first time a thread waits.
   */

  static final int FIFO_BIT = Integer.MIN_VALUE;
  static final int MAX_MASK = Integer.MAX_VALUE;

  @SuppressWarnings("UnusedVariable") // read and written through PERMITS
  private volatile int permits;
  private final int config;
  private volatile @Nullable WaitQueue queue;

  /** Arguments already checked by the subclass: {@code permits <= maxPermits}, {@code maxPermits >= 0}. */
  QueuedSemaphore(int permits, int maxPermits, Fairness fairness) {
    Objects.requireNonNull(fairness, "fairness");
    this.config = maxPermits | (fairness == Fairness.FIFO ? FIFO_BIT : 0);
    this.permits = permits;
  }

  /** The exception for a release of {@code permits} that would exceed the bound. */
  abstract IllegalStateException overRelease(int permits, int available);

  /** The name used by {@link #toString()}. */
  abstract String kind();

  /** The state part of {@link #toString()}, e.g. "3 of 4 permits available". */
  abstract String describe(int available);

  // ---------------------------------------------------------------------------------------------
  // Acquire (permits >= 0 already checked)

  final void acquirePermits(int n) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (n != 0
        && !tryAcquireArriving(n)
        && await(n, true, WaitQueue.NO_DEADLINE) == WaitQueue.INTERRUPTED) {
      throw new InterruptedException();
    }
  }

  final void acquirePermitsUninterruptibly(int n) {
    if (n != 0 && !tryAcquireArriving(n)) {
      await(n, false, WaitQueue.NO_DEADLINE);
    }
  }

  final boolean tryAcquirePermits(int n, long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (n == 0 || tryAcquireArriving(n)) {
      return true;
    }
    if (nanos <= 0L) {
      return false;
    }
    int r = await(n, true, WaitQueue.deadlineAfter(nanos));
    if (r == WaitQueue.INTERRUPTED) {
      throw new InterruptedException();
    }
    return r == WaitQueue.ACQUIRED;
  }

  /**
   * Takes {@code permits} permits only if that many are available now; never waits, and may take
   * them ahead of queued threads under both fairness policies. Zero permits: {@code true} at once.
   *
   * <p>This is also the waiting core's callback ({@link WaitQueue.Acquirer}).
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @return {@code true} if the permits were taken; {@code false} otherwise
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  @Override
  public final boolean tryAcquire(int permits) {
    checkPermits(permits);
    return permits == 0 || take(permits);
  }

  /** Whether {@code n} permits are there now: the core's check before a spinning head re-tries. */
  @Override
  public final boolean mayAcquire(int n) {
    return getPermitsVolatile() >= n;
  }

  /** The arriving thread's attempt: under FIFO it does not overtake queued threads. */
  private boolean tryAcquireArriving(int n) {
    if (isFifo()) {
      WaitQueue q = queue;
      if (q != null && q.hasWaiters()) {
        return false;
      }
    }
    return take(n);
  }

  /** Takes {@code n >= 1} permits if the count allows it; retries only on a lost CAS. */
  private boolean take(int n) {
    for (;;) {
      int p = getPermitsVolatile();
      if (p < n) {
        return false;
      }
      if (casPermits(p, p - n)) {
        return true;
      }
    }
  }

  private int await(int n, boolean interruptible, long deadline) {
    return queue().acquire(this, this, n, isFifo(), true, interruptible, deadline);
  }

  // ---------------------------------------------------------------------------------------------
  // Release (permits >= 0 already checked)

  final void releasePermits(int n) {
    if (n == 0) {
      return;
    }
    WaitQueue q = queue;
    if (q != null && !isFifo()) {
      int request = q.handOffRequest();
      boolean due =
          request != 0 ? (long) getPermitsVolatile() + n >= request : q.parkedHeadDue();
      if (due && handOff(q, n)) {
        return;
      }
    }
    addPermits(n);
    if (q == null) {
      q = queue; // read after the add: see the implementation notes
    }
    if (q != null && q.hasWaiters()) {
      if (isFifo()) {
        q.grantInOrder(this);
      } else {
        q.signalFirst();
      }
    }
  }

  /** The bound check and the add, in one CAS loop; throws with nothing changed. */
  private void addPermits(int n) {
    int max = maxPermitsOf(config);
    for (;;) {
      int p = getPermitsVolatile();
      if (p > max - n) {
        throw overRelease(n, p);
      }
      if (casPermits(p, p + n)) {
        return;
      }
    }
  }

  /**
   * BARGING with an overdue head: grants the {@code n} permits being released directly to the
   * head if they (with the count) satisfy it. Returns false, having changed nothing, otherwise.
   */
  private boolean handOff(WaitQueue q, int n) {
    HandOff g = new HandOff(this, n);
    q.grantInOrder(g);
    return g.carry == 0;
  }

  /** FIFO granting (under the queue lock): takes the head's permits from the count if it can. */
  @Override
  public final boolean grant(WaitQueue.Node node) {
    return take(node.arg);
  }

  /** Not used: semaphores never call {@link WaitQueue#handOff}. */
  @Override
  public final void releaseUnqueued() {}

  /**
   * The granter of a hand-off to an overdue head: carries the permits being released until one
   * CAS gives them (with what the count lacks) to the head. Used under the queue lock only.
   */
  private static final class HandOff implements WaitQueue.Granter {
    private final QueuedSemaphore sem;
    int carry;

    HandOff(QueuedSemaphore sem, int carry) {
      this.sem = sem;
      this.carry = carry;
    }

    @Override
    public boolean grant(WaitQueue.Node node) {
      if (carry == 0) {
        return sem.take(node.arg);
      }
      long max = maxPermitsOf(sem.config);
      for (;;) {
        int p = sem.getPermitsVolatile();
        long after = (long) p + carry;
        if (after > max || after < node.arg) {
          return false; // an illegal release, or not enough: the ordinary path decides
        }
        if (sem.casPermits(p, (int) (after - node.arg))) {
          carry = 0;
          return true;
        }
      }
    }

    @Override
    public void releaseUnqueued() {}
  }

  // ---------------------------------------------------------------------------------------------
  // Queries and the rest

  final int drain() {
    for (;;) {
      int p = getPermitsVolatile();
      if (p == 0 || casPermits(p, 0)) {
        return p;
      }
    }
  }

  final int available() {
    return getPermitsVolatile();
  }

  final int bound() {
    return maxPermitsOf(config);
  }

  public final boolean hasQueuedThreads() {
    WaitQueue q = queue;
    return q != null && q.hasWaiters();
  }

  public final int getQueueLength() {
    WaitQueue q = queue;
    return q == null ? 0 : q.size();
  }

  public final Fairness fairness() {
    return isFifo() ? Fairness.FIFO : Fairness.BARGING;
  }

  private boolean isFifo() {
    return (config & FIFO_BIT) != 0;
  }

  private static int maxPermitsOf(int config) {
    return config & MAX_MASK;
  }

  static void checkPermits(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: " + permits);
    }
  }

  @Override
  public String toString() {
    return kind()
        + '@'
        + Integer.toHexString(System.identityHashCode(this))
        + '['
        + describe(available())
        + ", "
        + getQueueLength()
        + " queued, "
        + fairness()
        + ']';
  }

  /** The queue, created on first use; it is never replaced. */
  private WaitQueue queue() {
    WaitQueue q = queue;
    if (q == null) {
      q = new WaitQueue();
      if (!QUEUE.compareAndSet(this, null, q)) {
        q = Objects.requireNonNull(queue);
      }
    }
    return q;
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors, named by memory mode

  private int getPermitsVolatile() {
    return (int) PERMITS.getVolatile(this);
  }

  private boolean casPermits(int expected, int value) {
    return PERMITS.compareAndSet(this, expected, value);
  }

  // ---------------------------------------------------------------------------------------------

  /** The handle returned by {@code acquired()}: releases its permits once, from any thread. */
  static final class Handle implements Held {
    private final QueuedSemaphore sem;
    private final int permits;
    private boolean closed;

    Handle(QueuedSemaphore sem, int permits) {
      this.sem = sem;
      this.permits = permits;
    }

    @Override
    public void close() {
      if (closed) {
        throw new IllegalStateException("this handle of " + sem + " is already closed");
      }
      sem.releasePermits(permits);
      closed = true;
    }
  }

  private static final VarHandle PERMITS;
  private static final VarHandle QUEUE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PERMITS = l.findVarHandle(QueuedSemaphore.class, "permits", int.class);
      QUEUE = l.findVarHandle(QueuedSemaphore.class, "queue", WaitQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
