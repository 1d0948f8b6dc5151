package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A signal, a timeout and an entrant, all at once: three actors, so jcstress runs it only on
 * machines with at least three CPUs. The 2-actor {@link MonitorSignal_RacingTimeout} has the same
 * waiter and signaller; here a third thread enters the monitor at the same moment and writes the
 * shared state.
 *
 * <p>The waiter W occupies the monitor at depth 2 and waits 20 microseconds for a signal. The
 * signaller S enters, sets x = 1 and signals. The entrant E enters and sets x = 3. W, if
 * signalled, records the x it sees and sets x = 2; S records the x it sees after {@code signal()}
 * returns.
 *
 * <ul>
 *   <li>HOARE: a signalled W sees exactly x = 1, the state S left (nobody may occupy the monitor
 *       between S and W), and S, resuming, sees exactly x = 2 (nobody between W's leaving and
 *       S's return, E included). A W that timed out re-enters like an entrant.
 *   <li>MESA: S keeps the monitor and sees x = 1; a signalled W sees 1 or 3 (E may come first).
 *   <li>Both: W's depth is 2 after the wait, and at the end the monitor is free with nobody
 *       waiting on the condition.
 * </ul>
 *
 * <p>Outcome: {@code r1}: W was signalled (1) or timed out (0); {@code r2}: what a signalled W saw
 * (0 if it timed out) plus 10 times its depth after the wait; {@code r3}: what S saw after
 * signalling, plus 10 if W was waiting when S signalled; {@code r4}: whether the monitor ended
 * free with nobody waiting.
 */
public final class MonitorSignal_TimeoutAndEntrant {
  private MonitorSignal_TimeoutAndEntrant() {}

  /** The shared scene. */
  abstract static class Scene {
    private final Monitor monitor;
    private final Monitor.Condition condition;
    private int x; // guarded by the monitor
    private int waiterSaw;
    private int signallerSaw;

    Scene(Monitor monitor) {
      this.monitor = monitor;
      this.condition = monitor.newCondition();
    }

    void waiter(IIII_Result r) {
      monitor.enter();
      monitor.enter();
      try {
        boolean signalled = condition.await(20, TimeUnit.MICROSECONDS);
        r.r1 = signalled ? 1 : 0;
        if (signalled) {
          waiterSaw = x;
          x = 2;
        }
        waiterSaw += 10 * monitor.getOccupiedDepth();
      } catch (InterruptedException e) {
        r.r1 = -1; // nothing interrupts: a forbidden outcome
      } finally {
        monitor.exit();
        monitor.exit();
      }
    }

    void signaller() {
      monitor.enter();
      try {
        x = 1;
        int waiting = condition.hasWaiters() ? 10 : 0;
        condition.signal();
        signallerSaw = x + waiting;
      } finally {
        monitor.exit();
      }
    }

    void entrant() {
      monitor.enter();
      try {
        x = 3;
      } finally {
        monitor.exit();
      }
    }

    void arbiter(IIII_Result r) {
      r.r2 = waiterSaw;
      r.r3 = signallerSaw;
      boolean free = monitor.tryEnter();
      if (free) {
        monitor.exit();
      }
      r.r4 = free && !condition.hasWaiters() ? 1 : 0;
    }
  }

  /** HOARE. */
  @JCStressTest
  @Description("HOARE: signal, timeout and entrant at once: the waiter sees the signaller's state and the signaller the waiter's.")
  @Outcome(id = "1, 21, 12, 1", expect = ACCEPTABLE, desc = "Signalled: W saw x=1, S resumed to x=2.")
  @Outcome(id = "0, 20, 11, 1", expect = ACCEPTABLE, desc = "W timed out just before the signal (S saw it waiting); nobody was signalled.")
  @Outcome(id = "0, 20, 1, 1", expect = ACCEPTABLE, desc = "W timed out before S looked, or S came first; nobody was signalled.")
  @Outcome(id = "1, 2[0-9], .*", expect = FORBIDDEN, desc = "Signalled, but W saw another state than S left: a thread occupied the monitor between them.")
  @Outcome(id = "1, 21, 1[0-9], .", expect = FORBIDDEN, desc = "Signalled, but S resumed to another state than W left: a thread occupied the monitor before S's return.")
  @Outcome(expect = FORBIDDEN, desc = "Depth lost, a signal from nowhere, or the monitor stuck.")
  @State
  public static class Hoare extends Scene {
    public Hoare() {
      super(Primitives.hoareMonitor(Fairness.BARGING));
    }

    @Actor
    public void waiterActor(IIII_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor() {
      signaller();
    }

    @Actor
    public void entrantActor() {
      entrant();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  /** MESA. */
  @JCStressTest
  @Description("MESA: signal, timeout and entrant at once: the signaller continues, the waiter re-competes.")
  @Outcome(id = "1, 2[13], 11, 1", expect = ACCEPTABLE, desc = "Signalled: S continued with x=1; W saw 1, or 3 if E entered first.")
  @Outcome(id = "0, 20, 1?1, 1", expect = ACCEPTABLE, desc = "W timed out; nobody was signalled, or the signal found it leaving.")
  @Outcome(expect = FORBIDDEN, desc = "Depth lost, a signal from nowhere, the signaller not continuing, or the monitor stuck.")
  @State
  public static class Mesa extends Scene {
    public Mesa() {
      super(Primitives.mesaMonitor(Fairness.BARGING));
    }

    @Actor
    public void waiterActor(IIII_Result r) {
      waiter(r);
    }

    @Actor
    public void signallerActor() {
      signaller();
    }

    @Actor
    public void entrantActor() {
      entrant();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }
}
