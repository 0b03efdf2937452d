package dev.nvmeof.interop;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A Linux guest under QEMU (TCG) with the kernel's NVMe/TCP target ({@code nvmet-tcp}) and host ({@code nvme-tcp},
 * {@code nvme-cli}) loaded, driven through a control channel on its second serial port.
 *
 * <pre>{@code
 * try (QemuGuest guest = QemuGuest.builder().name("target").kernelTarget().start()) {
 *     guest.execOk("echo 1 > /sys/kernel/config/nvmet/...", Duration.ofSeconds(10));
 *     connect to 127.0.0.1:guest.hostPort() ...
 * }
 * }</pre>
 *
 * <p>Networking stays on loopback and QEMU's user network: the guest is {@value #GUEST_ADDRESS}; in kernel-target
 * mode its port 4420 is forwarded from an ephemeral port on 127.0.0.1 ({@link #hostPort()}); in kernel-host mode the
 * guest reaches a server of the test at {@value #HOST_ALIAS}:4420, one {@code socat} per guest connection. The
 * guest's console (kernel messages at log level 7) goes to {@link #consoleFile()}. Every file stays under
 * {@code target/interop/runs/NAME-N/}. A JVM shutdown hook kills any QEMU still running.
 */
public final class QemuGuest implements AutoCloseable {
    /** The guest's address on QEMU's user network. */
    public static final String GUEST_ADDRESS = "10.0.2.15";
    /** The address at which the guest reaches the host's forwarded ports (kernel-host mode). */
    public static final String HOST_ALIAS = "10.0.2.100";
    public static final int NVME_TCP_PORT = 4420;
    public static final int DISCOVERY_PORT = 8009;
    public static final String READY_MARKER = "GUEST-READY";
    /** What the guest's init reports instead of {@link #READY_MARKER} when a required kernel module is missing. */
    public static final String FAILED_MARKER = "GUEST-FAILED";
    /** Debian 12's kernel: what every guest boots unless it asks for another. */
    public static final String DEFAULT_KERNEL = "6.1";
    /** The kernel series Debian 12 has (bookworm-backports) with NVMe in-band authentication, host and target. */
    public static final String AUTHENTICATION_KERNEL = "6.12";
    static final String END_MARKER = "__END__";
    /** The guest's word that a request line arrived whole and runs now: {@code __GOT__ SEQ}. */
    static final String GOT_MARKER = "__GOT__";
    /** The guest's answer to a request line that lost characters on the way (nothing of it ran). */
    static final String BAD_MARKER = "__BAD__";
    static final String QEMU = "qemu-system-x86_64";
    static final String QEMU_PROPERTY = "interop.qemu";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RESENDS = 3;
    private static final int KERNEL_LOG_LINES = 40;
    private static final Duration KERNEL_LOG_WAIT = Duration.ofSeconds(15);
    private static final int BOOT_ATTEMPTS = 2;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(QemuGuest::destroy), "qemu-guest-reaper"));
    }

    private final Builder config;
    private final Path runRoot;
    private final Map<Integer, Integer> hostForwards = new LinkedHashMap<>(); // guest port -> host port
    private Process process;
    private ControlChannel channel;
    private Path bootDir;
    private int boots;
    private long commandSeq;
    private String kernelRelease;
    private boolean closed;

    private QemuGuest(Builder config) {
        this.config = config;
        Path output = Path.of(System.getProperty("interop.output", "target/interop"));
        this.runRoot = output.resolve("runs").resolve(config.name + "-" + INSTANCES.incrementAndGet())
                .toAbsolutePath();
        config.hostForwardPorts.forEach(port -> hostForwards.put(port, 0));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a command run in the guest returned. */
    public record ExecResult(int exitStatus, String output) {
        public boolean succeeded() {
            return exitStatus == 0;
        }
    }

    /**
     * Builds the guest image if needed, boots QEMU and waits for the guest's readiness marker (up to the boot
     * timeout, 120 s by default); a failed boot is retried once.
     *
     * @throws GuestUnavailableException when QEMU or a package is missing or the guest did not boot twice
     */
    public synchronized QemuGuest start() {
        if (closed || process != null) {
            throw new IllegalStateException("already started or closed");
        }
        Path qemu = qemu().orElseThrow(() -> new GuestUnavailableException(
                QEMU + " is not on the PATH: apt-get install qemu-system-x86"));
        if (!config.guestForwards.isEmpty() && onPath("socat").isEmpty()) {
            throw new GuestUnavailableException("socat is not on the PATH (guestfwd needs it): apt-get install socat");
        }
        GuestImage image = GuestImage.ensureBuilt(runRoot.getParent().getParent(), config.kernelSeries);
        bootWithRetry(qemu, image, true);
        return this;
    }

    /**
     * Runs {@code command} (one line of ASCII) in the guest with {@code sh -c} (stdin {@code /dev/null}, stdout and
     * stderr combined). The guest kills the command a second after the timeout; a later call discards what it still
     * prints.
     *
     * @throws GuestCommandException when no result arrives within {@code timeout}
     * @throws IllegalStateException when the guest is not running or QEMU exited
     */
    public synchronized ExecResult exec(String command, Duration timeout) {
        try {
            return execOnce(command, timeout);
        } catch (GuestCommandException timedOut) {
            throw timedOut.withGuestState(guestStateAfterTimeout());
        }
    }

    /**
     * What the guest's kernel said last, for a command that timed out (a lost I/O shows there as the host's timeout
     * and reset, a stuck one as a hung-task warning): its log's tail, asked for once and bounded; the serial console's
     * tail when the guest does not answer that either.
     */
    private String guestStateAfterTimeout() {
        try {
            ExecResult log = execOnce("dmesg | tail -n " + KERNEL_LOG_LINES, KERNEL_LOG_WAIT);
            return "--- guest kernel log (last " + KERNEL_LOG_LINES + " lines) ---\n" + log.output();
        } catch (GuestCommandException | IllegalStateException unanswered) {
            return "--- the guest did not answer dmesg either; console tail ---\n" + consoleTail();
        }
    }

    private ExecResult execOnce(String command, Duration timeout) {
        requireRunning();
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("one line only (join commands with ';'): " + command);
        }
        if (!command.chars().allMatch(c -> c < 0x80)) {
            // The frame's length counts characters here and bytes in the guest's shell: ASCII keeps them equal.
            throw new IllegalArgumentException("ASCII only: " + command);
        }
        long seq = ++commandSeq;
        long guestLimitSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000) + 1;
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder output = new StringBuilder();
        // Framed with the length of what follows, so the guest can tell a line that lost characters on ttyS1 (seen
        // under load) and answer BAD_MARKER without running any of it; then the line goes again.
        String body = seq + " " + guestLimitSeconds + " " + command;
        String request = "@@ " + body.length() + " " + body;
        String got = GOT_MARKER + " " + seq;
        boolean received = false;
        int resends = 0;
        try {
            channel.send(request);
            while (true) {
                String line = channel.readLine(deadline);
                if (line == null) {
                    throw GuestCommandException.timedOut(command, timeout, output.toString(), received);
                }
                if (line.equals(BAD_MARKER)) {
                    if (!received && resends < MAX_RESENDS) {
                        resends++;
                        output.setLength(0);
                        channel.send(request);
                    }
                    continue;
                }
                if (line.equals(got)) {
                    received = true;
                    output.setLength(0); // what came before is an earlier command's, which timed out here
                    continue;
                }
                if (line.startsWith(END_MARKER + " ")) {
                    String[] fields = line.split(" ");
                    if (fields.length == 3 && fields[1].equals(Long.toString(seq))) {
                        return new ExecResult(Integer.parseInt(fields[2]), output.toString());
                    }
                    output.setLength(0); // the end of an earlier command that timed out here: not ours
                    continue;
                }
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException("the guest went away during: " + command + " (QEMU "
                    + describeExit() + ")\n--- console tail ---\n" + consoleTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during guest command: " + command, e);
        }
    }

    /** Sends {@code line} as it is (no framing) and returns the guest's next line: for testing the framing. */
    synchronized String sendRawLine(String line, Duration timeout) {
        requireRunning();
        try {
            channel.send(line);
            return channel.readLine(System.nanoTime() + timeout.toNanos());
        } catch (IOException e) {
            throw new IllegalStateException("the guest went away", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@link #exec} that requires exit status 0 and returns the output. */
    public String execOk(String command, Duration timeout) {
        ExecResult result = exec(command, timeout);
        if (!result.succeeded()) {
            throw GuestCommandException.failed(command, result);
        }
        return result.output();
    }

    /** The host port on 127.0.0.1 forwarded to the guest's NVMe/TCP port 4420 (kernel-target mode). */
    public synchronized int hostPort() {
        return hostPort(NVME_TCP_PORT);
    }

    /** The host port on 127.0.0.1 forwarded to this guest port. */
    public synchronized int hostPort(int guestPort) {
        Integer port = hostForwards.get(guestPort);
        if (port == null || port == 0) {
            throw new IllegalStateException("guest port " + guestPort + " is not forwarded from the host"
                    + " (kernelTarget() or forwardFromHost(), then start())");
        }
        return port;
    }

    /** The kernel release the guest booted ({@code uname -r}, as its readiness line reported it). */
    public synchronized String kernelRelease() {
        requireRunning();
        return kernelRelease;
    }

    /** The PID of the running QEMU (to stop or kill it from a test, e.g. {@code kill -STOP} for a hung target). */
    public synchronized long pid() {
        requireRunning();
        return process.pid();
    }

    /** The console log (ttyS0) of the current boot. */
    public synchronized String console() {
        try {
            Path file = consoleFile();
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The console log file of the current boot. */
    public synchronized Path consoleFile() {
        if (bootDir == null) {
            throw new IllegalStateException("not started");
        }
        return bootDir.resolve("console.log");
    }

    /** Where this guest's files go: one {@code boot-N} folder per boot. */
    public Path runDirectory() {
        return runRoot;
    }

    /** How many times QEMU has been started (boot retries included). */
    public synchronized int boots() {
        return boots;
    }

    /**
     * Kills QEMU (SIGKILL by its PID: the guest gets no chance to flush, like a power cut) and boots again with the
     * same disk and, if it is still free, the same host port.
     */
    public synchronized void restart() {
        requireRunning();
        kill();
        Path qemu = qemu().orElseThrow();
        bootWithRetry(qemu, GuestImage.ensureBuilt(runRoot.getParent().getParent(), config.kernelSeries), false);
    }

    /** Kills QEMU and closes the control channel. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        kill();
    }

    /** Creates (or truncates to) a sparse raw disk image of {@code bytes} for {@link Builder#disk(Path)}. */
    public static Path createDisk(Path image, long bytes) throws IOException {
        Files.createDirectories(image.toAbsolutePath().getParent());
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(0);
            file.setLength(bytes);
        }
        return image;
    }

    private void bootWithRetry(Path qemu, GuestImage image, boolean freshPorts) {
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= BOOT_ATTEMPTS; attempt++) {
            try {
                boot(qemu, image, freshPorts || attempt > 1);
                return;
            } catch (IOException e) {
                failures.add("boot " + boots + " (" + bootDir + "): " + e.getMessage()
                        + "\n--- console tail ---\n" + consoleTail() + "\n--- qemu.log ---\n" + qemuLog());
                kill();
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new GuestUnavailableException("interrupted while booting the guest", e);
            } catch (RuntimeException e) {
                kill();
                throw e;
            }
        }
        throw new GuestUnavailableException("the guest did not boot in " + BOOT_ATTEMPTS + " attempts:\n"
                + String.join("\n", failures));
    }

    private void boot(Path qemu, GuestImage image, boolean freshPorts) throws IOException, InterruptedException {
        boots++;
        bootDir = runRoot.resolve("boot-" + boots);
        deleteRecursively(bootDir);
        Files.createDirectories(bootDir);
        if (freshPorts) {
            for (Integer guestPort : List.copyOf(hostForwards.keySet())) {
                hostForwards.put(guestPort, freeLoopbackPort());
            }
        }
        channel = ControlChannel.listen(bindablePath(bootDir.resolve("ctl.sock")), bootDir.resolve("control.log"));
        List<String> command = command(qemu, image);
        Files.writeString(bootDir.resolve("qemu.cmd"), String.join("\n", command) + "\n");
        long started = System.nanoTime();
        process = new ProcessBuilder(command)
                .directory(bootDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(bootDir.resolve("qemu.log").toFile())
                .start();
        LIVE.add(process);
        channel.awaitConnection(process, CONNECT_TIMEOUT);
        long deadline = started + config.bootTimeout.toNanos();
        String line;
        while ((line = channel.readLine(deadline)) != null) {
            if (line.startsWith(FAILED_MARKER)) {
                // Deterministic (a module the kernel lacks or cannot load): no retry.
                throw new GuestUnavailableException("the guest's init failed with kernel " + image.kernelRelease
                        + ": " + line.substring(FAILED_MARKER.length()).strip() + "\n--- console tail ---\n"
                        + consoleTail());
            }
            if (line.startsWith(READY_MARKER)) {
                kernelRelease = line.substring(READY_MARKER.length()).strip();
                Files.writeString(bootDir.resolve("boot-time.txt"),
                        (System.nanoTime() - started) / 1_000_000 + " ms to " + READY_MARKER + "\n");
                return;
            }
        }
        throw new IOException("no " + READY_MARKER + " within " + config.bootTimeout.toSeconds() + " s");
    }

    private List<String> command(Path qemu, GuestImage image) {
        StringBuilder netdev = new StringBuilder("user,id=n0,restrict=on");
        hostForwards.forEach((guestPort, hostPort) -> netdev.append(",hostfwd=tcp:127.0.0.1:").append(hostPort)
                .append('-').append(GUEST_ADDRESS).append(':').append(guestPort));
        config.guestForwards.forEach((guestPort, hostPort) -> netdev.append(",guestfwd=tcp:").append(HOST_ALIAS)
                .append(':').append(guestPort).append("-cmd:socat - TCP:127.0.0.1:").append(hostPort));
        StringBuilder append = new StringBuilder("console=ttyS0 quiet panic=-1 brd_kib=").append(config.ramDiskKiB)
                .append(" guest_disk=").append(config.disk == null ? 0 : 1);
        config.kernelArgs.forEach(arg -> append.append(' ').append(arg));
        List<String> command = new ArrayList<>(List.of(qemu.toString(),
                "-accel", "tcg", "-m", Integer.toString(config.memoryMiB), "-smp", Integer.toString(config.cpus),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", image.kernel.toString(), "-initrd", image.initramfs.toString(),
                "-append", append.toString(),
                "-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=n0",
                // entropy from the host for the guest's random pool (used by kernels that load virtio-rng)
                "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-pci,rng=rng0",
                "-chardev", "socket,id=ctl,path=ctl.sock",
                "-serial", "file:console.log", "-serial", "chardev:ctl"));
        if (config.disk != null) {
            command.addAll(List.of("-drive", "file=" + config.disk + ",if=virtio,format=raw"));
        }
        return command;
    }

    private void requireRunning() {
        if (process == null) {
            throw new IllegalStateException(closed ? "closed" : "not started");
        }
    }

    private void kill() {
        Process running = process;
        process = null;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (running != null) {
            destroy(running);
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(running);
        }
    }

    private static void destroy(Process qemu) {
        qemu.descendants().forEach(ProcessHandle::destroyForcibly); // guestfwd's socat processes
        qemu.destroyForcibly();
    }

    private String describeExit() {
        Process running = process;
        if (running == null) {
            return "not running";
        }
        try {
            return running.waitFor(2, TimeUnit.SECONDS) ? "exited with " + running.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private String consoleTail() {
        return tail(bootDir == null ? null : bootDir.resolve("console.log"), 3000);
    }

    private String qemuLog() {
        return tail(bootDir == null ? null : bootDir.resolve("qemu.log"), 2000);
    }

    private static String tail(Path file, int chars) {
        try {
            if (file == null || !Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Unix socket paths are limited to 107 bytes: use the path relative to the working directory if too long. */
    private static Path bindablePath(Path socket) {
        if (socket.toString().length() < 100) {
            return socket;
        }
        Path relative = Path.of("").toAbsolutePath().relativize(socket);
        if (relative.toString().length() < 100) {
            return relative;
        }
        throw new GuestUnavailableException("the control socket path is too long for a Unix socket: " + socket);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code qemu-system-x86_64} on the PATH; the system property {@value #QEMU_PROPERTY} names another. */
    private static Optional<Path> qemu() {
        String name = System.getProperty(QEMU_PROPERTY, QEMU);
        if (name.contains("/")) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return onPath(name);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Configures a guest; {@link #start()} boots it. */
    public static final class Builder {
        private String name = "guest";
        private String kernelSeries = DEFAULT_KERNEL;
        private int cpus = 1;
        private int memoryMiB = 1024;
        private int ramDiskKiB = 65536;
        private Duration bootTimeout = Duration.ofSeconds(120);
        private Path disk;
        private final List<Integer> hostForwardPorts = new ArrayList<>();
        private final Map<Integer, Integer> guestForwards = new LinkedHashMap<>();
        private final List<String> kernelArgs = new ArrayList<>();

        private Builder() {
        }

        /** Names the run folder {@code target/interop/runs/NAME-N}. */
        public Builder name(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("letters, digits, '.', '_', '-': " + name);
            }
            this.name = name;
            return this;
        }

        /**
         * The kernel series to boot ({@value QemuGuest#DEFAULT_KERNEL} by default;
         * {@value QemuGuest#AUTHENTICATION_KERNEL} for DH-HMAC-CHAP): the newest installed
         * {@code /boot/vmlinuz-SERIES.*} with its {@code /lib/modules}.
         */
        public Builder kernel(String series) {
            if (!series.matches("[0-9]+\\.[0-9]+")) {
                throw new IllegalArgumentException("a kernel series is MAJOR.MINOR (6.1, 6.12): " + series);
            }
            this.kernelSeries = series;
            return this;
        }

        /** Virtual CPUs (default 1); the kernel host caps its I/O queues at this count. */
        public Builder cpus(int cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder memoryMiB(int memoryMiB) {
            this.memoryMiB = memoryMiB;
            return this;
        }

        /** Size of {@code /dev/ram0} (brd, default 65536 KiB). */
        public Builder ramDiskKiB(int ramDiskKiB) {
            this.ramDiskKiB = ramDiskKiB;
            return this;
        }

        public Builder bootTimeout(Duration bootTimeout) {
            this.bootTimeout = bootTimeout;
            return this;
        }

        /** Kernel-target mode: an ephemeral port on 127.0.0.1 forwards to the guest's 4420 ({@link #hostPort()}). */
        public Builder kernelTarget() {
            return forwardFromHost(NVME_TCP_PORT);
        }

        /** Forwards an ephemeral port on 127.0.0.1 to this guest port ({@link QemuGuest#hostPort(int)}). */
        public Builder forwardFromHost(int guestPort) {
            if (!hostForwardPorts.contains(guestPort)) {
                hostForwardPorts.add(guestPort);
            }
            return this;
        }

        /** Kernel-host mode: the guest's connections to {@value #HOST_ALIAS}:4420 reach 127.0.0.1:hostPort. */
        public Builder kernelHost(int hostPort) {
            return forwardToHost(NVME_TCP_PORT, hostPort);
        }

        /** The guest's connections to {@value #HOST_ALIAS}:guestPort reach 127.0.0.1:hostPort (one socat each). */
        public Builder forwardToHost(int guestPort, int hostPort) {
            guestForwards.put(guestPort, hostPort);
            return this;
        }

        /** A raw disk image on the host as {@code /dev/vda} (virtio-blk); it survives {@link #restart()}. */
        public Builder disk(Path image) {
            Path absolute = image.toAbsolutePath();
            if (absolute.toString().contains(",")) {
                throw new IllegalArgumentException("QEMU's -drive cannot take a path with a comma: " + absolute);
            }
            this.disk = absolute;
            return this;
        }

        /** Extra kernel command-line words (the guest's /init reads {@code /proc/cmdline}). */
        public Builder kernelArgs(String... args) {
            kernelArgs.addAll(List.of(args));
            return this;
        }

        public QemuGuest build() {
            return new QemuGuest(this);
        }

        /** {@code build().start()}; QEMU is killed if the boot fails. */
        public QemuGuest start() {
            QemuGuest guest = build();
            try {
                return guest.start();
            } catch (RuntimeException e) {
                guest.close();
                throw e;
            }
        }
    }
}
