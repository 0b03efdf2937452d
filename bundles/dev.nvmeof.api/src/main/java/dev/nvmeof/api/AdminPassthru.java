package dev.nvmeof.api;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.nvmeof.protocol.DataDirection;

/**
 * An admin command as {@code nvme admin-passthru} sends it: opcode, NSID, CDW10 to CDW15 and an optional data buffer
 * ({@code position..limit}) moved in {@code direction}. The host fills in the CID and the data pointer.
 *
 * @param cdw10to15 six command dwords, CDW10 first
 * @since 1.5
 */
public record AdminPassthru(int opcode, int nsid, int[] cdw10to15, ByteBuffer data, DataDirection direction) {

    /** Fabrics commands (7Fh) and Asynchronous Event Requests (0Ch) belong to the host itself. */
    public static final int FABRICS_OPCODE = 0x7F;
    public static final int ASYNC_EVENT_REQUEST_OPCODE = 0x0C;

    public AdminPassthru {
        if (opcode < 0 || opcode > 0xFF) {
            throw new IllegalArgumentException("opcode " + opcode + " is not a byte");
        }
        if (opcode == FABRICS_OPCODE || opcode == ASYNC_EVENT_REQUEST_OPCODE) {
            throw new IllegalArgumentException(String.format("opcode %02xh is the host's own (%s)", opcode,
                    opcode == FABRICS_OPCODE ? "Fabrics commands" : "Asynchronous Event Request"));
        }
        if (cdw10to15.length != 6) {
            throw new IllegalArgumentException("CDW10 to CDW15 are six dwords, not " + cdw10to15.length);
        }
        cdw10to15 = cdw10to15.clone();
        if ((data == null) != (direction == DataDirection.NONE)) {
            throw new IllegalArgumentException("a data buffer needs a direction, and a direction a buffer");
        }
    }

    /** A command without data. */
    public static AdminPassthru of(int opcode, int nsid, int... cdw10to15) {
        return new AdminPassthru(opcode, nsid, Arrays.copyOf(cdw10to15, 6), null, DataDirection.NONE);
    }

    /** Command dword {@code n} (10 to 15). */
    public int cdw(int n) {
        return cdw10to15[n - 10];
    }

    @Override
    public int[] cdw10to15() {
        return cdw10to15.clone();
    }
}
