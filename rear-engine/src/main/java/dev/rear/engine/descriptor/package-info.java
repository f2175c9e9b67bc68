/**
 * Reading, writing, validating and comparing system descriptors: {@link DescriptorJson} (strict
 * reading, canonical JSON and its SHA-256), {@link DescriptorSchema} (the JSON Schema),
 * {@link DescriptorValidator} (field constraints and {@code SemanticRules}, every violation with its
 * JSON path), {@link DescriptorFiles} (the whole check of a file, atomic writing) and
 * {@link DescriptorDiff} (a semantic difference matched by identity).
 */
@NullMarked
package dev.rear.engine.descriptor;

import org.jspecify.annotations.NullMarked;
