/**
 * Discovery: the running system into a {@link dev.rear.api.descriptor.SystemDescriptor}. The tools
 * are queried here; what they print is parsed in {@code discovery.linux}; facts that are missing
 * become {@link Finding}s, never silent gaps.
 */
@NullMarked
package dev.rear.engine.discovery;

import org.jspecify.annotations.NullMarked;
