package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records every callback as a line of text, and serves command buffers by CID/TTAG like a host or target would. */
final class RecordingHandler implements HostPduHandler, ControllerPduHandler {
    final List<String> events = new ArrayList<>();
    final Map<Integer, ByteBuffer> buffers = new HashMap<>();
    /** Applied from the IC callback, as a real connection would: {hdgst, ddgst, pda}. */
    int[] negotiate;
    PduDecoder decoder;
    boolean discardInCapsule;

    ByteBuffer buffer(int tag, int length) {
        return buffers.computeIfAbsent(tag, t -> ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN));
    }

    private void applyNegotiation() {
        if (negotiate != null) {
            decoder.negotiated(negotiate[0] != 0, negotiate[1] != 0, negotiate[2]);
        }
    }

    @Override
    public void onIcReq(IcReqPdu pdu) {
        events.add("ICReq pfv=" + pdu.pfv() + " hpda=" + pdu.hpda() + " dgst=" + pdu.dgst() + " maxr2t=" + pdu.maxR2t());
        applyNegotiation();
    }

    @Override
    public void onIcResp(IcRespPdu pdu) {
        events.add("ICResp pfv=" + pdu.pfv() + " cpda=" + pdu.cpda() + " dgst=" + pdu.dgst() + " maxh2cdata="
                + pdu.maxH2cData());
        applyNegotiation();
    }

    @Override
    public void onTermReq(TermReqPdu pdu) {
        events.add("TermReq type=" + pdu.typeCode() + " fes=" + pdu.fes() + " fei=" + pdu.fei() + " quoted="
                + Hex.of(pdu.buffer(), TermReqPdu.DATA_OFFSET, pdu.plen()));
    }

    @Override
    public void onCapsuleResp(CapsuleRespPdu pdu) {
        events.add("CapsuleResp cid=" + pdu.cid() + " status=" + pdu.statusWord() + " cqe="
                + Hex.of(pdu.buffer(), pdu.cqeIndex(), pdu.cqeIndex() + 16));
    }

    @Override
    public void onR2t(R2tPdu pdu) {
        events.add("R2T cccid=" + pdu.cccid() + " ttag=" + pdu.ttag() + " r2to=" + pdu.r2to() + " r2tl=" + pdu.r2tl());
    }

    @Override
    public ByteBuffer onC2hData(C2hDataPdu pdu) {
        events.add("C2HData cccid=" + pdu.cccid() + " datao=" + pdu.datao() + " datal=" + pdu.datal() + " flags="
                + pdu.flags());
        return buffers.get(pdu.cccid());
    }

    @Override
    public void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk) {
        events.add("C2HData end cccid=" + pdu.cccid() + " ok=" + dataDigestOk);
    }

    @Override
    public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
        events.add("CapsuleCmd opcode=" + pdu.opcode() + " cid=" + pdu.cid() + " data=" + pdu.dataLength());
        if (pdu.dataLength() == 0 || discardInCapsule) {
            return null;
        }
        return buffer(0x10000 + pdu.cid(), pdu.dataLength());
    }

    @Override
    public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
        events.add("CapsuleCmd end cid=" + pdu.cid() + " ok=" + dataDigestOk);
    }

    @Override
    public ByteBuffer onH2cData(H2cDataPdu pdu) {
        events.add("H2CData cccid=" + pdu.cccid() + " ttag=" + pdu.ttag() + " datao=" + pdu.datao() + " datal="
                + pdu.datal() + " flags=" + pdu.flags());
        return buffers.get(0x20000 + pdu.ttag());
    }

    @Override
    public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
        events.add("H2CData end ttag=" + pdu.ttag() + " ok=" + dataDigestOk);
    }
}
