package dev.syncprims.impl;

import dev.syncprims.Fairness;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What both semaphores of the library share: the permit count, the lazily created wait queue,
 * and the acquire and release paths in both fairness modes. {@link QueuedBinarySemaphore} and
 * {@link QueuedCountingSemaphore} differ only in their bound, their messages and their API.
 * Internal; not part of the API.
 */
abstract class QueuedSemaphore {
  /* Implementation notes
   *
   * Words:
   *   permits  volatile int, through PERMITS: the count, at most maxPermits; below zero only
   *            for an unbounded semaphore created with a negative count.
   *   config   final int: bit 31 FIFO_BIT, the fairness mode; bits 0-30 MAX_MASK, maxPermits
   *            (1 for a binary semaphore, Integer.MAX_VALUE when unbounded). Folding the mode
   *            into the bound keeps the object at 24 bytes (see Footprint).
   *   queue    volatile EntryQueue, created by the first thread that has to wait, never replaced.
   *
   *   permits p | queue           | what an acquire(n), n >= 1, does     | what a release(k) does
   *   ----------+-----------------+--------------------------------------+-------------------------------
   *   p >= n    | empty / none    | one CAS p -> p - n                   | CAS p -> p + k
   *   any       | waiting, FIFO   | queues behind them (no overtaking)   | hands off under the queue lock
   *   p >= n    | waiting,        | CAS p -> p - n (barging); the head   | CAS, then signals the head
   *             | BARGING         | was signalled by the release         |
   *   any       | BARGING, head   | queues (the head is served first)    | hands off if p + k covers
   *             | asked (overdue) |                                      | the request, else CAS p -> p + k
   *   p < n     | any             | queues and parks                     | as above
   *   count + k > max, after serving the heads the count alone covers     | throws, nothing changed
   *
   * The waiting core's callbacks live on Sync, a private object created with the queue, so that
   * nothing reachable from the public classes can take or add permits around the checks.
   *
   * Acquire: the fast path is one CAS when permits suffice and the queue's policy lets an arrival
   * take them (FIFO: nobody queued; BARGING: the head has not asked for a hand-off). Otherwise the
   * entry queue queues and parks in shared mode, calling back Sync.tryAcquire(n) (a CAS loop that
   * fails only when p < n: lock-free, safe with or without the queue lock). Shared mode: a waiter
   * that acquired signals the next head, so one release(k) serves several waiters in turn.
   * acquire(0) returns at once, whatever the count and the queue.
   *
   * Release: a direct hand-off whenever the policy says so (FIFO: anybody queued; BARGING: the
   * head is overdue, see BargingEntryQueue). Sync.grant then does the whole release in one CAS,
   * under the queue lock: it walks the queue from the head, giving the k released permits plus the
   * count to each head they cover, stops at the first one they do not (so a large request at the
   * head is not overtaken by smaller ones behind it), and writes the count that is left. The bound
   * is checked as of just before the release: the heads that the count alone covers are served
   * first (they could have taken their permits already), and what is left of the count plus k
   * must not exceed maxPermits, else it throws before any write (nothing changed). A release of
   * permits that nobody holds is so rejected even when a waiter would have absorbed it.
   * The released permits never sit in the count where an arriving thread or a second release
   * could see them "available" before the head gets them: a second release racing the first sees
   * either the count before it or the count after the grant. (An earlier version added first and
   * granted second; a concurrent release of a binary semaphore then saw the permit available and
   * was rejected as a double release.)
   *   - FIFO: the walk always completes the release: heads covered are granted, the rest goes to
   *     the count. Permits released while the head waits for more stay counted
   *     (availablePermits() shows them), so a head that times out or is interrupted takes none
   *     away; its cancellation signals the new head, which tries again.
   *   - BARGING: if the walk covers nobody, nothing has changed, and the release falls back to the
   *     ordinary path: the bound check and the add in one CAS loop, then the head is signalled and
   *     competes with arriving threads.
   * The lock-free add is also the path of a release that finds no queue, or no waiter (FIFO). It
   * reads the queue again after its CAS: a waiter that queued in between either saw the permits
   * in its re-check under the queue lock, or is served by handOff(0) (FIFO) or signalled
   * (BARGING) here: state write, then queue read, against append, then re-check (EntryQueue,
   * note 1).
   *
   * Also known and shared with java.util.concurrent.Semaphore: under BARGING only the head is
   * woken by a release; a small request queued behind a head that cannot be satisfied waits for a
   * later release or for the head to leave.
   *
   * drainPermits: CAS p -> 0 (no CAS when p is already 0); it frees nothing, so wakes no one.
   *
   * Memory modes: every read of permits that decides anything is volatile and every write a CAS,
   * so a release (CAS) happens-before the acquire (CAS, or grant CAS + GRANTED status) that takes
   * its permits. config is final. queue is read volatile and published by CAS.
   *
   * Progress: the fast paths and the lock-free release are lock-free (a CAS fails only when
   * another thread changed the count); the hand-off holds the queue lock for one walk and a CAS.
   *
   * Footprint (64-bit JVM, compressed pointers): header 12 + permits 4 + config 4 + queue 4 = 24
   * bytes while uncontended, half of java.util.concurrent.Semaphore (48: the semaphore and its
   * Sync). The queue is lazy for that reason.
   */

  static final int FIFO_BIT = Integer.MIN_VALUE;
  static final int MAX_MASK = Integer.MAX_VALUE;

  @SuppressWarnings("UnusedVariable") // read and written through PERMITS
  private volatile int permits;
  private final int config;
  private volatile @Nullable EntryQueue queue;

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
        && await(n, true, Parking.NO_DEADLINE) == Parking.INTERRUPTED) {
      throw new InterruptedException();
    }
    if (DeadlockDetection.ENABLED) {
      tookPermits(n);
    }
  }

  final void acquirePermitsUninterruptibly(int n) {
    if (n != 0 && !tryAcquireArriving(n)) {
      int unused = await(n, false, Parking.NO_DEADLINE);
    }
    if (DeadlockDetection.ENABLED) {
      tookPermits(n);
    }
  }

  final boolean tryAcquirePermits(int n, long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (n == 0 || tryAcquireArriving(n)) {
      if (DeadlockDetection.ENABLED) {
        tookPermits(n);
      }
      return true;
    }
    if (nanos <= 0L) {
      return false;
    }
    int r = await(n, true, Parking.deadlineAfter(nanos));
    if (r == Parking.INTERRUPTED) {
      throw new InterruptedException();
    }
    if (r != Parking.ACQUIRED) {
      return false;
    }
    if (DeadlockDetection.ENABLED) {
      tookPermits(n);
    }
    return true;
  }

  /**
   * Takes {@code permits} permits only if that many are available now; never waits, and may take
   * them ahead of queued threads under both fairness policies (the untimed try-methods).
   */
  final boolean tryAcquireBarging(int permits) {
    if (!take(permits)) {
      return false;
    }
    if (DeadlockDetection.ENABLED) {
      tookPermits(permits);
    }
    return true;
  }

  /** The arriving thread's attempt: it does not take what the queue's policy keeps for waiters. */
  private boolean tryAcquireArriving(int n) {
    EntryQueue q = queue;
    if (q != null && !q.arrivalMayTake()) {
      return false;
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
    return queue().acquire(n, interruptible, deadline);
  }

  // ---------------------------------------------------------------------------------------------
  // Release (permits >= 0 already checked)

  final void releasePermits(int n) {
    if (n == 0) {
      return;
    }
    releaseCounted(n);
    if (DeadlockDetection.ENABLED) {
      releasedPermits(n);
    }
  }

  private void releaseCounted(int n) {
    EntryQueue q = queue;
    if (q != null && q.handOffDue(n, getPermitsVolatile()) && (q.handOff(n) > 0 || isFifo())) {
      return; // Sync.grant did the whole release under the queue lock (or threw, changing nothing)
    }
    addPermits(n);
    if (q == null) {
      q = queue; // read after the add: see the implementation notes
    }
    if (q != null && q.hasWaiters()) {
      if (isFifo()) {
        int unused = q.handOff(0); // a waiter queued meanwhile: serve it from the count, in order
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

  /** Takes and gives permits for the entry queue; created with the queue. */
  private final class Sync implements EntryQueue.Acquirer, EntryQueue.Granter {
    /** Permits taken and not yet released, per thread, while deadlock detection is on. */
    final @Nullable ConcurrentHashMap<Thread, HeldCount> holders =
        DeadlockDetection.ENABLED ? new ConcurrentHashMap<>() : null;

    @Override
    public boolean tryAcquire(int n) {
      return take(n);
    }

    @Override
    public boolean mayAcquire(int n) {
      return getPermitsVolatile() >= n;
    }

    /**
     * Under the queue lock: the release of {@code units} permits as a hand-off (see the
     * implementation notes). Gives them, with the count, to the heads they cover, in order, and
     * leaves the rest in the count, in one CAS; returns the number of heads served. Under BARGING,
     * when nobody is covered, changes nothing and returns 0.
     *
     * <p>The bound is checked as of the moment just before this release: heads that the count
     * alone covers could have taken their permits already (they are served first), and what is
     * left of the count plus the released permits must not exceed the bound. Otherwise it throws,
     * having changed nothing. So a release of permits that nobody took is rejected whether or not
     * a waiter would absorb it, and two releases racing one queued waiter both succeed.
     */
    @Override
    public int grant(@Nullable WaitNode first, int units) {
      long max = maxPermitsOf(config);
      for (;;) {
        int p = getPermitsVolatile();
        long left = p;
        int served = 0;
        WaitNode h = first;
        for (; h != null && left >= h.arg; h = h.next()) { // covered by the count alone
          left -= h.arg;
          served++;
        }
        if (left + units > max) {
          throw overRelease(units, p);
        }
        left += units;
        for (; h != null && left >= h.arg; h = h.next()) { // covered with the released permits
          left -= h.arg;
          served++;
        }
        if (served == 0 && (units == 0 || !isFifo())) {
          return 0;
        }
        if (casPermits(p, (int) left)) {
          return served;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Queries and the rest

  final int drain() {
    for (;;) {
      int p = getPermitsVolatile();
      if (p == 0 || casPermits(p, 0)) {
        if (DeadlockDetection.ENABLED) {
          tookPermits(p);
        }
        return p;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Holders, recorded only while deadlock detection is on (for Deadlocks.find)

  /**
   * One thread's count of permits taken and not given back, in one semaphore. Written only by its
   * thread (a volatile read and write, no CAS: one writer), read by Deadlocks.find().
   */
  static final class HeldCount {
    volatile long permits;
  }

  /**
   * Counts {@code n} permits taken by the calling thread. The map lookup finds the thread's own
   * counter (created on its first acquire of this semaphore and kept, so that an acquire and
   * release pair allocates nothing). If creating the counter fails (an OutOfMemoryError), the
   * permits go back before the error propagates: the caller, who sees the error, does not know it
   * holds them.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the counter's own thread
  private void tookPermits(int n) {
    if (n <= 0) {
      return;
    }
    HeldCount c;
    try {
      c = heldCount(Thread.currentThread());
    } catch (RuntimeException | Error e) {
      releaseCounted(n);
      throw e;
    }
    c.permits = c.permits + n;
  }

  /**
   * Counts {@code n} permits given back by the calling thread, never below zero. A thread that
   * releases more than it took (permits taken by another thread, a producer's signal) takes
   * nobody else's count: whoever took them stays recorded, which is why a cycle through a
   * semaphore is only suspected.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the counter's own thread
  private void releasedPermits(int n) {
    HeldCount c = holders().get(Thread.currentThread());
    if (c != null) {
      c.permits = Math.max(0L, c.permits - n);
    }
  }

  private HeldCount heldCount(Thread t) {
    ConcurrentHashMap<Thread, HeldCount> h = holders();
    HeldCount c = h.get(t);
    return c != null ? c : h.computeIfAbsent(t, k -> new HeldCount());
  }

  private ConcurrentHashMap<Thread, HeldCount> holders() {
    ConcurrentHashMap<Thread, HeldCount> h = ((Sync) queue().acquirer).holders;
    if (h == null) {
      throw new AssertionError("holders are recorded only while deadlock detection is on");
    }
    return h;
  }

  /**
   * The threads that took permits and have not released as many, as recorded while deadlock
   * detection is on; empty when it is off. Forgets, on the way, the counters of threads that
   * have ended holding nothing.
   */
  final List<Thread> recordedHolders() {
    EntryQueue q = queue;
    if (!DeadlockDetection.ENABLED || q == null) {
      return List.of();
    }
    ConcurrentHashMap<Thread, HeldCount> h = ((Sync) q.acquirer).holders;
    if (h == null) {
      return List.of();
    }
    List<Thread> holding = new ArrayList<>();
    for (Map.Entry<Thread, HeldCount> e : h.entrySet()) {
      if (e.getValue().permits > 0) {
        holding.add(e.getKey());
      } else if (!e.getKey().isAlive()) {
        h.remove(e.getKey(), e.getValue());
      }
    }
    return holding;
  }

  final int available() {
    return getPermitsVolatile();
  }

  final int bound() {
    return maxPermitsOf(config);
  }

  public final boolean hasQueuedThreads() {
    EntryQueue q = queue;
    return q != null && q.hasWaiters();
  }

  public final int getQueueLength() {
    EntryQueue q = queue;
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

  /** The queue, created (with its Sync) on first use; it is never replaced. */
  private EntryQueue queue() {
    EntryQueue q = queue;
    if (q == null) {
      Sync sync = new Sync();
      q = EntryQueue.create(isFifo(), true, maxPermitsOf(config), sync, sync, this);
      if (QUEUE.compareAndSet(this, null, q)) {
        Deadlocks.register(q);
      } else {
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

  private static final VarHandle PERMITS;
  private static final VarHandle QUEUE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PERMITS = l.findVarHandle(QueuedSemaphore.class, "permits", int.class);
      QUEUE = l.findVarHandle(QueuedSemaphore.class, "queue", EntryQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
