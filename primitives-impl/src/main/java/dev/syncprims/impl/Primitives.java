package dev.syncprims.impl;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.Timer;

/**
 * The factory of the library: the one class users of {@code primitives-impl} need.
 *
 * <p>Each primitive of the {@code dev.syncprims} API is created here, in its default fairness
 * ({@link Fairness#BARGING}) or in the one asked for. The classes behind the returned interfaces
 * are public and documented, so that a reader can open the one they want to learn from; code that
 * only uses a primitive should depend on its interface.
 */
public final class Primitives {
  private Primitives() {}

  /** A new unlocked, non-reentrant {@link Mutex}, {@link Fairness#BARGING}. */
  public static Mutex mutex() {
    return new QueuedMutex(Fairness.BARGING);
  }

  /**
   * A new unlocked, non-reentrant {@link Mutex} with the given fairness.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static Mutex mutex(Fairness fairness) {
    return new QueuedMutex(fairness);
  }

  /** A new unlocked {@link ReentrantMutex}, {@link Fairness#BARGING}. */
  public static ReentrantMutex reentrantMutex() {
    return new QueuedReentrantMutex(Fairness.BARGING);
  }

  /**
   * A new unlocked {@link ReentrantMutex} with the given fairness.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static ReentrantMutex reentrantMutex(Fairness fairness) {
    return new QueuedReentrantMutex(fairness);
  }

  /**
   * A new {@link BinarySemaphore}, {@link Fairness#BARGING}, whose permit is available or taken.
   */
  public static BinarySemaphore binarySemaphore(boolean available) {
    return new QueuedBinarySemaphore(available, Fairness.BARGING);
  }

  /**
   * A new {@link BinarySemaphore} with the given fairness, whose permit is available or taken.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static BinarySemaphore binarySemaphore(boolean available, Fairness fairness) {
    return new QueuedBinarySemaphore(available, fairness);
  }

  /**
   * A new unbounded {@link CountingSemaphore}, {@link Fairness#BARGING}, with the given initial
   * count, which may be negative. Its {@code maxPermits()} is {@code Integer.MAX_VALUE}.
   */
  public static CountingSemaphore countingSemaphore(int permits) {
    return new QueuedCountingSemaphore(permits, Fairness.BARGING);
  }

  /**
   * A new unbounded {@link CountingSemaphore} with the given initial count (which may be
   * negative) and fairness.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static CountingSemaphore countingSemaphore(int permits, Fairness fairness) {
    return new QueuedCountingSemaphore(permits, fairness);
  }

  /**
   * A new bounded {@link CountingSemaphore}, {@link Fairness#BARGING}: the count starts at {@code
   * permits}, and a release that would take it past {@code maxPermits} throws {@link
   * IllegalStateException}.
   *
   * @throws IllegalArgumentException if {@code maxPermits < 0}, {@code permits < 0} or {@code
   *     permits > maxPermits}
   */
  public static CountingSemaphore boundedSemaphore(int permits, int maxPermits) {
    return new QueuedCountingSemaphore(permits, maxPermits, Fairness.BARGING);
  }

  /**
   * A new bounded {@link CountingSemaphore} with the given fairness.
   *
   * @throws NullPointerException if {@code fairness} is null
   * @throws IllegalArgumentException if {@code maxPermits < 0}, {@code permits < 0} or {@code
   *     permits > maxPermits}
   */
  public static CountingSemaphore boundedSemaphore(int permits, int maxPermits, Fairness fairness) {
    return new QueuedCountingSemaphore(permits, maxPermits, fairness);
  }

  /**
   * A new free {@link Monitor} with {@link Monitor.Semantics#MESA Mesa} semantics
   * (signal-and-continue: a signalled thread moves to the entry queue and re-checks its condition
   * when it gets the monitor), {@link Fairness#BARGING}. The class behind it is {@link
   * QueuedMonitor}.
   */
  public static Monitor mesaMonitor() {
    return new QueuedMonitor(Monitor.Semantics.MESA, Fairness.BARGING);
  }

  /**
   * A new free {@link Monitor} with {@link Monitor.Semantics#MESA Mesa} semantics and the given
   * fairness of its entry queue.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static Monitor mesaMonitor(Fairness fairness) {
    return new QueuedMonitor(Monitor.Semantics.MESA, fairness);
  }

  /**
   * A new free {@link Monitor} with {@link Monitor.Semantics#HOARE Hoare} semantics
   * (signal-and-urgent-wait: a signal hands the monitor to the signalled thread, and the signaller
   * gets it back ahead of every entrant), {@link Fairness#BARGING}. The class behind it is {@link
   * QueuedMonitor}.
   */
  public static Monitor hoareMonitor() {
    return new QueuedMonitor(Monitor.Semantics.HOARE, Fairness.BARGING);
  }

  /**
   * A new free {@link Monitor} with {@link Monitor.Semantics#HOARE Hoare} semantics and the given
   * fairness of its entry queue.
   *
   * @throws NullPointerException if {@code fairness} is null
   */
  public static Monitor hoareMonitor(Fairness fairness) {
    return new QueuedMonitor(Monitor.Semantics.HOARE, fairness);
  }

  /**
   * Returns a new {@link Timer} with the defaults: a hashed timing wheel of 512 buckets with a
   * 1 ms tick, run by one daemon thread named {@code primitives-timer-N}, tasks run on that
   * thread, failures passed to its uncaught-exception handler, no bound on pending tasks. The
   * timer owns its thread until it is {@linkplain Timer#close() closed}.
   *
   * <pre>{@code
   * try (Timer timer = Primitives.timer()) {
   *   Timeout t = timer.schedule(() -> System.out.println("hello"), Duration.ofSeconds(2));
   *   ...
   * }
   * }</pre>
   *
   * @return a new, running timer
   * @see WheelTimer
   */
  public static Timer timer() {
    return WheelTimer.builder().build();
  }

  /**
   * Returns a builder for a {@link Timer}: tick duration, wheel size, thread factory, task
   * executor, exception handler and pending bound, each with the defaults of {@link #timer()}.
   *
   * <pre>{@code
   * Timer timer = Primitives.timerBuilder()
   *     .tickDuration(Duration.ofMillis(10))
   *     .taskExecutor(Executors.newVirtualThreadPerTaskExecutor())   // JDK 21+
   *     .maxPending(100_000)
   *     .build();
   * }</pre>
   *
   * @return a new builder
   * @see WheelTimer.Builder
   */
  public static WheelTimer.Builder timerBuilder() {
    return WheelTimer.builder();
  }
}
