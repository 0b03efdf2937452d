package dev.nvmeof.wirecheck;

import dev.nvmeof.protocol.tcp.PduFlags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Wireshark's NVMe/TCP dissector made of a capture, next to what the capture's builder encoded. tshark flags
 * some faults by itself (malformed packets, expert warnings, unknown data, bad digests when digest checking is on);
 * others it accepts silently (a wrong HLEN without digests, a truncated last PDU, ...), which is why the decoded PDU
 * type sequence of every TCP stream is compared with the encoded one too, and the number of digests tshark found
 * good with the number encoded (so a check that verified nothing cannot pass).
 *
 * <p>Blind spots of Wireshark 4.0 found while building this check, beyond those in INTEROP.md: a DATAL larger than
 * the data the PDU carries is not flagged; a data digest behind padding (PDO past the header digest) is checked
 * over the wrong bytes (see {@link NvmeTcpCapture}). Our own decoder's tests cover those.
 */
final class WireCheck {
    static final String MALFORMED_OR_WARNING = "_ws.malformed || _ws.expert.severity >= warning";
    static final String BAD_DIGEST = "nvme-tcp.hdgst.status == 0 || nvme-tcp.ddgst.status == 0";
    static final String UNKNOWN_DATA = "nvme-tcp.unknown_data";
    /** Digest status values of Wireshark's checksum fields. */
    private static final String DIGEST_GOOD = "1";

    /** The findings; each list holds tshark's summary lines of the offending frames. */
    record Result(List<String> malformedOrWarning, List<String> badDigests, List<String> unknownData,
                  List<String> streamNames,
                  Map<Integer, List<Integer>> expectedTypes, Map<Integer, List<Integer>> decodedTypes,
                  int expectedHeaderDigests, int goodHeaderDigests,
                  int expectedDataDigests, int goodDataDigests) {

        boolean typesAsEncoded() {
            return expectedTypes.equals(decodedTypes);
        }

        boolean everyDigestVerified() {
            return goodHeaderDigests == expectedHeaderDigests && goodDataDigests == expectedDataDigests;
        }

        boolean clean() {
            return malformedOrWarning.isEmpty() && badDigests.isEmpty() && unknownData.isEmpty()
                    && typesAsEncoded() && everyDigestVerified();
        }

        /** Everything tshark reported that a clean capture would not show, for an assertion message. */
        String describe() {
            StringBuilder text = new StringBuilder();
            section(text, "malformed or expert warning (" + MALFORMED_OR_WARNING + ")", malformedOrWarning);
            section(text, "bad digest (" + BAD_DIGEST + ")", badDigests);
            section(text, "unknown data (" + UNKNOWN_DATA + ")", unknownData);
            for (Integer stream : union(expectedTypes, decodedTypes)) {
                List<Integer> expected = expectedTypes.getOrDefault(stream, List.of());
                List<Integer> decoded = decodedTypes.getOrDefault(stream, List.of());
                if (!expected.equals(decoded)) {
                    String name = stream < streamNames.size() ? " (" + streamNames.get(stream) + ")" : "";
                    text.append("\nPDU types of tcp.stream ").append(stream).append(name).append(": encoded ")
                            .append(expected)
                            .append(", tshark decoded ").append(decoded);
                }
            }
            if (!everyDigestVerified()) {
                text.append("\ndigests verified good by tshark: header ").append(goodHeaderDigests).append(" of ")
                        .append(expectedHeaderDigests).append(", data ").append(goodDataDigests).append(" of ")
                        .append(expectedDataDigests);
            }
            return text.length() == 0 ? "clean" : text.toString();
        }

        private static void section(StringBuilder text, String title, List<String> lines) {
            if (!lines.isEmpty()) {
                text.append('\n').append(title).append(':');
                lines.forEach(line -> text.append("\n  ").append(line));
            }
        }

        private static List<Integer> union(Map<Integer, ?> a, Map<Integer, ?> b) {
            TreeMap<Integer, Object> keys = new TreeMap<>(a);
            keys.putAll(b);
            return new ArrayList<>(keys.keySet());
        }
    }

    private WireCheck() {
    }

    /** Writes the capture to {@code pcap} and runs every check over it. */
    static Result run(Tshark tshark, NvmeTcpCapture capture, Path pcap) throws IOException, InterruptedException {
        capture.writePcap(pcap);
        List<String> streamNames = new ArrayList<>();
        Map<Integer, List<Integer>> expectedTypes = new TreeMap<>();
        int headerDigests = 0;
        int dataDigests = 0;
        for (int stream = 0; stream < capture.streams.size(); stream++) {
            List<Integer> types = new ArrayList<>();
            for (PduStream.Pdu pdu : capture.streams.get(stream).pdus()) {
                types.add(pdu.type.code());
                headerDigests += pdu.has(PduFlags.HDGSTF) ? 1 : 0;
                dataDigests += pdu.has(PduFlags.DDGSTF) ? 1 : 0;
            }
            expectedTypes.put(stream, types);
            streamNames.add(capture.streams.get(stream).name);
        }

        Map<Integer, List<Integer>> decodedTypes = new TreeMap<>();
        int goodHeaderDigests = 0;
        int goodDataDigests = 0;
        for (String line : tshark.fields(pcap, "nvme-tcp.type", "nvme-tcp.hdgst.status", "nvme-tcp.ddgst.status")) {
            String[] columns = line.split("\t", -1);
            if (columns.length < 2 || columns[1].isEmpty()) {
                continue; // a frame without NVMe/TCP: handshake, FIN, or a segment of a PDU reassembled later
            }
            List<Integer> types = decodedTypes.computeIfAbsent(Integer.parseInt(columns[0]), s -> new ArrayList<>());
            for (String type : columns[1].split(",")) {
                types.add(Integer.parseInt(type));
            }
            goodHeaderDigests += count(columns, 2, DIGEST_GOOD);
            goodDataDigests += count(columns, 3, DIGEST_GOOD);
        }

        return new Result(
                tshark.framesMatching(pcap, "malformed", MALFORMED_OR_WARNING),
                tshark.framesMatching(pcap, "bad-digest", BAD_DIGEST),
                tshark.framesMatching(pcap, "unknown-data", UNKNOWN_DATA),
                streamNames, expectedTypes, decodedTypes,
                headerDigests, goodHeaderDigests, dataDigests, goodDataDigests);
    }

    private static int count(String[] columns, int index, String value) {
        if (columns.length <= index || columns[index].isEmpty()) {
            return 0;
        }
        int count = 0;
        for (String item : columns[index].split(",")) {
            count += item.equals(value) ? 1 : 0;
        }
        return count;
    }
}
