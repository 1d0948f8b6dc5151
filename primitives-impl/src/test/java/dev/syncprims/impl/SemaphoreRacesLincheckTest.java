package dev.syncprims.impl;

import static dev.syncprims.impl.ModelChecked.spinUntil;
import static dev.syncprims.impl.ModelChecked.verify;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races of three threads on the semaphores, explored by Lincheck's model checker (see {@link
 * ModelChecked} for what it shows and what it cannot): every interleaving it tries of the scene
 * must keep the contract. Each scene starts its threads only once the threads it races against
 * are visibly queued, so that the outcome the contract prescribes does not depend on arrival order.
 *
 * <ul>
 *   <li>Two releases racing for one waiter: under FIFO a release hands the permit to the head
 *       directly, so neither release of a one-permit semaphore may be rejected; under BARGING
 *       one may be (the permit can be free when it comes), and the permits must add up.
 *   <li>Two waiters and one release, then a second: each waiter gets one permit, none is lost.
 *   <li>A release racing the interrupt of the head waiter, with a second waiter behind it (in
 *       {@code acquireUninterruptibly()} or a timed {@code tryAcquire}): if the head gives up,
 *       the released permit goes to the second waiter or stays counted, never lost.
 *   <li>FIFO with a large request at the head: a smaller request behind it, and a {@code
 *       tryAcquire} with a zero timeout, never overtake it.
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SemaphoreRacesLincheckTest {

  private static final int INVOCATIONS = ModelChecked.INVOCATIONS;

  /**
   * The two-releases race under FIFO is searched further: the interleaving that breaks it needs
   * one releaser stopped between two steps of its release while the other runs (with the
   * exploration's fixed seeds, 400 interleavings reach it, 100 do not).
   */
  private static final int TWO_RELEASES_INVOCATIONS = Math.max(400, INVOCATIONS);

  /** The semaphores that hold at most one permit. */
  enum OnePermitKind {
    BINARY,
    BOUNDED_AT_ONE
  }

  /** One permit, no permit available, whichever the kind. */
  private static final class OnePermit {
    private final @Nullable BinarySemaphore binary;
    private final @Nullable CountingSemaphore bounded;

    OnePermit(OnePermitKind kind, Fairness fairness) {
      binary = kind == OnePermitKind.BINARY ? Primitives.binarySemaphore(false, fairness) : null;
      bounded =
          kind == OnePermitKind.BOUNDED_AT_ONE ? Primitives.boundedSemaphore(0, 1, fairness) : null;
    }

    void acquire() throws InterruptedException {
      if (binary != null) {
        binary.acquire();
      } else {
        Objects.requireNonNull(bounded).acquire();
      }
    }

    void release() {
      if (binary != null) {
        binary.release();
      } else {
        Objects.requireNonNull(bounded).release();
      }
    }

    int available() {
      if (binary != null) {
        return binary.isAvailable() ? 1 : 0;
      }
      return Objects.requireNonNull(bounded).availablePermits();
    }

    int queueLength() {
      return binary != null
          ? binary.getQueueLength()
          : Objects.requireNonNull(bounded).getQueueLength();
    }

    @Override
    public String toString() {
      return String.valueOf(binary != null ? binary : bounded);
    }
  }

  // -----------------------------------------------------------------------------------------
  // Two releases, one waiter

  @ParameterizedTest
  @EnumSource(OnePermitKind.class)
  void fifoTwoReleasesForOneWaiterAreBothLegal(OnePermitKind kind) {
    ModelChecked.check(
        TWO_RELEASES_INVOCATIONS, () -> twoReleasesForOneWaiter(kind, Fairness.FIFO));
  }

  @Test
  void bargingTwoReleasesForOneWaiterConservePermits() {
    // One kind is enough: under BARGING both take the same paths.
    ModelChecked.check(
        INVOCATIONS, () -> twoReleasesForOneWaiter(OnePermitKind.BINARY, Fairness.BARGING));
  }

  private static void twoReleasesForOneWaiter(OnePermitKind kind, Fairness fairness) {
    OnePermit s = new OnePermit(kind, fairness);
    ModelChecked.Threads threads = new ModelChecked.Threads();
    threads.start(s::acquire);
    spinUntil(() -> s.queueLength() == 1);
    int[] rejected = new int[2];
    for (int r = 0; r < 2; r++) {
      int me = r;
      threads.start(
          () -> {
            try {
              s.release();
            } catch (IllegalStateException e) {
              if (fairness == Fairness.FIFO) {
                throw new AssertionError("a legal release was rejected: " + e.getMessage(), e);
              }
              rejected[me] = 1;
            }
          });
    }
    threads.joinAll();
    int released = 2 - rejected[0] - rejected[1];
    verify(released >= 1, "both releases rejected, yet the waiter finished: " + s);
    verify(s.available() == released - 1, released + " releases, 1 acquire, and " + s);
    verify(s.queueLength() == 0, "still queued: " + s);
  }

  // -----------------------------------------------------------------------------------------
  // Two waiters, one release (then another)

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void twoWaitersShareTwoReleasesOneEach(Fairness fairness) {
    ModelChecked.check(
        INVOCATIONS,
        () -> {
          CountingSemaphore s = Primitives.countingSemaphore(0, fairness);
          boolean[] done = new boolean[2];
          ModelChecked.Threads threads = new ModelChecked.Threads();
          threads.start(
              () -> {
                s.acquire();
                done[0] = true;
              });
          threads.start(
              () -> {
                verify(s.tryAcquire(1, 1, TimeUnit.DAYS), "a timed acquire with a day to go failed");
                done[1] = true;
              });
          spinUntil(() -> s.getQueueLength() == 2);
          Thread releaser = threads.start(() -> s.release());
          // The first release serves exactly one waiter; the other is served by the second.
          ModelChecked.join(releaser);
          spinUntil(() -> s.getQueueLength() <= 1 && s.availablePermits() == 0);
          s.release();
          threads.joinAll();
          verify(done[0] && done[1], "a waiter did not finish");
          verify(s.availablePermits() == 0 && !s.hasQueuedThreads(), "after two of each: " + s);
        });
  }

  // -----------------------------------------------------------------------------------------
  // A release racing the interrupt of the head, a second waiter behind it

  @Test
  void bargingAnInterruptedHeadLosesNoPermitToAnUninterruptibleWaiter() {
    ModelChecked.check(INVOCATIONS, () -> releaseRacesInterruptOfHead(Fairness.BARGING, false));
  }

  @Test
  void fifoAnInterruptedHeadLosesNoPermitToATimedWaiter() {
    ModelChecked.check(INVOCATIONS, () -> releaseRacesInterruptOfHead(Fairness.FIFO, true));
  }

  /**
   * H waits in {@code acquire()}, then S waits behind it ({@code acquireUninterruptibly()}, or a
   * timed {@code tryAcquire} that cannot expire). One thread releases one permit while another
   * interrupts H. H either took the permit (it returns, perhaps with the interrupt status set) or
   * threw InterruptedException; in the second case the permit must reach S, which then finishes
   * with no further release. Otherwise the scene releases once more for S.
   */
  private static void releaseRacesInterruptOfHead(Fairness fairness, boolean timedSecond) {
    CountingSemaphore s = Primitives.countingSemaphore(0, fairness);
    boolean[] headGotIt = new boolean[1];
    boolean[] secondDone = new boolean[1];
    ModelChecked.Threads threads = new ModelChecked.Threads();
    Thread head =
        threads.start(
            () -> {
              try {
                s.acquire();
                headGotIt[0] = true;
              } catch (InterruptedException e) {
                verify(!Thread.currentThread().isInterrupted(), "the status stayed set");
              }
            });
    spinUntil(() -> s.getQueueLength() == 1);
    threads.start(
        () -> {
          if (timedSecond) {
            verify(s.tryAcquire(1, 1, TimeUnit.DAYS), "a timed acquire with a day to go failed");
          } else {
            s.acquireUninterruptibly();
          }
          secondDone[0] = true;
        });
    spinUntil(() -> s.getQueueLength() == 2);
    threads.start(() -> s.release());
    threads.start(head::interrupt);
    ModelChecked.join(head);
    if (headGotIt[0]) {
      s.release(); // the second waiter's permit
    } // else the first release must reach the second waiter: joinAll hangs if it was lost
    threads.joinAll();
    verify(secondDone[0], "the second waiter did not finish");
    verify(s.availablePermits() == 0 && !s.hasQueuedThreads(), "permits not conserved: " + s);
  }

  // -----------------------------------------------------------------------------------------
  // FIFO: a large request at the head is not overtaken

  @Test
  void fifoLargeHeadIsNotOvertakenBySmallerRequestsOrZeroTimeouts() {
    ModelChecked.check(
        INVOCATIONS,
        () -> {
          CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.FIFO);
          ModelChecked.Threads threads = new ModelChecked.Threads();
          threads.start(() -> s.acquire(2));
          spinUntil(() -> s.getQueueLength() == 1);
          threads.start(
              () -> {
                s.acquire(1);
                // Granted in order: the head left the queue before this request was served.
                verify(s.getQueueLength() == 0, "the small request was served first: " + s);
              });
          spinUntil(() -> s.getQueueLength() == 2);
          // One permit comes while a zero-timeout attempt looks: neither the small request
          // behind the head nor the attempt may take it (it stays counted for the head).
          Thread release = threads.start(() -> s.release());
          Thread attempt =
              threads.start(
                  () ->
                      verify(
                          !s.tryAcquire(1, 0, TimeUnit.NANOSECONDS),
                          "a zero timeout overtook the queue under FIFO: " + s));
          ModelChecked.join(release);
          ModelChecked.join(attempt);
          verify(s.getQueueLength() == 2 && s.availablePermits() == 1, "overtaken: " + s);
          s.release(2); // the head's second permit, and one for the small request
          threads.joinAll();
          verify(s.availablePermits() == 0 && !s.hasQueuedThreads(), "after the scene: " + s);
        });
  }
}
