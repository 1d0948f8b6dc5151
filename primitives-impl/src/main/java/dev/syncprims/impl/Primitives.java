package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;

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
}
