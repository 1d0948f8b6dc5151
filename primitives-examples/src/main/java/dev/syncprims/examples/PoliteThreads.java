package dev.syncprims.examples;

import dev.syncprims.Held;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Livelock, made reproducible: two polite threads meet at a doorway (a {@link Mutex}) that only
 * one can pass at a time. Each wants to pass once. Polite manners say: if the other one wants to
 * go too, step aside and try again. When both are polite in the same way and move in step, each
 * round both step aside, both try again, and nobody ever passes. Both threads stay busy (neither
 * is blocked, as in a deadlock); they just make no progress.
 *
 * <p>Real threads rarely stay in step for long, which is why livelock is intermittent in real
 * programs. Here a {@link CyclicBarrier} keeps them in step on purpose, in rounds of three
 * phases (say whether you want to go; decide and say whether you go; act), so a run is
 * deterministic: the same manners and seed always give the same outcome, and a test can detect
 * the livelock by counting back-offs without progress instead of by timing.
 *
 * <p>The cures are the classic ones: break the symmetry with a rank ({@link
 * Manners#YIELD_TO_HIGHER_RANK}: only one of the two ever steps aside) or with chance ({@link
 * Manners#RANDOM_YIELD}: each steps aside with probability 1/2, as Ethernet's random back-off
 * does). Guide: chapter 8, "Livelock".
 *
 * <pre>
 * java -cp primitives-examples/target/classes:primitives-impl/target/classes:primitives-api/target/classes \
 *     dev.syncprims.examples.PoliteThreads
 * </pre>
 */
public final class PoliteThreads {

  /** How a thread behaves when the other one wants to go too. */
  public enum Manners {
    /** Always step aside: in step, nobody ever passes (livelock). */
    ALWAYS_YIELD,
    /** Only the thread of lower rank (thread 0) steps aside: both pass, in two rounds. */
    YIELD_TO_HIGHER_RANK,
    /** Step aside with probability 1/2, from a seeded generator: both pass, after a few rounds. */
    RANDOM_YIELD
  }

  /**
   * What a run did.
   *
   * @param manners the manners of both threads
   * @param rounds the rounds run
   * @param passed how many threads passed the doorway (0 to 2)
   * @param backOffs how many times a thread stepped aside
   * @param collisions how many times a thread went while the other went too (neither passes)
   * @param busyWithoutProgress back-offs and collisions since the last pass (or since the start)
   */
  public record Outcome(
      Manners manners,
      int rounds,
      int passed,
      long backOffs,
      long collisions,
      long busyWithoutProgress) {

    /**
     * Whether the run looks like a livelock: not everyone passed, and the threads stepped aside or
     * collided at least {@code threshold} times since anyone last passed. A deadlock would show
     * no back-offs at all: its threads are blocked, not busy.
     */
    public boolean livelocked(long threshold) {
      return passed < 2 && busyWithoutProgress >= threshold;
    }
  }

  private static final int IDLE = 0;
  private static final int PASSED = 1;
  private static final int BACKED_OFF = 2;
  private static final int COLLIDED = 3;

  private final Manners manners;
  private final int maxRounds;
  private final long seed;
  private final Mutex doorway = Primitives.mutex();
  private final CyclicBarrier step = new CyclicBarrier(2);
  private final AtomicIntegerArray wants = new AtomicIntegerArray(2);
  private final AtomicIntegerArray goes = new AtomicIntegerArray(2);
  private final AtomicIntegerArray events = new AtomicIntegerArray(2);

  // Written by thread 0 only, between the last phase of a round and the first of the next, and
  // read after both threads are joined.
  private int rounds;
  private int passed;
  private long backOffs;
  private long collisions;
  private long busyWithoutProgress;

  private PoliteThreads(Manners manners, int maxRounds, long seed) {
    this.manners = manners;
    this.maxRounds = maxRounds;
    this.seed = seed;
  }

  /**
   * Runs two polite threads for at most {@code maxRounds} rounds, or until both have passed.
   *
   * @param seed the seed of {@link Manners#RANDOM_YIELD} (thread {@code i} uses {@code seed + i})
   * @throws IllegalArgumentException if {@code maxRounds < 1}
   */
  public static Outcome run(Manners manners, int maxRounds, long seed)
      throws InterruptedException {
    if (maxRounds < 1) {
      throw new IllegalArgumentException("maxRounds must be at least 1, was " + maxRounds);
    }
    PoliteThreads run = new PoliteThreads(manners, maxRounds, seed);
    Workers workers = new Workers();
    for (int me = 0; me < 2; me++) {
      int id = me;
      workers.start("polite-" + id, () -> run.walk(id));
    }
    workers.joinAll("the doorway " + run.doorway);
    return new Outcome(
        manners, run.rounds, run.passed, run.backOffs, run.collisions, run.busyWithoutProgress);
  }

  @SuppressWarnings("try") // the doorway is held for its body: the handle itself is not used
  private void walk(int me) throws InterruptedException, BrokenBarrierException {
    int other = 1 - me;
    Random random = new Random(seed + me);
    boolean done = false;
    for (int round = 0; round < maxRounds; round++) {
      // Phase 1: say whether I still want to go.
      wants.set(me, done ? 0 : 1);
      step.await();
      if (wants.get(0) == 0 && wants.get(1) == 0) {
        return; // both passed; both threads see the same values here, so both stop
      }
      // Phase 2: decide, from what the other one said, and say whether I go.
      boolean go = !done && !(wants.get(other) == 1 && stepsAside(me, random));
      goes.set(me, go ? 1 : 0);
      step.await();
      // Phase 3: act. Going alone passes the doorway; going together is a collision.
      int event;
      if (done) {
        event = IDLE;
      } else if (!go) {
        event = BACKED_OFF;
      } else if (goes.get(other) == 1) {
        event = COLLIDED;
      } else {
        try (Held h = doorway.locked()) {
          done = true;
        }
        event = PASSED;
      }
      events.set(me, event);
      step.await();
      if (me == 0) {
        count(events.get(0));
        count(events.get(1));
        rounds = round + 1;
      }
    }
  }

  private boolean stepsAside(int me, Random random) {
    return switch (manners) {
      case ALWAYS_YIELD -> true;
      case YIELD_TO_HIGHER_RANK -> me == 0;
      case RANDOM_YIELD -> random.nextBoolean();
    };
  }

  private void count(int event) {
    switch (event) {
      case PASSED -> {
        passed++;
        busyWithoutProgress = 0;
      }
      case BACKED_OFF -> {
        backOffs++;
        busyWithoutProgress++;
      }
      case COLLIDED -> {
        collisions++;
        busyWithoutProgress++;
      }
      default -> {
        // IDLE: nothing to count
      }
    }
  }

  /** Runs each manners once for 1,000 rounds and prints what happened. */
  public static void main(String[] args) throws InterruptedException {
    for (Manners m : Manners.values()) {
      Outcome o = run(m, 1_000, 42);
      System.out.printf(
          "%-20s rounds %4d, passed %d, back-offs %4d, collisions %d%s%n",
          m,
          o.rounds(),
          o.passed(),
          o.backOffs(),
          o.collisions(),
          o.livelocked(100) ? "  <- livelock: busy, no progress" : "");
    }
  }
}
