package dev.syncprims.impl;

import static dev.syncprims.impl.Workers.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Monitor.Semantics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who runs after a signal, made deterministic: every thread is observed in its queue
 * ({@code getWaitQueueLength()}, {@code getQueueLength()}, the urgent queue's length) before the
 * next step, so the recorded order is the order the monitor imposed, never a scheduling accident.
 *
 * <p>HOARE: the signalled waiter runs first and sees the state the signaller left; the signaller
 * resumes next, ahead of a thread that was already waiting to enter (even one whose eventual-fairness
 * hand-off is due, and under FIFO). MESA, for contrast: the signaller continues, the entrant goes
 * first, and the waiter finds the state changed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HoareOrderingTest {
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());
  /** The state the signaller establishes; guarded by the monitor. */
  private int x;

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void hoareRunsTheWaiterThenTheSignallerThenTheEntrant(Fairness fairness) throws Exception {
    runSignalScenario(new QueuedMonitor(Semantics.HOARE, fairness));
    assertEquals(List.of("W saw x=1", "S saw x=2", "E"), order);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void mesaLetsTheSignallerContinueAndTheEntrantChangeTheState(Fairness fairness)
      throws Exception {
    runSignalScenario(new QueuedMonitor(Semantics.MESA, fairness));
    assertEquals(List.of("S saw x=1", "E", "W saw x=3"), order);
  }

  /**
   * W waits on a condition; S enters; E queues to enter behind S (and, under BARGING, waits long
   * enough for its eventual-fairness hand-off to be due); S sets x = 1 and signals. W sets x = 2
   * after recording what it saw; E sets x = 3.
   */
  private void runSignalScenario(QueuedMonitor m) throws Exception {
    Monitor.Condition c = m.newCondition();
    AtomicBoolean sInside = new AtomicBoolean();
    AtomicBoolean go = new AtomicBoolean();
    try (Workers w = new Workers()) {
      w.start(
          "W",
          () -> {
            m.enter();
            m.enter();
            try {
              c.await();
              order.add("W saw x=" + x);
              x = 2;
            } finally {
              m.exit();
              m.exit();
            }
          });
      waitUntil(() -> c.getWaitQueueLength() == 1 && !m.isOccupied(), "W waits");
      w.start(
          "S",
          () -> {
            m.enter();
            try {
              sInside.set(true);
              waitUntil(go::get, "E is queued");
              x = 1;
              c.signal();
              order.add("S saw x=" + x);
            } finally {
              m.exit();
            }
          });
      waitUntil(sInside::get, "S occupies the monitor");
      w.start(
          "E",
          () -> {
            m.enter();
            try {
              order.add("E");
              x = 3;
            } finally {
              m.exit();
            }
          });
      waitUntil(() -> m.getQueueLength() == 1, "E queues to enter");
      long queuedAt = System.nanoTime();
      // Age E past the eventual-fairness bound (about 1 ms), so that under BARGING the next
      // release would hand the monitor to E if nothing had priority over it.
      waitUntil(
          () -> System.nanoTime() - queuedAt > 3 * BargingEntryQueue.FAIRNESS_BOUND_NANOS,
          "E has waited long enough");
      go.set(true);
      w.joinAll();
    }
    assertFalse(m.isOccupied());
    assertEquals(0, m.urgentQueueLength());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void hoareSignalAllHandsTheMonitorToEachWaiterBeforeTheSignallerAndTheEntrant(
      Fairness fairness) throws Exception {
    QueuedMonitor m = new QueuedMonitor(Semantics.HOARE, fairness);
    Monitor.Condition c = m.newCondition();
    try (Workers w = new Workers()) {
      for (int i = 0; i < 3; i++) {
        String name = "w" + i;
        int waiting = i + 1;
        w.start(
            name,
            () -> {
              m.enter();
              try {
                c.await();
                order.add(name);
              } finally {
                m.exit();
              }
            });
        waitUntil(() -> c.getWaitQueueLength() == waiting && !m.isOccupied(), name + " waits");
      }
      m.enter();
      w.start(
          "E",
          () -> {
            m.enter();
            order.add("E");
            m.exit();
          });
      waitUntil(() -> m.getQueueLength() == 1, "E queues to enter");
      c.signalAll();
      order.add("S");
      m.exit();
      w.joinAll();
    }
    assertEquals(List.of("w0", "w1", "w2", "S", "E"), order);
  }
}
