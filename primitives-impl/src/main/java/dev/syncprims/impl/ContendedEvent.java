package dev.syncprims.impl;

import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import org.jspecify.annotations.Nullable;

/**
 * The JFR event {@code dev.syncprims.Contended}: a thread waited to acquire a primitive of this
 * library (a lock, a semaphore, a monitor's entry), for at least the threshold (20 ms unless the
 * recording says otherwise). Its duration is the wait; it names the primitive, the thread that
 * held it when the wait began (or the holders of a semaphore, when known), how many threads were
 * queued, and whether the wait ended with the primitive acquired (or with a timeout or an
 * interrupt). Internal; not part of the API: see {@code docs/jfr-events.md}.
 */
@Name(ContendedEvent.NAME)
@Category("syncprims")
@Label("Contended Acquire")
@Description(
    "A thread waited to acquire a lock, semaphore or monitor of the syncprims library; the"
        + " duration is the wait")
@Threshold("20 ms")
@StackTrace(true)
final class ContendedEvent extends Event {
  /* Implementation notes
   *
   * begin() is called after the thread has queued and failed its last try, just before it
   * parks; end() after it stops waiting. The fields that describe the primitive are read at
   * begin (toString() takes the queue's lock briefly: this is the slow path, and only while the
   * event is enabled). JFR's own threshold test (shouldCommit, after end) decides whether the
   * event is written; the stack trace is taken only then.
   */

  static final String NAME = "dev.syncprims.Contended";

  @Label("Primitive Class")
  @Description("The class of the primitive waited for")
  @Nullable Class<?> primitiveClass;

  @Label("Primitive")
  @Description("The primitive's toString() when the wait began: its state and queue")
  @Nullable String primitive;

  @Label("Owner")
  @Description("The thread that held the lock when the wait began (none for a semaphore)")
  @Nullable Thread owner;

  @Label("Holders")
  @Description(
      "The names of the threads known to hold the primitive when the wait began: the owner of a"
          + " lock; the threads holding permits of a semaphore while deadlock detection is on")
  @Nullable String holders;

  @Label("Queue Length")
  @Description("The number of threads queued when the wait began, the waiting thread included")
  int queueLength;

  @Label("Acquired")
  @Description("Whether the wait ended with the primitive acquired (not timed out or interrupted)")
  boolean acquired;

  /** Begins the event for a wait of the calling thread for {@code p}. */
  static Object begin(Object p, int queueLength) {
    ContendedEvent e = new ContendedEvent();
    e.primitiveClass = p.getClass();
    List<Thread> holders = Deadlocks.holdersOf(p);
    if (p instanceof OwnedLock && holders.size() == 1) {
      e.owner = holders.get(0);
    }
    e.holders = JfrEvents.threadNames(holders);
    e.primitive = p.toString();
    e.queueLength = queueLength;
    e.begin();
    return e;
  }

  /** Ends {@code event} (from {@link #begin}) and commits it if it passes the threshold. */
  static void end(Object event, boolean acquired) {
    ContendedEvent e = (ContendedEvent) event;
    e.end();
    if (e.shouldCommit()) {
      e.acquired = acquired;
      e.commit();
    }
  }
}
