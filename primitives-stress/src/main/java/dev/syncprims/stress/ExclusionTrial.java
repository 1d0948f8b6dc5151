package dev.syncprims.stress;

import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * One trial of a mutual-exclusion test, shared by the test classes of every lock and fairness
 * (jcstress test classes may not inherit, so they hold one of these).
 *
 * <p>Each of two actors acquires the lock, runs a critical section that a second thread inside
 * the lock would break, and releases it. What varies from trial to trial is chosen at random when
 * the trial is created, so that one test class covers all of it:
 *
 * <ul>
 *   <li>the {@linkplain Acquire acquire method} of each actor: 16 ordered pairs of {@code lock},
 *       {@code lockInterruptibly}, a {@code tryLock} loop and a timed {@code tryLock} loop;
 *   <li>for a reentrant lock, the method each actor uses to lock again while holding it;
 *   <li>how long a holder stays inside: no time (the waiter takes the lock while it spins), about
 *       the length of the waiting core's spin (the waiter queues just as the lock is freed), or
 *       longer (the waiter parks, and under FIFO the unlock hands the lock to it).
 * </ul>
 *
 * The actors meet at a bounded rendezvous before they lock, so that they reach the lock together
 * in most trials instead of drifting apart over a stride of trials.
 *
 * <p>The critical section is a read-modify-write of {@code x} followed by {@code y = x}, on plain
 * fields: after both actors {@code (x, y)} is {@code (2, 2)}; a lost update shows as {@code (1,
 * 1)}, an overlap in which one actor's write of {@code y} lands last as {@code (2, 1)}. The arbiter
 * also checks that the lock is free, that nobody is queued, and (reentrant locks) that every hold
 * count the actors saw was exact; if not, it reports {@code y} as {@code -1}.
 */
final class ExclusionTrial {
  /** About the length of the waiting core's spin before it queues. */
  private static final long SHORT_HOLD_NANOS = 2_000L;
  /** Longer than the spin: the waiter queues and parks. */
  private static final long LONG_HOLD_NANOS = 20_000L;
  /** How long an actor waits for the other at the rendezvous. */
  private static final long RENDEZVOUS_NANOS = 100_000L;

  private final Lock lock;
  private final BooleanSupplier hasQueuedThreads;
  /** The caller's hold count, for a reentrant lock; null for a non-reentrant one. */
  private final @Nullable IntSupplier holdCount;
  private final Acquire outer1;
  private final Acquire outer2;
  private final Acquire inner1;
  private final Acquire inner2;
  private final long holdNanos;

  private volatile boolean arrived1;
  private volatile boolean arrived2;
  /** Each written by one actor, read by the arbiter after both. */
  private boolean holdCountsWrong1;
  private boolean holdCountsWrong2;
  /** Guarded by {@code lock} (taken through {@link Acquire}, which the checker cannot follow). */
  private int x;
  private int y;

  ExclusionTrial(Mutex mutex) {
    this(mutex, mutex::hasQueuedThreads, null);
  }

  ExclusionTrial(ReentrantMutex mutex) {
    this(mutex, mutex::hasQueuedThreads, mutex::getHoldCount);
  }

  private ExclusionTrial(
      Lock lock, BooleanSupplier hasQueuedThreads, @Nullable IntSupplier holdCount) {
    this.lock = lock;
    this.hasQueuedThreads = hasQueuedThreads;
    this.holdCount = holdCount;
    this.outer1 = Acquire.random();
    this.outer2 = Acquire.random();
    this.inner1 = Acquire.random();
    this.inner2 = Acquire.random();
    int hold = ThreadLocalRandom.current().nextInt(4);
    this.holdNanos = hold < 2 ? 0L : hold == 2 ? SHORT_HOLD_NANOS : LONG_HOLD_NANOS;
  }

  void actor1() {
    arrived1 = true;
    awaitArrival(2);
    holdCountsWrong1 = !enter(outer1, inner1);
  }

  void actor2() {
    arrived2 = true;
    awaitArrival(1);
    holdCountsWrong2 = !enter(outer2, inner2);
  }

  /** {@code r1 = x}, {@code r2 = y}, or {@code r2 = -1} if the lock was left in a wrong state. */
  void arbiter(II_Result r) {
    boolean free = lock.tryLock();
    if (free) {
      lock.unlock();
    }
    boolean clean =
        free && !hasQueuedThreads.getAsBoolean() && !holdCountsWrong1 && !holdCountsWrong2;
    r.r1 = x;
    r.r2 = clean ? y : -1;
  }

  private void awaitArrival(int other) {
    long start = System.nanoTime();
    while (!(other == 1 ? arrived1 : arrived2)
        && System.nanoTime() - start < RENDEZVOUS_NANOS) {
      Thread.onSpinWait();
    }
  }

  /** Locks (twice if reentrant), runs the critical section, unlocks; false if a count was wrong. */
  private boolean enter(Acquire outer, Acquire inner) {
    IntSupplier holds = holdCount;
    boolean countsRight = true;
    outer.acquire(lock);
    try {
      if (holds != null) {
        countsRight = holds.getAsInt() == 1;
        inner.acquire(lock);
        try {
          countsRight &= holds.getAsInt() == 2;
          criticalSection();
        } finally {
          lock.unlock();
        }
        countsRight &= holds.getAsInt() == 1;
      } else {
        criticalSection();
      }
    } finally {
      lock.unlock();
    }
    if (holds != null) {
      countsRight &= holds.getAsInt() == 0;
    }
    return countsRight;
  }

  private void criticalSection() {
    int v = x;
    Pause.nanos(holdNanos);
    x = v + 1;
    y = x;
  }
}
