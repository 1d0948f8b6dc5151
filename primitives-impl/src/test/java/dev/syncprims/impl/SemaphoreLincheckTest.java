package dev.syncprims.impl;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck model checking: every interleaving Lincheck explores of the non-blocking operations
 * (tryAcquire, the timed tryAcquire with a zero timeout, release, availablePermits, drainPermits)
 * on a real semaphore must be explained by some sequential order of the same operations on a
 * plain counter ({@link Counter}). A rejected release is part of the result: it must throw in the
 * model too, and change nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SemaphoreLincheckTest {

  private static ModelCheckingOptions options(Class<?> model) {
    return new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .sequentialSpecification(model);
  }

  @Test
  void boundedBarging() {
    options(Counter.Bounded.class).check(BoundedBarging.class);
  }

  @Test
  void boundedFifo() {
    options(Counter.Bounded.class).check(BoundedFifo.class);
  }

  @Test
  void unboundedFromBelowZeroFifo() {
    options(Counter.Unbounded.class).check(UnboundedFifo.class);
  }

  @Test
  void binaryBarging() {
    options(Counter.Binary.class).check(BinaryBarging.class);
  }

  /** The sequential model: an int and a bound. */
  abstract static class Counter {
    private int count;
    private final int max;

    Counter(int count, int max) {
      this.count = count;
      this.max = max;
    }

    public boolean tryAcquire(int n) {
      if (n == 0) {
        return true;
      }
      if (count < n) {
        return false;
      }
      count -= n;
      return true;
    }

    public boolean tryAcquireNoWait(int n) {
      return tryAcquire(n);
    }

    public void release(int n) {
      if (count > max - n) {
        throw new IllegalStateException();
      }
      count += n;
    }

    public int availablePermits() {
      return count;
    }

    public int drainPermits() {
      int c = count;
      count = 0;
      return c;
    }

    /** Bounded(2, 3). */
    public static final class Bounded extends Counter {
      public Bounded() {
        super(2, 3);
      }
    }

    /** Unbounded, starting at -1. */
    public static final class Unbounded extends Counter {
      public Unbounded() {
        super(-1, Integer.MAX_VALUE);
      }
    }

    /** Binary, available. */
    public static final class Binary extends Counter {
      public Binary() {
        super(1, 1);
      }
    }
  }

  /** The operations on a counting semaphore. */
  @Param(name = "n", gen = IntGen.class, conf = "0:2")
  abstract static class CountingOps {
    private final CountingSemaphore s;

    CountingOps(CountingSemaphore s) {
      this.s = s;
    }

    @Operation
    public boolean tryAcquire(@Param(name = "n") int n) {
      return s.tryAcquire(n);
    }

    @Operation
    public boolean tryAcquireNoWait(@Param(name = "n") int n) throws InterruptedException {
      return s.tryAcquire(n, 0, TimeUnit.NANOSECONDS);
    }

    @Operation
    public void release(@Param(name = "n") int n) {
      s.release(n);
    }

    @Operation
    public int availablePermits() {
      return s.availablePermits();
    }

    @Operation
    public int drainPermits() {
      return s.drainPermits();
    }
  }

  /** Bounded(2, 3), BARGING. */
  public static final class BoundedBarging extends CountingOps {
    public BoundedBarging() {
      super(Primitives.boundedSemaphore(2, 3, Fairness.BARGING));
    }
  }

  /** Bounded(2, 3), FIFO. */
  public static final class BoundedFifo extends CountingOps {
    public BoundedFifo() {
      super(Primitives.boundedSemaphore(2, 3, Fairness.FIFO));
    }
  }

  /** Unbounded from -1, FIFO. */
  public static final class UnboundedFifo extends CountingOps {
    public UnboundedFifo() {
      super(Primitives.countingSemaphore(-1, Fairness.FIFO));
    }
  }

  /** A binary semaphore, available, BARGING; n is ignored except that n == 0 does nothing. */
  @Param(name = "n", gen = IntGen.class, conf = "0:1")
  public static final class BinaryBarging {
    private final BinarySemaphore s = Primitives.binarySemaphore(true, Fairness.BARGING);

    @Operation
    public boolean tryAcquire(@Param(name = "n") int n) {
      return n == 0 || s.tryAcquire();
    }

    @Operation
    public void release(@Param(name = "n") int n) {
      if (n != 0) {
        s.release();
      }
    }

    @Operation
    public int availablePermits() {
      return s.isAvailable() ? 1 : 0;
    }
  }
}
