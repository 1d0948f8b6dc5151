package dev.syncprims.impl;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * The JFR event {@code dev.syncprims.TimerLate}: a timer task started later than its deadline by
 * more than the setting {@code latenessThreshold} (10 ms unless the recording says otherwise). It
 * gives the task's {@code toString()} and how late it started. Internal; not part of the API: see
 * {@code docs/jfr-events.md}.
 */
@Name(TimerLateEvent.NAME)
@Category("syncprims")
@Label("Timer Task Late")
@Description("A timer task of the syncprims library started later than its deadline")
@StackTrace(false)
final class TimerLateEvent extends Event {
  /* Implementation notes
   *
   * JFR's built-in threshold compares an event's duration (begin() to end()) with the setting;
   * a lateness is not a duration that can be begun at the right moment (the deadline passed
   * while nobody was looking). So this event has no duration (it is committed without begin(),
   * duration 0, and the built-in threshold stays at 0), and the lateness has a setting of its own,
   * latenessThreshold (LatenessThreshold): JFR calls the setting method below from shouldCommit()
   * with the control whose value the running recordings agreed on (the smallest), after the
   * enabled check. The task's toString() (user code) is called only after that test passes, and
   * a toString() that throws does not reach the timer's worker.
   */

  static final String NAME = "dev.syncprims.TimerLate";

  /** The name of the lateness setting, as recordings and {@code .jfc} files write it. */
  static final String LATENESS_THRESHOLD = "latenessThreshold";

  @Label("Task")
  @Description("The task's toString()")
  @Nullable String task;

  @Label("Lateness")
  @Description("How long after its deadline the task started")
  @Timespan(Timespan.NANOSECONDS)
  long lateness;

  /** Records that {@code task} started {@code latenessNanos} late, if that passes the setting. */
  static void record(Object task, long latenessNanos) {
    TimerLateEvent e = new TimerLateEvent();
    e.lateness = latenessNanos;
    if (e.shouldCommit()) {
      e.task = describe(task);
      e.commit();
    }
  }

  /** JFR's hook for the setting {@value #LATENESS_THRESHOLD}: whether to commit. */
  @Name(LATENESS_THRESHOLD)
  @Label("Lateness Threshold")
  @Description("Record only tasks that started later than this after their deadline")
  @SettingDefinition
  boolean latenessThreshold(LatenessThreshold threshold) {
    return threshold.isExceededBy(lateness);
  }

  private static String describe(Object task) {
    try {
      return String.valueOf(task);
    } catch (RuntimeException e) {
      return task.getClass().getName()
          + '@'
          + Integer.toHexString(System.identityHashCode(task))
          + " (toString() threw "
          + e
          + ")";
    }
  }
}
