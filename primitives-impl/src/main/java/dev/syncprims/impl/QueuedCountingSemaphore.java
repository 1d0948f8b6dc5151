package dev.syncprims.impl;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CountingSemaphore}, unbounded or bounded, whose waiting threads park in a FIFO queue.
 *
 * <pre>{@code
 * CountingSemaphore slots = Primitives.boundedSemaphore(4, 4);   // at most 4 at a time
 * try (Held h = slots.acquired()) {
 *   download();
 * }
 * // slots.release() here, with no matching acquire, would throw IllegalStateException
 * }</pre>
 *
 * <p><b>Bounded and unbounded.</b> An unbounded semaphore ({@link #QueuedCountingSemaphore(int,
 * Fairness)}) has {@link #maxPermits()} {@code == Integer.MAX_VALUE}; its count may start
 * negative, and a release that would overflow the count throws {@link IllegalStateException}. A
 * bounded one ({@link #QueuedCountingSemaphore(int, int, Fairness)}, Python's {@code
 * BoundedSemaphore}) rejects any release that would take the count past its bound, which catches a
 * release that was never matched by an acquire. A rejected release changes nothing.
 *
 * <p><b>Permits.</b> {@code acquire(n)} takes its {@code n} permits all at once, never some now
 * and the rest later. Zero permits is allowed: acquiring zero succeeds at once (after the argument
 * and interrupt checks), releasing zero does nothing. A negative number of permits throws {@link
 * IllegalArgumentException}. A bounded semaphore does not reject {@code acquire(n)} with {@code n >
 * maxPermits()}: it waits, like any request the count cannot satisfy, and the timed form times out.
 *
 * <p><b>Fairness.</b> Under {@link Fairness#BARGING} (the default) a thread that finds enough
 * permits takes them even if threads are queued; once the first queued thread has waited longer
 * than about 1 ms, the next release whose permits (with those already available) satisfy it hands
 * them directly to it, so arriving threads cannot take them first. A queued request for more
 * permits than one release provides can still be overtaken under BARGING while permits
 * accumulate; use {@link Fairness#FIFO} when large and small requests mix under load. Under FIFO,
 * threads are served in arrival order: a request for {@code n} permits at the head of the queue is
 * not overtaken by later, smaller ones, and permits released meanwhile stay counted in {@link
 * #availablePermits()} until it can take all {@code n} (a head that times out or is interrupted
 * therefore takes none away). The untimed {@link #tryAcquire()} and {@link #tryAcquire(int)} may
 * take permits ahead of queued threads in both modes; {@code tryAcquire(n, 0, unit)} respects the
 * queue under FIFO.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before it releases permits happen-before the
 * actions of a thread after an acquire operation that takes any of those permits returns.
 *
 * <p><b>Footprint.</b> 24 bytes while uncontended (with compressed pointers), against 48 for
 * {@link java.util.concurrent.Semaphore}; the wait queue is created when a thread first has to
 * wait.
 */
public final class QueuedCountingSemaphore extends QueuedSemaphore implements CountingSemaphore {
  /* Implementation notes
   *
   * Everything but the bound's checks and messages is in QueuedSemaphore (the count, fast paths,
   * granting, the hand-off to an overdue head, the state table) and EntryQueue (queueing and
   * parking): see the notes there. Unbounded is the bound Integer.MAX_VALUE, so overflow and
   * over-release are one check.
   */

  /**
   * Creates an unbounded semaphore with the given initial count, which may be negative.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public QueuedCountingSemaphore(int permits, Fairness fairness) {
    super(permits, Integer.MAX_VALUE, fairness);
  }

  /**
   * Creates a bounded semaphore: its count starts at {@code permits} and may never exceed {@code
   * maxPermits}.
   *
   * @throws NullPointerException if {@code fairness} is null
   * @throws IllegalArgumentException if {@code maxPermits < 0}, {@code permits < 0} or {@code
   *     permits > maxPermits}
   */
  public QueuedCountingSemaphore(int permits, int maxPermits, Fairness fairness) {
    super(checkBounds(permits, maxPermits), maxPermits, fairness);
  }

  private static int checkBounds(int permits, int maxPermits) {
    if (maxPermits < 0) {
      throw new IllegalArgumentException("maxPermits must not be negative: " + maxPermits);
    }
    if (permits < 0) {
      throw new IllegalArgumentException(
          "a bounded semaphore cannot start with negative permits: " + permits);
    }
    if (permits > maxPermits) {
      throw new IllegalArgumentException(
          "initial permits=" + permits + " exceed maxPermits=" + maxPermits);
    }
    return permits;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Under {@link Fairness#FIFO} this thread queues behind threads already waiting, even if
   * permits are available.
   */
  @Override
  public void acquire() throws InterruptedException {
    acquirePermits(1);
  }

  /** {@inheritDoc} */
  @Override
  public void acquire(int permits) throws InterruptedException {
    checkPermits(permits);
    acquirePermits(permits);
  }

  /** {@inheritDoc} */
  @Override
  public void acquireUninterruptibly() {
    acquirePermitsUninterruptibly(1);
  }

  /** {@inheritDoc} */
  @Override
  public void acquireUninterruptibly(int permits) {
    checkPermits(permits);
    acquirePermitsUninterruptibly(permits);
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire() {
    return tryAcquireBarging(1);
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire(int permits) {
    checkPermits(permits);
    return permits == 0 || tryAcquireBarging(permits);
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    return tryAcquirePermits(1, unit.toNanos(timeout));
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit)
      throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    checkPermits(permits);
    return tryAcquirePermits(permits, unit.toNanos(timeout));
  }

  /** {@inheritDoc} */
  @Override
  public void release() {
    releasePermits(1);
  }

  /** {@inheritDoc} */
  @Override
  public void release(int permits) {
    checkPermits(permits);
    releasePermits(permits);
  }

  /** {@inheritDoc} */
  @Override
  public Held acquired() throws InterruptedException {
    return acquired(1);
  }

  /** {@inheritDoc} */
  @Override
  public Held acquired(int permits) throws InterruptedException {
    acquire(permits);
    return ReleaseHandle.of(this, permits);
  }

  /** {@inheritDoc} */
  @Override
  public int availablePermits() {
    return available();
  }

  /** {@inheritDoc} */
  @Override
  public int drainPermits() {
    return drain();
  }

  /** {@inheritDoc} */
  @Override
  public int maxPermits() {
    return bound();
  }

  /** Tells whether this semaphore has a bound below {@code Integer.MAX_VALUE}. */
  public boolean isBounded() {
    return bound() != Integer.MAX_VALUE;
  }

  @Override
  IllegalStateException overRelease(int permits, int available) {
    return new IllegalStateException(
        "release("
            + permits
            + ") would exceed maxPermits="
            + bound()
            + (isBounded() ? "" : " (the count would overflow)")
            + " with "
            + available
            + " available: "
            + this);
  }

  @Override
  String kind() {
    return "QueuedCountingSemaphore";
  }

  @Override
  String describe(int available) {
    return isBounded()
        ? available + " of max " + bound() + " permits available"
        : available + " permits available";
  }
}
