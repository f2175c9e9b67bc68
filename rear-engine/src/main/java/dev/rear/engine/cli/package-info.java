/**
 * The {@code rear} command line. The only package that knows picocli and the only one allowed to
 * end the process ({@link Main#main}); everything else returns values or throws.
 */
@NullMarked
package dev.rear.engine.cli;

import org.jspecify.annotations.NullMarked;
