package dev.syncprims.impl;

import static dev.syncprims.impl.MutexContractTest.assertFree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncprims.Fairness;
import dev.syncprims.impl.LockUnderTest.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thousand virtual threads share one lock (JDK 21 and later; skipped before). Each locks,
 * increments a plain counter and unlocks, sometimes parking while it holds the lock, so that the
 * others queue and park too. The count must be exact, and no virtual thread may pin its carrier
 * in the lock's code: a JFR recording of {@code jdk.VirtualThreadPinned} events (threshold zero)
 * must show none whose stack is in the lock (a stack that JFR did not record counts too).
 *
 * <p>The build compiles tests with {@code --release 17}, so the virtual-thread executor is
 * reached by reflection ({@code Executors.newVirtualThreadPerTaskExecutor()}, public since JDK
 * 21). The Surefire configuration of this module limits the carrier pool to two threads
 * ({@code jdk.virtualThreadScheduler.parallelism} and {@code maxPoolSize}), so a waiter that
 * pinned its carrier would soon leave no carrier for the holder: the test would then time out
 * instead of passing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MutexVirtualThreadTest {

  private static final int THREADS = 1_000;
  private static final int ROUNDS = 100;

  static Stream<Arguments> kindsAndFairness() {
    return LockUnderTest.kindsAndFairness();
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aThousandVirtualThreadsCountExactlyWithoutPinning(Kind kind, Fairness fairness)
      throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
    LockUnderTest lock = kind.create(fairness);
    long[] counter = {0};
    // Load and initialize what the virtual threads use before the recording starts: class
    // loading and initialization can pin a virtual thread (a monitor in the class loader, a wait
    // for another thread's class initializer), which is not what this test is about. The
    // uncontended paths on this thread; the queue, the park, the hand-off and a timed park while
    // holding on a virtual thread that waits for this one.
    assertTrue(!isVirtual(Thread.currentThread()), "the test thread is virtual");
    MutexContractTest.released(Acquire.LOCK_INTERRUPTIBLY.acquire(lock));
    MutexContractTest.released(Acquire.LOCK.acquire(lock));
    contendOnce(lock, Acquire.LOCK_INTERRUPTIBLY, true);
    contendOnce(lock, Acquire.LOCK, true);
    List<RecordedEvent> pinned;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      recording.start();
      // With a recording running, the first thread that waits in the lock registers the library's
      // JFR event types (loading their classes): a platform thread here.
      contendOnce(lock, Acquire.LOCK, false);
      ExecutorService executor =
          (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      List<Future<?>> tasks = new ArrayList<>();
      try {
        for (int t = 0; t < THREADS; t++) {
          int id = t;
          tasks.add(
              executor.submit(
                  () -> {
                    assertTrue(isVirtual(Thread.currentThread()), "not a virtual thread");
                    for (int i = 0; i < ROUNDS; i++) {
                      Acquire method = (i + id) % 3 == 0 ? Acquire.LOCK_INTERRUPTIBLY : Acquire.LOCK;
                      Acquire.Release release = method.acquire(lock);
                      try {
                        long before = counter[0];
                        if ((i + id) % 10 == 0) {
                          LockSupport.parkNanos(10_000); // unmounts while holding the lock
                        }
                        counter[0] = before + 1;
                      } finally {
                        MutexContractTest.released(release);
                      }
                    }
                    return null;
                  }));
        }
      } finally {
        executor.shutdown();
      }
      assertTrue(executor.awaitTermination(45, TimeUnit.SECONDS), "the virtual threads hung");
      for (Future<?> task : tasks) {
        task.get(); // rethrows a failure inside a virtual thread
      }
      recording.stop();
      Path file = Files.createTempFile("pinned", ".jfr");
      try {
        recording.dump(file);
        // Only the pinning events: the recording also holds the library's own (JFR enables
        // dev.syncprims.Contended in every recording by default), whose stacks are in the lock.
        pinned =
            RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .collect(Collectors.toList());
      } finally {
        Files.deleteIfExists(file);
      }
    }
    assertEquals((long) THREADS * ROUNDS, counter[0]);
    assertFree(lock);
    assertEquals(
        List.of(),
        pinned.stream()
            .filter(MutexVirtualThreadTest::whileInTheLock)
            .map(RecordedEvent::toString)
            .collect(Collectors.toList()),
        "virtual threads pinned their carrier in the lock");
  }

  /**
   * One contended acquire by {@code method}, on a virtual thread or a platform one: this thread
   * holds the lock until the waiter is parked in it; the waiter then takes it, parks briefly while
   * holding it, and lets it go.
   */
  private static void contendOnce(LockUnderTest lock, Acquire method, boolean virtual)
      throws Exception {
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Runnable body =
        () -> {
          try {
            Acquire.Release release = method.acquire(lock);
            try {
              LockSupport.parkNanos(1_000);
            } finally {
              MutexContractTest.released(release);
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        };
    Thread waiter;
    if (virtual) {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      waiter =
          (Thread)
              Class.forName("java.lang.Thread$Builder")
                  .getMethod("unstarted", Runnable.class)
                  .invoke(builder, body);
    } else {
      waiter = new Thread(body, "warm-up-waiter");
      waiter.setDaemon(true);
    }
    lock.lock();
    try {
      waiter.start();
      TestThreads.awaitCondition(
          "the warm-up waiter parked in the lock",
          () -> lock.target().equals(LockSupport.getBlocker(waiter)));
    } finally {
      lock.unlock();
    }
    waiter.join(TimeUnit.NANOSECONDS.toMillis(TestThreads.PATIENCE_NANOS));
    assertFalse(waiter.isAlive(), "the warm-up waiter did not finish");
    Throwable e = failure.get();
    if (e != null) {
      throw new AssertionError("the warm-up waiter failed", e);
    }
  }

  /** Whether the pinned thread was inside the lock's code (not, say, loading a class). */
  private static boolean whileInTheLock(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    return stack == null
        || stack.getFrames().stream()
            .map(f -> f.getMethod().getType().getName())
            .anyMatch(
                c ->
                    c.equals(OwnedLock.class.getName())
                        || c.startsWith(OwnedLock.class.getPackageName() + ".")
                        || c.equals(QueuedMutex.class.getName())
                        || c.equals(QueuedReentrantMutex.class.getName()));
  }

  private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
    return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
  }
}
