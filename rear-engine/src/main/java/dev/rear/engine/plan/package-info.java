/**
 * Planning a recovery, touching nothing: {@link dev.rear.engine.plan.DiskMapping} (original disks
 * onto target disks, and how each was matched; ReaR's {@code disk_mappings} file in
 * {@link dev.rear.engine.plan.MappingFile}), {@link dev.rear.engine.plan.ResizePolicy} (where
 * partitions go on a target of another size, which LVs shrink, or a refusal with the numbers), and
 * {@link dev.rear.engine.plan.Planner} (the ordered {@link dev.rear.engine.plan.Step steps} with
 * their commands as argv and a {@link dev.rear.engine.plan.Check} each). The executor runs a plan;
 * this package never runs a command.
 */
@NullMarked
package dev.rear.engine.plan;

import org.jspecify.annotations.NullMarked;
