/** Running a plan: the executor with its journal, checks and safety gate. */
package dev.rear.engine.recover;
