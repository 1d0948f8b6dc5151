package dev.syncprims;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A reentrant monitor: a region of mutual exclusion that at most one thread occupies at a
 * time, together with any number of condition variables on which the occupant can wait
 * until another occupant signals that something has changed.
 *
 * <p>A thread occupies the monitor by entering it ({@link #enter()} and its variants) and
 * leaves by calling {@link #exit()} as many times as it entered; the number of entries not
 * yet matched by an exit is its <em>depth</em>. Entering beyond the maximum depth supported
 * by the implementation (at least 65,535) throws {@link IllegalStateException} and leaves
 * the state unchanged.
 *
 * <h2>Mesa and Hoare semantics</h2>
 *
 * <p>The two classic monitor designs differ in who runs after a {@code signal()}:
 * <ul>
 *   <li>{@link Semantics#MESA MESA} (signal-and-continue, Lampson and Redell, 1980): the
 *       signaller keeps the monitor; the signalled thread moves to the entry queue and
 *       competes with other entrants. By the time it runs, another thread may have changed
 *       the state again, so a waiter must re-check its condition after every wake-up.
 *   <li>{@link Semantics#HOARE HOARE} (signal-and-urgent-wait, Hoare, 1974): the signaller
 *       hands the monitor directly to the signalled thread, which runs at once and finds
 *       the state exactly as the signaller left it; the signaller waits on an urgent queue
 *       and gets the monitor back, ahead of every entrant, when it is next released.
 * </ul>
 *
 * <p>{@link Condition#waitFor(BooleanSupplier)} re-checks the condition for the caller, so
 * code written with it is correct under both semantics. A bounded buffer:
 *
 * <pre>{@code
 * final class BoundedBuffer<E> {
 *   private final Monitor monitor = Primitives.hoareMonitor();
 *   private final Monitor.Condition notFull = monitor.newCondition();
 *   private final Monitor.Condition notEmpty = monitor.newCondition();
 *   private final Object[] items = new Object[16];
 *   private int head;
 *   private int count;
 *
 *   void put(E item) throws InterruptedException {
 *     try (Held h = monitor.entered()) {
 *       notFull.waitFor(() -> count < items.length);
 *       items[(head + count) % items.length] = item;
 *       count++;
 *       notEmpty.signal();   // under HOARE, a waiting taker runs right here
 *     }
 *   }
 *
 *   E take() throws InterruptedException {
 *     try (Held h = monitor.entered()) {
 *       notEmpty.waitFor(() -> count > 0);
 *       E item = (E) items[head];
 *       items[head] = null;
 *       head = (head + 1) % items.length;
 *       count--;
 *       notFull.signal();
 *       return item;
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Who may call what.</b> {@link #exit()} and the waiting and signalling methods of a
 * {@link Condition} may be called only by the thread that occupies the monitor; any other
 * thread gets {@link IllegalMonitorStateException}. The entry methods, {@link #entered()},
 * {@link #newCondition()} and the queries ({@link #isOccupied()},
 * {@link #isOccupiedByCurrentThread()}, {@link #getOccupiedDepth()},
 * {@link Condition#hasWaiters()}, {@link Condition#getWaitQueueLength()},
 * {@link #semantics()}, {@link #fairness()}) may be called by any thread.
 *
 * <p><b>Fairness</b> orders the entry queue. Under {@link Fairness#BARGING} (the default) a
 * thread that finds the monitor free may enter ahead of queued entrants, but once the head
 * of the entry queue has waited the bound of about 1 ms and has run since, it enters before
 * any thread that arrives later (exactly as {@link Fairness#BARGING} states). Under {@link Fairness#FIFO} entrants occupy the monitor in the
 * order they arrived. The untimed {@link #tryEnter()} may enter a free monitor ahead of
 * queued entrants under both policies. Under {@link Semantics#HOARE HOARE}, signalled
 * threads and then signallers on the urgent queue always come before entrants.
 *
 * <p><b>Memory consistency.</b> Whatever a thread does before it gives up the monitor (by
 * its last {@link #exit()}, by waiting on a condition, or by a Hoare {@code signal()})
 * happens-before whatever the next occupant does after it gains the monitor (by entering,
 * or by returning from a wait or a Hoare {@code signal()}).
 *
 * <p>Blocking methods follow the rules of the {@linkplain dev.syncprims package overview}:
 * arguments first, then the interrupted status, then the state of the monitor.
 */
public interface Monitor {

  /**
   * What a {@link Condition#signal()} does: the two classic designs of monitors.
   */
  enum Semantics {

    /**
     * Signal-and-continue (Lampson and Redell, 1980). {@link Condition#signal()} moves the
     * longest-waiting thread of that condition to the entry queue, and the signaller keeps
     * the monitor. The woken thread competes for the monitor again like any entrant, and
     * must re-check its condition when it gets it, since other threads may have changed the
     * state in between; {@link Condition#waitFor(BooleanSupplier)} does that loop.
     * {@link Condition#signalAll()} moves all the waiting threads of that condition.
     */
    MESA,

    /**
     * Signal-and-urgent-wait (Hoare, 1974). {@link Condition#signal()} hands the monitor
     * directly to the longest-waiting thread of that condition, which resumes before any
     * other thread can occupy the monitor, so it sees exactly the state the signaller
     * established. The signaller waits on the urgent queue and gets the monitor back, with
     * its depth restored, when the monitor is next released, ahead of every thread waiting
     * to enter. {@code signal()} with no waiters does nothing.
     * {@link Condition#signalAll()} wakes the threads waiting at the time of the call one
     * at a time, each receiving the monitor directly, as if the signaller called
     * {@code signal()} once per waiter. A waiter whose wait ends by timeout or interrupt is
     * not handed the monitor: it re-enters like an entrant.
     */
    HOARE
  }

  /**
   * A condition variable of a {@link Monitor}: a queue of occupants that wait, having given
   * up the monitor, until another occupant signals them.
   *
   * <p>Every waiting method gives up the monitor completely, whatever the caller's depth,
   * and occupies it again before it returns or throws, whether the wait ends by a signal, a
   * timeout or an interrupt; the caller's depth is then restored to its value before the
   * wait. Waits never end spuriously: a waiting method returns only because the thread was
   * signalled, its waiting time elapsed, or it was interrupted. What a signal does depends
   * on the monitor's {@linkplain Monitor#semantics() semantics}.
   *
   * <p>A timeout {@code <= 0} does not wait: the timed methods return at once, reporting the
   * timeout, without giving up the monitor. An interrupt, whether the status was set on
   * entry or arrives during the wait, clears the interrupted status and makes the method
   * throw {@link InterruptedException} once the thread occupies the monitor again; it wins
   * over a timeout that ends at the same time. A thread that has already been signalled
   * when the interrupt arrives returns normally with its interrupted status set, so the
   * signal is not lost.
   */
  interface Condition {

    /**
     * Gives up the monitor and waits until this thread is signalled or interrupted, then
     * occupies the monitor again at its former depth.
     *
     * @throws InterruptedException if the calling thread is interrupted on entry or while
     *     waiting; it occupies the monitor again at its former depth when this is thrown
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     *     (and is not interrupted)
     */
    void await() throws InterruptedException;

    /**
     * Gives up the monitor and waits until this thread is signalled, then occupies the
     * monitor again at its former depth.
     *
     * <p>Waiting is not interruptible: if the thread is interrupted while it waits, it keeps
     * waiting and returns, after a signal, with its interrupted status set.
     *
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     */
    void awaitUninterruptibly();

    /**
     * Gives up the monitor and waits until this thread is signalled or interrupted, or the
     * waiting time elapses, then occupies the monitor again at its former depth.
     *
     * <p>A timeout {@code <= 0} does not wait and does not give up the monitor; the method
     * returns a value {@code <= 0} at once. A timeout of {@link Long#MAX_VALUE} waits, in
     * effect, forever.
     *
     * @param nanosTimeout the maximum time to wait, in nanoseconds
     * @return an estimate of the waiting time left when the wait ended: positive if the
     *     thread was signalled in time, {@code <= 0} if the waiting time elapsed. The time
     *     spent occupying the monitor again is not subtracted, so a caller can pass the
     *     result to the next call to wait for the rest of its original timeout.
     * @throws InterruptedException if the calling thread is interrupted on entry or while
     *     waiting; it occupies the monitor again at its former depth when this is thrown
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     *     (and is not interrupted)
     */
    long awaitNanos(long nanosTimeout) throws InterruptedException;

    /**
     * Gives up the monitor and waits until this thread is signalled or interrupted, or the
     * waiting time elapses, then occupies the monitor again at its former depth.
     *
     * <p>A timeout {@code <= 0} does not wait and does not give up the monitor; the method
     * returns {@code false} at once. A timeout that saturates to {@link Long#MAX_VALUE}
     * nanoseconds waits, in effect, forever.
     *
     * @param time the maximum time to wait, in {@code unit}s
     * @param unit the unit of {@code time}
     * @return {@code true} if the thread was signalled; {@code false} if the waiting time
     *     elapsed first
     * @throws NullPointerException if {@code unit} is {@code null}; the message names the
     *     parameter
     * @throws InterruptedException if the calling thread is interrupted on entry or while
     *     waiting; it occupies the monitor again at its former depth when this is thrown
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     *     (and is not interrupted)
     */
    boolean await(long time, TimeUnit unit) throws InterruptedException;

    /**
     * Waits on this condition until {@code guard} is true. The guard is evaluated only
     * while the calling thread occupies the monitor: first on entry to this method and then
     * after every wake-up, and the method returns as soon as it yields {@code true}, so
     * that the caller continues holding the monitor with the guard true. If the guard is
     * already true, the method returns without waiting.
     *
     * <p>The waits are done with {@link #await()}. If the guard throws, the exception
     * propagates and the caller still occupies the monitor at its former depth.
     *
     * @param guard the condition to wait for; evaluated while occupying the monitor
     * @throws NullPointerException if {@code guard} is {@code null}; the message names the
     *     parameter
     * @throws InterruptedException if the calling thread is interrupted on entry or while
     *     waiting; it occupies the monitor again at its former depth when this is thrown
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     *     (and is not interrupted)
     */
    void waitFor(BooleanSupplier guard) throws InterruptedException;

    /**
     * Waits on this condition until {@code guard} is true or the waiting time elapses. The
     * guard is evaluated only while the calling thread occupies the monitor: first on entry
     * to this method and then after every wake-up. If the guard is already true, the method
     * returns {@code true} without waiting, whatever the timeout.
     *
     * <p>The waiting time is measured once, from the call, across all the wake-ups. When it
     * has elapsed with the guard still false, the method returns {@code false}. A timeout
     * {@code <= 0} does not wait: the guard is evaluated once. A timeout that saturates to
     * {@link Long#MAX_VALUE} nanoseconds waits, in effect, forever. If the guard throws, the
     * exception propagates and the caller still occupies the monitor at its former depth.
     *
     * @param guard the condition to wait for; evaluated while occupying the monitor
     * @param time the maximum time to wait, in {@code unit}s
     * @param unit the unit of {@code time}
     * @return {@code true} if the guard was true when the method returned; {@code false} if
     *     the waiting time elapsed with the guard still false
     * @throws NullPointerException if {@code guard} or {@code unit} is {@code null}; the
     *     message names the parameter
     * @throws InterruptedException if the calling thread is interrupted on entry or while
     *     waiting; it occupies the monitor again at its former depth when this is thrown
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     *     (and is not interrupted)
     */
    boolean waitFor(BooleanSupplier guard, long time, TimeUnit unit)
        throws InterruptedException;

    /**
     * Wakes the thread that has waited longest on this condition, if any.
     *
     * <p>Under {@link Semantics#MESA MESA} the woken thread moves to the entry queue and
     * the caller keeps the monitor; this method does not block. Under
     * {@link Semantics#HOARE HOARE} the caller hands the monitor directly to the woken
     * thread and waits, uninterruptibly, on the urgent queue until the monitor is released
     * to it again, ahead of every entrant; it then returns at its former depth. If the
     * caller is interrupted during that wait, it returns with its interrupted status set.
     * With no waiters this method does nothing under both semantics.
     *
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     */
    void signal();

    /**
     * Wakes every thread waiting on this condition at the time of the call.
     *
     * <p>Under {@link Semantics#MESA MESA} they all move to the entry queue and the caller
     * keeps the monitor; this method does not block. Under {@link Semantics#HOARE HOARE}
     * they are woken one at a time, longest-waiting first, each receiving the monitor
     * directly, as if the caller called {@link #signal()} once per waiter; the caller gets
     * the monitor back after the last of them releases it. Threads that start waiting
     * after the call are not woken by it. With no waiters this method does nothing.
     *
     * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor
     */
    void signalAll();

    /**
     * Tells whether any thread is waiting on this condition. Any thread may call this
     * method; the answer may be out of date by the time it is used.
     *
     * @return {@code true} if at least one thread waits on this condition
     */
    boolean hasWaiters();

    /**
     * Returns an estimate of the number of threads waiting on this condition. Any thread
     * may call this method; the value may change while it is being computed.
     *
     * @return the number of waiting threads, {@code >= 0}
     */
    int getWaitQueueLength();
  }

  /**
   * Occupies the monitor, waiting as long as necessary. If the calling thread already
   * occupies it, adds one to its depth and returns at once; otherwise returns once the
   * calling thread occupies the monitor at depth one.
   *
   * <p>Waiting is not interruptible: if the thread is interrupted while it waits, it keeps
   * waiting and returns occupying the monitor with its interrupted status set.
   *
   * @throws IllegalStateException if the calling thread's depth is already at the maximum;
   *     the state is unchanged
   */
  void enter();

  /**
   * Occupies the monitor unless the calling thread is interrupted. If the calling thread
   * already occupies it, adds one to its depth and returns at once; otherwise returns once
   * the calling thread occupies the monitor.
   *
   * <p>If the thread's interrupted status is set on entry, this method clears it and throws
   * {@link InterruptedException}, even if the monitor is free or already occupied by the
   * caller. If the thread is interrupted while waiting, it stops waiting, the status is
   * cleared and {@link InterruptedException} is thrown. An interrupt that arrives after the
   * monitor has been handed to the thread does not take it away: the method then returns
   * normally, occupying the monitor, with the interrupted status set.
   *
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; its depth is unchanged
   * @throws IllegalStateException if the calling thread's depth is already at the maximum;
   *     the state is unchanged
   */
  void enterInterruptibly() throws InterruptedException;

  /**
   * Occupies the monitor only if it is free or already occupied by the calling thread;
   * never waits.
   *
   * <p>This method may enter a free monitor ahead of queued entrants, under
   * {@link Fairness#FIFO} as well as {@link Fairness#BARGING}, but never ahead of a thread
   * that a Hoare signal is handing the monitor to or a signaller on the urgent queue. The
   * interrupted status is neither checked nor changed.
   *
   * @return {@code true} if the calling thread now occupies the monitor (its depth went up
   *     by one); {@code false} otherwise
   * @throws IllegalStateException if the calling thread's depth is already at the maximum;
   *     the state is unchanged
   */
  boolean tryEnter();

  /**
   * Occupies the monitor if it is already occupied by the calling thread or becomes free
   * within the given waiting time, unless the calling thread is interrupted.
   *
   * <p>Returns {@code true} as soon as the calling thread occupies the monitor (at once if
   * it occupied it already), or {@code false} when the waiting time has elapsed first. A
   * timeout {@code <= 0} does not wait: the method enters only if it can do so at once, and
   * under {@link Fairness#FIFO} a free monitor is entered only if no thread is queued. A
   * timeout that saturates to {@link Long#MAX_VALUE} nanoseconds waits, in effect, forever.
   *
   * <p>If the thread's interrupted status is set on entry, or it is interrupted while
   * waiting, the status is cleared and {@link InterruptedException} is thrown. An interrupt
   * wins over a timeout that elapses at the same time. An interrupt that arrives after the
   * monitor has been handed to the thread does not take it away: the method then returns
   * {@code true} with the interrupted status set.
   *
   * @param time the maximum time to wait, in {@code unit}s
   * @param unit the unit of {@code time}
   * @return {@code true} if the calling thread now occupies the monitor; {@code false} if
   *     the waiting time elapsed first
   * @throws NullPointerException if {@code unit} is {@code null}; the message names the
   *     parameter
   * @throws InterruptedException if the calling thread is interrupted on entry or while
   *     waiting; its depth is unchanged
   * @throws IllegalStateException if the calling thread's depth is already at the maximum;
   *     the state is unchanged
   */
  boolean tryEnter(long time, TimeUnit unit) throws InterruptedException;

  /**
   * Removes one from the calling thread's depth. When the depth reaches zero the monitor
   * is released: under {@link Semantics#HOARE HOARE} to a signaller waiting on the urgent
   * queue if there is one, otherwise to the entry queue according to the fairness policy.
   * Never blocks.
   *
   * @throws IllegalMonitorStateException if the calling thread does not occupy the monitor;
   *     nothing changes
   */
  void exit();

  /**
   * Occupies the monitor with {@link #enter()} and returns a handle whose
   * {@link Held#close()} exits it once, for use with try-with-resources:
   *
   * <pre>{@code
   * try (Held h = monitor.entered()) {
   *   // the monitor is occupied here
   * }
   * }</pre>
   *
   * <p>Waiting is not interruptible, as with {@link #enter()}. The handle's {@code close()}
   * must be called by the thread that entered; a second {@code close()} throws
   * {@link IllegalStateException}.
   *
   * @return a handle that exits the monitor once when closed
   * @throws IllegalStateException if the calling thread's depth is already at the maximum;
   *     the state is unchanged
   */
  Held entered();

  /**
   * Tells whether some thread occupies the monitor. Any thread may call this method; the
   * answer may be out of date by the time it is used.
   *
   * @return {@code true} if the monitor is occupied by any thread
   */
  boolean isOccupied();

  /**
   * Tells whether the calling thread occupies the monitor. Any thread may call this
   * method; the answer is exact, since only the calling thread can change it.
   *
   * @return {@code true} if the calling thread occupies the monitor
   */
  boolean isOccupiedByCurrentThread();

  /**
   * Returns the calling thread's depth: the number of its entries not yet matched by an
   * exit. Any thread may call this method.
   *
   * @return the calling thread's depth, or 0 if it does not occupy the monitor
   */
  int getOccupiedDepth();

  /**
   * Returns a new condition variable bound to this monitor. Any thread may call this
   * method.
   *
   * @return a new condition with this monitor's semantics
   */
  Condition newCondition();

  /**
   * Returns the signalling semantics chosen when this monitor was created.
   *
   * @return {@link Semantics#MESA} or {@link Semantics#HOARE}
   */
  Semantics semantics();

  /**
   * Returns the fairness policy of the entry queue, chosen when this monitor was created.
   *
   * @return the fairness policy, never {@code null}
   */
  Fairness fairness();
}
