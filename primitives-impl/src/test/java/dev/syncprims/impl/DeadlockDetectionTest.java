package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.DeadlockException;
import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On-wait deadlock detection: a blocking acquire that would close a cycle throws {@link
 * DeadlockException}, naming the cycle, with nothing acquired. Runs in its own JVM with {@code
 * -Ddev.syncprims.deadlockDetection=true} (the surefire execution "deadlock-detection"), which
 * first checks that detection is on, so that a build that lost the switch fails here instead of
 * hanging. Run alone ({@code -Dtest=...}) the default execution skips them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlockDetectionTest {

  @BeforeAll
  static void detectionIsOn() {
    if (Boolean.getBoolean("dev.syncprims.test.detectionJvm")) { // the execution made for them
      assertTrue(DeadlockDetection.ENABLED, "the deadlock-detection JVM runs with detection off");
    }
    assumeTrue(
        DeadlockDetection.ENABLED,
        "these tests need -D" + DeadlockDetection.PROPERTY + "=true (see primitives-impl/pom.xml)");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void twoThreadsTheSecondToCloseTheCycleIsRefused(Fairness fairness) throws Exception {
    Mutex a = Primitives.mutex(fairness);
    Mutex b = Primitives.mutex(fairness);
    CountDownLatch bHeld = new CountDownLatch(1);
    AtomicReference<DeadlockException> refused = new AtomicReference<>();
    try (TestThreads threads = new TestThreads()) {
      Thread t1 =
          threads.start(
              "t1",
              () -> {
                a.lock();
                try {
                  bHeld.await();
                  DeadlockScenes.lockThenUnlock(b); // waits for t2, which will be refused and let go of b
                } finally {
                  a.unlock();
                }
              });
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                b.lock();
                try {
                  bHeld.countDown();
                  TestThreads.awaitCondition("t1 queued on b", () -> b.hasQueuedThread(t1));
                  DeadlockException e = assertThrows(DeadlockException.class, a::lock);
                  refused.set(e);
                  assertFalse(a.isHeldByCurrentThread(), "refused, yet a was acquired");
                  assertTrue(b.isHeldByCurrentThread(), "the refusal gave up b");
                  assertSame(t1, a.owner(), "a changed hands");
                  assertFalse(a.hasQueuedThread(Thread.currentThread()), "left queued on a");
                } finally {
                  b.unlock();
                }
              });
      TestThreads.awaitTerminated(t1);
      TestThreads.awaitTerminated(t2);
      DeadlockException e = refused.get();
      assertNotNull(e, "no DeadlockException");
      assertEquals(List.of(t2, t1), e.threads());
      assertTrue(e.getMessage().contains(t1.getName()), e.getMessage());
      assertTrue(e.getMessage().contains(t2.getName()), e.getMessage());
    }
    assertFalse(a.isLocked());
    assertFalse(b.isLocked());
  }

  @Test
  void threeThreadsAcrossMutexReentrantMutexAndMonitor() throws Exception {
    Mutex a = Primitives.mutex();
    ReentrantMutex b = Primitives.reentrantMutex(Fairness.FIFO);
    Monitor c = Primitives.hoareMonitor();
    CountDownLatch allHold = new CountDownLatch(3);
    AtomicReference<DeadlockException> refused = new AtomicReference<>();
    try (TestThreads threads = new TestThreads()) {
      Thread t1 =
          threads.start(
              "t1",
              () -> {
                a.lock();
                try {
                  allHold.countDown();
                  allHold.await();
                  b.lockInterruptibly(); // waits for t2
                  b.unlock();
                } finally {
                  a.unlock();
                }
              });
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                b.lock();
                try {
                  b.lock(); // reentrant: held twice, never a cycle by itself
                  try {
                    allHold.countDown();
                    allHold.await();
                    TestThreads.awaitCondition("t1 queued on b", () -> b.hasQueuedThread(t1));
                    c.enter(); // waits for t3
                    c.exit();
                  } finally {
                    b.unlock();
                  }
                } finally {
                  b.unlock();
                }
              });
      Thread t3 =
          threads.start(
              "t3",
              () -> {
                c.enter();
                try {
                  allHold.countDown();
                  allHold.await();
                  TestThreads.awaitCondition(
                      "t2 queued on c", () -> ((QueuedMonitor) c).hasQueuedThread(t2));
                  refused.set(assertThrows(DeadlockException.class, a::lockInterruptibly));
                  assertSame(t1, a.owner());
                } finally {
                  c.exit();
                }
              });
      TestThreads.awaitTerminated(t1);
      TestThreads.awaitTerminated(t2);
      TestThreads.awaitTerminated(t3);
      DeadlockException e = refused.get();
      assertNotNull(e, "no DeadlockException");
      assertEquals(List.of(t3, t1, t2), e.threads());
    }
  }

  @Test
  @SuppressWarnings("LockNotBeforeTry") // 100 holds taken in one loop and released in the next
  void reentrantAcquisitionsAreNeverReported() throws Exception {
    ReentrantMutex r = Primitives.reentrantMutex();
    Mutex other = Primitives.mutex();
    try (TestThreads threads = new TestThreads()) {
      r.lock();
      try {
        Thread waiter = threads.start("waiter", () -> {
          other.lock();
          try {
            DeadlockScenes.lockThenUnlock(r); // waits for the test thread, which waits for nothing
          } finally {
            other.unlock();
          }
        });
        TestThreads.awaitCondition("waiter queued on r", () -> r.hasQueuedThread(waiter));
        for (int i = 0; i < 100; i++) {
          r.lock(); // the holder locks again while a thread waits for it: no cycle
        }
        for (int i = 0; i < 100; i++) {
          r.unlock();
        }
      } finally {
        r.unlock();
      }
    }
  }

  @Test
  void aMutexLockedAgainByItsHolderIsStillThePlainSelfDeadlock() {
    Mutex m = Primitives.mutex();
    m.lock();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, m::lock);
      assertFalse(e instanceof DeadlockException, "the self-deadlock became a DeadlockException");
    } finally {
      m.unlock();
    }
  }

  @Test
  void aTimedWaitIsNotCheckedAndEndsByItself() throws Exception {
    Mutex a = Primitives.mutex();
    Mutex b = Primitives.mutex();
    b.lock();
    try (TestThreads threads = new TestThreads()) {
      try {
        Thread t1 =
            threads.start(
                "t1",
                () -> {
                  a.lock();
                  try {
                    DeadlockScenes.lockThenUnlock(b);
                  } finally {
                    a.unlock();
                  }
                });
        TestThreads.awaitCondition("t1 queued on b", () -> b.hasQueuedThread(t1));
        // Closing the cycle with a timed wait: not refused; it times out.
        assertFalse(a.tryLock(1, TimeUnit.MILLISECONDS), "acquired a lock that t1 holds");
      } finally {
        b.unlock();
      }
    }
  }

  @Test
  void aSemaphoreWaitIsNoEdgeOfTheOnWaitWalk() throws Exception {
    // A semaphore has no owner: a wait that closes a cycle through one is not refused (the permit
    // may be released by anyone). Deadlocks.find() reports it as suspected (the next test). Here
    // t2 took the only permit, t1 holds a and waits for the permit, and then t2 asks for a: a
    // cycle through the semaphore, which t2 must join (and leave when interrupted), not refuse.
    Mutex a = Primitives.mutex();
    BinarySemaphore s = Primitives.binarySemaphore(true);
    CountDownLatch t1Queued = new CountDownLatch(1);
    try (TestThreads threads = new TestThreads()) {
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                s.acquire();
                try {
                  assertTrue(t1Queued.await(20, TimeUnit.SECONDS), "t1 never queued on s");
                  assertThrows(InterruptedException.class, a::lockInterruptibly);
                } finally {
                  s.release();
                }
              });
      TestThreads.awaitCondition("t2 took the permit", () -> !s.isAvailable());
      threads.start(
          "t1",
          () -> {
            a.lock();
            try {
              s.acquire();
              s.release();
            } finally {
              a.unlock();
            }
          });
      TestThreads.awaitCondition("t1 queued on s", s::hasQueuedThreads);
      t1Queued.countDown();
      TestThreads.awaitCondition("t2 queued on a, not refused", () -> a.hasQueuedThread(t2));
      t2.interrupt();
    }
    assertFalse(a.isLocked(), "a left locked");
    assertTrue(s.isAvailable(), "the permit was not given back");
  }

  @Test
  void findReportsACycleClosedByASemaphoreAsSuspected() throws Exception {
    Mutex a = Primitives.mutex();
    BinarySemaphore s = Primitives.binarySemaphore(true);
    CountDownLatch bothHold = new CountDownLatch(2);
    try (TestThreads threads = new TestThreads("sem")) {
      Thread t1 =
          threads.start(
              "t1",
              () -> {
                a.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  s.acquire(); // the permit t2 holds: gets it once t2 gives up
                  s.release();
                } finally {
                  a.unlock();
                }
              });
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                s.acquire();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  TestThreads.awaitCondition("t1 queued on s", s::hasQueuedThreads);
                  // Closes a cycle through a semaphore: not refused (nobody owns a permit).
                  assertThrows(InterruptedException.class, a::lockInterruptibly);
                } finally {
                  s.release();
                }
              });
      TestThreads.awaitCondition("t2 queued on a", () -> a.hasQueuedThread(t2));
      List<Deadlock> found = DeadlockScenes.cyclesOf(t1);
      assertEquals(1, found.size(), "cycles: " + found);
      Deadlock d = found.get(0);
      assertTrue(d.suspected(), d.toString());
      assertSame(s, d.primitives().get(d.threads().indexOf(t1)));
      assertSame(a, d.primitives().get(d.threads().indexOf(t2)));
      t2.interrupt();
    }
  }

  /**
   * A Mesa signal moves a parked condition waiter to the entry queue without waking it; from then
   * on it waits for the monitor, which the signaller holds. The signaller's next wait, for a lock
   * the moved thread holds, closes a cycle and must be refused (the move said so for the parked
   * thread).
   */
  @Test
  void aMesaSignalThenALockTheSignalledThreadHoldsIsRefused() throws Exception {
    Mutex a = Primitives.mutex();
    Monitor m = Primitives.mesaMonitor();
    Monitor.Condition cond = m.newCondition();
    boolean[] signalled = {false}; // guarded by m
    try (TestThreads threads = new TestThreads("mesa")) {
      threads.start(
          "waiter",
          () -> {
            a.lock();
            try {
              m.enter();
              try {
                while (!signalled[0]) {
                  cond.awaitUninterruptibly();
                }
              } finally {
                m.exit();
              }
            } finally {
              a.unlock();
            }
          });
      awaitWaiting(m, cond);
      m.enter();
      try {
        signalled[0] = true;
        cond.signal();
        assertThrows(DeadlockException.class, a::lock);
      } finally {
        m.exit();
      }
    }
  }

  @Test
  void aConditionSignalOfAReentrantMutexThenALockTheSignalledThreadHoldsIsRefused()
      throws Exception {
    Mutex a = Primitives.mutex();
    ReentrantMutex r = Primitives.reentrantMutex();
    java.util.concurrent.locks.Condition cond = r.newCondition();
    boolean[] signalled = {false}; // guarded by r
    try (TestThreads threads = new TestThreads("cond")) {
      threads.start(
          "waiter",
          () -> {
            a.lock();
            try {
              r.lock();
              try {
                while (!signalled[0]) {
                  cond.awaitUninterruptibly();
                }
              } finally {
                r.unlock();
              }
            } finally {
              a.unlock();
            }
          });
      TestThreads.awaitCondition(
          "the waiter waits on cond",
          () -> {
            r.lock();
            try {
              return ((OwnedLock) r).getWaitQueueLength(cond) == 1;
            } finally {
              r.unlock();
            }
          });
      r.lock();
      try {
        signalled[0] = true;
        cond.signal();
        assertThrows(DeadlockException.class, a::lock);
      } finally {
        r.unlock();
      }
    }
  }

  /**
   * A Hoare signaller holding a lock hands the monitor to a waiter and waits for it back; the
   * waiter, running at once, asks for that lock: a cycle, refused in the waiter, because the
   * signaller said it waits for the monitor before it handed it over.
   */
  @Test
  void aHoareSignalledThreadAskingForTheSignallersLockIsRefused() throws Exception {
    Mutex a = Primitives.mutex();
    Monitor m = Primitives.hoareMonitor();
    Monitor.Condition cond = m.newCondition();
    boolean[] signalled = {false}; // guarded by m
    AtomicReference<DeadlockException> refused = new AtomicReference<>();
    try (TestThreads threads = new TestThreads("hoare")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                m.enter();
                try {
                  while (!signalled[0]) {
                    cond.awaitUninterruptibly();
                  }
                  refused.set(assertThrows(DeadlockException.class, a::lock));
                } finally {
                  m.exit();
                }
              });
      awaitWaiting(m, cond);
      a.lock();
      try {
        m.enter();
        try {
          signalled[0] = true;
          cond.signal(); // returns once the waiter has left the monitor
        } finally {
          m.exit();
        }
      } finally {
        a.unlock();
      }
      TestThreads.awaitTerminated(waiter);
      assertNotNull(refused.get());
      assertEquals(List.of(waiter, Thread.currentThread()), refused.get().threads());
    }
  }

  /**
   * A Mesa signal records, for the parked waiter it moves, that the waiter now waits for the lock.
   * Under FIFO the next release can hand the lock straight to that waiter while it is still
   * parked, so it wakes up holding the lock: that record must still go. Were it left behind, the
   * thread would stay "waiting for r" while it runs on, and a later walk through it would find a
   * cycle that does not exist: here, the signaller holding r and asking for a mutex that the
   * signalled thread holds (without waiting for anything) would be refused.
   */
  @Test
  void aWaiterHandedTheLockWhileParkedAfterAMesaSignalIsNoLongerWaiting() throws Exception {
    ReentrantMutex r = Primitives.reentrantMutex(Fairness.FIFO);
    java.util.concurrent.locks.Condition cond = r.newCondition();
    Mutex m = Primitives.mutex();
    boolean[] signalled = {false}; // guarded by r
    CountDownLatch holdsM = new CountDownLatch(1);
    CountDownLatch askerQueued = new CountDownLatch(1);
    try (TestThreads threads = new TestThreads("handed")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                r.lock();
                try {
                  while (!signalled[0]) {
                    cond.awaitUninterruptibly();
                  }
                } finally {
                  r.unlock();
                }
                m.lock(); // not waiting for anything now: m is free
                try {
                  holdsM.countDown();
                  assertTrue(askerQueued.await(20, TimeUnit.SECONDS), "the asker never queued");
                } finally {
                  m.unlock();
                }
              });
      // Parked on the condition (past its spin), so that the signal moves it without its noticing
      // and the release below hands it the lock before it wakes.
      TestThreads.awaitCondition(
          "the waiter is parked on the condition",
          () ->
              cond.equals(LockSupport.getBlocker(waiter))
                  && waiter.getState() == Thread.State.WAITING);
      r.lock();
      try {
        signalled[0] = true;
        cond.signal();
      } finally {
        r.unlock(); // FIFO: hands r to the moved waiter
      }
      assertTrue(holdsM.await(20, TimeUnit.SECONDS), "the waiter never took m");
      r.lock();
      try {
        Thread asker = Thread.currentThread();
        threads.start(
            "releaser",
            () -> {
              TestThreads.awaitCondition(
                  "the asker is queued on m", () -> m.equals(LockSupport.getBlocker(asker)));
              askerQueued.countDown();
            });
        DeadlockScenes.lockThenUnlock(m); // no cycle: the waiter holds m and waits for nothing
      } finally {
        r.unlock();
      }
    }
  }

  private static void awaitWaiting(Monitor m, Monitor.Condition cond) {
    TestThreads.awaitCondition(
        "a thread waits on the condition",
        () -> {
          m.enter();
          try {
            return cond.getWaitQueueLength() == 1;
          } finally {
            m.exit();
          }
        });
  }

  /**
   * Idle consumers of a signal (each took a permit once and waits for the next) are no deadlock,
   * and however many of them there are, they do not hide a real one from Deadlocks.find().
   */
  @Test
  void idleConsumersAreNoCycleAndDoNotHideARealOne() throws Exception {
    int consumers = 8;
    CountingSemaphore signal = Primitives.countingSemaphore(consumers);
    CountDownLatch allTookOne = new CountDownLatch(consumers);
    Mutex a = Primitives.mutex();
    Mutex b = Primitives.mutex();
    CountDownLatch bothHold = new CountDownLatch(2);
    List<Thread> pool = new ArrayList<>();
    try (TestThreads threads = new TestThreads("idle")) {
      for (int i = 0; i < consumers; i++) {
        pool.add(
            threads.start(
                "consumer" + i,
                () -> {
                  signal.acquire(); // one permit taken: a recorded "holder" from now on
                  allTookOne.countDown();
                  allTookOne.await();
                  assertThrows(InterruptedException.class, signal::acquire);
                }));
      }
      TestThreads.awaitCondition("all consumers queued", () -> signal.getQueueLength() == consumers);
      Thread t1 =
          threads.start(
              "t1",
              () -> {
                a.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  assertFalse(b.tryLock(1, TimeUnit.HOURS)); // timed: not refused, ended below
                } catch (InterruptedException e) {
                  // the test ends the hang
                } finally {
                  a.unlock();
                }
              });
      Thread t2 =
          threads.start(
              "t2",
              () -> {
                b.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  assertTrue(a.tryLock(1, TimeUnit.HOURS));
                  a.unlock();
                } finally {
                  b.unlock();
                }
              });
      TestThreads.awaitCondition("t1 queued on b", () -> b.hasQueuedThread(t1));
      TestThreads.awaitCondition("t2 queued on a", () -> a.hasQueuedThread(t2));
      List<Thread> ours = new ArrayList<>(pool);
      ours.add(t1);
      ours.add(t2);
      List<Deadlock> found = DeadlockScenes.cyclesOf(ours); // no cycle of the idle pool
      assertEquals(1, found.size(), "cycles: " + found);
      assertEquals(Set.of(t1, t2), Set.copyOf(found.get(0).threads()));
      assertFalse(found.get(0).suspected());
      t1.interrupt();
      TestThreads.awaitTerminated(t2);
      pool.forEach(Thread::interrupt);
    }
  }

  /**
   * No false positive: threads lock random sets of locks, always in one global order (so no
   * deadlock can ever form), with timed, interruptible and plain waits and random interrupts, for
   * a million lock operations. A reported cycle is one that never existed: the walk read owners
   * and waits that changed under it, and the second look (DeadlockDetection, note 3) must reject
   * it. Any DeadlockException fails the test.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void noFalsePositiveInAMillionOrderedOperations() throws Exception {
    int nThreads = 4;
    int opsPerThread = 250_000;
    List<Lock> locks = new ArrayList<>();
    locks.add((Lock) Primitives.mutex(Fairness.BARGING));
    locks.add((Lock) Primitives.reentrantMutex(Fairness.FIFO));
    locks.add((Lock) Primitives.mesaMonitor());
    locks.add((Lock) Primitives.mutex(Fairness.FIFO));
    AtomicLong operations = new AtomicLong();
    AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(nThreads);
    try (TestThreads threads = new TestThreads()) {
      for (int w = 0; w < nThreads; w++) {
        long seed = 0x5eedL + w;
        workers.set(
            w,
            threads.start(
                "worker" + w,
                () -> {
                  SplittableRandom rnd = new SplittableRandom(seed);
                  Lock[] held = new Lock[locks.size()];
                  for (int op = 0; op < opsPerThread; op++) {
                    int n = 0;
                    try {
                      for (int i = 0; i < locks.size(); i++) {
                        if (rnd.nextBoolean()) {
                          continue;
                        }
                        Lock l = locks.get(i);
                        int how = rnd.nextInt(8);
                        boolean got;
                        if (how == 0) {
                          got = l.tryLock(rnd.nextInt(50), TimeUnit.MICROSECONDS);
                        } else if (how == 1) {
                          l.lockInterruptibly();
                          got = true;
                        } else {
                          l.lock();
                          got = true;
                        }
                        if (got) {
                          held[n++] = l;
                        }
                        operations.incrementAndGet();
                      }
                      for (int spin = rnd.nextInt(16); spin > 0; spin--) {
                        Thread.onSpinWait(); // hold what we hold a little: others queue
                      }
                    } catch (InterruptedException e) {
                      // an interrupt from a neighbour: give up this operation
                    } catch (DeadlockException e) {
                      fail("a cycle was reported where none can exist", e);
                    } finally {
                      while (n > 0) {
                        held[--n].unlock();
                      }
                    }
                    if (rnd.nextInt(64) == 0) {
                      Thread victim = workers.get(rnd.nextInt(nThreads));
                      if (victim != null) {
                        victim.interrupt();
                      }
                    }
                  }
                  Thread.interrupted();
                }));
      }
      for (int w = 0; w < nThreads; w++) {
        workers.get(w).join(TimeUnit.SECONDS.toMillis(280));
      }
    }
    assertTrue(operations.get() >= 1_000_000, "only " + operations.get() + " lock operations");
  }
}
