/** The rescue system builder: the root tree, its programs, libraries, kernel modules and Java runtime, packed as an initramfs. */
@NullMarked
package dev.rear.engine.rescue;

import org.jspecify.annotations.NullMarked;
