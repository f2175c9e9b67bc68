/**
 * The saved layout: {@code descriptor.json} and the history of every distinct version of it
 * ({@link LayoutStore}), which {@code savelayout}, {@code checklayout} and {@code audit} work on.
 */
@NullMarked
package dev.rear.engine.layout;

import org.jspecify.annotations.NullMarked;
