package dev.syncprims;

import java.util.concurrent.TimeUnit;

/**
 * A semaphore with a single permit and no owner: the permit is either available or taken,
 * and any thread may release it, not only the thread that acquired it. That makes a binary
 * semaphore a signalling device between threads as well as a lock.
 *
 * <pre>{@code
 * BinarySemaphore ready = Primitives.binarySemaphore(false);
 *
 * // consumer                         // producer
 * ready.acquire();                    prepare();
 * use();                              ready.release();
 * }</pre>
 *
 * <p><b>Releasing.</b> Unlike a counting semaphore, a binary semaphore never holds more
 * than one permit: {@link #release()} while the permit is already available throws
 * {@link IllegalStateException} and changes nothing, which catches double releases.
 *
 * <p><b>Fairness.</b> Under {@link Fairness#BARGING} (the default) a thread that finds the
 * permit available may take it ahead of queued threads, but once the head of the queue has
 * waited the bound of about 1 ms and has run since, it is served before any thread that
 * arrives later (exactly as {@link Fairness#BARGING} states).
 * Under {@link Fairness#FIFO} threads acquire the permit in the order they asked for it,
 * and a release hands it directly to the longest-waiting thread. The untimed
 * {@link #tryAcquire()} may take an available permit ahead of queued threads under both
 * policies.
 *
 * <p><b>Memory consistency.</b> Whatever a thread does before it calls {@link #release()}
 * happens-before whatever another thread does after an acquire operation that takes that
 * permit succeeds.
 *
 * <p>Blocking methods follow the rules of the {@linkplain dev.syncprims package overview}:
 * arguments first, then the interrupted status, then the state of the semaphore.
 */
public interface BinarySemaphore {

  /**
   * Takes the permit, waiting until it is available, unless the calling thread is
   * interrupted. Returns once the permit has been taken by the calling thread.
   *
   * <p>If the thread's interrupted status is set on entry, this method clears it and throws
   * {@link InterruptedException} without taking the permit, even if it is available. If the
   * thread is interrupted while waiting, it stops waiting, the status is cleared and
   * {@link InterruptedException} is thrown. An interrupt that arrives after the permit has
   * been handed to the thread does not take it away: the method then returns normally
   * with the interrupted status set.
   *
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; the permit has not been taken
   */
  void acquire() throws InterruptedException;

  /**
   * Takes the permit, waiting as long as necessary. Returns once the permit has been taken
   * by the calling thread.
   *
   * <p>Waiting is not interruptible: if the thread is interrupted while it waits, it keeps
   * waiting and returns with the permit taken and its interrupted status set.
   */
  void acquireUninterruptibly();

  /**
   * Takes the permit only if it is available at the time of the call; never waits.
   *
   * <p>This method may take an available permit ahead of queued threads, under
   * {@link Fairness#FIFO} as well as {@link Fairness#BARGING}. To respect the queue under
   * FIFO, use {@code tryAcquire(0, TimeUnit.NANOSECONDS)}. The interrupted status is neither
   * checked nor changed.
   *
   * @return {@code true} if the permit was taken; {@code false} if it was not available
   */
  boolean tryAcquire();

  /**
   * Takes the permit if it becomes available within the given waiting time, unless the
   * calling thread is interrupted.
   *
   * <p>Returns {@code true} as soon as the permit has been taken, or {@code false} when the
   * waiting time has elapsed without taking it. A timeout {@code <= 0} does not wait: the
   * method takes the permit only if it is available at once, and under
   * {@link Fairness#FIFO} only if, in addition, no thread is queued. A timeout of
   * {@link Long#MAX_VALUE} nanoseconds (or any value that saturates to it) waits, in effect,
   * forever.
   *
   * <p>If the thread's interrupted status is set on entry, or it is interrupted while
   * waiting, the status is cleared and {@link InterruptedException} is thrown. An interrupt
   * wins over a timeout that elapses at the same time. An interrupt that arrives after the
   * permit has been handed to the thread does not take it away: the method then returns
   * {@code true} with the interrupted status set.
   *
   * @param timeout the maximum time to wait, in {@code unit}s
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the permit was taken; {@code false} if the waiting time elapsed
   *     first
   * @throws NullPointerException if {@code unit} is {@code null}; the message names the
   *     parameter
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; the permit has not been taken
   */
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Makes the permit available. If threads are waiting, one of them is woken or, when a
   * hand-off is due (always under {@link Fairness#FIFO}; after the bounded wait under
   * {@link Fairness#BARGING}), receives the permit directly. Any thread may call this
   * method; it never blocks.
   *
   * @throws IllegalStateException if the permit is already available; nothing changes
   */
  void release();

  /**
   * Takes the permit with {@link #acquire()} and returns a handle whose
   * {@link Held#close()} releases it, for use with try-with-resources:
   *
   * <pre>{@code
   * try (Held h = semaphore.acquired()) {
   *   // the permit is taken here
   * }
   * }</pre>
   *
   * <p>The handle's {@code close()} releases exactly once, from whichever thread calls it;
   * a second {@code close()} throws {@link IllegalStateException}.
   *
   * @return a handle that releases the permit when closed
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; the permit has not been taken
   */
  Held acquired() throws InterruptedException;

  /**
   * Tells whether the permit is available. The answer may be out of date by the time it is
   * used; it is meant for monitoring and assertions, not for synchronization.
   *
   * @return {@code true} if the permit is available
   */
  boolean isAvailable();

  /**
   * Tells whether any thread is waiting to take the permit. The answer may be out of date
   * by the time it is used.
   *
   * @return {@code true} if at least one thread is queued
   */
  boolean hasQueuedThreads();

  /**
   * Returns an estimate of the number of threads waiting to take the permit. The value may
   * change while it is being computed; it is meant for monitoring.
   *
   * @return the number of queued threads, {@code >= 0}
   */
  int getQueueLength();

  /**
   * Returns the fairness policy chosen when this semaphore was created.
   *
   * @return the fairness policy, never {@code null}
   */
  Fairness fairness();
}
