package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races of three threads on a semaphore, as a user meets them: one thread waits in {@code
 * acquire()} on a semaphore with no permit, and two threads call {@code release()} at the same
 * moment. Both releases are legal: the waiter is queued before either starts, so whatever the
 * order, there is never more than one permit in play.
 *
 * <ul>
 *   <li>Under {@link Fairness#FIFO} a release hands the permit directly to the head waiter, so
 *       the first release never makes the permit available while the waiter is queued, and the
 *       second one finds it taken: neither may throw, and the permit is available at the end.
 *   <li>Under {@link Fairness#BARGING} the first release frees the permit and wakes the waiter,
 *       so the second one may come while the permit is still free and be rejected (a binary
 *       semaphore, or one bounded at 1, holds at most one permit). Either way permits are
 *       conserved: the permits left equal the successful releases minus the one acquire.
 * </ul>
 *
 * <p>A round that goes wrong depends on the interleaving, so each test runs many rounds; the
 * verdict of a correct implementation is the same every time (it passes), and each round is
 * bounded. The interleavings are explored deterministically by {@link SemaphoreRacesLincheckTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoreRacesTest {

  /** The most rounds per test. */
  private static final int ROUNDS = 20_000;

  /** The longest a test runs rounds, so that a slow machine bounds the time, not the verdict. */
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(4);

  /** The semaphores of the race: at most one permit each. */
  enum Kind {
    BINARY,
    BOUNDED_AT_ONE;

    OnePermit create(Fairness fairness) {
      if (this == BINARY) {
        BinarySemaphore s = Primitives.binarySemaphore(false, fairness);
        return new OnePermit(s::acquire, s::release, () -> s.isAvailable() ? 1 : 0, s::getQueueLength, s);
      }
      CountingSemaphore s = Primitives.boundedSemaphore(0, 1, fairness);
      return new OnePermit(s::acquire, s::release, s::availablePermits, s::getQueueLength, s);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fifoTwoReleasesOfOneWaiterAreBothLegal(Kind kind) throws Exception {
    List<String> failures = runRounds(kind, Fairness.FIFO);
    assertEquals(List.of(), failures, "rounds with a rejected release or a lost permit");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bargingTwoReleasesOfOneWaiterConservePermits(Kind kind) throws Exception {
    List<String> failures = runRounds(kind, Fairness.BARGING);
    assertEquals(List.of(), failures, "rounds with a lost or created permit");
  }

  /**
   * Runs {@link #ROUNDS} rounds with three long-lived threads (one waiter, two releasers) and
   * returns a description of every round that broke the rule of {@code fairness} (at most ten).
   */
  private static List<String> runRounds(Kind kind, Fairness fairness) throws Exception {
    List<String> failures = new ArrayList<>();
    // The round in play, handed over by the barriers (which order the threads' accesses); null
    // tells the threads to stop.
    AtomicReference<@Nullable Round> current = new AtomicReference<>();
    // The waiter and the two releasers start a round together and finish it together; the test
    // thread is the fourth party and checks the round in between.
    CyclicBarrier start = new CyclicBarrier(4);
    CyclicBarrier end = new CyclicBarrier(4);
    try (TestThreads threads = new TestThreads("race")) {
      threads.start(
          "waiter",
          () -> {
            for (Round now = next(start, current); now != null; now = next(start, current)) {
              now.s.acquire.run();
              end.await();
            }
          });
      for (int r = 0; r < 2; r++) {
        int me = r;
        threads.start(
            "releaser-" + r,
            () -> {
              for (Round now = next(start, current); now != null; now = next(start, current)) {
                now.awaitWaiterQueued();
                now.meetTheOtherReleaser();
                try {
                  now.s.release.run();
                  now.released.incrementAndGet();
                } catch (IllegalStateException e) {
                  now.rejected[me] = e;
                }
                end.await();
              }
            });
      }
      try {
        long startedAt = System.nanoTime();
        for (int i = 0;
            i < ROUNDS && failures.size() < 10 && System.nanoTime() - startedAt < BUDGET_NANOS;
            i++) {
          Round now = new Round(kind.create(fairness));
          current.set(now);
          start.await(TestThreads.PATIENCE_NANOS, TimeUnit.NANOSECONDS);
          end.await(TestThreads.PATIENCE_NANOS, TimeUnit.NANOSECONDS);
          String broken = now.check(fairness);
          if (broken != null) {
            failures.add("round " + i + ": " + broken);
          }
        }
      } finally {
        current.set(null);
        start.await(TestThreads.PATIENCE_NANOS, TimeUnit.NANOSECONDS);
      }
    }
    return failures;
  }

  /** Waits for the start of the next round and returns it, or null when the test is over. */
  private static @Nullable Round next(CyclicBarrier start, AtomicReference<@Nullable Round> current)
      throws Exception {
    start.await(TestThreads.PATIENCE_NANOS, TimeUnit.NANOSECONDS);
    return current.get();
  }

  /** One round: a fresh semaphore, and what the two releases did. */
  private static final class Round {
    final OnePermit s;
    /** Set by the first releaser that sees the waiter queued (it leaves the queue soon after). */
    volatile boolean waiterQueued;
    /** How many releasers have arrived at the rendezvous just before the releases. */
    final AtomicInteger atRendezvous = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final @Nullable IllegalStateException[] rejected = new IllegalStateException[2];

    Round(OnePermit s) {
      this.s = s;
    }

    /**
     * Both releasers watch the queue, so that they see the waiter arrive at about the same moment
     * and release together. They spin, yielding now and then: on two processors the waiter must
     * run to queue. Fails the round after {@link TestThreads#PATIENCE_NANOS}.
     */
    void awaitWaiterQueued() {
      awaitSpinning(
          () -> waiterQueued || (waiterQueued = s.queueLength.getAsInt() == 1),
          "the waiter queues on " + s.target);
    }

    /** Spins until {@code condition} holds, yielding now and then; fails after the patience. */
    @SuppressWarnings("ThreadPriorityCheck") // the yield lets the awaited thread run
    private static void awaitSpinning(BooleanSupplier condition, String what) {
      long deadline = System.nanoTime() + TestThreads.PATIENCE_NANOS;
      for (int spins = 1; !condition.getAsBoolean(); spins++) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("timed out waiting until " + what);
        }
        if ((spins & 63) == 0) {
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
      }
    }

    /**
     * The two releasers meet here, each spinning until the other has arrived, so that both are
     * running and leave within a few hundred nanoseconds of each other (the waiter is parked by
     * then, which leaves them the processors even on a 2-CPU machine).
     */
    void meetTheOtherReleaser() {
      atRendezvous.incrementAndGet();
      awaitSpinning(() -> atRendezvous.get() == 2, "the other releaser arrives");
    }

    /** Null if the round kept the rule, else what went wrong. Called after both releases. */
    @Nullable String check(Fairness fairness) {
      int left = s.available.getAsInt();
      int queued = s.queueLength.getAsInt();
      String state = s.target + " after " + released.get() + " successful releases";
      if (queued != 0) {
        return "a thread is still queued: " + state;
      }
      if (fairness == Fairness.FIFO) {
        for (IllegalStateException e : rejected) {
          if (e != null) {
            return "a legal release was rejected: " + e.getMessage();
          }
        }
      }
      if (left != released.get() - 1) {
        return "permits not conserved: " + left + " left, " + state;
      }
      return null;
    }
  }

  /** The few methods of a one-permit semaphore the race uses. */
  static final class OnePermit {
    final AcquireCall acquire;
    final Runnable release;
    final IntSupplier available;
    final IntSupplier queueLength;
    final Object target;

    OnePermit(
        AcquireCall acquire,
        Runnable release,
        IntSupplier available,
        IntSupplier queueLength,
        Object target) {
      this.acquire = acquire;
      this.release = release;
      this.available = available;
      this.queueLength = queueLength;
      this.target = target;
    }
  }

  /** {@code acquire()}. */
  @FunctionalInterface
  interface AcquireCall {
    void run() throws InterruptedException;
  }
}
