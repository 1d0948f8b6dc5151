package dev.syncprims.examples;

import dev.syncprims.DeadlockException;
import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The dining philosophers <em>without</em> a deadlock-free protocol, saved by deadlock detection.
 * Each fork is a {@link Mutex}; a philosopher takes the left fork, then the right one. When every
 * philosopher holds a left fork, each waits for its right neighbour's: a cycle, the textbook
 * deadlock. With detection on ({@code -Ddev.syncprims.deadlockDetection=true}), the philosopher
 * whose wait would close the cycle gets {@link DeadlockException} instead of joining it, puts its
 * left fork down (its {@code finally} block does), and tries again; its neighbour takes the fork,
 * eats, and the table goes on.
 *
 * <p>Compare {@link DiningPhilosophers}, whose monitor protocol makes the deadlock impossible (it
 * breaks <em>hold and wait</em>). Detection is not a protocol: it turns a hang into an exception
 * that the code must handle, here by backing off. It is the tool for code whose lock order cannot
 * be fixed in one place, and a safety net while it is being fixed.
 *
 * <p>The forks are {@link Fairness#FIFO} mutexes, so that backing off works: putting the fork down
 * hands it to the neighbour waiting for it. A {@link Fairness#BARGING} fork could be taken straight
 * back by the philosopher who just put it down, closing the same cycle again (and being refused
 * again) until the neighbour gets its turn: correct, but a waste.
 *
 * <p>To show the deadlock every time rather than by chance, {@link #run} seats the philosophers in
 * rounds: in each, all of them take their left fork and wait at a barrier until all hold one, then
 * all reach for the right one. At least one philosopher per round is refused (every round closes a
 * cycle), and usually exactly one. Sometimes the same one is refused twice: its neighbour has
 * recorded its wait for the fork but not yet joined the fork's queue when the fork goes down, so
 * there is no queued waiter to hand it to; the refused philosopher takes it straight back, closes
 * the same cycle again (a real one: the neighbour still waits for that fork) and is refused again,
 * until the neighbour has queued and gets the fork by hand-off.
 */
public final class DeadlockingPhilosophers {
  private final Mutex[] forks;

  /**
   * A table of {@code n} forks.
   *
   * @throws IllegalArgumentException if {@code n < 2}
   */
  public DeadlockingPhilosophers(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("at least 2 philosophers are needed, was " + n);
    }
    forks = new Mutex[n];
    for (int i = 0; i < n; i++) {
      forks[i] = Primitives.mutex(Fairness.FIFO);
    }
  }

  /** What a run observed: the meals of each philosopher and the refusals. */
  record Report(List<Long> meals, int refusals) {
    @Override
    public String toString() {
      return "meals " + meals + ", waits refused as deadlocks: " + refusals;
    }
  }

  /**
   * Philosopher {@code i} takes the left fork, calls {@code holdingLeft} (the demonstration's
   * barrier), then takes the right fork and eats ({@code eat}). Returns the number of times its
   * wait for the right fork was refused as a deadlock; after a refusal it puts the left fork down
   * and starts again, without the barrier.
   */
  public int dine(int i, Runnable holdingLeft, Runnable eat) {
    Mutex left = forks[i];
    Mutex right = forks[(i + 1) % forks.length];
    int refusals = 0;
    boolean first = true;
    for (;;) {
      left.lock();
      try {
        if (first) {
          holdingLeft.run();
          first = false;
        }
        right.lock(); // throws DeadlockException if this wait would close a cycle
        try {
          eat.run();
          return refusals;
        } finally {
          right.unlock();
        }
      } catch (DeadlockException e) {
        refusals++; // the left fork goes down in the finally block below; then try again
      } finally {
        left.unlock();
      }
    }
  }

  /**
   * Seats {@code n} philosophers for {@code rounds} rounds (see the class description) and
   * returns what they did. Needs deadlock detection on: without it the first round hangs.
   */
  static Report run(int n, int rounds) throws Exception {
    DeadlockingPhilosophers table = new DeadlockingPhilosophers(n);
    CyclicBarrier allHoldLeft = new CyclicBarrier(n);
    CyclicBarrier roundOver = new CyclicBarrier(n);
    AtomicLongArray meals = new AtomicLongArray(n);
    AtomicInteger refusals = new AtomicInteger();
    Workers workers = new Workers();
    for (int p = 0; p < n; p++) {
      int i = p;
      workers.start(
          "philosopher-" + i,
          () -> {
            for (int r = 0; r < rounds; r++) {
              int refused = table.dine(i, () -> await(allHoldLeft), () -> meals.incrementAndGet(i));
              refusals.addAndGet(refused);
              await(roundOver);
            }
          });
    }
    workers.joinAll(Arrays.asList(table.forks)); // the forks' states, if one hangs
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      counts.add(meals.get(i));
    }
    return new Report(List.copyOf(counts), refusals.get());
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the table", e);
    } catch (BrokenBarrierException e) {
      throw new IllegalStateException("a philosopher left the table", e);
    }
  }

  /**
   * Five philosophers, ten rounds. Switches detection on if the command line did not (it must be
   * on before the first primitive waits; a program would set it with {@code -D}).
   */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("dev.syncprims.deadlockDetection") == null) {
      System.setProperty("dev.syncprims.deadlockDetection", "true");
    }
    System.out.println("5 philosophers, 10 rounds, left fork first: " + run(5, 10));
  }
}
