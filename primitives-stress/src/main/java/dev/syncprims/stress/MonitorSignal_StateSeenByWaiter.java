package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.impl.QueuedMonitor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The difference between the two semantics, shown on real cores. A waiter waits until {@code x}
 * is set; the signaller sets {@code x = 1}, signals, leaves, and then enters again as an entrant
 * racing to change {@code x} from 1 to 2 (it plays the part of any other thread that wants the
 * monitor: jcstress runs at most as many actors as there are CPUs, and two is the floor this
 * suite must run on). The waiter records whether it waited ({@code r1}) and the {@code x} it found
 * when its wait returned ({@code r2}).
 *
 * <p>Under HOARE the signalled waiter is the next occupant after the signaller, with the monitor
 * never free in between, so it must find {@code x == 1}: "1, 2" is FORBIDDEN. Under MESA the
 * signalled waiter competes with the entrant, which may get in first: "1, 2" is allowed and is
 * exactly why Mesa waiters re-check their condition in a loop; the suite wants to see it.
 */
public class MonitorSignal_StateSeenByWaiter {

  /** The shared scene: a monitor, a condition and the state the signaller establishes. */
  abstract static class Scene {
    final Monitor monitor;
    final Monitor.Condition changed;
    private int x; // guarded by the monitor

    Scene(Monitor.Semantics semantics) {
      monitor = new QueuedMonitor(semantics, Fairness.BARGING);
      changed = monitor.newCondition();
    }

    void waiter(II_Result r) {
      monitor.enter();
      try {
        if (x == 0) {
          r.r1 = 1;
          changed.awaitUninterruptibly(); // only the signaller signals: no spurious return
        }
        r.r2 = x;
      } finally {
        monitor.exit();
      }
    }

    void signallerThenEntrant() {
      monitor.enter();
      try {
        x = 1;
        changed.signal();
      } finally {
        monitor.exit();
      }
      monitor.enter(); // now an entrant like any other
      try {
        if (x == 1) {
          x = 2;
        }
      } finally {
        monitor.exit();
      }
    }
  }

  @JCStressTest
  @Description("HOARE: a signalled waiter finds exactly the state the signaller established.")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Waited, was handed the monitor, found x = 1.")
  @Outcome(
      id = "1, 2",
      expect = FORBIDDEN,
      desc = "Waited, but an entrant changed x between the signal and the waiter's return.")
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The signal came first; the waiter did not wait.")
  @Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "The signal and the entrant came first.")
  @Outcome(expect = FORBIDDEN, desc = "x is 1 or 2 when the waiter reads it.")
  @State
  public static class Hoare extends Scene {
    public Hoare() {
      super(Monitor.Semantics.HOARE);
    }

    @Actor
    public void waiterActor(II_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor() {
      signallerThenEntrant();
    }
  }

  @JCStressTest
  @Description("MESA: a signalled waiter may find the state changed by a thread that got in first.")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Waited, got the monitor back first, found x = 1.")
  @Outcome(
      id = "1, 2",
      expect = ACCEPTABLE_INTERESTING,
      desc = "Waited, and an entrant changed x before the waiter got the monitor back: re-check!")
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The signal came first; the waiter did not wait.")
  @Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "The signal and the entrant came first.")
  @Outcome(expect = FORBIDDEN, desc = "x is 1 or 2 when the waiter reads it.")
  @State
  public static class Mesa extends Scene {
    public Mesa() {
      super(Monitor.Semantics.MESA);
    }

    @Actor
    public void waiterActor(II_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor() {
      signallerThenEntrant();
    }
  }
}
