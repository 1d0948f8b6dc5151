package dev.syncprims.impl;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BinarySemaphore}: one permit, no owner, waiting threads parked in a FIFO queue.
 *
 * <pre>{@code
 * BinarySemaphore done = Primitives.binarySemaphore(false);
 * worker.submit(() -> { compute(); done.release(); });   // another thread releases
 * done.acquire();                                         // waits for it
 * }</pre>
 *
 * <p><b>No owner, and what that costs.</b> Any thread may {@link #release()} the permit, not only
 * the one that took it: that is what makes a binary semaphore a signal between threads. It is
 * also why it cannot do what a {@link QueuedMutex} does: it cannot tell that a thread waiting for
 * the permit is the one that holds it (a self-deadlock the mutex reports at once), nor that a
 * release comes from a thread that never acquired. What it does catch is a release while the
 * permit is already available: {@link #release()} then throws {@link IllegalStateException} and
 * changes nothing.
 *
 * <p><b>Fairness.</b> Under {@link Fairness#BARGING} (the default) an arriving thread may take the
 * permit ahead of queued threads; once the first queued thread has waited longer than about 1 ms,
 * the next release hands the permit directly to it. Under {@link Fairness#FIFO} every release
 * hands it to the longest-waiting thread. The untimed {@link #tryAcquire()} may take an available
 * permit ahead of queued threads in both modes.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before {@link #release()} happen-before the
 * actions of the thread whose acquire operation takes that permit, after it returns.
 *
 * <p><b>Footprint.</b> 24 bytes while uncontended (with compressed pointers); the wait queue is
 * created when a thread first has to wait.
 */
public final class QueuedBinarySemaphore extends QueuedSemaphore implements BinarySemaphore {
  /* Implementation notes
   *
   * A counting semaphore with the bound 1 (QueuedSemaphore: state table, fast paths, granting,
   * hand-off): the count is 0 (taken) or 1 (available), and the bound check of a release is the
   * double-release check. Never negative.
   */

  /**
   * Creates a binary semaphore whose permit is available or taken.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public QueuedBinarySemaphore(boolean available, Fairness fairness) {
    super(available ? 1 : 0, 1, fairness);
  }

  /** {@inheritDoc} */
  @Override
  public void acquire() throws InterruptedException {
    acquirePermits(1);
  }

  /** {@inheritDoc} */
  @Override
  public void acquireUninterruptibly() {
    acquirePermitsUninterruptibly(1);
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire() {
    return tryAcquireBarging(1);
  }

  /** {@inheritDoc} */
  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    return tryAcquirePermits(1, unit.toNanos(timeout));
  }

  /** {@inheritDoc} */
  @Override
  public void release() {
    releasePermits(1);
  }

  /** {@inheritDoc} */
  @Override
  public Held acquired() throws InterruptedException {
    acquirePermits(1);
    return ReleaseHandle.of(this, 1);
  }

  /** {@inheritDoc} */
  @Override
  public boolean isAvailable() {
    return available() > 0;
  }

  @Override
  IllegalStateException overRelease(int permits, int available) {
    return new IllegalStateException(
        "release() while the permit is already available (a double release?): " + this);
  }

  @Override
  String kind() {
    return "QueuedBinarySemaphore";
  }

  @Override
  String describe(int available) {
    return available > 0 ? "available" : "taken";
  }
}
