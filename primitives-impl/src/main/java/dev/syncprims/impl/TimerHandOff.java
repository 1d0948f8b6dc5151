package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The hand-over between the threads that schedule and cancel on a {@link WheelTimer} and its
 * worker ({@link TimerWorker}): the stripes (each a slot holding the newest entry scheduled on
 * it and a queue for the entries that slot passes on), the queue of entries cancelled while
 * linked in the wheel, the per-stripe cancel counters, and the park/wake protocol by which a
 * scheduler wakes a sleeping worker only when its entry is due before the worker would wake.
 *
 * <p>Thread-safety, method by method: {@link #stripe()}, {@link #publish}, {@link #offer},
 * {@link #offerCancelled}, {@link #countCancel()}, {@link #wakeWorkerBefore}, {@link
 * #holdBackIfFlooded} and the reads ({@link #slot}, {@link #cancelledCount()}) may be called by
 * any thread, lock-free. {@link #scheduled(int)}'s and {@link #cancelled()}'s consumer side
 * ({@code poll}, {@code isEmpty}, {@code hasStalledOffer}), {@link #setWorker}, {@link
 * #announceSleep} and {@link #awake()} belong to the worker thread alone (or to the thread that
 * takes its place for good when it could not be started).
 */
final class TimerHandOff {

  /* Implementation notes
   *
   * Stripes. Other threads hand new timeouts to the worker through stripes, one chosen by a
   *   Fibonacci hash of the scheduling thread's id: each stripe has a slot (the newest entry
   *   scheduled on it) and an MPSC queue of linked nodes (HandOffQueue), `scheduled[stripe]`,
   *   for the entries the slot passes on. Timeouts cancelled while linked go to the worker
   *   through one more such queue, `cancelled`, so that it unlinks them. An offer allocates its
   *   node before it writes anything shared, so an OutOfMemoryError there loses nothing and
   *   leaves the queue working; offer and poll are wait-free, and poll never waits for a
   *   producer that has claimed its place and not yet linked its entry (hasStalledOffer() tells
   *   the worker to come back for it soon).
   *
   * The slots. Most timeouts are cancelled soon after they are scheduled (they guard requests
   *   that finish in time), and a timeout that the worker never sees costs it nothing. So a
   *   schedule() does not offer its entry to a queue: it makes it the newest entry of its
   *   stripe's slot (publish(), a CAS that displaces the previous newest one), and only if that
   *   displaced entry is still QUEUED does it offer it to the stripe's queue. The displaced
   *   entry is usually the thread's own previous timeout, cancelled by now, so the common life
   *   of a timeout costs one CAS on a cache line that the thread already holds, and the worker
   *   is not involved at all.
   *   The worker takes an entry from a slot the same way as from a queue (if it is QUEUED it
   *   links or fires it; otherwise it drops it) and leaves it in the slot. Since the displacer
   *   reads QUEUED and then offers, it may offer an entry that the worker has just taken from
   *   the slot; the worker then finds it in the queue no longer QUEUED and drops it again.
   *   Exactly one of them ever moves an entry out of QUEUED, by a CAS, so an entry is linked or
   *   fired once, and every QUEUED entry is in a slot or in a queue (or in the hands of a
   *   displacer that is about to offer it), so none is lost.
   *   A cancelled entry stays in its slot until it is displaced, without its task, and the
   *   worker's view of the slots (TimerWorker.seen) may hold the one before: at most two small
   *   nodes per stripe.
   *
   * The park/wake race. The worker publishes in `sleepTarget` what it will sleep until
   *   (announceSleep), then re-checks the queues and the slots, then parks. The target is
   *   NO_WORK when it parks without a timeout; when it sleeps until tick T, it is the latest
   *   deadline offset (deadline - startNanos) that is due before T, so that a scheduler compares
   *   its own offset with it without dividing by the tick. A scheduler publishes its entry (and
   *   offers the one it displaced), then reads `sleepTarget` (wakeWorkerBefore); if the earlier
   *   of the two deadline offsets is at or below the target (due before the worker wakes), it
   *   CASes the target to AWAKE and unparks the worker. Both sides write, then read the other
   *   side's variable (volatile CAS or store, then volatile load): at least one sees the other,
   *   so either the worker finds the entry and does not park, or the scheduler sees the target
   *   and unparks it (an unpark before the park makes the park return at once). The CAS to
   *   AWAKE means one unpark per sleep, however many schedulers race. A scheduler whose
   *   deadline is after the target does not wake the worker: the worker looks at the slots and
   *   the queues when it wakes for that tick.
   *   So that a sleeping worker does not let the queues grow without bound (schedules far in
   *   the future, cancels), an offer that leaves BACKLOG entries or more in a queue wakes it
   *   too (the same protocol; the worker's re-check covers every queue). The size is read only
   *   when the worker sleeps, which keeps schedulers off the consumer's cache line otherwise.
   *
   * Back-pressure. The worker is one thread; schedulers may be many, and with more of them
   *   than processors the worker may get too little processor time to keep up, and its queues
   *   grow without bound. So once every BACKPRESSURE_PERIOD offers to a queue, the scheduler
   *   reads the queue's size (only then), and if the worker is HIGH_WATER entries behind, it
   *   wakes the worker and parks for HOLD_BACK_NANOS, once: a bounded pause that gives the
   *   worker a processor, never a wait for it. The worker itself (a task that schedules) never
   *   pauses. (docs/benchmarks.md lists the measurement that decides whether this is still
   *   needed now that most entries never reach a queue.)
   *
   * Memory modes. The slots are read with getAcquire or getVolatile and written by
   *   compareAndExchange; an entry's seq and task are plain, written before the slot's CAS
   *   publishes it. The cancel counters use getAndAdd and getVolatile. `sleepTarget` is read and
   *   written in volatile mode (a plain volatile field) and CASed through SLEEP_TARGET; `worker`
   *   is a plain volatile field. A scheduler that offered must fence before it reads
   *   `sleepTarget` (see WheelTimer's "The close/schedule race"): the offer's last store is a
   *   release store, which a later load may overtake.
   *
   * Progress: every method but holdBackIfFlooded is lock-free (CAS loops on a slot and on
   *   `sleepTarget`; wait-free offers); holdBackIfFlooded parks for a bounded time at most.
   */

  /** sleepTarget: the worker is awake and will look at the queues before it parks again. */
  static final long AWAKE = Long.MIN_VALUE;
  /** sleepTarget: the worker parks until it is unparked. */
  static final long NO_WORK = Long.MAX_VALUE;
  /** A deadline offset below any sleep target: wakes a sleeping worker unconditionally. */
  static final long NOW = -1;
  /** A queue holding this many entries wakes a sleeping worker. */
  static final int BACKLOG = 4096;
  /** Back-pressure: how far behind the worker may fall on one queue before schedulers pause. */
  private static final int HIGH_WATER = 4 * BACKLOG;
  /** Back-pressure is checked once per this many offers to a queue (a power of two). */
  private static final int BACKPRESSURE_PERIOD = 1024;
  /** How long a scheduler pauses when the worker is HIGH_WATER entries behind. */
  private static final long HOLD_BACK_NANOS = 50_000L;
  /** The most stripes. */
  static final int MAX_STRIPES = 64;
  /** Fibonacci hashing of thread ids onto stripes: 2^64 divided by the golden ratio. */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  /** Distance between two slots in `slots`: 128 bytes or more, two cache lines. */
  private static final int SLOT_STRIDE = 32;
  /** Distance between two counters in `stripeCancels`: 128 bytes. */
  private static final int COUNT_STRIDE = 16;

  private final HandOffQueue<TimerEntry>[] scheduled;
  /** 64 - log2(scheduled.length): the top bits of a hashed thread id choose its stripe. */
  private final int stripeShift;
  private final HandOffQueue<TimerEntry> cancelled;
  /**
   * The newest entry scheduled on each stripe, at index (stripe + 1) * SLOT_STRIDE so that each
   * stripe's slot has its own cache lines; see "The slots".
   */
  private final TimerEntry[] slots;
  /**
   * The timeouts and periodic schedules cancelled so far by the threads of each stripe, at
   * index (stripe + 1) * COUNT_STRIDE, each on its own cache line.
   */
  private final long[] stripeCancels;

  /** What the worker sleeps until, as a deadline offset, or AWAKE; see "The park/wake race". */
  private volatile long sleepTarget = AWAKE;
  /** The thread running the worker loop, once it has started; written by that thread. */
  private volatile @Nullable Thread worker;

  /**
   * A hand-over with {@code stripes} stripes (a power of two), whose slots start out holding
   * {@code none}, a finished entry; the hooks are passed to the queues (tests only, else null).
   */
  TimerHandOff(
      int stripes,
      TimerEntry none,
      @Nullable Runnable beforeQueueNode,
      @Nullable Runnable afterQueueClaim) {
    if (stripes < 1 || stripes > MAX_STRIPES || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException(
          "stripes must be a power of two from 1 to " + MAX_STRIPES + ": " + stripes);
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    HandOffQueue<TimerEntry>[] queues = new HandOffQueue[stripes];
    for (int i = 0; i < stripes; i++) {
      queues[i] = new HandOffQueue<>(beforeQueueNode, afterQueueClaim);
    }
    this.scheduled = queues;
    this.stripeShift = 64 - Integer.numberOfTrailingZeros(stripes);
    this.cancelled = new HandOffQueue<>(beforeQueueNode, afterQueueClaim);
    this.slots = new TimerEntry[(stripes + 1) * SLOT_STRIDE];
    for (int i = 0; i < stripes; i++) {
      slots[slotIndex(i)] = none;
    }
    this.stripeCancels = new long[(stripes + 1) * COUNT_STRIDE];
  }

  /**
   * The number of stripes for {@code cpus} processors: a power of two, eight per processor (the
   * count rounded up to a power of two) up to MAX_STRIPES, and one when there is a single
   * processor (threads then take turns rather than run at once). Two threads that share a stripe
   * displace each other's newest timeouts from its slot, still pending, into the queue, which
   * costs the worker a visit per timeout; with more threads than processors, as is common, four
   * stripes per processor were not enough: on 2 processors with 8 scheduling threads, 8 stripes
   * gave 2.8x ScheduledThreadPoolExecutor's schedule-then-cancel throughput, 16 gave 3.5x
   * (docs/benchmarks.md).
   */
  static int stripeCount(int cpus) {
    if (cpus <= 1) {
      return 1;
    }
    return Math.min(MAX_STRIPES, Integer.highestOneBit(cpus - 1) << 4);
  }

  /** The number of stripes. */
  int stripes() {
    return scheduled.length;
  }

  /** The stripe of the calling thread. */
  int stripe() {
    if (scheduled.length == 1) {
      return 0;
    }
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    long id = Thread.currentThread().getId();
    return (int) ((id * GOLDEN) >>> stripeShift);
  }

  // ---------------------------------------------------------------- schedulers (any thread)

  /**
   * Makes {@code e} the newest entry of the slot of {@code stripe} and numbers it (its seq is
   * one more than that of the entry it displaces); returns the entry it displaced.
   */
  @SuppressWarnings("ReferenceEquality") // identity: the CAS witness is the same entry or another
  TimerEntry publish(int stripe, TimerEntry e) {
    int index = slotIndex(stripe);
    TimerEntry old = (TimerEntry) SLOTS.getAcquire(slots, index);
    for (;;) {
      e.seq = old.seq + 1; // plain: published by the CAS below
      TimerEntry witness = (TimerEntry) SLOTS.compareAndExchange(slots, index, old, e);
      if (witness == old) {
        return old;
      }
      old = witness;
    }
  }

  /** The newest entry scheduled on {@code stripe}. */
  TimerEntry slot(int stripe) {
    return (TimerEntry) SLOTS.getVolatile(slots, slotIndex(stripe));
  }

  /**
   * Offers {@code e}, a QUEUED entry, to the queue of {@code stripe}. If allocating its node
   * throws, the exception propagates and nothing was queued.
   *
   * @return the number of offers to that queue so far, this one included
   */
  long offer(int stripe, TimerEntry e) {
    return scheduled[stripe].offer(e);
  }

  /**
   * Whether the queue of {@code stripe} holds so many entries that a sleeping worker should be
   * woken for them; false while the worker is awake (it drains the queues before it sleeps).
   */
  boolean backlogged(int stripe) {
    return sleepTarget != AWAKE && scheduled[stripe].size() >= BACKLOG;
  }

  /**
   * Back-pressure, after the offer numbered {@code offers} to the queue of {@code stripe}:
   * checked once every BACKPRESSURE_PERIOD offers; if the worker has fallen HIGH_WATER entries
   * behind on that queue, the calling thread (unless it is the worker) wakes the worker and
   * pauses once, for HOLD_BACK_NANOS.
   */
  void holdBackIfFlooded(int stripe, long offers) {
    if ((offers & (BACKPRESSURE_PERIOD - 1)) != 0) {
      return;
    }
    if (scheduled[stripe].size() >= HIGH_WATER && Thread.currentThread() != worker) {
      wakeWorkerBefore(NOW);
      LockSupport.parkNanos(this, HOLD_BACK_NANOS);
    }
  }

  /**
   * Passes {@code e}, cancelled while linked in the wheel, to the worker, which unlinks it. If
   * the node cannot be allocated, nothing is lost: the entry, cancelled and without its task,
   * stays linked until the worker reaches its bucket.
   */
  void offerCancelled(TimerEntry e) {
    try {
      cancelled.offer(e);
    } catch (OutOfMemoryError noNode) {
      return;
    }
    if (sleepTarget != AWAKE && cancelled.size() >= BACKLOG) {
      wakeWorkerBefore(NOW);
    }
  }

  /** Counts one cancellation on the calling thread's stripe. */
  void countCancel() {
    COUNTS.getAndAdd(stripeCancels, countIndex(stripe()), 1L);
  }

  /** The sum of the stripes' cancel counters. */
  long cancelledCount() {
    long n = 0;
    for (int i = 0; i < scheduled.length; i++) {
      n += (long) COUNTS.getVolatile(stripeCancels, countIndex(i));
    }
    return n;
  }

  /**
   * Unparks the worker if it sleeps past the tick at which deadline offset {@code due} is due,
   * once per sleep; see "The park/wake race".
   */
  void wakeWorkerBefore(long due) {
    for (;;) {
      long target = sleepTarget;
      if (due > target) {
        return; // awake (AWAKE is the smallest long), or it wakes in time anyway
      }
      if (casSleepTarget(target, AWAKE)) {
        LockSupport.unpark(worker);
        return;
      }
    }
  }

  /** Unparks the worker, whatever it sleeps until (close()). */
  void unparkWorker() {
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  // ---------------------------------------------------------------- the worker's side

  /** Called by the worker thread first: the thread that schedulers unpark. */
  void setWorker(Thread w) {
    worker = w;
  }

  /** The queue of {@code stripe}; only the worker polls it. */
  HandOffQueue<TimerEntry> scheduled(int stripe) {
    return scheduled[stripe];
  }

  /** The queue of entries cancelled while linked; only the worker polls it. */
  HandOffQueue<TimerEntry> cancelled() {
    return cancelled;
  }

  /** Whether the cancelled queue holds so many entries that the worker should not sleep. */
  boolean cancelledBacklog() {
    return cancelled.size() >= BACKLOG;
  }

  /**
   * The worker announces that it will sleep until deadline offset {@code target} (NO_WORK:
   * until unparked); it must re-check the queues and the slots after this, before it parks.
   */
  void announceSleep(long target) {
    sleepTarget = target;
  }

  /** The worker is awake again: schedulers need not unpark it. */
  void awake() {
    sleepTarget = AWAKE;
  }

  // ---------------------------------------------------------------- indexing and accessors

  /** The index of the slot of {@code stripe} in `slots`. */
  private static int slotIndex(int stripe) {
    return (stripe + 1) * SLOT_STRIDE;
  }

  /** The index of the cancel counter of {@code stripe} in `stripeCancels`. */
  private static int countIndex(int stripe) {
    return (stripe + 1) * COUNT_STRIDE;
  }

  private boolean casSleepTarget(long expected, long t) {
    return SLEEP_TARGET.compareAndSet(this, expected, t);
  }

  private static final VarHandle SLEEP_TARGET;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(TimerEntry[].class);
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    try {
      SLEEP_TARGET =
          MethodHandles.lookup().findVarHandle(TimerHandOff.class, "sleepTarget", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
