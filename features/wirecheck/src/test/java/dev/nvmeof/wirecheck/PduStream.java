package dev.nvmeof.wirecheck;

import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduHeaderFlyweight;
import dev.nvmeof.protocol.tcp.PduType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One NVMe/TCP connection (one queue) as the PDUs each side sends, in order, encoded by {@link PduEncoder}: one
 * encoder per direction, switched to the negotiated digests and alignment after the ICReq/ICResp exchange.
 * Consecutive PDUs from the same side form a flight, written to TCP together.
 */
final class PduStream {
    /** One encoded PDU and the type it was encoded as (what a dissector must report for it). */
    static final class Pdu {
        final PduType type;
        final byte[] bytes;

        Pdu(PduType type, byte[] bytes) {
            this.type = type;
            this.bytes = bytes;
        }

        int flags() {
            return bytes[PduHeaderFlyweight.FLAGS_OFFSET] & 0xff;
        }

        int hlen() {
            return bytes[PduHeaderFlyweight.HLEN_OFFSET] & 0xff;
        }

        int pdo() {
            return bytes[PduHeaderFlyweight.PDO_OFFSET] & 0xff;
        }

        boolean has(int flag) {
            return (flags() & flag) != 0;
        }
    }

    /** PDUs one side sends back to back. */
    static final class Flight {
        final boolean fromHost;
        final List<Pdu> pdus = new ArrayList<>();

        Flight(boolean fromHost) {
            this.fromHost = fromHost;
        }
    }

    final String name;
    final int clientPort;
    final int maxSegment;
    final List<Flight> flights = new ArrayList<>();
    private final PduEncoder hostEncoder = new PduEncoder();
    private final PduEncoder controllerEncoder = new PduEncoder();
    /** Big enough for any PDU of the capture: header part, up to 64 KiB of data, data digest. */
    private final ByteBuffer scratch = ByteBuffer.allocate(128 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    PduStream(String name, int clientPort, int maxSegment) {
        this.name = name;
        this.clientPort = clientPort;
        this.maxSegment = maxSegment;
    }

    /** ICReq then ICResp granting what was asked; both encoders then apply the negotiated parameters. */
    PduStream initialize(int hpda, int cpda, boolean headerDigest, boolean dataDigest, int maxH2cData) {
        host(PduType.IC_REQ, 0, null, e -> e.icReq(scratch, hpda, headerDigest, dataDigest, 0));
        controller(PduType.IC_RESP, 0, null,
                e -> e.icResp(scratch, cpda, headerDigest, dataDigest, maxH2cData));
        hostEncoder.negotiated(headerDigest, dataDigest, cpda);
        controllerEncoder.negotiated(headerDigest, dataDigest, hpda);
        return this;
    }

    PduStream capsuleCmd(ByteBuffer sqe, byte[] inCapsuleData) {
        int length = inCapsuleData == null ? 0 : inCapsuleData.length;
        host(PduType.CAPSULE_CMD, length, inCapsuleData, e -> e.capsuleCmd(scratch, sqe, 0, length));
        return this;
    }

    PduStream capsuleResp(ByteBuffer cqe) {
        controller(PduType.CAPSULE_RESP, 0, null, e -> e.capsuleResp(scratch, cqe, 0));
        return this;
    }

    PduStream r2t(int cccid, int ttag, int offset, int length) {
        controller(PduType.R2T, 0, null, e -> e.r2t(scratch, cccid, ttag, offset, length));
        return this;
    }

    PduStream h2cData(int cccid, int ttag, int offset, byte[] data, boolean last) {
        host(PduType.H2C_DATA, data.length, data, e -> e.h2cData(scratch, cccid, ttag, offset, data.length, last));
        return this;
    }

    PduStream c2hData(int cccid, int offset, byte[] data, boolean last, boolean success) {
        controller(PduType.C2H_DATA, data.length, data,
                e -> e.c2hData(scratch, cccid, offset, data.length, last, success));
        return this;
    }

    /** H2CTermReq (from the host) or C2HTermReq (from the controller) quoting the header of the PDU in error. */
    PduStream termReq(boolean fromHost, FatalErrorStatus fes, int fei, byte[] quotedHeader) {
        PduType type = fromHost ? PduType.H2C_TERM_REQ : PduType.C2H_TERM_REQ;
        ToIntFunction<PduEncoder> write = e -> e.termReq(scratch, fromHost, fes, fei, ByteBuffer.wrap(quotedHeader));
        add(fromHost, type, 0, null, fromHost ? hostEncoder : controllerEncoder, write);
        return this;
    }

    /** The PDUs of this stream in order, as the test expects a dissector to report them. */
    List<Pdu> pdus() {
        List<Pdu> all = new ArrayList<>();
        flights.forEach(flight -> all.addAll(flight.pdus));
        return all;
    }

    /** A deep copy, for corrupting one PDU without touching the original. */
    PduStream copy() {
        PduStream copy = new PduStream(name, clientPort, maxSegment);
        for (Flight flight : flights) {
            Flight flightCopy = new Flight(flight.fromHost);
            flight.pdus.forEach(pdu -> flightCopy.pdus.add(new Pdu(pdu.type, pdu.bytes.clone())));
            copy.flights.add(flightCopy);
        }
        return copy;
    }

    private void host(PduType type, int dataLength, byte[] data, ToIntFunction<PduEncoder> header) {
        add(true, type, dataLength, data, hostEncoder, header);
    }

    private void controller(PduType type, int dataLength, byte[] data, ToIntFunction<PduEncoder> header) {
        add(false, type, dataLength, data, controllerEncoder, header);
    }

    /** Header part by the encoder, then the data and its digest, exactly as a sender's gathering write would. */
    private void add(boolean fromHost, PduType type, int dataLength, byte[] data, PduEncoder encoder,
                     ToIntFunction<PduEncoder> header) {
        scratch.clear();
        header.applyAsInt(encoder);
        if (dataLength > 0) {
            scratch.put(data, 0, dataLength);
            encoder.dataDigest(scratch, ByteBuffer.wrap(data, 0, dataLength));
        }
        byte[] bytes = new byte[scratch.position()];
        scratch.get(0, bytes);
        Flight flight = flights.isEmpty() ? null : flights.get(flights.size() - 1);
        if (flight == null || flight.fromHost != fromHost) {
            flight = new Flight(fromHost);
            flights.add(flight);
        }
        flight.pdus.add(new Pdu(type, bytes));
    }
}
