package dev.syncprims.impl;

import static dev.syncprims.impl.ModelChecked.spinUntil;
import static dev.syncprims.impl.ModelChecked.verify;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Monitor.Semantics;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races of three threads on a {@link Monitor}, under {@link Semantics#MESA} and {@link
 * Semantics#HOARE}, explored by Lincheck's model checker (see {@link ModelChecked}):
 *
 * <ul>
 *   <li>signal vs entrant: W waits (at depth 2); then S enters, sets x = 1 and signals, while E
 *       tries to enter and set x = 3; W, woken, records x and sets x = 2. HOARE: W sees exactly
 *       x = 1 and S, resuming, exactly x = 2 (nobody runs between the signaller and the waiter,
 *       nor between the waiter's leaving and the signaller's return). MESA: S keeps the monitor
 *       and still sees x = 1; W sees 1 or 3. Both: W comes back at depth 2 and everyone finishes.
 *   <li>signal vs interrupt: W1 and W2 wait on one condition (W2 in a timed wait that cannot
 *       expire); S signals once while another thread interrupts W1. Exactly one waiter is
 *       signalled: if W1 gave up (InterruptedException), the signal reached W2, which finishes
 *       with no other signal; if W1 was signalled, W2 is still waiting.
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MonitorRacesLincheckTest {

  /** The state the threads write while occupying the monitor. */
  private static final class Scene {
    final Monitor m;
    final Monitor.Condition c;
    int x;
    int seenByWaiter;
    int seenBySignaller;
    boolean waiterSignalled;

    Scene(Semantics semantics) {
      m = new QueuedMonitor(semantics, Fairness.BARGING);
      c = m.newCondition();
    }
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void signalVsEntrant(Semantics semantics) {
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          Scene s = new Scene(semantics);
          ModelChecked.Threads threads = new ModelChecked.Threads();
          threads.start(
              () -> {
                s.m.enter();
                s.m.enter();
                try {
                  s.c.await();
                  verify(s.m.getOccupiedDepth() == 2, "depth after the wait: " + s.m);
                  s.seenByWaiter = s.x;
                  s.x = 2;
                } finally {
                  s.m.exit();
                  s.m.exit();
                }
              });
          spinUntil(() -> s.c.getWaitQueueLength() == 1 && !s.m.isOccupied());
          threads.start(
              () -> {
                s.m.enter();
                try {
                  s.x = 1;
                  s.c.signal();
                  s.seenBySignaller = s.x;
                } finally {
                  s.m.exit();
                }
              });
          threads.start(
              () -> {
                s.m.enter();
                try {
                  s.x = 3;
                } finally {
                  s.m.exit();
                }
              });
          threads.joinAll();
          if (semantics == Semantics.HOARE) {
            verify(s.seenByWaiter == 1, "HOARE: the waiter saw x=" + s.seenByWaiter + ", not 1");
            verify(
                s.seenBySignaller == 2,
                "HOARE: the signaller resumed to x=" + s.seenBySignaller + ", not 2");
          } else {
            verify(
                s.seenByWaiter == 1 || s.seenByWaiter == 3,
                "MESA: the waiter saw x=" + s.seenByWaiter);
            verify(s.seenBySignaller == 1, "MESA: the signaller saw x=" + s.seenBySignaller);
          }
          verify(!s.m.isOccupied() && !s.c.hasWaiters(), "after the scene: " + s.m);
        });
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void signalVsInterruptOfTheFirstWaiter(Semantics semantics) {
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          Scene s = new Scene(semantics);
          boolean[] secondDone = new boolean[1];
          ModelChecked.Threads threads = new ModelChecked.Threads();
          Thread first =
              threads.start(
                  () -> {
                    s.m.enter();
                    try {
                      s.c.await();
                      s.waiterSignalled = true;
                    } catch (InterruptedException e) {
                      verify(!Thread.currentThread().isInterrupted(), "the status stayed set");
                    } finally {
                      verify(s.m.getOccupiedDepth() == 1, "depth after the wait: " + s.m);
                      s.m.exit();
                    }
                  });
          spinUntil(() -> s.c.getWaitQueueLength() == 1 && !s.m.isOccupied());
          threads.start(
              () -> {
                s.m.enter();
                try {
                  verify(s.c.await(1, TimeUnit.DAYS), "a wait with a day to go timed out");
                  secondDone[0] = true;
                } finally {
                  s.m.exit();
                }
              });
          spinUntil(() -> s.c.getWaitQueueLength() == 2 && !s.m.isOccupied());
          threads.start(
              () -> {
                s.m.enter();
                try {
                  s.c.signal();
                } finally {
                  s.m.exit();
                }
              });
          threads.start(first::interrupt);
          ModelChecked.join(first);
          s.m.enter();
          try {
            if (s.waiterSignalled) {
              // The signal went to the first waiter; the second must still be waiting.
              verify(s.c.getWaitQueueLength() == 1, "a signal woke two waiters: " + s.c);
              s.c.signal();
            } // else the signal must have reached the second waiter: joinAll hangs if lost
          } finally {
            s.m.exit();
          }
          threads.joinAll();
          verify(secondDone[0], "the second waiter did not finish");
          verify(!s.m.isOccupied() && !s.c.hasWaiters(), "after the scene: " + s.m);
        });
  }
}
