package dev.syncprims.impl;

import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * The JFR event {@code dev.syncprims.DeadlockDetected}: deadlock detection (system property
 * {@code dev.syncprims.deadlockDetection=true}) refused a wait that would have closed a cycle, and
 * the waiting thread got a {@link dev.syncprims.DeadlockException}. It gives the exception's
 * message, the threads and primitives of the cycle, and the cycle's length; its stack trace is the
 * refused acquire's. Internal; not part of the API: see {@code docs/jfr-events.md}.
 */
@Name(DeadlockDetectedEvent.NAME)
@Category("syncprims")
@Label("Deadlock Detected")
@Description(
    "A wait for a lock or monitor of the syncprims library would have closed a deadlock and was"
        + " refused with a DeadlockException")
@StackTrace(true)
final class DeadlockDetectedEvent extends Event {
  /* Implementation notes
   *
   * An event without duration, committed once per refused wait (DeadlockDetection finds each
   * cycle once), from the thread that found it, before the exception is thrown. The strings are
   * built only after shouldCommit() said the event is wanted.
   */

  static final String NAME = "dev.syncprims.DeadlockDetected";

  @Label("Message")
  @Description("The message of the DeadlockException")
  @Nullable String message;

  @Label("Threads")
  @Description("The names of the threads of the cycle, in cycle order: each waits for the next")
  @Nullable String threads;

  @Label("Primitives")
  @Description(
      "The toString() of the primitives of the cycle, separated by \"; \": the i-th thread waits"
          + " for the i-th primitive, held by the next thread")
  @Nullable String primitives;

  @Label("Cycle Length")
  @Description("The number of threads in the cycle")
  int cycleLength;

  /** Records the refused wait that would have closed the cycle of {@code threads}. */
  static void record(List<Thread> threads, List<Object> primitives, String message) {
    DeadlockDetectedEvent e = new DeadlockDetectedEvent();
    if (e.shouldCommit()) {
      e.message = message;
      e.threads = JfrEvents.threadNames(threads);
      StringBuilder b = new StringBuilder();
      for (Object p : primitives) {
        if (b.length() > 0) {
          b.append("; ");
        }
        b.append(p);
      }
      e.primitives = b.toString();
      e.cycleLength = threads.size();
      e.commit();
    }
  }
}
