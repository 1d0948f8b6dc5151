package dev.syncprims.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.bench.report.FairnessResult;
import dev.syncprims.impl.Primitives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures how evenly a {@link Lock} is shared under contention, the fairness figures of the
 * benchmark report (JMH measures throughput; this measures who got the throughput).
 *
 * <p>N threads share one lock: each takes it, works {@code --cs} tokens ({@link
 * Blackhole#consumeCPU}) while holding it, releases it, works {@code --think} tokens, and asks
 * again, for a warm-up and then a measured period. Each thread counts its acquisitions and times
 * every wait, from calling {@code lock()} to its return, and counts how many acquisitions by other
 * threads happened during it ("overtaken"). The result, per lock and thread count, is one {@link
 * FairnessResult}: the per-thread acquisitions (from which the report computes the spread max/min
 * and the coefficient of variation), the distribution of overtaking, the longest single wait and
 * the total wait.
 *
 * <p>Why count overtaking: on a shared virtual machine every thread is paused now and then for
 * 10-25 ms, fair locks included, so the longest wait in milliseconds measures the hypervisor more
 * than the lock. Overtaking cannot be faked that way: while nobody runs, nobody acquires. A fair
 * lock keeps it at most the number of other threads; a barging lock that starves a thread lets it
 * grow without bound. It is counted from a volatile copy of the shared acquisition counter read
 * just before {@code lock()} to the counter read under the lock, so it may count one acquisition
 * that was already under way when the wait began, and, rarely, the acquisitions of others while
 * the thread was preempted between its call and its enqueueing (the maximum shows those; the
 * 99.9th percentile does not).
 *
 * <pre>
 * java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.LockFairness \
 *     --threads 4 --warmup-ms 1000 --measure-ms 2000 --out bench-results/DIR/fairness-threads-4.json
 * </pre>
 *
 * Options: {@code --threads N} (one count; default 4), {@code --warmup-ms}, {@code --measure-ms},
 * {@code --cs TOKENS} and {@code --think TOKENS} (default 50 each), {@code --locks REGEX} (the
 * names to run; default all), {@code --out FILE} (default: print only). {@code ./bench --report}
 * runs it once per thread count of its profile.
 *
 * <p>A wait that began during the measurement counts even if it ends after it: a thread starved for
 * the whole period then shows its full wait. A wait includes the time the thread was descheduled,
 * which with more threads than cores is most of it; compare locks at the same thread count on the
 * same machine.
 */
public final class LockFairness {
  /**
   * A lock to measure.
   *
   * @param name the name in the report, following the benchmark convention: {@code jdk...} for the
   *     JDK's locks, {@code primitives...} for the library's
   * @param family the report family ({@code mutex}, {@code reentrant}, {@code semaphore}), or
   *     {@code jdk}
   * @param factory makes a fresh lock for each run
   */
  public record Entry(String name, String family, Supplier<Lock> factory) {}

  /** The locks measured, the library's first, then the JDK's they are compared to. */
  public static final List<Entry> LOCKS =
      List.of(
          new Entry("primitivesMutexBarging", "mutex", () -> Primitives.mutex()),
          new Entry("primitivesMutexFifo", "mutex", () -> Primitives.mutex(Fairness.FIFO)),
          new Entry(
              "primitivesReentrantMutexBarging", "reentrant", () -> Primitives.reentrantMutex()),
          new Entry(
              "primitivesReentrantMutexFifo",
              "reentrant",
              () -> Primitives.reentrantMutex(Fairness.FIFO)),
          new Entry(
              "primitivesSemaphoreBarging",
              "semaphore",
              () -> permitAsLock(Primitives.countingSemaphore(1, Fairness.BARGING))),
          new Entry(
              "primitivesSemaphoreFifo",
              "semaphore",
              () -> permitAsLock(Primitives.countingSemaphore(1, Fairness.FIFO))),
          new Entry("jdkReentrantLockNonFair", "jdk", () -> new ReentrantLock(false)),
          new Entry("jdkReentrantLockFair", "jdk", () -> new ReentrantLock(true)),
          new Entry("jdkSemaphoreNonFair", "jdk", () -> permitAsLock(new Semaphore(1, false))),
          new Entry("jdkSemaphoreFair", "jdk", () -> permitAsLock(new Semaphore(1, true))));

  /**
   * A semaphore of one permit seen as a {@link Lock} ({@code lock()} acquires the permit
   * uninterruptibly, {@code unlock()} releases it), so that the semaphores' queueing is measured
   * by the same workers as the locks'. Only those two methods are used here.
   */
  static Lock permitAsLock(CountingSemaphore semaphore) {
    return new PermitLock(semaphore::acquireUninterruptibly, semaphore::release);
  }

  /** The JDK's semaphore of one permit seen as a {@link Lock}; see the other overload. */
  static Lock permitAsLock(Semaphore semaphore) {
    return new PermitLock(semaphore::acquireUninterruptibly, semaphore::release);
  }

  /** {@code lock()} and {@code unlock()} delegated; the rest of {@link Lock} is not needed here. */
  private static final class PermitLock implements Lock {
    private final Runnable acquire;
    private final Runnable release;

    PermitLock(Runnable acquire, Runnable release) {
      this.acquire = acquire;
      this.release = release;
    }

    @Override
    public void lock() {
      acquire.run();
    }

    @Override
    public void unlock() {
      release.run();
    }

    @Override
    public void lockInterruptibly() {
      throw new UnsupportedOperationException("lockInterruptibly");
    }

    @Override
    public boolean tryLock() {
      throw new UnsupportedOperationException("tryLock");
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) {
      throw new UnsupportedOperationException("tryLock");
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException("newCondition");
    }
  }

  private LockFairness() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int threads = 4;
    long warmupMillis = 1000, measureMillis = 2000, cs = 50, think = 50;
    Pattern locks = Pattern.compile(".*");
    Path out = null;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(value);
        case "--warmup-ms" -> warmupMillis = Long.parseLong(value);
        case "--measure-ms" -> measureMillis = Long.parseLong(value);
        case "--cs" -> cs = Long.parseLong(value);
        case "--think" -> think = Long.parseLong(value);
        case "--locks" -> locks = Pattern.compile(value);
        case "--out" -> out = Paths.get(value);
        default -> {
          System.err.println(
              "usage: LockFairness [--threads N] [--warmup-ms MS] [--measure-ms MS] [--cs TOKENS]"
                  + " [--think TOKENS] [--locks REGEX] [--out FILE]");
          System.exit(2);
        }
      }
    }
    if (threads < 2) {
      throw new IllegalArgumentException("--threads " + threads + ": fairness needs at least 2");
    }

    JsonArray json = new JsonArray();
    for (Entry e : LOCKS) {
      if (!locks.matcher(e.name()).matches()) {
        continue;
      }
      FairnessResult r = measure(e, threads, warmupMillis, measureMillis, cs, think);
      System.out.printf(
          Locale.ROOT,
          "%-34s %d threads: %10.1f acquisitions/ms, spread %8.2f, CV %5.2f, overtaken %s,"
              + " longest wait %9.3f ms, mean wait %9.3f us%n",
          r.lock(),
          r.threads(),
          r.acquisitionsPerMilli(),
          r.spread(),
          r.coefficientOfVariation(),
          r.overtaken().describe(),
          r.longestWaitNanos() / 1e6,
          r.meanWaitNanos() / 1e3);
      json.add(r.toJson());
    }
    if (out != null) {
      Files.writeString(
          out,
          new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
          StandardCharsets.UTF_8);
    }
  }

  /** Buckets of the overtaking histogram: exact below the last, which holds the rest. */
  private static final int OVERTAKEN_BUCKETS = 4096;

  /** The phases of a run, read by every worker once per acquisition. */
  private static final int WARMUP = 0, MEASURE = 1, STOP = 2;

  /**
   * Shared by the workers of one run; {@code counter} is guarded by the lock under test, and must
   * end equal to the number of acquisitions (a lock that does not exclude loses updates).
   */
  private static final class Run {
    final Lock lock;
    final long cs;
    final long think;
    final CountDownLatch start = new CountDownLatch(1);
    volatile int phase = WARMUP;
    long counter;
    /** {@code counter}, published by the holder for the next waiters' "before" reading. */
    volatile long published;

    Run(Lock lock, long cs, long think) {
      this.lock = lock;
      this.cs = cs;
      this.think = think;
    }
  }

  /** One contending thread; its fields are read by the main thread after {@code join()}. */
  private static final class Worker extends Thread {
    private final Run run;
    long allAcquisitions;
    long acquisitions;
    long longestWait;
    long totalWait;
    /** Measured acquisitions by how many others overtook them; the last bucket is "or more". */
    final long[] overtaken = new long[OVERTAKEN_BUCKETS];
    long mostOvertaken;

    Worker(Run run, int index) {
      super("fairness-" + index);
      this.run = run;
    }

    @Override
    public void run() {
      try {
        run.start.await();
      } catch (InterruptedException e) {
        return;
      }
      Lock lock = run.lock;
      while (true) {
        int phase = run.phase;
        if (phase == STOP) {
          return;
        }
        long before = run.published;
        long asked = System.nanoTime();
        long waited;
        long others;
        lock.lock();
        try {
          waited = System.nanoTime() - asked;
          others = run.counter - before;
          run.published = ++run.counter;
          Blackhole.consumeCPU(run.cs);
        } finally {
          lock.unlock();
        }
        allAcquisitions++;
        if (phase == MEASURE) {
          acquisitions++;
          totalWait += waited;
          longestWait = Math.max(longestWait, waited);
          overtaken[(int) Math.min(others, OVERTAKEN_BUCKETS - 1)]++;
          mostOvertaken = Math.max(mostOvertaken, others);
        }
        Blackhole.consumeCPU(run.think);
      }
    }
  }

  /** Runs {@code threads} workers on a fresh lock of {@code entry} and collects their figures. */
  public static FairnessResult measure(
      Entry entry, int threads, long warmupMillis, long measureMillis, long cs, long think)
      throws InterruptedException {
    Run run = new Run(entry.factory().get(), cs, think);
    Worker[] workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker(run, i);
      workers[i].start();
    }
    run.start.countDown();
    Thread.sleep(warmupMillis);
    run.phase = MEASURE;
    long begin = System.nanoTime();
    Thread.sleep(measureMillis);
    run.phase = STOP;
    long measured = System.nanoTime() - begin;
    for (Worker w : workers) {
      w.join();
    }
    List<Long> acquisitions = new ArrayList<>();
    long longest = 0, total = 0, all = 0, mostOvertaken = 0;
    long[] overtaken = new long[OVERTAKEN_BUCKETS];
    for (Worker w : workers) {
      all += w.allAcquisitions;
      acquisitions.add(w.acquisitions);
      longest = Math.max(longest, w.longestWait);
      total += w.totalWait;
      mostOvertaken = Math.max(mostOvertaken, w.mostOvertaken);
      for (int i = 0; i < OVERTAKEN_BUCKETS; i++) {
        overtaken[i] += w.overtaken[i];
      }
    }
    if (run.counter != all) {
      throw new IllegalStateException(
          entry.name() + " lost updates: " + all + " acquisitions, counter " + run.counter);
    }
    return new FairnessResult(
        entry.name(),
        entry.family(),
        threads,
        measured,
        acquisitions,
        longest,
        total,
        cs,
        think,
        FairnessResult.Overtaken.of(overtaken, mostOvertaken));
  }
}
