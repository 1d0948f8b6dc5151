package dev.syncprims.impl;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The library's JFR events, behind a facade that names no type of {@code jdk.jfr}: the library
 * must load and run where that module is not resolved. Internal; not part of the API.
 *
 * <p>Called only on slow paths: before and after a thread waits in an entry queue, when the
 * timer's worker starts a task late, when deadlock detection refuses a wait.
 */
final class Events {
  private Events() {}

  /**
   * Called by a thread about to wait for {@code primitive}, with {@code queueLength} threads
   * queued (itself included). Returns the event to end with {@link #endContended}, or null when
   * the event is not being recorded.
   */
  static @Nullable Object beginContended(Object primitive, int queueLength) {
    return null;
  }

  /** Ends a wait begun with {@link #beginContended}; {@code acquired} says how it ended. */
  static void endContended(Object event, boolean acquired) {}

  /** Called by the timer's worker for a task that starts {@code latenessNanos} after its deadline. */
  static void timerLate(Object task, long latenessNanos) {}

  /** Called when deadlock detection refuses a wait that would close the given cycle. */
  static void deadlockDetected(List<Thread> threads, List<Object> primitives, String message) {}
}
