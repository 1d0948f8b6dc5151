package dev.syncprims.impl;

import static dev.syncprims.impl.ModelChecked.spinUntil;
import static dev.syncprims.impl.ModelChecked.verify;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncprims.DeadlockException;
import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deadlock detection under Lincheck's model checker (see {@link ModelChecked}): races of three
 * threads, explored deterministically whatever the number of processors. Runs in the JVM that has
 * detection on (the surefire execution "deadlock-detection"), like {@link DeadlockDetectionTest}.
 *
 * <ul>
 *   <li>A ring of three: thread i holds lock i and asks for lock i+1 (a mutex, a FIFO reentrant
 *       mutex, a FIFO Mesa monitor). Whatever the interleaving: nobody hangs (the model checker
 *       fails a scene in which a thread can never finish), at most one thread is refused, a
 *       refusal names the whole ring, and afterwards every lock is free and no wait is left
 *       recorded.
 *   <li>No cycle, no refusal: W waits on a condition of a FIFO reentrant mutex R; S signals it;
 *       W, holding R again, lets it go and then takes a mutex M; T holds R and asks for M. There
 *       is never a cycle (W never asks for anything while it holds M), so a refusal anywhere is a
 *       false one: for instance from a wait that the Mesa signal recorded for W and that outlived
 *       W's re-entry.
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DeadlockDetectionLincheckTest {

  @BeforeAll
  static void detectionIsOn() {
    if (Boolean.getBoolean("dev.syncprims.test.detectionJvm")) {
      assertTrue(DeadlockDetection.ENABLED, "the deadlock-detection JVM runs with detection off");
    }
    assumeTrue(
        DeadlockDetection.ENABLED,
        "these tests need -D" + DeadlockDetection.PROPERTY + "=true (see primitives-impl/pom.xml)");
  }

  @Test
  void aRingOfThreeRefusesAtMostOneAndNeverHangs() {
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          Mutex a = new QueuedMutex(Fairness.BARGING);
          ReentrantMutex b = new QueuedReentrantMutex(Fairness.FIFO);
          // FIFO: a BARGING monitor's arrival spins 64 rounds before it queues, longer than the
          // model checker follows a loop that makes no progress; with every other thread parked
          // in the ring, it would report that bounded spin as a hang.
          Monitor c = new QueuedMonitor(Monitor.Semantics.MESA, Fairness.FIFO);
          Runnable[] lock = {a::lock, b::lock, c::enter};
          Runnable[] unlock = {a::unlock, b::unlock, c::exit};
          AtomicInteger refusals = new AtomicInteger();
          AtomicReference<DeadlockException> refusal = new AtomicReference<>();
          ModelChecked.Threads threads = new ModelChecked.Threads();
          Thread[] ts = new Thread[3];
          for (int i = 0; i < 3; i++) {
            int first = i;
            int second = (i + 1) % 3;
            ts[i] =
                threads.start(
                    () -> {
                      lock[first].run();
                      try {
                        lock[second].run();
                        unlock[second].run();
                      } catch (DeadlockException e) {
                        refusals.incrementAndGet();
                        refusal.set(e);
                      } finally {
                        unlock[first].run();
                      }
                    });
          }
          threads.joinAll();
          verify(refusals.get() <= 1, "refused " + refusals.get() + " times in one ring");
          DeadlockException e = refusal.get();
          verify(e == null || e.threads().size() == 3, "a refusal names the ring: " + e);
          verify(!a.isLocked() && !b.isLocked() && !c.isOccupied(), "a lock left held");
          for (Thread t : ts) {
            verify(!DeadlockDetection.isWaiting(t), t.getName() + " left a wait recorded");
          }
        });
  }

  @Test
  void aMesaSignalledWaiterThatTakesAnotherLockIsNeverPartOfACycle() {
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          ReentrantMutex r = new QueuedReentrantMutex(Fairness.FIFO);
          Condition cond = r.newCondition();
          Mutex m = new QueuedMutex(Fairness.BARGING);
          boolean[] signalled = {false}; // guarded by r
          ModelChecked.Threads threads = new ModelChecked.Threads();
          Thread waiter =
              threads.start(
                  () -> {
                    r.lock();
                    try {
                      while (!signalled[0]) {
                        cond.awaitUninterruptibly();
                      }
                    } finally {
                      r.unlock();
                    }
                    m.lock(); // m is free or held by the third thread, which waits for nothing
                    try {
                      verify(m.isHeldByCurrentThread(), "the waiter does not hold m");
                    } finally {
                      m.unlock();
                    }
                  });
          spinUntil(() -> waiterQueued(r, cond));
          Thread signaller =
              threads.start(
                  () -> {
                    r.lock();
                    try {
                      signalled[0] = true;
                      cond.signal();
                    } finally {
                      r.unlock();
                    }
                  });
          Thread third =
              threads.start(
                  () -> {
                    r.lock();
                    try {
                      m.lock(); // may wait for the waiter, which waits for nothing then
                      try {
                        verify(m.isHeldByCurrentThread(), "the third thread does not hold m");
                      } finally {
                        m.unlock();
                      }
                    } finally {
                      r.unlock();
                    }
                  });
          threads.joinAll();
          verify(!r.isLocked() && !m.isLocked(), "a lock left held");
          for (Thread t : new Thread[] {waiter, signaller, third}) {
            verify(!DeadlockDetection.isWaiting(t), t.getName() + " left a wait recorded");
          }
        });
  }

  private static boolean waiterQueued(ReentrantMutex r, Condition cond) {
    if (!r.tryLock()) {
      return false;
    }
    try {
      return ((OwnedLock) r).getWaitQueueLength(cond) == 1;
    } finally {
      r.unlock();
    }
  }
}
