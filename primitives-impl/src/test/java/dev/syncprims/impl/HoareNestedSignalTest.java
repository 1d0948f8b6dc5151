package dev.syncprims.impl;

import static dev.syncprims.impl.Workers.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nested Hoare signallers: S signals W1, and W1, now occupying the monitor, signals W2. Both S and
 * W1 then wait on the urgent queue. The urgent queue is a stack: when W2 leaves the monitor, the
 * most recent signaller (W1) resumes first, and S resumes when W1 leaves; a thread waiting to
 * enter comes after both. This is the classic order (Hoare 1974): each signaller resumes in the
 * state its own signallee left, and the nesting unwinds like calls.
 *
 * <p>Every step is a direct hand-off of the monitor, and the test observes each thread in its
 * queue ({@code getWaitQueueLength()}, {@code getQueueLength()}) before the next step, so the
 * recorded order is the order the monitor imposes, never a scheduling accident. Every record is
 * made while occupying the monitor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HoareNestedSignalTest {
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void theMostRecentSignallerResumesFirst(Fairness fairness) throws Exception {
    Monitor m = Primitives.hoareMonitor(fairness);
    Monitor.Condition first = m.newCondition();
    Monitor.Condition second = m.newCondition();
    try (Workers w = new Workers()) {
      w.start("W2", () -> waitThenLeave(m, second, "W2", 1));
      waitUntil(() -> second.getWaitQueueLength() == 1 && !m.isOccupied(), "W2 waits");
      w.start(
          "W1",
          () -> {
            enter(m, 3);
            try {
              first.await();
              order.add("W1 woke at depth " + m.getOccupiedDepth());
              second.signal();
              order.add("W1 resumed at depth " + m.getOccupiedDepth());
            } finally {
              exit(m, 3);
            }
          });
      waitUntil(() -> first.getWaitQueueLength() == 1 && !m.isOccupied(), "W1 waits");
      w.start(
          "S",
          () -> {
            enter(m, 2);
            try {
              first.signal();
              order.add("S resumed at depth " + m.getOccupiedDepth());
            } finally {
              exit(m, 2);
            }
          });
      w.joinAll();
    }
    assertEquals(
        List.of(
            "W1 woke at depth 3",
            "W2 woke at depth 1",
            "W1 resumed at depth 3",
            "S resumed at depth 2"),
        order);
    assertFalse(m.isOccupied());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void threeLevelsUnwindInReverseAndAnEntrantComesLast(Fairness fairness) throws Exception {
    QueuedMonitor m = new QueuedMonitor(Monitor.Semantics.HOARE, fairness); // for getQueueLength
    Monitor.Condition c1 = m.newCondition();
    Monitor.Condition c2 = m.newCondition();
    Monitor.Condition c3 = m.newCondition();
    try (Workers w = new Workers()) {
      w.start("W3", () -> waitThenLeave(m, c3, "W3", 1));
      waitUntil(() -> c3.getWaitQueueLength() == 1 && !m.isOccupied(), "W3 waits");
      w.start("W2", () -> waitSignalAndResume(m, c2, c3, "W2"));
      waitUntil(() -> c2.getWaitQueueLength() == 1 && !m.isOccupied(), "W2 waits");
      w.start("W1", () -> waitSignalAndResume(m, c1, c2, "W1"));
      waitUntil(() -> c1.getWaitQueueLength() == 1 && !m.isOccupied(), "W1 waits");
      m.enter();
      try {
        w.start(
            "E",
            () -> {
              m.enter();
              try {
                order.add("E entered");
              } finally {
                m.exit();
              }
            });
        waitUntil(() -> m.getQueueLength() == 1, "E waits to enter");
        c1.signal();
        order.add("S resumed");
      } finally {
        m.exit();
      }
      w.joinAll();
    }
    assertEquals(
        List.of(
            "W1 woke", "W2 woke", "W3 woke at depth 1",
            "W2 resumed", "W1 resumed", "S resumed",
            "E entered"),
        order);
    assertFalse(m.isOccupied());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void aSignallerThatWaitsAgainPassesTheMonitorToTheNextSignaller(Fairness fairness)
      throws Exception {
    // W1 resumes after W2 leaves, then gives the monitor up by waiting (not by exiting): that
    // release, too, resumes the next signaller on the stack, S. S then signals W1 once more.
    Monitor m = Primitives.hoareMonitor(fairness);
    Monitor.Condition first = m.newCondition();
    Monitor.Condition second = m.newCondition();
    Monitor.Condition again = m.newCondition();
    try (Workers w = new Workers()) {
      w.start("W2", () -> waitThenLeave(m, second, "W2", 1));
      waitUntil(() -> second.getWaitQueueLength() == 1 && !m.isOccupied(), "W2 waits");
      w.start(
          "W1",
          () -> {
            m.enter();
            try {
              first.await();
              order.add("W1 woke");
              second.signal();
              order.add("W1 resumed");
              again.await();
              order.add("W1 woke again");
            } finally {
              m.exit();
            }
          });
      waitUntil(() -> first.getWaitQueueLength() == 1 && !m.isOccupied(), "W1 waits");
      m.enter();
      try {
        first.signal();
        order.add("S resumed");
        again.signal();
        order.add("S resumed again");
      } finally {
        m.exit();
      }
      w.joinAll();
    }
    assertEquals(
        List.of(
            "W1 woke", "W2 woke at depth 1", "W1 resumed", "S resumed",
            "W1 woke again", "S resumed again"),
        order);
    assertFalse(m.isOccupied());
  }

  /** Enters at depth 1, waits on {@code c}, records, and leaves. */
  private void waitThenLeave(Monitor m, Monitor.Condition c, String name, int depth)
      throws InterruptedException {
    enter(m, depth);
    try {
      c.await();
      order.add(name + " woke at depth " + m.getOccupiedDepth());
    } finally {
      exit(m, depth);
    }
  }

  /** Waits on {@code mine}, then signals {@code next} and records when it resumes. */
  private void waitSignalAndResume(
      Monitor m, Monitor.Condition mine, Monitor.Condition next, String name)
      throws InterruptedException {
    m.enter();
    try {
      mine.await();
      order.add(name + " woke");
      next.signal();
      order.add(name + " resumed");
    } finally {
      m.exit();
    }
  }

  private static void enter(Monitor m, int depth) {
    for (int i = 0; i < depth; i++) {
      m.enter();
    }
  }

  private static void exit(Monitor m, int depth) {
    for (int i = 0; i < depth; i++) {
      m.exit();
    }
  }
}
