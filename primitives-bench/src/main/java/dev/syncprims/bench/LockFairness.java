package dev.syncprims.bench;

import dev.syncprims.Fairness;
import dev.syncprims.impl.QueuedMutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fairness figure for locks: a few threads hammer one lock for a few seconds (lock, increment a
 * counter, unlock, at once again), and for each lock this prints how the acquisitions were shared
 * and how long the unluckiest acquisition waited:
 *
 * <ul>
 *   <li>{@code spread}: the most acquisitions of one thread divided by the fewest (1.0 is a perfect
 *       share; a barging lock lets the thread that just unlocked take it again, so it is higher);
 *   <li>{@code maxWaitMs}: the longest single wait, from just before {@code lock()} to just after
 *       it returned, over every acquisition of every thread (the starvation bound of the lock, plus
 *       whatever the operating system's scheduler adds on a busy machine).
 * </ul>
 *
 * Locks: {@code QueuedMutex} BARGING and FIFO, {@code ReentrantLock} non-fair and fair, one after
 * the other. Output: one JSON object per line per lock, then a table.
 *
 * <pre>
 * java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.LockFairness \
 *     [seconds] [threads]
 * </pre>
 *
 * Defaults: 3 seconds per lock, 4 threads.
 */
public final class LockFairness {
  private LockFairness() {}

  /** What one lock's run measured. */
  private static final class Result {
    final String name;
    final long[] acquisitions;
    final long maxWaitNanos;
    final double seconds;

    Result(String name, long[] acquisitions, long maxWaitNanos, double seconds) {
      this.name = name;
      this.acquisitions = acquisitions;
      this.maxWaitNanos = maxWaitNanos;
      this.seconds = seconds;
    }

    long total() {
      long t = 0;
      for (long a : acquisitions) {
        t += a;
      }
      return t;
    }

    double spread() {
      long max = Long.MIN_VALUE;
      long min = Long.MAX_VALUE;
      for (long a : acquisitions) {
        max = Math.max(max, a);
        min = Math.min(min, a);
      }
      return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
    }

    String json(int threads) {
      StringBuilder counts = new StringBuilder();
      for (int i = 0; i < acquisitions.length; i++) {
        counts.append(i == 0 ? "" : ",").append(acquisitions[i]);
      }
      double spread = spread();
      return String.format(
          Locale.ROOT,
          "{\"lock\":\"%s\",\"threads\":%d,\"seconds\":%.1f,\"acquisitions\":[%s],"
              + "\"totalPerSecond\":%.0f,\"spread\":%s,\"maxWaitNanos\":%d}",
          name,
          threads,
          seconds,
          counts,
          total() / seconds,
          Double.isInfinite(spread) ? "null" : String.format(Locale.ROOT, "%.3f", spread),
          maxWaitNanos);
    }
  }

  /** The guarded counter, on a plain field: only the lock makes its increments safe. */
  private long counter;

  public static void main(String[] args) throws InterruptedException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    List<Result> results = new ArrayList<>();
    results.add(run("QueuedMutex BARGING", new QueuedMutex(Fairness.BARGING), threads, seconds));
    results.add(run("QueuedMutex FIFO", new QueuedMutex(Fairness.FIFO), threads, seconds));
    results.add(run("ReentrantLock non-fair", new ReentrantLock(false), threads, seconds));
    results.add(run("ReentrantLock fair", new ReentrantLock(true), threads, seconds));
    for (Result r : results) {
      System.out.println(r.json(threads));
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-24s %14s %8s %11s  %s%n",
        "lock",
        "acquisitions/s",
        "spread",
        "maxWaitMs",
        "per-thread acquisitions");
    for (Result r : results) {
      StringBuilder counts = new StringBuilder();
      for (long a : r.acquisitions) {
        counts.append(counts.length() == 0 ? "" : " ").append(a);
      }
      System.out.printf(
          Locale.ROOT,
          "%-24s %14.0f %8.2f %11.3f  %s%n",
          r.name,
          r.total() / r.seconds,
          r.spread(),
          r.maxWaitNanos / 1e6,
          counts);
    }
  }

  /** Runs {@code threads} threads on {@code lock} for {@code seconds}, after a short warm-up. */
  private static Result run(String name, Lock lock, int threads, double seconds)
      throws InterruptedException {
    hammer(name, lock, threads, Math.min(1.0, seconds / 3)); // warm-up: the JIT compiles the loop
    return hammer(name, lock, threads, seconds);
  }

  private static Result hammer(String name, Lock lock, int threads, double seconds)
      throws InterruptedException {
    LockFairness shared = new LockFairness();
    long[] acquisitions = new long[threads];
    long[] maxWait = new long[threads];
    CountDownLatch start = new CountDownLatch(1);
    long runNanos = (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w =
          new Thread(
              () -> {
                awaitUninterruptibly(start);
                long end = System.nanoTime() + runNanos;
                long count = 0;
                long longest = 0;
                long before = System.nanoTime();
                while (before - end < 0) {
                  long after;
                  lock.lock();
                  try {
                    after = System.nanoTime();
                    shared.counter++;
                  } finally {
                    lock.unlock();
                  }
                  longest = Math.max(longest, after - before);
                  count++;
                  before = System.nanoTime();
                }
                acquisitions[id] = count;
                maxWait[id] = longest;
              },
              "fairness-" + t);
      workers.add(w);
      w.start();
    }
    start.countDown();
    long longest = 0;
    for (int t = 0; t < threads; t++) {
      workers.get(t).join();
      longest = Math.max(longest, maxWait[t]);
    }
    Result result = new Result(name, acquisitions, longest, seconds);
    if (shared.counter != result.total()) {
      throw new AssertionError(
          name + " lost updates: counter " + shared.counter + " != " + result.total());
    }
    return result;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
