/**
 * The implementations of the {@code dev.syncprims} primitives. Users need one class from it:
 * {@link dev.syncprims.impl.Primitives}, the factory.
 */
module dev.syncprims.impl {
  requires transitive dev.syncprims.api;
  requires static org.jspecify;
  requires static com.google.errorprone.annotations;
  requires static java.management; // javadoc links only
  requires static jdk.jfr; // the JFR events, recorded only where the module is resolved (Events)

  exports dev.syncprims.impl;
}
