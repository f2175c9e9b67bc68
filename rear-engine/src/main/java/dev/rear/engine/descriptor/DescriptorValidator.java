package dev.rear.engine.descriptor;

import dev.rear.api.descriptor.Patterns;
import dev.rear.api.descriptor.SystemDescriptor;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Checks a descriptor in two layers and returns <em>every</em> violation, each with its JSON path:
 * the field constraints declared on the records (Hibernate Validator), then the rules that need
 * the whole document ({@link SemanticRules}: overlaps, dangling references, sizes that do not fit,
 * duplicates).
 */
public final class DescriptorValidator {

    private static final Validator BEAN_VALIDATOR = newValidator();

    /** What each accepted textual form is, in words, for messages. */
    private static final Map<String, String> FORMS = Map.ofEntries(
            Map.entry(Patterns.GUID, "a GUID such as 0FC63DAF-8483-4772-8E79-3D69D8477DE4"),
            Map.entry(Patterns.PARTUUID, "a PARTUUID: a GUID on GPT, or <disk id>-<nn> such as 8e1c5f2a-01 on DOS"),
            Map.entry(Patterns.DOS_DISK_ID, "a DOS disk identifier such as 0x8e1c5f2a"),
            Map.entry(Patterns.DOS_TYPE, "a DOS partition type code such as 83 or 8e"),
            Map.entry(Patterns.MD_UUID, "an md UUID such as 3f1c2a4b:9d8e7f60:1a2b3c4d:5e6f7081"),
            Map.entry(Patterns.LVM_UUID, "an LVM UUID such as Xq3xkV-0bBm-dDKy-XdxP-4Wiu-qCjC-7nTk2p"),
            Map.entry(Patterns.FS_UUID, "a filesystem UUID: a GUID, or a FAT volume id such as 1A2B-3C4D"),
            Map.entry(Patterns.VFAT_VOLUME_ID, "a FAT volume id such as 1A2B-3C4D"),
            Map.entry(Patterns.DEVICE_PATH, "a device path under /dev such as /dev/sda2"),
            Map.entry(Patterns.MOUNTPOINT, "an absolute mount point without a trailing slash, . or .., such as /var/log"),
            Map.entry(Patterns.KERNEL_NAME, "a kernel device name such as sda or nvme0n1"),
            Map.entry(Patterns.MAC, "a lower-case hardware address such as 52:54:00:12:34:56"),
            Map.entry(Patterns.MACHINE_ID, "32 lower-case hex digits, as in /etc/machine-id"),
            Map.entry(Patterns.CIDR, "an address with prefix length such as 192.0.2.10/24"),
            Map.entry(Patterns.IP, "an IPv4 or IPv6 address"),
            Map.entry(Patterns.EFI_BOOT_NUMBER, "four upper-case hex digits such as 0001"),
            Map.entry(Patterns.LVM_NAME, "an LVM name: letters, digits, + _ . -, not starting with -"));

    private DescriptorValidator() {}

    private static Validator newValidator() {
        // The parameter interpolator needs no expression language at message time; Hibernate
        // Validator itself still finds Jakarta EL (expressly) on the class path.
        ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .ignoreXmlConfiguration()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        return factory.getValidator();
    }

    /** Every violation of the descriptor, field constraints and semantic rules, in {@link Violation#ORDER}. */
    public static List<Violation> validate(SystemDescriptor descriptor) {
        List<Violation> all = new ArrayList<>(fieldViolations(descriptor));
        all.addAll(SemanticRules.check(descriptor));
        all.sort(Violation.ORDER);
        return List.copyOf(all);
    }

    /** Only the field constraints declared on the records. */
    public static List<Violation> fieldViolations(SystemDescriptor descriptor) {
        List<Violation> out = new ArrayList<>();
        for (ConstraintViolation<SystemDescriptor> cv : BEAN_VALIDATOR.validate(descriptor)) {
            Annotation constraint = cv.getConstraintDescriptor().getAnnotation();
            String rule = "field:" + constraint.annotationType().getSimpleName();
            out.add(new Violation(jsonPath(cv.getPropertyPath()), rule, message(cv, constraint)));
        }
        out.sort(Violation.ORDER);
        return out;
    }

    private static String message(ConstraintViolation<?> cv, Annotation constraint) {
        Object value = cv.getInvalidValue();
        String shown = value instanceof CharSequence s ? "\"" + s + "\"" : String.valueOf(value);
        if (constraint instanceof Pattern p) {
            String form = FORMS.getOrDefault(p.regexp(), "text matching " + p.regexp());
            return "is " + shown + ", which is not " + form;
        }
        if (value == null) {
            return "is missing";
        }
        if (value instanceof java.util.Collection<?>) {
            return "is an empty list, but " + cv.getMessage();
        }
        return "is " + shown + ", but " + cv.getMessage();
    }

    /** Hibernate Validator's property path as a JSON path: {@code $.disks[0].byIdLinks[1]}. */
    static String jsonPath(Path path) {
        StringBuilder out = new StringBuilder("$");
        for (Path.Node node : path) {
            if (node.isInIterable() && node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && name != null && !name.startsWith("<")) {
                out.append('.').append(name);
            }
        }
        return out.toString();
    }
}
