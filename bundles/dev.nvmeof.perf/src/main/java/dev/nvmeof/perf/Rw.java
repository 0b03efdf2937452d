package dev.nvmeof.perf;

import java.util.Arrays;
import java.util.stream.Collectors;

/** fio's {@code rw}: the access pattern and the direction of a job's I/O. */
public enum Rw {
    READ("read", false, 100),
    WRITE("write", false, 0),
    RW("rw", false, 50),
    RANDREAD("randread", true, 100),
    RANDWRITE("randwrite", true, 0),
    RANDRW("randrw", true, 50);

    private final String fioName;
    private final boolean random;
    private final int readPercent;

    Rw(String fioName, boolean random, int readPercent) {
        this.fioName = fioName;
        this.random = random;
        this.readPercent = readPercent;
    }

    /** fio's name ({@code randread}); {@code readwrite} and {@code randreadwrite} are taken too, as fio does. */
    public static Rw of(String name) {
        String n = name.equals("readwrite") ? "rw" : name.equals("randreadwrite") ? "randrw" : name;
        for (Rw rw : values()) {
            if (rw.fioName.equals(n)) {
                return rw;
            }
        }
        throw new IllegalArgumentException("rw '" + name + "' is not one of "
                + Arrays.stream(values()).map(Rw::fioName).collect(Collectors.joining(", ")));
    }

    public String fioName() {
        return fioName;
    }

    public boolean random() {
        return random;
    }

    /** Whether {@code rwmixread} applies: reads and writes both. */
    public boolean mixed() {
        return readPercent != 0 && readPercent != 100;
    }

    /** 100 for reads, 0 for writes, fio's default 50 for a mix. */
    public int defaultReadPercent() {
        return readPercent;
    }
}
