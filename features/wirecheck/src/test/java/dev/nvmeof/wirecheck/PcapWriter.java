package dev.nvmeof.wirecheck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file (magic {@code 0xa1b2c3d4}, LINKTYPE_ETHERNET) of IPv4/TCP connections between
 * 127.0.0.1:clientPort and 127.0.0.1:serverPort, as a dissector expects to see them on the wire: a SYN, SYN-ACK,
 * ACK handshake, PSH/ACK data segments with consistent sequence and acknowledgement numbers, and a FIN exchange.
 * IP header and TCP checksums are computed, so only the payload can be at fault.
 *
 * <pre>
 *   pcap record: [ ts_sec | ts_usec | incl_len | orig_len ] [ Ethernet 14 | IPv4 20 | TCP 20 | payload ]
 * </pre>
 *
 * Timestamps are synthetic (10 microseconds apart) so the same input always gives the same file.
 */
final class PcapWriter {
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 262_144;
    private static final int ETHERNET_LENGTH = 14;
    private static final int IPV4_LENGTH = 20;
    private static final int TCP_LENGTH = 20;
    /** The largest payload that keeps an IPv4 datagram within its 16-bit total length. */
    static final int MAX_SEGMENT = 65_535 - IPV4_LENGTH - TCP_LENGTH;
    private static final int LOOPBACK = 0x7f00_0001;
    private static final long FIRST_TIMESTAMP_MICROS = 1_700_000_000_000_000L;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long timestampMicros = FIRST_TIMESTAMP_MICROS;
    private int ipId = 1;

    PcapWriter() {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        out.writeBytes(header.array());
    }

    /** Opens a connection: writes the three-way handshake and returns the connection to send on. */
    TcpConnection connect(int clientPort, int serverPort, int maxSegment) {
        if (maxSegment <= 0 || maxSegment > MAX_SEGMENT) {
            throw new IllegalArgumentException("segment size 1.." + MAX_SEGMENT + ", was " + maxSegment);
        }
        TcpConnection connection = new TcpConnection(clientPort, serverPort, maxSegment);
        connection.handshake();
        return connection;
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
    }

    /** One TCP connection; each side's next sequence number is tracked so every segment acknowledges the peer. */
    final class TcpConnection {
        private final int clientPort;
        private final int serverPort;
        private final int maxSegment;
        private int clientSeq;
        private int serverSeq;

        private TcpConnection(int clientPort, int serverPort, int maxSegment) {
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            this.maxSegment = maxSegment;
            // Initial sequence numbers derived from the ports: distinct per connection, reproducible per file.
            this.clientSeq = 0x1000_0000 + clientPort * 7919;
            this.serverSeq = 0x6000_0000 + clientPort * 104_729;
        }

        private void handshake() {
            segment(true, SYN, clientSeq, 0, new byte[0], 0, 0);
            clientSeq++;
            segment(false, SYN | ACK, serverSeq, clientSeq, new byte[0], 0, 0);
            serverSeq++;
            segment(true, ACK, clientSeq, serverSeq, new byte[0], 0, 0);
        }

        /** Sends {@code bytes} from one side, split into segments of at most the connection's segment size. */
        void send(boolean fromClient, byte[] bytes) {
            for (int at = 0; at < bytes.length; at += maxSegment) {
                int length = Math.min(maxSegment, bytes.length - at);
                if (fromClient) {
                    segment(true, PSH | ACK, clientSeq, serverSeq, bytes, at, length);
                    clientSeq += length;
                } else {
                    segment(false, PSH | ACK, serverSeq, clientSeq, bytes, at, length);
                    serverSeq += length;
                }
            }
        }

        /** The client closes, the server closes too, the client acknowledges. */
        void close() {
            segment(true, FIN | ACK, clientSeq, serverSeq, new byte[0], 0, 0);
            clientSeq++;
            segment(false, FIN | ACK, serverSeq, clientSeq, new byte[0], 0, 0);
            serverSeq++;
            segment(true, ACK, clientSeq, serverSeq, new byte[0], 0, 0);
        }

        private void segment(boolean fromClient, int flags, int seq, int ack, byte[] data, int at, int length) {
            int srcPort = fromClient ? clientPort : serverPort;
            int dstPort = fromClient ? serverPort : clientPort;
            ByteBuffer frame = ByteBuffer.allocate(ETHERNET_LENGTH + IPV4_LENGTH + TCP_LENGTH + length)
                    .order(ByteOrder.BIG_ENDIAN);
            // Ethernet: loopback has no real MACs; zero addresses, EtherType IPv4.
            frame.put(new byte[12]).putShort((short) 0x0800);
            int ip = frame.position();
            frame.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4_LENGTH + TCP_LENGTH + length))
                    .putShort((short) ipId++).putShort((short) 0x4000) // DF
                    .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(LOOPBACK).putInt(LOOPBACK);
            frame.putShort(ip + 10, (short) checksum(frame.array(), ip, IPV4_LENGTH, 0));
            int tcp = frame.position();
            frame.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
                    .put((byte) (TCP_LENGTH / 4 << 4)).put((byte) flags).putShort((short) 65_535)
                    .putShort((short) 0).putShort((short) 0);
            frame.put(data, at, length);
            // Pseudo-header: source and destination address (both loopback), protocol 6, TCP length.
            int pseudo = 2 * ((LOOPBACK >>> 16) + (LOOPBACK & 0xffff)) + 6 + TCP_LENGTH + length;
            frame.putShort(tcp + 16, (short) checksum(frame.array(), tcp, TCP_LENGTH + length, pseudo));
            record(frame.array());
        }
    }

    private void record(byte[] frame) {
        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt((int) (timestampMicros / 1_000_000)).putInt((int) (timestampMicros % 1_000_000))
                .putInt(frame.length).putInt(frame.length);
        timestampMicros += 10;
        out.writeBytes(header.array());
        out.writeBytes(frame);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code at}, starting from a partial sum. */
    static int checksum(byte[] bytes, int at, int length, int initialSum) {
        long sum = initialSum & 0xffff_ffffL;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((bytes[at + i] & 0xff) << 8) | (bytes[at + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (bytes[at + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
