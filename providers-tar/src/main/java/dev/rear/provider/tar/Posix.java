package dev.rear.provider.tar;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few libc calls the JDK lacks (Linux x86_64/aarch64, glibc 2.33 or later for {@code mknod}):
 * extended attributes without following symbolic links, device nodes and fifos, ownership and
 * nanosecond times of symbolic links, full mode bits (setuid, setgid, sticky), and
 * {@code SEEK_DATA}/{@code SEEK_HOLE}, and symbolic links with any bytes. A path is passed as the
 * exact bytes of the name ({@link Names#encode}): a name that is not UTF-8 reaches the kernel as it is.
 */
final class Posix {

    private Posix() {}

    /**
     * The C library, bound by JNA's direct mapping: each call goes through a generated native stub, not
     * through a proxy, reflection and argument conversion as an interface mapping does. A backup or
     * restore makes several calls per file (extended attributes, ownership, mode, times, read-ahead),
     * hundreds of thousands for a system, and the interface mapping's overhead was more than the system
     * calls' own. Paths and names are passed as NUL-terminated byte arrays ({@link #cpath(String)},
     * {@link #cname(String)}): a Java String argument would make JNA allocate, register and later free
     * native memory on every call.
     */
    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private C() {}

        static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

        static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

        static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

        static native int mkfifo(byte[] path, int mode) throws LastErrorException;

        static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

        static native int chmod(byte[] path, int mode) throws LastErrorException;

        static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

        static native int open(byte[] path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        /** Returns the error number (0: done); errno is not set. */
        static native int posix_fadvise(int fd, long offset, long len, int advice);

        static native long lseek(int fd, long offset, int whence) throws LastErrorException;

        static native int symlink(byte[] target, byte[] path) throws LastErrorException;

        static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

        static native int geteuid();

        static native int statvfs(byte[] path, long[] buf) throws LastErrorException;

        static native int statx(int dirfd, byte[] path, int flags, int mask, long[] buf) throws LastErrorException;
    }

    /**
     * {@code mknod} on its own: glibc exports it only since 2.33 (before, it was a wrapper around
     * {@code __xmknod}), and a direct mapping fails as a whole when one of its functions is missing.
     * So on an older glibc only making a device node fails, as it should, not every call above.
     */
    private static final class Mknod {
        static {
            Native.register(Mknod.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private Mknod() {}

        static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;
    }

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int EEXIST = 17;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;
    private static final int ENXIO = 6;
    private static final int ERANGE = 34;

    /** The NUL-terminated bytes of a path name as {@link Names} keeps it. */
    private static byte[] cpath(String path) {
        byte[] b = Names.encode(path);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    /**
     * An extended attribute name as a NUL-terminated UTF-8 C string, the encoding {@link #xattrs}
     * reads names with. Attribute names are not paths: the archive keeps them as UTF-8.
     */
    private static byte[] cname(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    /**
     * O_RDONLY, O_NONBLOCK (never waiting on a fifo put in a file's place), O_CLOEXEC and O_NOFOLLOW
     * (not opening what a symbolic link put in its place points to, a tape device say), whose value
     * differs between x86_64 and aarch64.
     */
    private static final int O_READ_AHEAD = 04000 | 02000000
            | (System.getProperty("os.arch", "").equals("aarch64") ? 0100000 : 0400000);
    private static final int POSIX_FADV_WILLNEED = 3;

    /**
     * Asks the kernel to start reading the first {@code length} bytes of the file {@code path} into
     * the page cache, without waiting for them ({@code posix_fadvise(POSIX_FADV_WILLNEED)}). Best
     * effort: a file that cannot be opened (gone, no permission) is left to the read that follows.
     */
    static void willNeed(String path, long length) {
        int fd;
        try {
            fd = C.open(cpath(path), O_READ_AHEAD);
        } catch (LastErrorException e) {
            return;
        }
        try {
            C.posix_fadvise(fd, 0, length, POSIX_FADV_WILLNEED);
        } finally {
            try {
                C.close(fd);
            } catch (LastErrorException e) {
                // read-only descriptor: nothing was written that could be lost
            }
        }
    }

    /** Makes the symbolic link {@code path} pointing to {@code target}, both with their exact bytes. */
    static void symlink(String target, String path) throws IOException {
        try {
            C.symlink(cpath(target), cpath(path));
        } catch (LastErrorException e) {
            throw io("symlink", path, e);
        }
    }

    /** The target of the symbolic link {@code path}, its bytes kept ({@link Names#decode}). */
    static String readlink(String path) throws IOException {
        for (int size = 4096; ; size *= 4) {
            byte[] buf = new byte[size];
            long n;
            try {
                n = C.readlink(cpath(path), buf, buf.length);
            } catch (LastErrorException e) {
                throw io("readlink", path, e);
            }
            if (n < buf.length) {
                return Names.decode(buf, 0, (int) n);
            }
        }
    }

    /**
     * What the backup needs of a file, from one {@code statx} call that does not follow a symbolic
     * link: the type and mode bits, owner, inode, device and device number ({@code makedev} encoded, as
     * {@code st_dev} and {@code st_rdev}), link count, size, and modification time.
     */
    record Stat(int mode, long uid, long gid, long ino, long dev, long rdev, long nlink, long size, long mtimeSec, int mtimeNsec) {
        boolean isDirectory() {
            return (mode & 0170000) == 0040000;
        }

        boolean isRegularFile() {
            return (mode & 0170000) == 0100000;
        }
    }

    private static final int ENOENT = 2;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_TYPE_AND_MODE = 0x3;

    /**
     * {@code statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS)}: one system call for what
     * the JDK needs two reads of attributes for (its POSIX view, then its "unix" view for the inode,
     * device and link count). {@code struct statx} is laid out the same on every architecture; read
     * here as 64-bit little-endian words (x86_64, aarch64). A missing file is a
     * {@link java.nio.file.NoSuchFileException}, as from the JDK.
     */
    static Stat lstat(String path) throws IOException {
        long[] b = new long[32]; // struct statx: 256 bytes
        try {
            C.statx(AT_FDCWD, cpath(path), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, b);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                throw new java.nio.file.NoSuchFileException(path);
            }
            throw io("statx", path, e);
        }
        if ((b[0] & STATX_TYPE_AND_MODE) != STATX_TYPE_AND_MODE) {
            throw new IOException("statx " + path + ": the filesystem reports no file type and mode");
        }
        int mode = (int) ((b[3] >>> 32) & 0xffff);
        long rdevMajor = b[16] & 0xffffffffL;
        long rdevMinor = b[16] >>> 32;
        long devMajor = b[17] & 0xffffffffL;
        long devMinor = b[17] >>> 32;
        return new Stat(mode, b[2] >>> 32, b[3] & 0xffffffffL, b[4], makedev(devMajor, devMinor), makedev(rdevMajor, rdevMinor),
                b[2] & 0xffffffffL, b[5], b[14], (int) (b[15] & 0xffffffffL));
    }

    /** glibc's {@code makedev}: the inverse of {@link #major} and {@link #minor}. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    /** What {@code statvfs} says of the filesystem holding {@code path}. */
    record FsUsage(long usedBytes, long usedInodes) {}

    /**
     * The space and inodes in use on the filesystem holding {@code path} ({@code statvfs}: blocks
     * minus free blocks in fragment-size units, files minus free files). glibc's {@code struct statvfs}
     * on x86_64 and aarch64 is eleven 64-bit fields then six ints; the buffer has room for it.
     */
    static FsUsage usage(String path) throws IOException {
        long[] b = new long[16];
        try {
            C.statvfs(cpath(path), b);
        } catch (LastErrorException e) {
            throw io("statvfs", path, e);
        }
        long frsize = b[1] != 0 ? b[1] : b[0];
        return new FsUsage(Math.max(0, b[2] - b[3]) * frsize, Math.max(0, b[5] - b[6]));
    }

    static boolean isRoot() {
        return C.geteuid() == 0;
    }

    private static IOException io(String what, String path, LastErrorException e) {
        if (e.getErrorCode() == EEXIST) { // as the JDK reports it, so that a caller can replace what is there
            return new java.nio.file.FileAlreadyExistsException(path, null, what + ": errno " + e.getErrorCode() + " (" + e.getMessage() + ")");
        }
        return new IOException(what + " " + path + ": errno " + e.getErrorCode() + " (" + e.getMessage() + ")", e);
    }

    /** All extended attributes of {@code path} (not following a symbolic link), name to raw value, in listing order. */
    static Map<String, byte[]> xattrs(String path) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] cpath = cpath(path);
        byte[] list;
        try {
            long n = C.llistxattr(cpath, null, 0);
            if (n <= 0) {
                return out;
            }
            list = new byte[(int) n + 256];
            n = C.llistxattr(cpath, list, list.length);
            list = java.util.Arrays.copyOf(list, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOTSUP) {
                return out;
            }
            throw io("llistxattr", path, e);
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        for (String name : names) {
            try {
                for (int size = 256; ; size *= 4) {
                    byte[] value = new byte[size];
                    try {
                        long n = C.lgetxattr(cpath, cname(name), value, value.length);
                        out.put(name, java.util.Arrays.copyOf(value, (int) n));
                        break;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != ERANGE || size > (1 << 24)) {
                            throw e;
                        }
                    }
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    continue; // removed between list and get
                }
                throw io("lgetxattr " + name + " of", path, e);
            }
        }
        return out;
    }

    static void setXattr(String path, String name, byte[] value) throws IOException {
        try {
            C.lsetxattr(cpath(path), cname(name), value, value.length, 0);
        } catch (LastErrorException e) {
            throw io("lsetxattr " + name + " on", path, e);
        }
    }

    static void mknod(String path, int typeBits, int perms, long major, long minor) throws IOException {
        long dev = makedev(major, minor);
        try {
            Mknod.mknod(cpath(path), typeBits | (perms & 07777), dev);
        } catch (LastErrorException e) {
            throw io("mknod", path, e);
        } catch (LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError once the class failed
            throw new IOException("mknod " + path + ": the C library has no mknod function (it needs glibc 2.33 or later): " + e, e);
        }
    }

    static void mkfifo(String path, int perms) throws IOException {
        try {
            C.mkfifo(cpath(path), perms & 07777);
        } catch (LastErrorException e) {
            throw io("mkfifo", path, e);
        }
    }

    static void lchown(String path, long uid, long gid) throws IOException {
        try {
            C.lchown(cpath(path), (int) uid, (int) gid);
        } catch (LastErrorException e) {
            throw io("lchown", path, e);
        }
    }

    static void chmod(String path, int mode) throws IOException {
        try {
            C.chmod(cpath(path), mode & 07777);
        } catch (LastErrorException e) {
            throw io("chmod", path, e);
        }
    }

    /** Sets atime and mtime (seconds, nanoseconds) without following a symbolic link. */
    static void setTimes(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws IOException {
        try {
            C.utimensat(AT_FDCWD, cpath(path), new long[] {atimeSec, atimeNsec, mtimeSec, mtimeNsec}, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw io("utimensat", path, e);
        }
    }

    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
    }

    /**
     * The data extents of a file as (offset, length) pairs found with SEEK_DATA/SEEK_HOLE, or one
     * extent covering the whole file when the filesystem does not report holes.
     */
    static List<long[]> dataExtents(String path, long size) throws IOException {
        List<long[]> out = new ArrayList<>();
        int fd;
        try {
            fd = C.open(cpath(path), 0);
        } catch (LastErrorException e) {
            throw io("open", path, e);
        }
        try {
            long pos = 0;
            while (pos < size) {
                long data;
                try {
                    data = C.lseek(fd, pos, SEEK_DATA);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == ENXIO) {
                        break; // only a hole remains
                    }
                    throw io("lseek SEEK_DATA", path, e);
                }
                if (data >= size) {
                    break;
                }
                long hole;
                try {
                    hole = Math.min(size, C.lseek(fd, data, SEEK_HOLE));
                } catch (LastErrorException e) {
                    throw io("lseek SEEK_HOLE", path, e);
                }
                out.add(new long[] {data, hole - data});
                pos = hole;
            }
        } finally {
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // read-only descriptor: nothing to lose
            }
        }
        return out;
    }
}
