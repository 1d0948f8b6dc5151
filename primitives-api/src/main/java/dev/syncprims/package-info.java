/**
 * Synchronization primitives: mutexes, semaphores, monitors with condition variables,
 * and a timer for one-shot delayed tasks.
 *
 * <h2>The primitives</h2>
 *
 * <ul>
 *   <li>{@link dev.syncprims.Mutex}: an owned lock that is not reentrant. A thread that
 *       tries to lock a mutex it already holds gets an exception instead of a deadlock.
 *   <li>{@link dev.syncprims.ReentrantMutex}: an owned lock that its holder may lock again;
 *       it counts holds.
 *   <li>{@link dev.syncprims.BinarySemaphore}: a single permit without an owner; any thread
 *       may release it, which makes it a signalling device as well as a lock.
 *   <li>{@link dev.syncprims.CountingSemaphore}: a count of permits, optionally bounded by
 *       a maximum that releases may not exceed.
 *   <li>{@link dev.syncprims.Monitor}: a reentrant monitor with any number of condition
 *       variables, with either Mesa (signal-and-continue) or Hoare (signal-and-urgent-wait)
 *       semantics.
 *   <li>{@link dev.syncprims.Timer} and {@link dev.syncprims.Timeout}: a service that runs
 *       tasks once after a delay, with cheap scheduling and cancellation.
 * </ul>
 *
 * <p>This package holds interfaces and small value types only. Instances come from the
 * factory {@code dev.syncprims.impl.Primitives} in the {@code dev.syncprims.impl} module.
 * Every primitive that can be held for a scope offers a helper returning a
 * {@link dev.syncprims.Held}, for use with try-with-resources:
 *
 * <pre>{@code
 * Mutex mutex = Primitives.mutex();
 * try (Held h = mutex.locked()) {
 *   // exclusive access here
 * }
 * }</pre>
 *
 * <h2>Fairness</h2>
 *
 * <p>Each primitive that queues threads has a {@link dev.syncprims.Fairness}:
 * {@link dev.syncprims.Fairness#BARGING BARGING} (the default) lets an arriving thread take
 * a free primitive ahead of queued threads, but once the thread at the head of the queue has
 * waited a bound of 1 ms and has run since, it is served before any thread that arrives
 * later, so no thread starves (the bound is stated exactly at
 * {@link dev.syncprims.Fairness#BARGING}). {@link dev.syncprims.Fairness#FIFO FIFO} admits threads strictly in arrival
 * order. The untimed try-methods may take a free primitive ahead of queued threads under
 * both policies.
 *
 * <h2>Memory consistency</h2>
 *
 * <p>Every primitive orders memory the way a lock does: whatever a thread did before it
 * releases a primitive (unlocking a mutex, releasing permits, leaving a monitor or waiting
 * on one of its conditions) happens-before whatever another thread does after it
 * successfully acquires that primitive (locking it, acquiring permits, entering the monitor
 * or returning from a wait). For a timer, whatever a thread did before it scheduled a task
 * happens-before the task runs. Each interface states the pairs that apply to it.
 *
 * <h2>Rules common to every blocking method</h2>
 *
 * <ol>
 *   <li><b>Order of checks.</b> Arguments are checked first: a {@code null} where a value is
 *       required throws {@link java.lang.NullPointerException} whose message names the
 *       parameter, then an argument out of range throws
 *       {@link java.lang.IllegalArgumentException}. Next comes the interrupted status: an
 *       interruptible method called by a thread whose interrupted status is set clears the
 *       status and throws {@link java.lang.InterruptedException}, even if it could have
 *       succeeded at once. Only then is the state of the primitive examined, including
 *       misuse such as releasing what the thread does not hold.
 *   <li><b>Timeouts.</b> A timeout is converted once into a deadline on the
 *       {@link java.lang.System#nanoTime()} clock, never the wall clock. A timeout
 *       {@code <= 0} does not wait at all: the method succeeds only if it can do so at once.
 *       A timeout too large to represent, such as {@link java.lang.Long#MAX_VALUE}
 *       nanoseconds, saturates instead of overflowing and means, in effect, forever.
 *   <li><b>Interrupts.</b> An interruptible method that is interrupted while waiting
 *       clears the interrupted status and throws {@link java.lang.InterruptedException}.
 *       If the interrupt and the end of the timeout race, the interrupt wins: the method
 *       throws rather than reporting a timeout.
 *   <li><b>Nothing acquired is lost.</b> An interrupt that races a successful acquisition
 *       may leave the thread holding what it acquired, returning normally with its
 *       interrupted status set; a method never throws
 *       {@link java.lang.InterruptedException} after it has acquired something, and never
 *       drops what it acquired.
 *   <li><b>Uninterruptible methods</b> keep waiting through interrupts and return with the
 *       interrupted status set.
 * </ol>
 *
 * <h2>Nullness</h2>
 *
 * <p>The whole package is null-marked: no parameter accepts {@code null} and no method
 * returns {@code null} unless the type is annotated
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.syncprims;

import org.jspecify.annotations.NullMarked;
