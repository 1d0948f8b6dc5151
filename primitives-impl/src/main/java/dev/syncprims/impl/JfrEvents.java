package dev.syncprims.impl;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import org.jspecify.annotations.Nullable;

/**
 * Records the library's JFR events; reached only through {@link Events}, and only when {@code
 * jdk.jfr} is there. Internal; not part of the API.
 *
 * <p>Every method returns at once, having allocated nothing, unless a recording is running with
 * the event enabled. An event is then created, and what it describes (a primitive's {@code
 * toString()}, thread names) is computed only if the event will be committed, except for {@code
 * dev.syncprims.Contended}, whose primitive and holders are taken when the wait begins (that is
 * when they say who blocks the thread).
 */
final class JfrEvents {
  /* Implementation notes
   *
   * 1. Never load an event class before JFR is initialized. On JDK 17 and later, loading a
   *    subclass of jdk.jfr.Event registers it, and the first registration brings up JFR's metadata
   *    repository: hundreds of milliseconds, and memory, for an application that never records.
   *    So nothing here loads an event class until FlightRecorder.isInitialized() (a static
   *    volatile read) says that JFR is up, which it is once any recording has been created (by
   *    -XX:StartFlightRecording, jcmd JFR.start, JMC, or new Recording()); it stays up for the
   *    life of the JVM. The event classes are used only through their own static methods and
   *    class literals, which the verifier of this class does not load.
   *
   * 2. Registration, once, by the first caller that finds JFR up (REGISTERING elects it):
   *    EventType.getEventType registers each event class (loading it, instrumented) and returns
   *    its EventType, published in a volatile field. Until then, the other callers record
   *    nothing: they do not queue up behind it on JFR's locks and the class loader (many threads
   *    arrive at once when a contended lock is what made the first one call). No class
   *    initializer does the work, so no thread waits for another's initialization of this class.
   *    These calls come from a thread that has queued for a primitive: if registering throws (a
   *    security manager that denies it), the events are given up for good rather than let the
   *    exception out of the waiting core.
   *
   * 3. The enabled check: EventType.isEnabled(), true while a running recording enables the
   *    event type (JFR's own field, set when recordings start and stop). A disabled event costs
   *    the volatile read of the field `types` and that check. An enabled event that does not pass
   *    its threshold costs an event object and, for Contended, what begin() takes (see the class
   *    comment).
   */

  /** The registered event types (note 2); null until JFR is up and they are registered. */
  private static volatile @Nullable Types types;

  private JfrEvents() {}

  /** The three event types, registered together. */
  private static final class Types {
    final EventType contended = EventType.getEventType(ContendedEvent.class);
    final EventType timerLate = EventType.getEventType(TimerLateEvent.class);
    final EventType deadlockDetected = EventType.getEventType(DeadlockDetectedEvent.class);
  }

  /** Set by the one thread that registers the types (note 2); never cleared. */
  private static final AtomicBoolean REGISTERING = new AtomicBoolean();

  /** The registered types, or null while JFR is not initialized (notes 1 and 2). */
  private static @Nullable Types types() {
    Types t = types;
    if (t == null
        && FlightRecorder.isInitialized()
        && !REGISTERING.get() // no write to the flag's line by every waiter meanwhile
        && REGISTERING.compareAndSet(false, true)) {
      try {
        t = new Types();
        types = t;
      } catch (RuntimeException | LinkageError e) {
        return null; // for one, a security manager that denies registering events: given up
      }
    }
    return t;
  }

  /** See {@link Events#beginContended}. */
  static @Nullable Object beginContended(Object primitive, int queueLength) {
    Types t = types();
    if (t == null || !t.contended.isEnabled()) {
      return null;
    }
    return ContendedEvent.begin(primitive, queueLength);
  }

  /** See {@link Events#endContended}. */
  static void endContended(Object event, boolean acquired) {
    ContendedEvent.end(event, acquired);
  }

  /** See {@link Events#timerLate}. */
  static void timerLate(Object task, long latenessNanos) {
    Types t = types();
    if (t == null || !t.timerLate.isEnabled()) {
      return;
    }
    TimerLateEvent.record(task, latenessNanos);
  }

  /** See {@link Events#deadlockDetected}. */
  static void deadlockDetected(List<Thread> threads, List<Object> primitives, String message) {
    Types t = types();
    if (t == null || !t.deadlockDetected.isEnabled()) {
      return;
    }
    DeadlockDetectedEvent.record(threads, primitives, message);
  }

  /**
   * A thread's name, quoted, or {@code thread #id} when it has none (as virtual threads usually
   * do). Not the thread's {@code toString()}: a virtual thread's takes a monitor, and a virtual
   * thread that blocks on a monitor here, with the primitive's queue frames below, could pin its
   * carrier.
   */
  static String threadName(Thread t) {
    String name = t.getName();
    return name.isEmpty() ? "thread #" + t.getId() : "\"" + name + "\"";
  }

  /** The names of {@code threads}, comma-separated. */
  static String threadNames(List<Thread> threads) {
    StringBuilder b = new StringBuilder();
    for (Thread t : threads) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(threadName(t));
    }
    return b.toString();
  }
}
