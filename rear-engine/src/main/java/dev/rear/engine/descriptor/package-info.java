/**
 * Reading, writing, validating and comparing system descriptors: {@link DescriptorJson} (canonical
 * JSON and its SHA-256), {@link DescriptorValidator} (every violation with its JSON path) and
 * {@link DescriptorDiff} (a semantic difference matched by identity).
 */
@NullMarked
package dev.rear.engine.descriptor;

import org.jspecify.annotations.NullMarked;
