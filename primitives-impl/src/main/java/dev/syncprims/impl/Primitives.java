package dev.syncprims.impl;

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
}
