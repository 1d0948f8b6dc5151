package dev.syncprims;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;

/**
 * A reentrant mutual-exclusion lock with an owner: at most one thread holds it at a time,
 * the holder may lock it again, and it becomes free when the holder has unlocked it as
 * many times as it locked it.
 *
 * <pre>{@code
 * ReentrantMutex mutex = Primitives.reentrantMutex();
 *
 * void transfer(Account from, Account to, long amount) {
 *   try (Held h = mutex.locked()) {
 *     withdraw(from, amount);   // locks the same mutex again
 *     deposit(to, amount);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Hold count.</b> Each successful lock operation by the holder adds one to the hold
 * count and each {@link #unlock()} removes one. The maximum hold count is
 * {@value #MAX_HOLD_COUNT}; a lock operation that would exceed it throws
 * {@link IllegalStateException} and leaves the state unchanged.
 *
 * <p><b>Fairness.</b> Under {@link Fairness#BARGING} (the default) a thread that finds the
 * mutex free may take it ahead of queued threads, but once the head of the queue has waited
 * the bound of about 1 ms and has run since, it is served before any thread that arrives
 * later (exactly as {@link Fairness#BARGING} states).
 * Under {@link Fairness#FIFO} threads acquire the mutex in the order they asked for it,
 * and the final unlock hands it directly to the longest-waiting thread. The untimed
 * {@link #tryLock()} may take a free mutex ahead of queued threads under both policies.
 * The holder's re-locking never waits, whatever the policy.
 *
 * <p><b>Memory consistency.</b> Whatever a thread does before the unlock that frees the
 * mutex happens-before whatever the next holder does after its lock operation succeeds.
 * Waiting on a {@linkplain #newCondition() condition} frees and reacquires the mutex, with
 * the same effect.
 *
 * <p>Blocking methods follow the rules of the {@linkplain dev.syncprims package overview}:
 * arguments first, then the interrupted status, then the state of the mutex.
 */
public interface ReentrantMutex extends Lock {

  /**
   * The maximum hold count: a thread may hold the mutex at most this many times at once.
   */
  int MAX_HOLD_COUNT = 65_535;

  /**
   * Acquires the mutex, waiting as long as necessary. If the calling thread already holds
   * it, adds one to the hold count and returns at once; otherwise returns once the calling
   * thread holds the mutex with a hold count of one.
   *
   * <p>Waiting is not interruptible: if the thread is interrupted while it waits, it keeps
   * waiting and returns holding the mutex with its interrupted status set.
   *
   * @throws IllegalStateException if the calling thread already holds the mutex
   *     {@value #MAX_HOLD_COUNT} times; the state is unchanged
   */
  @Override
  void lock();

  /**
   * Acquires the mutex unless the calling thread is interrupted. If the calling thread
   * already holds it, adds one to the hold count and returns at once; otherwise returns
   * once the calling thread holds the mutex.
   *
   * <p>If the thread's interrupted status is set on entry, this method clears it and throws
   * {@link InterruptedException}, even if the mutex is free or already held by the caller.
   * If the thread is interrupted while waiting, it stops waiting, the status is cleared and
   * {@link InterruptedException} is thrown. An interrupt that arrives after the mutex has
   * been handed to the thread does not take it away: the method then returns normally,
   * holding the mutex, with the interrupted status set.
   *
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; its hold count is unchanged
   * @throws IllegalStateException if the calling thread already holds the mutex
   *     {@value #MAX_HOLD_COUNT} times; the state is unchanged
   */
  @Override
  void lockInterruptibly() throws InterruptedException;

  /**
   * Acquires the mutex only if it is free or already held by the calling thread; never
   * waits.
   *
   * <p>This method may take a free mutex ahead of queued threads, under
   * {@link Fairness#FIFO} as well as {@link Fairness#BARGING}. To respect the queue under
   * FIFO, use {@code tryLock(0, TimeUnit.NANOSECONDS)}. The interrupted status is neither
   * checked nor changed.
   *
   * @return {@code true} if the calling thread now holds the mutex (its hold count went up
   *     by one); {@code false} if another thread holds it
   * @throws IllegalStateException if the calling thread already holds the mutex
   *     {@value #MAX_HOLD_COUNT} times; the state is unchanged
   */
  @Override
  boolean tryLock();

  /**
   * Acquires the mutex if it is already held by the calling thread or becomes available
   * within the given waiting time, unless the calling thread is interrupted.
   *
   * <p>Returns {@code true} as soon as the calling thread holds the mutex (at once if it
   * held it already), or {@code false} when the waiting time has elapsed without acquiring
   * it. A timeout {@code <= 0} does not wait: the method acquires the mutex only if it can do
   * so at once, and under {@link Fairness#FIFO} a free mutex is taken only if no thread is
   * queued. A timeout of {@link Long#MAX_VALUE} nanoseconds (or any value that saturates to
   * it) waits, in effect, forever.
   *
   * <p>If the thread's interrupted status is set on entry, or it is interrupted while
   * waiting, the status is cleared and {@link InterruptedException} is thrown. An interrupt
   * wins over a timeout that elapses at the same time. An interrupt that arrives after the
   * mutex has been handed to the thread does not take it away: the method then returns
   * {@code true} with the interrupted status set.
   *
   * @param time the maximum time to wait, in {@code unit}s
   * @param unit the unit of {@code time}
   * @return {@code true} if the calling thread now holds the mutex; {@code false} if the
   *     waiting time elapsed first
   * @throws NullPointerException if {@code unit} is {@code null}; the message names the
   *     parameter
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; its hold count is unchanged
   * @throws IllegalStateException if the calling thread already holds the mutex
   *     {@value #MAX_HOLD_COUNT} times; the state is unchanged
   */
  @Override
  boolean tryLock(long time, TimeUnit unit) throws InterruptedException;

  /**
   * Removes one from the calling thread's hold count. When the count reaches zero the
   * mutex becomes free: if threads are waiting, one of them is woken or, when a hand-off is
   * due (always under {@link Fairness#FIFO}; after the bounded wait under
   * {@link Fairness#BARGING}), receives the mutex directly. Never blocks.
   *
   * @throws IllegalMonitorStateException if the calling thread does not hold the mutex;
   *     nothing changes
   */
  @Override
  void unlock();

  /**
   * Returns a new condition variable bound to this mutex, with Mesa semantics
   * (signal-and-continue): a signalled thread becomes eligible to reacquire the mutex and
   * competes for it, so it must re-check the condition it waits for, typically in a loop.
   *
   * <p>The returned condition differs from the minimum that {@link Condition} permits:
   * <ul>
   *   <li>Waits never end spuriously: an {@code await} method returns only because the
   *       thread was signalled, its waiting time elapsed, or it was interrupted.
   *   <li>Every {@code await} method frees the mutex completely while waiting, whatever the
   *       hold count, and reacquires it before returning or throwing, whether it ends
   *       normally, by timeout or by interrupt; the hold count is then restored to its value
   *       before the wait.
   *   <li>Calling an {@code await} or {@code signal} method without holding the mutex throws
   *       {@link IllegalMonitorStateException}.
   *   <li>A timeout {@code <= 0} does not wait: the method returns at once with a result
   *       that reports the timeout.
   *   <li>If the interrupted status is set on entry to an interruptible {@code await}, or
   *       the thread is interrupted while waiting, the status is cleared and
   *       {@link InterruptedException} is thrown once the mutex is held again; an interrupt
   *       wins over a concurrent timeout. A thread that has already been signalled when the
   *       interrupt arrives returns normally with the interrupted status set, so the signal
   *       is not lost.
   *   <li>{@code signal()} wakes the longest-waiting thread and {@code signalAll()} all
   *       waiting threads; with no waiters they do nothing.
   * </ul>
   *
   * @return a new condition bound to this mutex
   */
  @Override
  Condition newCondition();

  /**
   * Acquires the mutex with {@link #lock()} (adding one to the hold count if the calling
   * thread already holds it) and returns a handle whose {@link Held#close()} undoes exactly
   * that acquisition, for use with try-with-resources:
   *
   * <pre>{@code
   * try (Held h = mutex.locked()) {
   *   // the mutex is held here
   * }
   * }</pre>
   *
   * <p>The handle's {@code close()} unlocks exactly once and must be called by the thread
   * that acquired the mutex; a second {@code close()} throws
   * {@link IllegalStateException}. Waiting is not interruptible, as with {@link #lock()}.
   *
   * @return a handle that unlocks the mutex once when closed
   * @throws IllegalStateException if the calling thread already holds the mutex
   *     {@value #MAX_HOLD_COUNT} times; the state is unchanged
   */
  Held locked();

  /**
   * Returns the number of holds the calling thread has on this mutex: the number of its
   * successful lock operations not yet matched by an unlock.
   *
   * @return the calling thread's hold count, or 0 if it does not hold the mutex
   */
  int getHoldCount();

  /**
   * Tells whether some thread holds the mutex. The answer may be out of date by the time
   * it is used; it is meant for monitoring and assertions, not for synchronization.
   *
   * @return {@code true} if the mutex is held by any thread
   */
  boolean isLocked();

  /**
   * Tells whether the calling thread holds the mutex. Unlike the other queries, the
   * answer is exact, since only the calling thread can change it.
   *
   * @return {@code true} if the calling thread holds the mutex
   */
  boolean isHeldByCurrentThread();

  /**
   * Returns the thread that holds the mutex, or {@code null} if it is free. The answer may
   * be out of date by the time it is used.
   *
   * @return the current holder, or {@code null} if the mutex is not held
   */
  @Nullable Thread owner();

  /**
   * Tells whether any thread is waiting to acquire the mutex. The answer may be out of
   * date by the time it is used.
   *
   * @return {@code true} if at least one thread is queued
   */
  boolean hasQueuedThreads();

  /**
   * Returns an estimate of the number of threads waiting to acquire the mutex. The value
   * may change while it is being computed; it is meant for monitoring.
   *
   * @return the number of queued threads, {@code >= 0}
   */
  int getQueueLength();

  /**
   * Tells whether the given thread is waiting to acquire this lock, as
   * {@link java.util.concurrent.locks.ReentrantLock#hasQueuedThread(Thread)} does. The answer
   * may be out of date by the time it is used; it is meant for monitoring.
   *
   * @param thread the thread
   * @return {@code true} if {@code thread} is queued for this lock
   * @throws NullPointerException if {@code thread} is null
   * @since 0.2
   */
  boolean hasQueuedThread(Thread thread);

  /**
   * Tells whether any thread is waiting on the given condition of this lock, as
   * {@link java.util.concurrent.locks.ReentrantLock#hasWaiters(Condition)} does. The answer
   * may be out of date by the time it is used; it is meant for monitoring.
   *
   * @param condition a condition created by this lock's {@link #newCondition()}
   * @return {@code true} if at least one thread waits on {@code condition}
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
   * @throws IllegalMonitorStateException if the calling thread does not hold this lock
   * @since 0.2
   */
  boolean hasWaiters(Condition condition);

  /**
   * Returns an estimate of the number of threads waiting on the given condition of this
   * lock, as {@link java.util.concurrent.locks.ReentrantLock#getWaitQueueLength(Condition)}
   * does; it is meant for monitoring.
   *
   * @param condition a condition created by this lock's {@link #newCondition()}
   * @return the number of threads waiting on {@code condition}, {@code >= 0}
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
   * @throws IllegalMonitorStateException if the calling thread does not hold this lock
   * @since 0.2
   */
  int getWaitQueueLength(Condition condition);

  /**
   * Returns the fairness policy chosen when this mutex was created.
   *
   * @return the fairness policy, never {@code null}
   */
  Fairness fairness();
}
