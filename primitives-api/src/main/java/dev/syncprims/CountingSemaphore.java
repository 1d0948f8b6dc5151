package dev.syncprims;

import java.util.concurrent.TimeUnit;

/**
 * A semaphore that counts permits, without an owner: acquire operations take permits from
 * the count, waiting while there are not enough, and any thread may release permits,
 * including threads that never acquired any.
 *
 * <pre>{@code
 * CountingSemaphore connections = Primitives.boundedSemaphore(10, 10);
 *
 * try (Held h = connections.acquired()) {
 *   talkToServer();   // at most 10 threads at a time get here
 * }
 * }</pre>
 *
 * <p><b>Bounded and unbounded.</b> A semaphore has a maximum count, reported by
 * {@link #maxPermits()}. An unbounded semaphore has a maximum of {@link Integer#MAX_VALUE},
 * and its count may start negative, in which case releases must bring it above zero before
 * any acquire can succeed. A bounded semaphore (like Python's {@code BoundedSemaphore})
 * has a smaller maximum, usually the initial count, and catches releases that were never
 * matched by an acquire. In both cases a release that would take the count past
 * {@link #maxPermits()} throws {@link IllegalStateException} and changes nothing; for an
 * unbounded semaphore this is how an overflow of the count is reported.
 *
 * <p><b>Arguments.</b> A negative number of permits passed to any method throws
 * {@link IllegalArgumentException}. Zero permits is allowed: acquiring zero permits
 * succeeds at once, once the argument and interrupt checks have passed, and releasing zero
 * permits does nothing.
 *
 * <p><b>Fairness.</b> Under {@link Fairness#BARGING} (the default) a thread that finds
 * enough permits may take them ahead of queued threads, but once the head of the queue has
 * waited the bound of about 1 ms and has run since, it is served before any thread that
 * arrives later, a request for several permits included: the permits released meanwhile
 * stay counted, and the release that completes the request hands them all to it (exactly
 * as {@link Fairness#BARGING} states). Under {@link Fairness#FIFO} threads are served in
 * the order they asked: a thread at the head of the queue that waits for {@code n} permits
 * is not overtaken by threads that arrive later asking for fewer, so large requests do not
 * starve. Permits released while the head waits for more stay in the count, visible in
 * {@link #availablePermits()}; they are not handed to the head one release at a time, so a
 * head that times out or is interrupted takes none of them away. The untimed
 * {@link #tryAcquire()} and {@link #tryAcquire(int)} may take available permits ahead of
 * queued threads under both policies.
 *
 * <p><b>Memory consistency.</b> Whatever a thread does before it releases permits
 * happens-before whatever another thread does after an acquire operation that takes any of
 * those permits succeeds.
 *
 * <p>Blocking methods follow the rules of the {@linkplain dev.syncprims package overview}:
 * arguments first, then the interrupted status, then the state of the semaphore.
 */
public interface CountingSemaphore {

  /**
   * Takes one permit, waiting until one is available, unless the calling thread is
   * interrupted. Equivalent to {@code acquire(1)}.
   *
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   * @see #acquire(int)
   */
  void acquire() throws InterruptedException;

  /**
   * Takes {@code permits} permits, waiting until that many are available, unless the
   * calling thread is interrupted. Returns once all of them have been taken; permits are
   * taken all at once, never some now and the rest later.
   *
   * <p>If the thread's interrupted status is set on entry, this method clears it and throws
   * {@link InterruptedException} without taking permits, even if enough are available. If
   * the thread is interrupted while waiting, it stops waiting, the status is cleared and
   * {@link InterruptedException} is thrown. An interrupt that arrives after the permits have
   * been handed to the thread does not take them away: the method then returns normally
   * with the interrupted status set.
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   */
  void acquire(int permits) throws InterruptedException;

  /**
   * Takes one permit, waiting as long as necessary. Equivalent to
   * {@code acquireUninterruptibly(1)}.
   *
   * @see #acquireUninterruptibly(int)
   */
  void acquireUninterruptibly();

  /**
   * Takes {@code permits} permits, waiting as long as necessary until that many are
   * available. Returns once all of them have been taken.
   *
   * <p>Waiting is not interruptible: if the thread is interrupted while it waits, it keeps
   * waiting and returns with the permits taken and its interrupted status set.
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  void acquireUninterruptibly(int permits);

  /**
   * Takes one permit only if one is available at the time of the call; never waits.
   * Equivalent to {@code tryAcquire(1)}.
   *
   * @return {@code true} if a permit was taken; {@code false} otherwise
   * @see #tryAcquire(int)
   */
  boolean tryAcquire();

  /**
   * Takes {@code permits} permits only if that many are available at the time of the call;
   * never waits, and takes nothing if there are not enough.
   *
   * <p>This method may take available permits ahead of queued threads, under
   * {@link Fairness#FIFO} as well as {@link Fairness#BARGING}. To respect the queue under
   * FIFO, use {@code tryAcquire(permits, 0, TimeUnit.NANOSECONDS)}. The interrupted status
   * is neither checked nor changed.
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @return {@code true} if the permits were taken; {@code false} otherwise
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  boolean tryAcquire(int permits);

  /**
   * Takes one permit if one becomes available within the given waiting time, unless the
   * calling thread is interrupted. Equivalent to {@code tryAcquire(1, timeout, unit)}.
   *
   * @param timeout the maximum time to wait, in {@code unit}s
   * @param unit the unit of {@code timeout}
   * @return {@code true} if a permit was taken; {@code false} if the waiting time elapsed
   *     first
   * @throws NullPointerException if {@code unit} is {@code null}; the message names the
   *     parameter
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   * @see #tryAcquire(int, long, TimeUnit)
   */
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Takes {@code permits} permits if that many become available within the given waiting
   * time, unless the calling thread is interrupted.
   *
   * <p>Returns {@code true} as soon as all the permits have been taken, or {@code false}
   * when the waiting time has elapsed; in that case no permit has been taken. A timeout
   * {@code <= 0} does not wait: the method takes the permits only if enough are available at
   * once, and under {@link Fairness#FIFO} only if, in addition, no thread is queued. A
   * timeout of {@link Long#MAX_VALUE} nanoseconds (or any value that saturates to it) waits,
   * in effect, forever.
   *
   * <p>If the thread's interrupted status is set on entry, or it is interrupted while
   * waiting, the status is cleared and {@link InterruptedException} is thrown. An interrupt
   * wins over a timeout that elapses at the same time. An interrupt that arrives after the
   * permits have been handed to the thread does not take them away: the method then
   * returns {@code true} with the interrupted status set.
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @param timeout the maximum time to wait, in {@code unit}s
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the permits were taken; {@code false} if the waiting time
   *     elapsed first
   * @throws NullPointerException if {@code unit} is {@code null}; the message names the
   *     parameter
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   */
  boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Adds one permit to the count. Equivalent to {@code release(1)}.
   *
   * @throws IllegalStateException if the count is already {@link #maxPermits()}; nothing
   *     changes
   * @see #release(int)
   */
  void release();

  /**
   * Adds {@code permits} permits to the count and wakes or serves waiting threads that can
   * now proceed, according to the fairness policy. Any thread may call this method; it
   * never blocks.
   *
   * @param permits the number of permits to add, {@code >= 0}
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if the count would exceed {@link #maxPermits()}; nothing
   *     changes
   */
  void release(int permits);

  /**
   * Takes one permit with {@link #acquire()} and returns a handle whose
   * {@link Held#close()} releases it. Equivalent to {@code acquired(1)}.
   *
   * @return a handle that releases the permit when closed
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   * @see #acquired(int)
   */
  Held acquired() throws InterruptedException;

  /**
   * Takes {@code permits} permits with {@link #acquire(int)} and returns a handle whose
   * {@link Held#close()} releases them, for use with try-with-resources:
   *
   * <pre>{@code
   * try (Held h = semaphore.acquired(3)) {
   *   // three permits are taken here
   * }
   * }</pre>
   *
   * <p>The handle's {@code close()} releases exactly the permits taken, once, from
   * whichever thread calls it; a second {@code close()} throws
   * {@link IllegalStateException}.
   *
   * @param permits the number of permits to take, {@code >= 0}
   * @return a handle that releases the permits when closed
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; no permit has been taken
   */
  Held acquired(int permits) throws InterruptedException;

  /**
   * Returns the current count of permits, which is negative if an unbounded semaphore
   * started below zero and has not yet been released enough. The answer may be out of date
   * by the time it is used.
   *
   * @return the number of available permits
   */
  int availablePermits();

  /**
   * Tells whether at least one permit is available. The answer may be out of date by the
   * time it is used.
   *
   * @return {@code true} if {@link #availablePermits()} is greater than zero
   */
  default boolean isAvailable() {
    return availablePermits() > 0;
  }

  /**
   * Sets the count to zero at once, without waiting, and returns what it was. If the count
   * was positive, the calling thread has taken all those permits (ahead of any queued
   * threads, under both fairness policies) and the return value is their number. If the
   * count was negative, it is reset to zero and the negative value it had is returned,
   * so a caller can tell a cleared deficit from acquired permits by the sign.
   *
   * @return the count before the call: the number of permits taken if positive, 0 if there
   *     were none, or the former negative count that was reset to zero
   */
  int drainPermits();

  /**
   * Returns the maximum count of this semaphore: the bound of a bounded semaphore, or
   * {@link Integer#MAX_VALUE} if it is unbounded. A release that would take the count past
   * this value throws {@link IllegalStateException}.
   *
   * @return the maximum number of permits
   */
  int maxPermits();

  /**
   * Tells whether any thread is waiting to take permits. The answer may be out of date by
   * the time it is used.
   *
   * @return {@code true} if at least one thread is queued
   */
  boolean hasQueuedThreads();

  /**
   * Returns an estimate of the number of threads waiting to take permits. The value may
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
