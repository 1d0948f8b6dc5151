package dev.syncprims.impl;

import static dev.syncprims.impl.TestThreads.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The library's JFR events, recorded in this JVM with {@link Recording} and read back with
 * {@link RecordingFile}: each is written with its fields when enabled and past its threshold, and
 * none is written when disabled or below the threshold.
 *
 * <p>A contended wait is made longer than the threshold without relying on timing: the holder
 * keeps the lock until the waiter is visibly parked in it (the lock is the blocker of its park,
 * which comes after the event began), and then until twice the threshold has elapsed, measured.
 * {@code dev.syncprims.TimerLate} and {@code dev.syncprims.DeadlockDetected} are produced by
 * calling {@link Events} directly (the timer and deadlock detection call the same methods);
 * {@link JfrChildJvmTest} records a real deadlock in a JVM of its own, with detection on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JfrEventsTest {

  /** The default threshold of {@code dev.syncprims.Contended}. */
  private static final Duration CONTENDED_THRESHOLD = Duration.ofMillis(20);

  /** What a recording does around the code under test. */
  @FunctionalInterface
  interface Configure {
    void apply(Recording r);
  }

  /** Runs {@code body} while a recording configured by {@code configure} runs; its events. */
  static List<RecordedEvent> record(Configure configure, TestThreads.Body body) throws Exception {
    try (Recording r = new Recording()) {
      configure.apply(r);
      r.start();
      body.run();
      r.stop();
      Path file = Files.createTempFile("syncprims-events", ".jfr");
      try {
        r.dump(file);
        return RecordingFile.readAllEvents(file);
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The events named {@code name} recorded by the thread named {@code threadName}. */
  static List<RecordedEvent> named(List<RecordedEvent> events, String name, String threadName) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .filter(
            e -> {
              RecordedThread t = e.getThread();
              return t != null && threadName.equals(t.getJavaName());
            })
        .collect(Collectors.toList());
  }

  /** Skips a test that needs no other recording to enable the library's events. */
  private static void assumeNoOtherRecording() {
    assumeTrue(
        FlightRecorder.getFlightRecorder().getRecordings().stream()
            .noneMatch(r -> r.getState() == RecordingState.RUNNING),
        "another recording runs in this JVM and may enable the events");
  }

  /**
   * The calling thread holds {@code mutex}; a thread named {@code name} locks it, waits, and gets
   * it once this thread has seen it parked in the lock and then kept the lock for {@code hold}.
   */
  private static void contend(Mutex mutex, String name, Duration hold) {
    boolean[] acquired = {false};
    try (TestThreads threads = new TestThreads("jfr")) {
      mutex.lock();
      try {
        Thread waiter =
            threads.start(
                name,
                () -> {
                  mutex.lock();
                  try {
                    acquired[0] = true;
                  } finally {
                    mutex.unlock();
                  }
                });
        awaitCondition(
            waiter.getName() + " parked in the lock",
            () -> mutex.equals(LockSupport.getBlocker(waiter)));
        holdFor(hold);
      } finally {
        mutex.unlock();
      }
    }
    assertTrue(acquired[0], "the waiter got the lock");
  }

  /** Keeps running (parked in short steps) until {@code d} has elapsed, measured. */
  private static void holdFor(Duration d) {
    long start = System.nanoTime();
    long nanos = d.toNanos();
    for (long left = nanos; left > 0; left = nanos - (System.nanoTime() - start)) {
      LockSupport.parkNanos(left);
    }
  }

  @Test
  void theJfrModuleIsSeenInThisJvm() {
    assertTrue(Events.JFR_RESOLVED, "jdk.jfr is in the boot layer of the test JVM");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void aContendedWaitLongerThanTheDefaultThresholdIsRecorded(Fairness fairness) throws Exception {
    Mutex mutex = Primitives.mutex(fairness);
    String holder = Thread.currentThread().getName();
    String waiter = "jfr-waiter-" + fairness;
    String[] described = new String[1];
    // Only "enabled": the threshold is the event's default, 20 ms.
    List<RecordedEvent> events =
        record(
            r -> r.enable(ContendedEvent.NAME).withStackTrace(),
            () -> {
              contend(mutex, "waiter-" + fairness, CONTENDED_THRESHOLD.multipliedBy(2));
              described[0] = Integer.toHexString(System.identityHashCode(mutex));
            });

    List<RecordedEvent> mine = named(events, ContendedEvent.NAME, waiter);
    assertEquals(1, mine.size(), () -> "one Contended event by " + waiter + " in " + events);
    RecordedEvent e = mine.get(0);
    assertTrue(
        e.getDuration().compareTo(CONTENDED_THRESHOLD.multipliedBy(2)) >= 0,
        "the wait lasted at least the hold: " + e.getDuration());
    assertEquals(QueuedMutex.class.getName(), e.getClass("primitiveClass").getName());
    String primitive = e.getString("primitive");
    assertTrue(
        primitive.startsWith("QueuedMutex@" + described[0] + "[locked by \"" + holder + "\""),
        primitive);
    assertTrue(primitive.endsWith(fairness + "]"), primitive);
    assertEquals(holder, e.getThread("owner").getJavaName());
    assertEquals("\"" + holder + "\"", e.getString("holders"));
    assertEquals(1, e.getInt("queueLength"));
    assertTrue(e.getBoolean("acquired"));
    assertNotNull(e.getStackTrace(), "the stack trace was recorded");
    assertTrue(
        e.getStackTrace().getFrames().stream()
            .anyMatch(f -> f.getMethod().getType().getName().equals(OwnedLock.class.getName())),
        () -> "the stack shows the lock: " + e.getStackTrace());
    assertTrue(mutex.tryLock(), "the mutex is free again");
    mutex.unlock();
  }

  @Test
  void aContendedWaitIsNotRecordedWhenTheEventIsDisabled() throws Exception {
    assumeNoOtherRecording();
    Mutex mutex = Primitives.mutex();
    Object[] begun = new Object[1];
    List<RecordedEvent> events =
        record(
            r -> r.disable(ContendedEvent.NAME),
            () -> {
              begun[0] = Events.beginContended(mutex, 1);
              contend(mutex, "disabled", CONTENDED_THRESHOLD.multipliedBy(2));
            });

    assertNull(begun[0], "no event object while the event is disabled");
    assertEquals(List.of(), named(events, ContendedEvent.NAME, "jfr-disabled"));
  }

  @Test
  void aContendedWaitShorterThanTheThresholdIsNotRecorded() throws Exception {
    Mutex mutex = Primitives.mutex();
    List<RecordedEvent> events =
        record(
            r -> r.enable(ContendedEvent.NAME).withThreshold(Duration.ofHours(1)),
            () -> contend(mutex, "short", Duration.ZERO));

    assertEquals(List.of(), named(events, ContendedEvent.NAME, "jfr-short"));
  }

  @Test
  void anInterruptedSemaphoreWaitIsRecordedAsNotAcquiredWithNoOwner() throws Exception {
    CountingSemaphore semaphore = Primitives.countingSemaphore(0);
    boolean[] interrupted = {false};
    List<RecordedEvent> events =
        record(
            r -> r.enable(ContendedEvent.NAME).withThreshold(Duration.ZERO),
            () -> {
              try (TestThreads threads = new TestThreads("jfr")) {
                Thread waiter =
                    threads.start(
                        "semaphore",
                        () -> {
                          try {
                            semaphore.acquire();
                          } catch (InterruptedException expected) {
                            interrupted[0] = true;
                          }
                        });
                awaitCondition(
                    waiter.getName() + " parked in the semaphore",
                    () -> semaphore.equals(LockSupport.getBlocker(waiter)));
                waiter.interrupt();
              }
            });

    assertTrue(interrupted[0], "nobody released: the wait ended by the interrupt");
    List<RecordedEvent> mine = named(events, ContendedEvent.NAME, "jfr-semaphore");
    assertEquals(1, mine.size(), () -> "one Contended event by jfr-semaphore in " + events);
    RecordedEvent e = mine.get(0);
    assertEquals(QueuedCountingSemaphore.class.getName(), e.getClass("primitiveClass").getName());
    assertTrue(
        e.getString("primitive").startsWith("QueuedCountingSemaphore@"), e.getString("primitive"));
    assertNull(e.getThread("owner"), "a semaphore has no owner");
    assertEquals("", e.getString("holders"), "no holders recorded while detection is off");
    assertEquals(1, e.getInt("queueLength"));
    assertFalse(e.getBoolean("acquired"), "interrupted");
    assertEquals(0, semaphore.availablePermits());
  }

  /** A task whose {@code toString()} counts its calls. */
  private static final class Task implements Runnable {
    final String name;
    final AtomicInteger described = new AtomicInteger();

    Task(String name) {
      this.name = name;
    }

    @Override
    public void run() {}

    @Override
    public String toString() {
      described.incrementAndGet();
      return name;
    }
  }

  @Test
  void aTaskLaterThanTheDefaultLatenessThresholdIsRecorded() throws Exception {
    String me = Thread.currentThread().getName();
    Task onTime = new Task("on time");
    Task late = new Task("late task");
    List<RecordedEvent> events =
        record(
            r -> r.enable(TimerLateEvent.NAME),
            () -> {
              Events.timerLate(onTime, TimeUnit.MILLISECONDS.toNanos(10)); // not more than 10 ms
              Events.timerLate(late, TimeUnit.MILLISECONDS.toNanos(25));
            });

    List<RecordedEvent> mine = named(events, TimerLateEvent.NAME, me);
    assertEquals(1, mine.size(), () -> "one TimerLate event by " + me + " in " + events);
    assertEquals("late task", mine.get(0).getString("task"));
    assertEquals(Duration.ofMillis(25), mine.get(0).getDuration("lateness"));
    assertEquals(0, onTime.described.get(), "the task on time was not described");
    assertNull(mine.get(0).getStackTrace(), "no stack trace: it would be the timer's worker");
  }

  @Test
  void theLatenessThresholdIsTheSmallestOfTheRunningRecordings() throws Exception {
    String me = Thread.currentThread().getName();
    try (Recording strict = new Recording()) {
      strict.enable(TimerLateEvent.NAME).with(TimerLateEvent.LATENESS_THRESHOLD, "1 s");
      strict.start();
      List<RecordedEvent> events =
          record(
              r -> r.enable(TimerLateEvent.NAME).with(TimerLateEvent.LATENESS_THRESHOLD, "100 us"),
              () -> {
                Events.timerLate(new Task("100 us late"), TimeUnit.MICROSECONDS.toNanos(100));
                Events.timerLate(new Task("2 ms late"), TimeUnit.MILLISECONDS.toNanos(2));
              });
      assertEquals(
          List.of("2 ms late"),
          named(events, TimerLateEvent.NAME, me).stream().map(e -> e.getString("task")).toList());
    }
    List<RecordedEvent> events =
        record(
            r -> r.enable(TimerLateEvent.NAME).with(TimerLateEvent.LATENESS_THRESHOLD, "1 s"),
            () -> Events.timerLate(new Task("2 ms late"), TimeUnit.MILLISECONDS.toNanos(2)));
    assertEquals(List.of(), named(events, TimerLateEvent.NAME, me), "below 1 s");
  }

  @Test
  void aTaskWhoseToStringThrowsIsRecordedAndTheCallerGoesOn() throws Exception {
    String me = Thread.currentThread().getName();
    Runnable task =
        new Runnable() {
          @Override
          public void run() {}

          @Override
          public String toString() {
            throw new IllegalStateException("no description");
          }
        };
    List<RecordedEvent> events =
        record(
            r -> r.enable(TimerLateEvent.NAME),
            () -> Events.timerLate(task, TimeUnit.SECONDS.toNanos(1)));

    List<RecordedEvent> mine = named(events, TimerLateEvent.NAME, me);
    assertEquals(1, mine.size(), () -> "one TimerLate event by " + me + " in " + events);
    String described = mine.get(0).getString("task");
    assertTrue(described.startsWith(task.getClass().getName() + "@"), described);
    assertTrue(described.contains("no description"), described);
  }

  @Test
  void timerLateIsNotRecordedWhenDisabled() throws Exception {
    assumeNoOtherRecording();
    String me = Thread.currentThread().getName();
    Task late = new Task("late task");
    List<RecordedEvent> events =
        record(
            r -> r.disable(TimerLateEvent.NAME),
            () -> Events.timerLate(late, TimeUnit.SECONDS.toNanos(1)));

    assertEquals(List.of(), named(events, TimerLateEvent.NAME, me));
    assertEquals(0, late.described.get(), "a disabled event describes nothing");
  }

  @Test
  void deadlockDetectedIsRecordedWithTheCycle() throws Exception {
    String me = Thread.currentThread().getName();
    Thread other = new Thread(() -> {}, "jfr-other");
    Mutex a = Primitives.mutex();
    Mutex b = Primitives.mutex();
    String message = "waiting would close a deadlock: (test)";
    List<RecordedEvent> events =
        record(
            r -> r.enable(DeadlockDetectedEvent.NAME),
            () -> Events.deadlockDetected(List.of(Thread.currentThread(), other), List.of(a, b), message));

    List<RecordedEvent> mine = named(events, DeadlockDetectedEvent.NAME, me);
    assertEquals(1, mine.size(), () -> "one DeadlockDetected event by " + me + " in " + events);
    RecordedEvent e = mine.get(0);
    assertEquals(message, e.getString("message"));
    assertEquals("\"" + me + "\", \"jfr-other\"", e.getString("threads"));
    assertEquals(a + "; " + b, e.getString("primitives"));
    assertEquals(2, e.getInt("cycleLength"));
    assertNotNull(e.getStackTrace(), "the stack of the refused acquire");
  }

  @Test
  void deadlockDetectedIsNotRecordedWhenDisabled() throws Exception {
    assumeNoOtherRecording();
    String me = Thread.currentThread().getName();
    List<RecordedEvent> events =
        record(
            r -> r.disable(DeadlockDetectedEvent.NAME),
            () ->
                Events.deadlockDetected(
                    List.of(Thread.currentThread()), List.of(Primitives.mutex()), "message"));

    assertEquals(List.of(), named(events, DeadlockDetectedEvent.NAME, me));
  }

  @Test
  void threadsAreNamedWithoutTheirToString() {
    Thread named = new Thread(() -> {}, "worker-1");
    Thread unnamed = new Thread(() -> {}, "");
    assertEquals("\"worker-1\"", JfrEvents.threadName(named));
    assertEquals("thread #" + unnamed.getId(), JfrEvents.threadName(unnamed));
    assertEquals(
        "\"worker-1\", thread #" + unnamed.getId(), JfrEvents.threadNames(List.of(named, unnamed)));
  }

  // LatenessThreshold on its own: the values JFR hands it.

  @Test
  void latenessThresholdParsesJfrTimespans() {
    assertEquals(10_000_000L, LatenessThreshold.parse("10 ms"));
    assertEquals(10_000_000L, LatenessThreshold.parse("10ms"));
    assertEquals(0L, LatenessThreshold.parse("0 ns"));
    assertEquals(500_000L, LatenessThreshold.parse(" 500 us "));
    assertEquals(2_000_000_000L, LatenessThreshold.parse("2 s"));
    assertEquals(60_000_000_000L, LatenessThreshold.parse("1 m"));
    assertEquals(TimeUnit.HOURS.toNanos(1), LatenessThreshold.parse("1 h"));
    assertEquals(TimeUnit.DAYS.toNanos(1), LatenessThreshold.parse("1 d"));
    assertEquals(Long.MAX_VALUE, LatenessThreshold.parse("infinity"));
    assertEquals(Long.MAX_VALUE, LatenessThreshold.parse("9999999 d"), "saturates");
    for (String bad : new String[] {"", "10", "ms", "-1 ms", "1.5 ms", "10 weeks", "99999999999999999999 ns"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LatenessThreshold.parse(bad), bad);
      assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
    }
  }

  @Test
  void latenessThresholdKeepsItsValueWhenGivenABadOne() {
    LatenessThreshold t = new LatenessThreshold();
    assertEquals("10 ms", t.getValue());
    assertFalse(t.isExceededBy(TimeUnit.MILLISECONDS.toNanos(10)), "10 ms is not more than 10 ms");
    assertTrue(t.isExceededBy(TimeUnit.MILLISECONDS.toNanos(10) + 1));

    t.setValue("1 ms");
    assertEquals("1 ms", t.getValue());
    assertTrue(t.isExceededBy(TimeUnit.MILLISECONDS.toNanos(2)));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setValue("soon"));
    assertTrue(e.getMessage().contains("latenessThreshold") && e.getMessage().contains("\"soon\""), e.getMessage());
    assertEquals("1 ms", t.getValue(), "unchanged");
    assertTrue(t.isExceededBy(TimeUnit.MILLISECONDS.toNanos(2)), "unchanged");

    t.setValue("infinity");
    assertFalse(t.isExceededBy(Long.MAX_VALUE), "infinity records nothing");
  }

  @Test
  void latenessThresholdCombinesToTheSmallestValidValue() {
    LatenessThreshold t = new LatenessThreshold();
    assertEquals("500 us", t.combine(Set.of("10 ms", "500 us", "1 s")));
    assertEquals("10 ms", t.combine(Set.of("10 ms", "infinity", "soon")));
    assertEquals("infinity", t.combine(Set.of("infinity")));
    assertEquals(LatenessThreshold.DEFAULT, t.combine(Set.of("soon")));
    assertEquals(LatenessThreshold.DEFAULT, t.combine(Set.of()));

    // JDK 17's JFR passes null to setValue after a combine instead of its result.
    assertEquals("500 us", t.combine(Set.of("10 ms", "500 us")));
    t.setValue(null);
    assertEquals("500 us", t.getValue());
    assertTrue(t.isExceededBy(TimeUnit.MICROSECONDS.toNanos(501)));
  }
}
