package dev.rear.engine.cli;

import dev.rear.api.descriptor.SystemDescriptor;
import picocli.CommandLine;

/** {@code rear --version}: rear's version (from the jar manifest), the descriptor schema, and the Java runtime. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Rear.class.getPackage().getImplementationVersion();
        return new String[] {
            "rear " + (v == null ? "(development build)" : v),
            "descriptor schema " + SystemDescriptor.SCHEMA,
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
