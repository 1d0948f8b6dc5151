package dev.syncprims;

import java.util.concurrent.TimeUnit;

/**
 * The handle of a task scheduled on a {@link Timer}: it can cancel the task before it runs,
 * and it reports where the task is in its life.
 *
 * <pre>{@code
 * Timeout t = timer.schedule(this::expire, 5, TimeUnit.SECONDS);
 * ...
 * if (t.cancel()) {
 *   // expire() will never run
 * }
 * }</pre>
 *
 * <p>A timeout moves through its {@linkplain State states} once, in one of two ways:
 * {@code PENDING -> RUNNING -> DONE}, or {@code PENDING -> CANCELLED}. The timeout of a
 * periodic task goes from {@code RUNNING} back to {@code PENDING} after each run, and ends
 * {@code CANCELLED}. {@code DONE} and {@code CANCELLED} are final: once {@link #state()} has
 * returned one of them, it returns it forever. All methods may be called by any thread and
 * never block.
 *
 * <p><b>Memory consistency.</b> Whatever the task does happens-before another thread sees
 * {@link State#DONE DONE} from {@link #state()}.
 */
public interface Timeout {

  /**
   * Where a scheduled task is in its life.
   */
  enum State {

    /** Scheduled, and neither started nor cancelled yet. */
    PENDING,

    /** The timer has started the task and it has not yet finished. */
    RUNNING,

    /** The task has finished, whether it returned normally or threw. */
    DONE,

    /**
     * The task was cancelled before it started, and will never run (for a periodic task: no
     * run will start again). Closing the timer cancels its pending timeouts.
     */
    CANCELLED
  }

  /**
   * Cancels the task if it has not started yet.
   *
   * <p>Returns {@code true} if and only if this call prevented the task from running: the
   * timeout was {@link State#PENDING PENDING} and is now {@link State#CANCELLED CANCELLED}.
   * Returns {@code false} if the task is running or done, or if it was already cancelled
   * (by an earlier call or by closing the timer). When a cancel and the task's deadline
   * race, exactly one wins: either this method returns {@code true} and the task never
   * runs, or it returns {@code false} and the task runs. A running task is never
   * interrupted.
   *
   * <p>For a periodic task, returns {@code true} if and only if this call prevented at least
   * the next run; no run starts after it returns (a run in progress finishes).
   *
   * <p>After a successful cancel the timer holds no reference to the task, so whatever the
   * task refers to can be garbage-collected at once, long before the deadline. Once the
   * timeout is {@link State#DONE DONE} or {@link State#CANCELLED CANCELLED}, also by closing
   * the timer, this method returns {@code false}.
   *
   * @return {@code true} if this call prevented the task from running
   */
  boolean cancel();

  /**
   * Returns the current state of the task. The answer may be out of date by the time it is
   * used, except for {@link State#DONE DONE} and {@link State#CANCELLED CANCELLED}, which
   * are final.
   *
   * @return the current state
   */
  State state();

  /**
   * Tells whether the task was cancelled before it started. Equivalent to
   * {@code state() == State.CANCELLED}.
   *
   * @return {@code true} if the task was cancelled and will never run
   */
  boolean isCancelled();

  /**
   * Returns the time at which the task is due, on the {@link System#nanoTime()} scale. Like
   * any value of that clock, it is meaningful only when compared, by subtraction, with
   * other values of it in the same process: {@code deadlineNanos() - System.nanoTime()} is
   * the time left until the task is due, negative once the deadline has passed.
   *
   * @return the deadline, in {@link System#nanoTime()} nanoseconds
   */
  long deadlineNanos();

  /**
   * Returns the time left until the deadline (of the next run, for a periodic task), in
   * {@code unit}, negative once the deadline has passed, as
   * {@link java.util.concurrent.Delayed#getDelay(TimeUnit)} does.
   *
   * @param unit the unit of the result
   * @return the time left until the deadline, truncated to {@code unit}
   * @throws NullPointerException if {@code unit} is {@code null}; the message names it
   */
  long getDelay(TimeUnit unit);
}
