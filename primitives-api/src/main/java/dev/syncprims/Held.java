package dev.syncprims;

/**
 * A handle on something a thread has taken (a mutex, permits, a monitor), which gives it
 * back when closed. Handles are returned by the {@code locked()}, {@code acquired()} and
 * {@code entered()} helpers so that a try-with-resources statement releases what it took:
 *
 * <pre>{@code
 * try (Held h = mutex.locked()) {
 *   balance += amount;
 * }
 * }</pre>
 *
 * <p>A handle is good for exactly one release. It is not thread-safe in itself, and it
 * does not change who may release: the handle of an owned primitive (a mutex or a monitor)
 * must be closed by the thread that took it, while a semaphore's handle may be closed by
 * any thread.
 */
public interface Held extends AutoCloseable {

  /**
   * Releases exactly what was taken when this handle was created: one hold of a mutex,
   * one level of a monitor's depth, or the permits that were acquired. Closing a handle
   * never throws a checked exception.
   *
   * @throws IllegalStateException if this handle has already been closed; nothing is
   *     released a second time
   * @throws IllegalMonitorStateException if the handle belongs to an owned primitive and
   *     the calling thread does not hold it (for example, a different thread closes it)
   */
  @Override
  void close();
}
