package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.impl.QueuedMonitor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A signal racing a timed wait that is running out. The waiter occupies the monitor at depth 2 and
 * waits 20 microseconds; the signaller, occupying the monitor, records whether anyone waits and
 * signals. Whatever wins, the waiter must come back at depth 2, report a signal only if the
 * signaller saw it waiting, and leave the monitor free with nobody stuck on any queue: a wait
 * that both timed out and was handed the monitor (HOARE) or moved to the entry queue (MESA) would
 * break one of these.
 *
 * <p>{@code r1}: the waiter was signalled; {@code r2}: its depth after the wait; {@code r3}: the
 * signaller saw a waiter; {@code r4}: after both, a third thread could enter the free monitor.
 */
public class MonitorSignal_RacingTimeout {

  /** The shared scene. */
  abstract static class Scene {
    final Monitor monitor;
    final Monitor.Condition condition;

    Scene(Monitor.Semantics semantics) {
      monitor = new QueuedMonitor(semantics, Fairness.BARGING);
      condition = monitor.newCondition();
    }

    void waiter(IIII_Result r) {
      monitor.enter();
      monitor.enter();
      try {
        r.r1 = condition.await(20, java.util.concurrent.TimeUnit.MICROSECONDS) ? 1 : 0;
      } catch (InterruptedException e) {
        r.r1 = -1;
      } finally {
        r.r2 = monitor.getOccupiedDepth();
        monitor.exit();
        monitor.exit();
      }
    }

    void signaller(IIII_Result r) {
      monitor.enter();
      try {
        r.r3 = condition.hasWaiters() ? 1 : 0;
        condition.signal();
      } finally {
        monitor.exit();
      }
    }

    void arbiter(IIII_Result r) {
      boolean free = monitor.tryEnter();
      if (free) {
        monitor.exit();
      }
      r.r4 = free && !condition.hasWaiters() ? 1 : 0;
    }
  }

  @JCStressTest
  @Description("HOARE: a signal racing a timeout is received exactly once or not at all.")
  @Outcome(id = "1, 2, 1, 1", expect = ACCEPTABLE, desc = "Signalled in time: handed the monitor.")
  @Outcome(id = "0, 2, 1, 1", expect = ACCEPTABLE, desc = "Timed out just before the signal.")
  @Outcome(id = "0, 2, 0, 1", expect = ACCEPTABLE, desc = "The signal came when nobody waited.")
  @Outcome(expect = FORBIDDEN, desc = "Depth lost, a signal from nowhere, or the monitor stuck.")
  @State
  public static class Hoare extends Scene {
    public Hoare() {
      super(Monitor.Semantics.HOARE);
    }

    @Actor
    public void waiterActor(IIII_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor(IIII_Result r) {
      signaller(r);
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  @JCStressTest
  @Description("MESA: a signal racing a timeout is received exactly once or not at all.")
  @Outcome(id = "1, 2, 1, 1", expect = ACCEPTABLE, desc = "Signalled in time: moved to the entry queue.")
  @Outcome(id = "0, 2, 1, 1", expect = ACCEPTABLE, desc = "Timed out just before the signal.")
  @Outcome(id = "0, 2, 0, 1", expect = ACCEPTABLE, desc = "The signal came when nobody waited.")
  @Outcome(expect = FORBIDDEN, desc = "Depth lost, a signal from nowhere, or the monitor stuck.")
  @State
  public static class Mesa extends Scene {
    public Mesa() {
      super(Monitor.Semantics.MESA);
    }

    @Actor
    public void waiterActor(IIII_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor(IIII_Result r) {
      signaller(r);
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }
}
