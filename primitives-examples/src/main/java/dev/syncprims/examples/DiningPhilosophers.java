package dev.syncprims.examples;

import dev.syncprims.Held;
import dev.syncprims.Monitor;
import dev.syncprims.impl.Primitives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The dining philosophers: {@code n} philosophers sit at a round table with one fork between each
 * pair of neighbours; a philosopher needs both forks beside them to eat. Taking one fork at a time
 * can deadlock: if every philosopher takes the left fork, each waits for ever for the right one.
 *
 * <p><b>The protocol</b>: a philosopher takes <em>both forks or none</em>, inside a monitor. A
 * hungry philosopher eats as soon as neither neighbour is eating and no hungry neighbour has been
 * waiting longer; otherwise it waits on its own condition, and a neighbour who puts down its forks
 * re-examines the hungry philosophers and signals each one that may now eat. The "has been
 * waiting longer" rule (a ticket taken when becoming hungry) also rules out starvation: the
 * hungriest philosopher is never overtaken by a neighbour, and eats as soon as its neighbours put
 * their forks down.
 *
 * <p><b>Why it cannot deadlock.</b> Coffman, Elphick and Shoshani (1971) showed that a deadlock
 * needs four conditions at once: <em>mutual exclusion</em> (a fork is used by one philosopher at a
 * time), <em>hold and wait</em> (a philosopher holds one fork while waiting for another), <em>no
 * preemption</em> (a fork cannot be taken away) and <em>circular wait</em> (a cycle of
 * philosophers each waiting for the next one's fork). Taking both forks in one step inside the
 * monitor breaks <em>hold and wait</em>: a waiting philosopher holds nothing, so no cycle of
 * waiting can form. (The other classic fix, ordering the forks and taking the lower-numbered one
 * first, breaks <em>circular wait</em> instead.)
 *
 * <p>Under HOARE, the {@code signal()} in {@link #putDown} hands the monitor to the neighbour, who
 * starts eating before the signaller continues; under MESA the neighbour finds itself {@code
 * EATING} when it next gets the monitor. The guard {@code state[i] == EATING} is set by the
 * signaller, so nobody can falsify it in between, under either semantics.
 *
 * <p>Run {@link #main} to see the philosophers dine on both kinds of monitor, with the invariant
 * checks: no two neighbours eat at once, and every philosopher eats.
 */
@SuppressWarnings("try") // try (Held h = monitor.entered()) { ... }: h is used only to exit
public final class DiningPhilosophers {
  private static final int THINKING = 0;
  private static final int HUNGRY = 1;
  private static final int EATING = 2;

  private final Monitor monitor;
  private final Monitor.Condition[] self;

  // Guarded by the monitor.
  private final int[] state;
  private final long[] ticket; // when each became hungry, in arrival order
  private long nextTicket;

  /**
   * Sets the table for {@code n} philosophers, guarded by {@code monitor}.
   *
   * @throws IllegalArgumentException if {@code n < 2}
   */
  public DiningPhilosophers(Monitor monitor, int n) {
    if (n < 2) {
      throw new IllegalArgumentException("at least 2 philosophers are needed, was " + n);
    }
    this.monitor = monitor;
    this.self = new Monitor.Condition[n];
    for (int i = 0; i < n; i++) {
      self[i] = monitor.newCondition();
    }
    this.state = new int[n];
    this.ticket = new long[n];
  }

  /** Waits until philosopher {@code i} holds both forks. */
  public void pickUp(int i) throws InterruptedException {
    try (Held h = monitor.entered()) {
      state[i] = HUNGRY;
      ticket[i] = nextTicket++;
      tryToFeed(i);
      try {
        self[i].waitFor(() -> state[i] == EATING);
      } catch (InterruptedException e) {
        if (state[i] == EATING) { // fed while being interrupted: give the forks back
          putDownHeld(i);
        } else {
          state[i] = THINKING;
          feedWhoCan(); // a neighbour may have been waiting only because i was hungrier
        }
        throw e;
      }
    }
  }

  /** Philosopher {@code i} puts both forks down; hungry neighbours who now can, eat. */
  public void putDown(int i) {
    try (Held h = monitor.entered()) {
      putDownHeld(i);
    }
  }

  private void putDownHeld(int i) {
    state[i] = THINKING;
    feedWhoCan();
  }

  /** Feeds every hungry philosopher who may eat now, longest-waiting first. */
  private void feedWhoCan() {
    Integer[] byTicket = new Integer[state.length];
    for (int k = 0; k < state.length; k++) {
      byTicket[k] = k;
    }
    Arrays.sort(byTicket, (a, b) -> Long.compare(ticket[a], ticket[b]));
    for (int k : byTicket) {
      tryToFeed(k);
    }
  }

  /** If {@code k} is hungry and may eat (see the class comment), it eats: it is signalled. */
  private void tryToFeed(int k) {
    int left = (k + state.length - 1) % state.length;
    int right = (k + 1) % state.length;
    if (state[k] == HUNGRY
        && state[left] != EATING
        && state[right] != EATING
        && !hungrierThan(left, k)
        && !hungrierThan(right, k)) {
      state[k] = EATING;
      self[k].signal(); // HOARE: k starts eating (leaves pickUp) before this returns
    }
  }

  private boolean hungrierThan(int neighbour, int k) {
    return state[neighbour] == HUNGRY && ticket[neighbour] < ticket[k];
  }

  // ---------------------------------------------------------------------------------------------
  // The demonstration

  /** What a run observed. */
  record Report(List<Long> meals, int violations) {
    boolean ok() {
      return violations == 0 && meals.stream().allMatch(m -> m > 0);
    }

    @Override
    public String toString() {
      return String.format(
          "meals %s, neighbours eating together %d times: %s",
          meals, violations, ok() ? "OK" : "VIOLATED");
    }
  }

  /**
   * Seats {@code n} philosophers, who think and eat (each meal a few microseconds of spinning) for
   * {@code millis}. The checks: two neighbours never eat at once (each fork is an atomic owner
   * slot, taken when eating starts and given back when it ends), and every philosopher eats.
   */
  static Report run(Monitor monitor, int n, long millis) throws InterruptedException {
    DiningPhilosophers table = new DiningPhilosophers(monitor, n);
    AtomicIntegerArray forkUser = new AtomicIntegerArray(n); // 0 = free, else philosopher + 1
    AtomicInteger violations = new AtomicInteger();
    AtomicLongArray meals = new AtomicLongArray(n);
    long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Workers workers = new Workers();
    for (int p = 0; p < n; p++) {
      int i = p;
      int leftFork = i;
      int rightFork = (i + 1) % n;
      workers.start(
          "philosopher-" + i,
          () -> {
            while (System.nanoTime() - stopAt < 0) {
              spin(2_000); // think
              table.pickUp(i);
              try {
                if (!forkUser.compareAndSet(leftFork, 0, i + 1)) {
                  violations.incrementAndGet();
                }
                if (!forkUser.compareAndSet(rightFork, 0, i + 1)) {
                  violations.incrementAndGet();
                }
                spin(2_000); // eat
                meals.incrementAndGet(i);
                forkUser.compareAndSet(leftFork, i + 1, 0);
                forkUser.compareAndSet(rightFork, i + 1, 0);
              } finally {
                table.putDown(i);
              }
            }
          });
    }
    workers.joinAll(monitor);
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      counts.add(meals.get(i));
    }
    return new Report(List.copyOf(counts), violations.get());
  }

  private static void spin(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
  }

  /** Lets five philosophers dine for a moment on a Mesa and a Hoare monitor; prints the checks. */
  public static void main(String[] args) throws InterruptedException {
    for (Monitor m : List.of(Primitives.mesaMonitor(), Primitives.hoareMonitor())) {
      System.out.printf("%-5s 5 philosophers: %s%n", m.semantics(), run(m, 5, 500));
    }
  }
}
