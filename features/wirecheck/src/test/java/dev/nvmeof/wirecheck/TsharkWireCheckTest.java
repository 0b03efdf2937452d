package dev.nvmeof.wirecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.PduHeaderFlyweight;
import dev.nvmeof.protocol.tcp.PduType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The wire check against a peer no one here wrote: Wireshark's NVMe/TCP dissector, run as {@code tshark} with digest
 * checking on, must decode every PDU our encoder writes, in the order written, with no malformed packet, expert
 * warning, bad digest or unknown data. The same check is then fed corrupted captures and must flag each, so a pass
 * means something. Captures and tshark's output stay in {@code target/wirecheck/}.
 */
class TsharkWireCheckTest {
    private static final Path OUTPUT = Path.of("target", "wirecheck");

    private final NvmeTcpCapture capture = NvmeTcpCapture.standard();

    @Test
    void shouldDecodeEveryPduCleanlyWhenDigestCheckingIsOn() throws Exception {
        WireCheck.Result result = WireCheck.run(tshark(), capture, OUTPUT.resolve("clean.pcap"));

        assertTrue(result.clean(), () -> "tshark objects to our PDUs:" + result.describe());
        assertEquals(capture.streams.size(), result.decodedTypes().size(), "one TCP stream per queue");
        assertTrue(result.goodHeaderDigests() > 0 && result.goodDataDigests() > 0,
                "tshark verified no digest: the check would be vacuous");
    }

    @Test
    void shouldCoverEveryPduTypeAndFlowWhenTheCaptureIsBuilt() {
        List<PduStream.Pdu> pdus = capture.streams.stream().flatMap(s -> s.pdus().stream()).toList();

        Set<PduType> types = EnumSet.noneOf(PduType.class);
        pdus.forEach(pdu -> types.add(pdu.type));
        assertEquals(EnumSet.allOf(PduType.class), types, "every PDU type");
        for (PduType type : List.of(PduType.CAPSULE_CMD, PduType.CAPSULE_RESP, PduType.H2C_DATA,
                PduType.C2H_DATA, PduType.R2T)) {
            assertTrue(any(pdus, p -> p.type == type && !p.has(PduFlags.HDGSTF)), type + " without digests");
            assertTrue(any(pdus, p -> p.type == type && p.has(PduFlags.HDGSTF)), type + " with a header digest");
        }
        for (PduType type : List.of(PduType.CAPSULE_CMD, PduType.H2C_DATA, PduType.C2H_DATA)) {
            assertTrue(any(pdus, p -> p.type == type && p.has(PduFlags.DDGSTF)), type + " with a data digest");
            assertTrue(any(pdus, p -> p.type == type && p.pdo() > p.hlen() + (p.has(PduFlags.HDGSTF) ? 4 : 0)),
                    type + " with padding before its data");
        }
        assertTrue(any(pdus, p -> p.type == PduType.C2H_DATA && p.has(PduFlags.SUCCESS)), "C2HData with SUCCESS");
        assertTrue(any(pdus, p -> p.type == PduType.H2C_DATA && !p.has(PduFlags.LAST_PDU)), "multi-PDU write");
        assertTrue(capture.streams.stream().anyMatch(s -> s.pdus().stream()
                .anyMatch(p -> p.bytes.length > s.maxSegment)), "a PDU split over several TCP segments");
        assertTrue(capture.streams.stream().flatMap(s -> s.flights.stream())
                .anyMatch(f -> f.pdus.size() > 1), "several PDUs in one flight");

        // The I/O queue in full: Connect, in-capsule Write, R2T Write, two-PDU Read, Read with SUCCESS.
        assertEquals(List.of(0, 1, 4, 5, 4, 5, 4, 9, 6, 6, 5, 4, 7, 7, 5, 4, 7),
                capture.streams.get(1).pdus().stream().map(p -> p.type.code()).toList());
    }

    @Test
    void shouldFlagBadHeaderDigestWhenOneHeaderDigestByteIsFlipped() throws Exception {
        NvmeTcpCapture corrupted = capture.corrupt(p -> p.has(PduFlags.HDGSTF), bytes -> bytes[hlen(bytes)] ^= 0x01);

        WireCheck.Result result = WireCheck.run(tshark(), corrupted, OUTPUT.resolve("bad-header-digest.pcap"));

        assertFalse(result.badDigests().isEmpty(), () -> "flipped header digest not flagged:" + result.describe());
        assertFalse(result.clean());
    }

    @Test
    void shouldFlagBadDataDigestWhenOneDataDigestByteIsFlipped() throws Exception {
        NvmeTcpCapture corrupted = capture.corrupt(p -> p.has(PduFlags.DDGSTF) && p.type == PduType.H2C_DATA,
                bytes -> bytes[bytes.length - 1] ^= 0x01);

        WireCheck.Result result = WireCheck.run(tshark(), corrupted, OUTPUT.resolve("bad-data-digest.pcap"));

        assertFalse(result.badDigests().isEmpty(), () -> "flipped data digest not flagged:" + result.describe());
        assertFalse(result.clean());
    }

    @Test
    void shouldFlagMalformedPacketWhenPlenIsShorterThanTheCommonHeader() throws Exception {
        NvmeTcpCapture corrupted = capture.corrupt(p -> p.type == PduType.CAPSULE_RESP, bytes -> plen(bytes, 4));

        WireCheck.Result result = WireCheck.run(tshark(), corrupted, OUTPUT.resolve("plen-below-header.pcap"));

        assertFalse(result.malformedOrWarning().isEmpty(), () -> "PLEN 4 not flagged:" + result.describe());
        assertFalse(result.clean());
    }

    @Test
    void shouldFlagUnknownDataWhenThePduTypeIsReserved() throws Exception {
        NvmeTcpCapture corrupted = capture.corrupt(p -> p.type == PduType.CAPSULE_RESP, bytes -> bytes[0] = 0x08);

        WireCheck.Result result = WireCheck.run(tshark(), corrupted, OUTPUT.resolve("reserved-type.pcap"));

        assertFalse(result.unknownData().isEmpty(), () -> "PDU type 08h not flagged:" + result.describe());
        assertFalse(result.typesAsEncoded(), result::describe);
    }

    /** tshark itself accepts this one: only the type sequence shows that a PDU swallowed the next ones. */
    @Test
    void shouldReportAnotherTypeSequenceWhenPlenRunsPastThePdu() throws Exception {
        NvmeTcpCapture corrupted = capture.corrupt(p -> p.type == PduType.CAPSULE_RESP, bytes -> plen(bytes, 100));

        WireCheck.Result result = WireCheck.run(tshark(), corrupted, OUTPUT.resolve("plen-past-pdu.pcap"));

        assertFalse(result.typesAsEncoded(), () -> "PLEN 100 on a CapsuleResp not noticed:" + result.describe());
        assertFalse(result.clean());
    }

    private static boolean any(List<PduStream.Pdu> pdus, Predicate<PduStream.Pdu> test) {
        return pdus.stream().anyMatch(test);
    }

    private static int hlen(byte[] pdu) {
        return pdu[PduHeaderFlyweight.HLEN_OFFSET] & 0xff;
    }

    private static void plen(byte[] pdu, int plen) {
        ByteBuffer.wrap(pdu).order(ByteOrder.LITTLE_ENDIAN).putInt(PduHeaderFlyweight.PLEN_OFFSET, plen);
    }

    /** tshark, or a skip with the way to install it; in CI (CI set) a missing tshark fails instead. */
    private static Tshark tshark() {
        Optional<Tshark> tshark = Tshark.find();
        if (tshark.isEmpty()) {
            String install = "tshark (Wireshark's NVMe/TCP dissector) is not on the PATH: apt-get install tshark";
            if (System.getenv("CI") != null) {
                fail(install + " (CI is set, so the wire check must run; .ci/run installs it)");
            }
            assumeTrue(false, install + " to run the wire check");
        }
        return tshark.get();
    }
}
