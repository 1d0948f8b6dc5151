package dev.syncprims;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A service that runs tasks once, after a delay: the service form of Python's
 * {@code threading.Timer}. Scheduling returns a {@link Timeout}, a handle through which the
 * task can be cancelled or its progress observed.
 *
 * <pre>{@code
 * try (Timer timer = Primitives.timer()) {
 *   Timeout t = timer.schedule(() -> connection.abort(), Duration.ofSeconds(30));
 *   connection.send(request);
 *   t.cancel();   // the request finished in time; the abort will not run
 * }
 * }</pre>
 *
 * <p><b>Clock.</b> Deadlines are computed from {@link System#nanoTime()}, a monotonic clock,
 * when a task is scheduled; changes to the wall clock never move them. A task runs no
 * earlier than its deadline, and as soon after it as the timer's resolution (its tick) and
 * the scheduling of its thread allow. A delay so large that the deadline cannot be
 * represented saturates, and such a task will in effect never run.
 *
 * <p><b>Failures.</b> A task that throws does not stop the timer: the exception is passed to
 * the timer's exception handler (by default the uncaught-exception handler of the thread
 * that ran the task), and later tasks run as scheduled.
 *
 * <p><b>Memory consistency.</b> Whatever a thread does before it schedules a task
 * happens-before the task starts running. Whatever the task does happens-before another
 * thread sees its {@link Timeout#state() state} as {@link Timeout.State#DONE DONE}.
 *
 * <p>A timer owns a thread and must be {@linkplain #close() closed} when no longer needed.
 */
public interface Timer extends AutoCloseable {

  /**
   * Schedules {@code task} to run once, after {@code delay}. A delay {@code <= 0} makes the
   * task due at once: it runs as soon as possible. The deadline is taken from
   * {@link System#nanoTime()} during this call.
   *
   * @param task the task to run
   * @param delay the time from now until the task is due, in {@code unit}s
   * @param unit the unit of {@code delay}
   * @return a handle for cancelling or observing the task
   * @throws NullPointerException if {@code task} or {@code unit} is {@code null}; the
   *     message names the parameter
   * @throws java.util.concurrent.RejectedExecutionException if the timer has been closed,
   *     or if it already holds as many pending tasks as its configured bound allows
   */
  Timeout schedule(Runnable task, long delay, TimeUnit unit);

  /**
   * Schedules {@code task} to run once, after {@code delay}. A zero or negative delay makes
   * the task due at once: it runs as soon as possible. A delay too long to represent in
   * nanoseconds saturates. The deadline is taken from {@link System#nanoTime()} during this
   * call.
   *
   * @param task the task to run
   * @param delay the time from now until the task is due
   * @return a handle for cancelling or observing the task
   * @throws NullPointerException if {@code task} or {@code delay} is {@code null}; the
   *     message names the parameter
   * @throws java.util.concurrent.RejectedExecutionException if the timer has been closed,
   *     or if it already holds as many pending tasks as its configured bound allows
   */
  Timeout schedule(Runnable task, Duration delay);

  /**
   * Schedules {@code task} to run periodically, first after {@code initialDelay}, then at
   * the rate of one run per {@code period}, as
   * {@link java.util.concurrent.ScheduledExecutorService#scheduleAtFixedRate} does: runs never
   * overlap, and a run that is late is not repeated to catch up more than once.
   *
   * <p>The returned timeout is {@link Timeout.State#PENDING PENDING} between runs,
   * {@link Timeout.State#RUNNING RUNNING} during one, and its deadline is that of the next
   * run. Unlike {@code ScheduledExecutorService}, a run that throws does not end the schedule:
   * the exception goes to the timer's exception handler and the next run happens. The
   * schedule ends when the timeout is {@linkplain Timeout#cancel() cancelled} or the timer is
   * closed.
   *
   * @param task the task to run
   * @param initialDelay the time from now until the first run; {@code <= 0} for at once
   * @param period the time between the deadlines of two runs, positive
   * @return a handle for cancelling or observing the schedule
   * @throws NullPointerException if an argument is {@code null}; the message names it
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws java.util.concurrent.RejectedExecutionException if the timer has been closed,
   *     or if it already holds as many pending tasks as its configured bound allows
   */
  Timeout scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

  /**
   * Schedules {@code task} to run periodically, first after {@code initialDelay}, then
   * {@code delay} after the end of each run, as
   * {@link java.util.concurrent.ScheduledExecutorService#scheduleWithFixedDelay} does. The
   * timeout, a run that throws and the end of the schedule behave as in
   * {@link #scheduleAtFixedRate}.
   *
   * @param task the task to run
   * @param initialDelay the time from now until the first run; {@code <= 0} for at once
   * @param delay the time from the end of a run to the deadline of the next, positive
   * @return a handle for cancelling or observing the schedule
   * @throws NullPointerException if an argument is {@code null}; the message names it
   * @throws IllegalArgumentException if {@code delay} is not positive
   * @throws java.util.concurrent.RejectedExecutionException if the timer has been closed,
   *     or if it already holds as many pending tasks as its configured bound allows
   */
  Timeout scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay);

  /**
   * Returns the number of tasks that have been scheduled and have neither started running
   * nor been cancelled (a periodic schedule counts as one until it ends). The value is exact when no other thread is scheduling or cancelling,
   * and otherwise a snapshot that may already be out of date; it is meant for monitoring.
   *
   * @return the number of pending tasks, {@code >= 0}
   */
  int pendingCount();

  /**
   * Shuts the timer down. From this call on, scheduling throws
   * {@link java.util.concurrent.RejectedExecutionException}. Every pending task is
   * cancelled and will not run; its {@link Timeout} reports
   * {@link Timeout.State#CANCELLED CANCELLED}, from the return of this call on and for ever.
   * Every periodic schedule ends: no run starts after this call returns. A task that is
   * already running is neither interrupted nor waited for: it runs to the end, and the
   * timer's thread ends after it.
   *
   * <p>Closing is idempotent: calls after the first do nothing. It never blocks and never
   * throws a checked exception.
   */
  @Override
  void close();
}
