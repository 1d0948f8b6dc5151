/**
 * The implementations behind the {@code dev.syncprims} interfaces, and {@link
 * dev.syncprims.impl.Primitives}, the factory that creates them.
 *
 * <p>Every class here is built from {@code VarHandle} atomics and {@code LockSupport}
 * park/unpark only: no {@code synchronized}, no {@code Object.wait}, and no class of {@code
 * java.util.concurrent.locks}. The classes are public and documented so that a reader can open the
 * one they want to learn from; each starts with user documentation and keeps its implementation
 * notes (algorithm, state table, memory modes, progress) inside its body.
 */
@NullMarked
package dev.syncprims.impl;

import org.jspecify.annotations.NullMarked;
