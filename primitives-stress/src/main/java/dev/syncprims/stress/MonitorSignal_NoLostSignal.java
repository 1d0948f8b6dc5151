package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.impl.QueuedMonitor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * No lost signal, under both semantics: a thread waiting for a flag on a Mesa monitor and then on
 * a Hoare monitor always finishes once the flags are set and signalled. The flag is checked and
 * the wait started while occupying the monitor, and the signal is sent while occupying it, so a
 * signal either finds the waiter queued on the condition or comes before its check; a waiter that
 * stays parked (STALE) would mean a wake-up was lost between the condition queue, the entry queue
 * and (HOARE) the urgent queue.
 */
@JCStressTest(Mode.Termination)
@Description("A waiter always finishes after a signal, on a Mesa and on a Hoare monitor.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The signals reached the waiter.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "A signal was lost: the waiter never finished.")
@State
public class MonitorSignal_NoLostSignal {
  private final Monitor mesa = new QueuedMonitor(Monitor.Semantics.MESA, Fairness.BARGING);
  private final Monitor.Condition mesaSet = mesa.newCondition();
  private boolean mesaFlag; // guarded by mesa

  private final Monitor hoare = new QueuedMonitor(Monitor.Semantics.HOARE, Fairness.BARGING);
  private final Monitor.Condition hoareSet = hoare.newCondition();
  private boolean hoareFlag; // guarded by hoare

  @Actor
  public void waiter() {
    try {
      mesa.enter();
      try {
        mesaSet.waitFor(() -> mesaFlag);
      } finally {
        mesa.exit();
      }
      hoare.enter();
      try {
        hoareSet.waitFor(() -> hoareFlag);
      } finally {
        hoare.exit();
      }
    } catch (InterruptedException e) {
      // Only the harness interrupts, to end a stale run; let the thread finish.
    }
  }

  @Signal
  public void signal() {
    mesa.enter();
    try {
      mesaFlag = true;
      mesaSet.signal();
    } finally {
      mesa.exit();
    }
    hoare.enter();
    try {
      hoareFlag = true;
      hoareSet.signal();
    } finally {
      hoare.exit();
    }
  }
}
