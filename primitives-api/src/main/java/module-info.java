/**
 * The public API of {@code primitives}: interfaces and small value types for mutexes,
 * semaphores, monitors and a timer. See the {@link dev.syncprims} package for an overview.
 *
 * <p>This module has no runtime dependencies; the JSpecify nullness annotations are needed
 * at compile time only.
 */
module dev.syncprims.api {
  requires static transitive org.jspecify;

  exports dev.syncprims;
}
