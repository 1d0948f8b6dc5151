package dev.syncprims.impl;

import dev.syncprims.Timer;

/**
 * The factory of the library: the one class users of {@code primitives-impl} need.
 *
 * <p>Each primitive of the {@code dev.syncprims} API is created here, in its default fairness
 * ({@link dev.syncprims.Fairness#BARGING}) or in the one asked for. The classes behind the
 * returned interfaces are public and documented, so that a reader can open the one they want to
 * learn from; code that only uses a primitive should depend on its interface.
 */
public final class Primitives {
  private Primitives() {}

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
