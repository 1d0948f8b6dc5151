/**
 * The library's {@code Mutex}, {@code ReentrantMutex} and {@code CountingSemaphore} across JVMs and
 * machines, on Apache ZooKeeper through Apache Curator's recipes.
 *
 * <p>Start from {@link dev.syncprims.zookeeper.ZooKeeperPrimitives#using}. A distributed lock is a
 * lease, not a lock: it lasts as long as the ZooKeeper session that holds it, so every holder gets
 * an {@link dev.syncprims.zookeeper.Ownership} that says whether the lease may have ended and
 * carries a fencing token that a shared resource can check.
 */
@NullMarked
package dev.syncprims.zookeeper;

import org.jspecify.annotations.NullMarked;
