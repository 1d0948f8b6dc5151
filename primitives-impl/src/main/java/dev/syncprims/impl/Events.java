package dev.syncprims.impl;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The library's JFR events, behind a facade that names no type of {@code jdk.jfr}: the library
 * must load and run where that module is not resolved. Internal; not part of the API.
 *
 * <p>Called only on slow paths: before and after a thread waits in an entry queue, when the
 * timer's worker starts a task late, when deadlock detection refuses a wait. The events are
 * {@code dev.syncprims.Contended}, {@code dev.syncprims.TimerLate} and {@code
 * dev.syncprims.DeadlockDetected}, in the category "syncprims" ({@link JfrEvents} records them).
 */
final class Events {
  /* Implementation notes
   *
   * 1. Where jdk.jfr is missing. The module is optional (requires static): an application on the
   *    module path resolves it only if something asks for it (--add-modules jdk.jfr, or
   *    -XX:StartFlightRecording, which adds it), and a runtime image made with jlink may not
   *    contain it at all. So no class that the library always loads may name a type of jdk.jfr:
   *    this class calls JfrEvents, which does, only when JFR_RESOLVED says the module is there.
   *    JfrEvents' methods take and return only types of java.base, so verifying this class loads
   *    neither it nor an event class.
   *
   * 2. The check, once (class initialization). The module must be in the layer that the library
   *    sees: its own layer on the module path (findModule also searches the parent layers, the
   *    boot layer included), the boot layer on the class path (the unnamed module reads every
   *    module of the boot layer). On the module path, `requires static` already gives the
   *    library's module the read edge when jdk.jfr is resolved; addReads makes sure of it for a
   *    library defined in a layer of its own. Last, the class must actually load from the
   *    library's class loader.
   *
   * 3. Cost. With jdk.jfr missing, each method is a test of a static final boolean that the JIT
   *    folds away. With jdk.jfr there, JfrEvents decides with a volatile read or two whether the
   *    event is recorded (see its notes); nothing is allocated unless it is.
   */

  /** The name of the optional module. */
  static final String JFR_MODULE = "jdk.jfr";

  /** Whether {@code jdk.jfr} is there for the library (note 2); decided once. */
  static final boolean JFR_RESOLVED = jfrResolved();

  private Events() {}

  /**
   * Called by a thread about to wait for {@code primitive}, with {@code queueLength} threads
   * queued (itself included). Returns the event to end with {@link #endContended}, or null when
   * the event is not being recorded.
   */
  static @Nullable Object beginContended(Object primitive, int queueLength) {
    return JFR_RESOLVED ? JfrEvents.beginContended(primitive, queueLength) : null;
  }

  /** Ends a wait begun with {@link #beginContended}; {@code acquired} says how it ended. */
  static void endContended(Object event, boolean acquired) {
    if (JFR_RESOLVED) {
      JfrEvents.endContended(event, acquired);
    }
  }

  /** Called by the timer's worker for a task that starts {@code latenessNanos} after its deadline. */
  static void timerLate(Object task, long latenessNanos) {
    if (JFR_RESOLVED) {
      JfrEvents.timerLate(task, latenessNanos);
    }
  }

  /** Called when deadlock detection refuses a wait that would close the given cycle. */
  static void deadlockDetected(List<Thread> threads, List<Object> primitives, String message) {
    if (JFR_RESOLVED) {
      JfrEvents.deadlockDetected(threads, primitives, message);
    }
  }

  /** Note 2. */
  private static boolean jfrResolved() {
    Module library = Events.class.getModule();
    ModuleLayer layer = library.getLayer();
    Optional<Module> jfr = (layer != null ? layer : ModuleLayer.boot()).findModule(JFR_MODULE);
    if (jfr.isEmpty()) {
      return false;
    }
    if (library.isNamed()) {
      library.addReads(jfr.get());
    }
    try {
      Class.forName("jdk.jfr.FlightRecorder", false, Events.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
