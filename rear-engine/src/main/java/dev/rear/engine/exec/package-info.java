/** Running external programs for real: {@link ProcessCommandRunner}, and which package brings which tool. */
@NullMarked
package dev.rear.engine.exec;

import org.jspecify.annotations.NullMarked;
