package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.BLOCK;
import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.NS_BLOCKS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.H2cDataPdu;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import dev.nvmeof.testkit.NvmeTcpTestClient.Completion;

/**
 * A seeded fuzzer of whole commands against a live target over loopback: a weighted mix of admin, Fabrics and NVM
 * commands with random NSIDs, LBAs, lengths, CNS/LID/FID values, DSM ranges and command dwords, random SGL
 * descriptors, and data in the capsule, through R2T/H2CData or back in C2HData. It proves that every consistently
 * framed command completes (a CQE with any status, or C2HData with SUCCESS) within the client's socket timeout on a
 * connection that stays up; that deliberately inconsistent framing gets a C2HTermReq with the right FES; that the
 * target logs nothing SEVERE and no exception; and that its loops serve a fresh controller at the end. Replay with
 * {@code -Dfuzz.seed=<seed> -Dfuzz.commands=<n>}; {@code -Dfuzz.maxFailures=<k>} goes on (on new queues) until k
 * commands have failed.
 */
class CommandFuzzTest {
    private static final long SEED = Long.decode(System.getProperty("fuzz.seed", "0x5EEDF00D"));
    private static final int COMMANDS = Integer.getInteger("fuzz.commands", 100_000);
    private static final int MAX_FAILURES = Integer.getInteger("fuzz.maxFailures", 1);
    private static final int NS2 = 3; // a second namespace: 1 MiB of 4 KiB blocks
    private static final long NS2_BLOCKS = 256;
    private static final int MAX_TRANSFER = TargetOptions.DEFAULT_MAX_TRANSFER_SIZE;
    private static final int IN_CAPSULE = NvmeTcpTestClient.IN_CAPSULE_LIMIT;
    private static final int WRITE = 0x01;
    private static final int READ = 0x02;
    private static final int DSM = 0x09;
    private static final int FABRICS = 0x7F;
    private static final int CC = 0x14;
    private static final int KATO_FID = 0x0F;
    private static final byte[] PATTERN = TargetFixture.pattern(MAX_TRANSFER, SEED);

    enum Framing { CONSISTENT, IN_CAPSULE_OVER_LIMIT, H2C_DATAL_NOT_PLEN, H2C_UNKNOWN_TTAG, DISCONNECT }

    private final Logger targetLog = Logger.getLogger("dev.nvmeof.target");
    private final ConcurrentLinkedQueue<String> badRecords = new ConcurrentLinkedQueue<>();
    private final Handler watcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = String.valueOf(record.getMessage());
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null
                    || message.contains("Exception")) {
                badRecords.add(record.getLevel() + " \"" + message + "\"" + (record.getThrown() == null ? ""
                        : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() { }

        @Override
        public void close() { }
    };
    private final Map<String, Integer> counts = new TreeMap<>();
    private Level previousLevel;
    private TargetFixture fixture;
    private NvmeTcpTestClient admin;
    private NvmeTcpTestClient io;
    private boolean ioNoFlowControl;
    /** The command in flight, for the failure message: its SQE and how its data went. */
    private String sqeText;
    private String path;

    @BeforeEach
    void start() throws IOException {
        previousLevel = targetLog.getLevel();
        targetLog.setLevel(Level.ALL);
        targetLog.setUseParentHandlers(false); // hundreds of expected WARNINGs; bad records go in the failure
        targetLog.addHandler(watcher);
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2), SubsystemConfig.of(NQN,
                NamespaceConfig.ram(1, TargetFixture.NS_BYTES, BLOCK), NamespaceConfig.ram(NS2, NS2_BLOCKS * 4096, 4096)));
        connectQueues();
    }

    @AfterEach
    void stop() throws IOException {
        try {
            closeQueues();
        } finally {
            fixture.close();
            targetLog.removeHandler(watcher);
            targetLog.setLevel(previousLevel);
            targetLog.setUseParentHandlers(true);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldCompleteEveryConsistentCommandWhenSqeFieldsSglsAndDataAreRandom() throws Exception {
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        SplittableRandom master = new SplittableRandom(SEED);
        int i = 0;
        for (; i < COMMANDS && failures.size() < MAX_FAILURES; i++) {
            SplittableRandom r = master.split();
            int roll = r.nextInt(1000);
            Framing framing = roll < 3 ? Framing.IN_CAPSULE_OVER_LIMIT : roll < 5 ? Framing.H2C_DATAL_NOT_PLEN
                    : roll < 7 ? Framing.H2C_UNKNOWN_TTAG : roll < 8 ? Framing.DISCONNECT : Framing.CONSISTENT;
            int qid = roll >= 3 && roll < 8 || r.nextInt(10) >= 3 ? 1 : 0;
            NvmeTcpTestClient host = qid == 0 ? admin : io;
            sqeText = "";
            path = "";
            String problem;
            try {
                problem = fire(r, framing, qid, host);
            } catch (SocketTimeoutException e) {
                problem = "no completion within the client's 10 s socket timeout";
            } catch (IOException | RuntimeException e) {
                problem = host.termReqFes >= 0 ? "C2HTermReq FES " + host.termReqFes + " FEI " + host.termReqFei
                        + " on a consistently framed command" : host.closedByPeer
                        ? "the target closed the connection without a C2HTermReq"
                        : "the client could not follow the target: " + e;
            }
            String logged = drainBadRecords();
            if (logged != null) {
                problem = (problem == null ? "" : problem + "; ") + "the target logged " + logged;
            }
            if (problem != null) {
                failures.add(String.format("command #%d (replay: -Dfuzz.seed=0x%X -Dfuzz.commands=%d) on %s, %s, SQE %s,"
                        + " %s: %s", i, SEED, i + 1, qid == 0 ? "the admin queue" : "I/O queue 1 (SQ flow control "
                        + (ioNoFlowControl ? "off)" : "on)"), framing, sqeText, path, problem));
            }
            if (problem != null || framing != Framing.CONSISTENT) {
                closeQueues();
                connectQueues();
            }
        }
        System.out.printf("CommandFuzzTest seed=0x%X commands=%d %s failures=%d in %d ms%n", SEED, i, counts,
                failures.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        try {
            TargetFixture.assertIoWorks(fixture.defaultIoQueue(), SEED);
            TargetFixture.assertIoWorks(fixture.defaultIoQueue(), SEED + 1);
        } catch (IOException | AssertionError e) {
            failures.add("after the run, a fresh controller's verified write/read failed: " + e);
        }
        String logged = drainBadRecords();
        if (logged != null) {
            failures.add("after the run the target logged " + logged);
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failure(s), seed 0x" + Long.toHexString(SEED)
                + ":\n" + String.join("\n", failures));
    }

    /** Generates one command, sends it and checks what comes back; returns the problem, or null. */
    private String fire(SplittableRandom r, Framing framing, int qid, NvmeTcpTestClient host) throws IOException {
        count(qid == 0 ? "admin" : "io");
        if (host.pendingCompletions() > 0) {
            return "a completion nobody asked for is pending (a duplicate CQE for an earlier command?)";
        }
        int cid = r.nextInt(20) == 0 ? r.nextInt(0x10000) : host.cid();
        SubmissionQueueEntryFlyweight sqe = host.sqe;
        if (framing == Framing.H2C_DATAL_NOT_PLEN || framing == Framing.H2C_UNKNOWN_TTAG) {
            return badH2cData(r, framing == Framing.H2C_DATAL_NOT_PLEN, cid);
        }
        if (framing == Framing.DISCONNECT) { // modelled: the queue closes after the response; the caller reconnects
            FabricsCommands.disconnect(sqe, cid, r.nextInt(4) == 0 ? r.nextInt(0x10000) : 0);
            sqeText = describe(io, null);
            io.send(null, null);
            count("disconnect");
            return io.await(cid).ok() && !io.awaitClose() ? "Disconnect succeeded but the queue stayed open 10 s" : null;
        }
        byte[] payload = qid == 0 ? adminCommand(r, sqe) : ioCommand(r, sqe);
        mutate(r, sqe);
        sanitize(sqe, qid);
        sqe.cid(cid);
        sqeText = describe(host, qid != 0 ? payload : null);
        boolean connect = sqe.opcode() == FABRICS && sqe.fctype() == 0x01;
        int dptr = sqe.dptrIndex();
        long sglLength = SglDescriptor.length(host.sqeBuffer, dptr);
        boolean transport = SglDescriptor.isTransportDataBlock(host.sqeBuffer, dptr) && sglLength > 0;
        boolean toTarget = qid != 0 && (sqe.opcode() == WRITE || sqe.opcode() == DSM);
        if (framing == Framing.IN_CAPSULE_OVER_LIMIT) {
            int n = r.nextInt(IN_CAPSULE + 1, 4 * IN_CAPSULE);
            path = "a CapsuleCmd header announcing " + n + " bytes of in-capsule data";
            host.writeRaw(host.capsuleHeaderBytes(n));
            return expectTermReq(host, FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED, -1);
        }
        if (transport && !toTarget) {
            int n = (int) Math.min(sglLength, MAX_TRANSFER);
            path = "data in by C2HData into a " + n + "-byte buffer";
            count("c2h");
            host.send(null, ByteBuffer.allocate(n));
        } else if (transport && sglLength <= MAX_TRANSFER && r.nextInt(10) != 0) {
            path = sglLength + " bytes out by R2T/H2CData";
            count("r2t");
            host.send(data(payload, (int) sglLength), null);
        } else { // in-capsule data: mostly what the descriptor says, else any length (none if that would get an R2T)
            long icLength = SglDescriptor.isInCapsule(host.sqeBuffer, dptr) ? sglLength : Long.MAX_VALUE;
            int n = icLength <= IN_CAPSULE && r.nextInt(5) != 0 ? (int) icLength
                    : transport ? r.nextInt(1, IN_CAPSULE + 1) : r.nextInt(4) == 0 ? r.nextInt(IN_CAPSULE + 1) : 0;
            path = n == 0 ? "no data" : n + " bytes of in-capsule data";
            count(n == 0 ? "no data" : "in-capsule");
            byte[] header = host.capsuleHeaderBytes(n);
            byte[] pdu = Arrays.copyOf(header, header.length + n);
            data(payload, n).get(pdu, header.length, n);
            host.writeRaw(pdu);
        }
        Completion c = host.await(cid);
        if (c.viaSuccessFlag() && (qid == 0 || !ioNoFlowControl)) {
            return "completed by C2HData SUCCESS although SQ flow control is on: " + c;
        }
        if (connect && c.ok()) {
            return "a Connect on a live queue succeeded: " + c;
        }
        count(c.viaSuccessFlag() ? "by C2H SUCCESS" : c.ok() ? "success" : "error status");
        return null;
    }

    /** A valid write through R2T, answered by an H2CData header whose DATAL disagrees with PLEN or TTAG is wrong. */
    private String badH2cData(SplittableRandom r, boolean wrongDatal, int cid) throws IOException {
        int blocks = r.nextInt(1, 257);
        NvmCommands.write(io.sqe, cid, 1, r.nextLong(NS_BLOCKS - blocks), blocks, r.nextBoolean());
        io.sqe.sglTransportDataBlock(blocks * BLOCK);
        sqeText = describe(io, null);
        io.manualR2t = true;
        io.send(data(null, blocks * BLOCK), null);
        while (io.lastR2t == null && io.pendingCompletions() == 0) {
            io.readSome();
        }
        if (io.lastR2t == null) {
            return "a valid write through R2T completed without an R2T";
        }
        int[] r2t = io.lastR2t; // CCCID, TTAG, R2TO, R2TL
        int n = r2t[3];
        int ttag = wrongDatal ? r2t[1] : (r2t[1] ^ r.nextInt(1, 0x10000));
        int datal = !wrongDatal ? n : r.nextBoolean() ? n + r.nextInt(1, 4096) : r.nextInt(n);
        path = "R2T TTAG " + r2t[1] + " R2TL " + n + " answered by an H2CData header with TTAG " + ttag + ", DATAL "
                + datal + ", PLEN " + (24 + n);
        ByteBuffer h2c = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h2c.put(0, (byte) 0x06).put(1, (byte) PduFlags.LAST_PDU).put(2, (byte) 24).put(3, (byte) 24).putInt(4, 24 + n)
                .putShort(8, (short) r2t[0]).putShort(10, (short) ttag).putInt(12, 0).putInt(16, datal);
        io.writeRaw(h2c.array());
        return expectTermReq(io, FatalErrorStatus.INVALID_PDU_HEADER_FIELD,
                wrongDatal ? H2cDataPdu.DATAL_OFFSET : H2cDataPdu.TTAG_OFFSET);
    }

    private String expectTermReq(NvmeTcpTestClient host, FatalErrorStatus fes, int fei) throws IOException {
        String expected = "a C2HTermReq with FES " + fes + (fei >= 0 ? " FEI " + fei : "");
        if (!host.awaitClose()) {
            return "the connection stayed open for 10 s; expected " + expected;
        }
        if (host.termReqFes != fes.code() || (fei >= 0 && host.termReqFei != fei)) {
            return "expected " + expected + ", got " + (host.termReqFes < 0 ? "a close without a TermReq"
                    : "FES " + host.termReqFes + " FEI " + host.termReqFei);
        }
        count("TermReq");
        return null;
    }

    /** The SQE in hex and its main fields; for Dataset Management also the first ranges sent. */
    private static String describe(NvmeTcpTestClient host, byte[] payload) {
        SubmissionQueueEntryFlyweight sqe = host.sqe;
        ByteBuffer b = host.sqeBuffer;
        int dptr = sqe.dptrIndex();
        StringBuilder text = new StringBuilder(HexFormat.of().formatHex(b.array(), 0, 64)).append(String.format(
                " (OPC %02Xh NSID %08Xh CDW10-13 %08Xh %08Xh %08Xh %08Xh, DPTR type %02Xh address %Xh length %d)",
                sqe.opcode(), sqe.nsid(), sqe.cdw10(), sqe.cdw11(), sqe.cdw12(), sqe.cdw13(),
                SglDescriptor.identifier(b, dptr), SglDescriptor.address(b, dptr), SglDescriptor.length(b, dptr)));
        DsmRangeFlyweight range = new DsmRangeFlyweight();
        int ranges = payload == null || sqe.opcode() != DSM ? 0 : Math.min(NvmCommands.ranges(sqe), payload.length / 16);
        for (int i = 0; i < Math.min(ranges, 4); i++) {
            range.wrap(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN), 0, i);
            text.append(String.format(" [range SLBA %Xh NLB %d]", range.startingLba(), range.blocks()));
        }
        return text.toString();
    }

    /** {@code n} bytes to send: the command's payload (DSM ranges, Connect data) if any, then random bytes. */
    private static ByteBuffer data(byte[] payload, int n) {
        byte[] bytes = payload == null ? PATTERN : Arrays.copyOf(PATTERN, n);
        if (payload != null) {
            System.arraycopy(payload, 0, bytes, 0, Math.min(n, payload.length));
        }
        return ByteBuffer.wrap(bytes, 0, n);
    }

    // ---- generators ----

    /** An admin command of the weighted mix; returns the data it carries to the target, if any. */
    private static byte[] adminCommand(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        int k = r.nextInt(100);
        if (k < 25) {
            AdminCommands.identify(sqe, 0, r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(4), nsid(r),
                    r.nextInt(4) == 0 ? r.nextInt(0x10000) : 0);
        } else if (k < 45) { // Get Log Page: LID, NUMD, LPO (sometimes unaligned, past 128 KiB or any 64 bits), RAE
            long numd = pick(r, r.nextInt(32), r.nextInt(1024), r.nextInt(MAX_TRANSFER / 4 + 2), r.nextInt())
                    & 0xFFFF_FFFFL;
            long lpo = switch (r.nextInt(6)) {
                case 0, 1 -> 0;
                case 2 -> 4L * r.nextInt(256);
                case 3 -> r.nextInt(1024);
                case 4 -> MAX_TRANSFER + 4L * r.nextInt(-2, 3);
                default -> r.nextLong();
            };
            sqe.clear().opcode(0x02).psdt(1).nsid(r.nextBoolean() ? -1 : nsid(r))
                    .cdw10(pick(r, 1, 2, 4, 0x70, r.nextInt(256)) | (r.nextBoolean() ? AdminCommands.RAE_BIT : 0)
                            | (int) numd << 16)
                    .cdw11((int) (numd >>> 16) | (r.nextInt(8) == 0 ? r.nextInt() << 16 : 0))
                    .cdw12((int) lpo).cdw13((int) (lpo >>> 32))
                    .sglTransportDataBlock((int) Math.min((numd + 1) * 4, 0xFFFF_FFFFL));
        } else if (k < 55) {
            AdminCommands.getFeatures(sqe, 0, fid(r), r.nextInt(8));
            sqe.cdw11(r.nextInt(3) == 0 ? r.nextInt() : 0);
        } else if (k < 65) {
            AdminCommands.setFeatures(sqe, 0, fid(r), pick(r, 0, 1, 0xFFFF, 0xFFFF_0000, -1, r.nextInt(256), r.nextInt()),
                    r.nextInt(10) == 0);
        } else if (k < 72) {
            AdminCommands.keepAlive(sqe, 0);
        } else if (k < 77) {
            AdminCommands.abort(sqe, 0, r.nextInt(3), r.nextInt(0x10000));
        } else if (k < 87) {
            return fabrics(r, sqe);
        } else {
            anyOpcode(r, sqe);
        }
        return null;
    }

    /** An I/O command of the weighted mix; returns the data it carries to the target, if any. */
    private static byte[] ioCommand(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        int k = r.nextInt(100);
        int nsid = nsid(r);
        int block = nsid == NS2 ? 4096 : BLOCK;
        long blocks = nsid == NS2 ? NS2_BLOCKS : NS_BLOCKS;
        if (k < 60) { // Read, Write, Write Zeroes: SLBA, NLB, FUA, LR, DEAC
            int opcode = k < 25 ? READ : k < 50 ? WRITE : 0x08;
            long slba = slba(r, blocks);
            int nlb = pick(r, r.nextInt(16), r.nextInt(16), r.nextInt(256), r.nextInt(0x10000));
            int flags = (r.nextBoolean() ? NvmCommands.FUA_BIT : 0) | (r.nextBoolean() ? NvmCommands.DEAC_BIT : 0)
                    | (r.nextInt(4) == 0 ? NvmCommands.LIMITED_RETRY_BIT : 0);
            sqe.clear().opcode(opcode).psdt(1).nsid(nsid).cdw10((int) slba).cdw11((int) (slba >>> 32))
                    .cdw12(nlb | flags).sglNull();
            int bytes = (nlb + 1) * block;
            if (opcode == READ || opcode == WRITE && (bytes > IN_CAPSULE || r.nextBoolean())) {
                sqe.sglTransportDataBlock(bytes);
            } else if (opcode == WRITE) {
                sqe.sglInCapsule(0, bytes);
            }
            return null;
        }
        if (k < 75) { // Dataset Management: 1 to 256 ranges (or Linux's whole 4 KiB), some past 2^63
            int ranges = r.nextInt(3) == 0 ? r.nextInt(1, 257) : r.nextInt(1, 5);
            NvmCommands.datasetManagement(sqe, 0, nsid, ranges, r.nextBoolean());
            sqe.cdw11(r.nextInt(4) == 0 ? r.nextInt() : sqe.cdw11());
            int length = r.nextInt(4) == 0 ? 4096 : ranges * DsmRangeFlyweight.LENGTH;
            SglDescriptor.write(sqe.buffer(), sqe.dptrIndex(), 0, length, r.nextBoolean()
                    ? SglDescriptor.IDENTIFIER_IN_CAPSULE : SglDescriptor.IDENTIFIER_TRANSPORT);
            ByteBuffer data = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            DsmRangeFlyweight range = new DsmRangeFlyweight();
            for (int at = 0; at < length; at += DsmRangeFlyweight.LENGTH) {
                long count = pick(r, 0, 1, 256, r.nextInt(1, 257), -1, r.nextInt()) & 0xFFFF_FFFFL;
                long slba = r.nextInt(40) == 0 ? 0x7FFF_FFFF_FFFF_FFF0L : slba(r, blocks);
                range.wrap(data, at).set(r.nextInt(4) == 0 ? r.nextInt() : 0, slba, count);
            }
            return data.array();
        }
        if (k < 83) {
            NvmCommands.flush(sqe, 0, nsid);
        } else if (k < 88) {
            return fabrics(r, sqe);
        } else {
            anyOpcode(r, sqe);
        }
        return null;
    }

    /** Connect (on a live queue), Property Get/Set or any FCTYPE; {@link #sanitize} keeps CC and Disconnect out. */
    private static byte[] fabrics(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        int k = r.nextInt(4);
        if (k == 0) {
            FabricsCommands.connect(sqe, 0, r.nextInt(3), r.nextInt(130), r.nextInt(3) == 0 ? r.nextInt() : 0,
                    r.nextInt(8));
            ByteBuffer data = ByteBuffer.allocate(ConnectDataFlyweight.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            new ConnectDataFlyweight().wrap(data, 0).set(NvmeTcpTestClient.HOST_ID, r.nextBoolean()
                    ? ConnectDataFlyweight.CNTLID_DYNAMIC : r.nextInt(4), NQN, NvmeTcpTestClient.HOST_NQN);
            return data.array();
        } else if (k == 1) {
            FabricsCommands.propertyGet(sqe, 0, pick(r, 0, 8, CC, 0x1C, 0x20, r.nextInt(256), r.nextInt()),
                    r.nextBoolean());
        } else if (k == 2) {
            FabricsCommands.propertySet(sqe, 0, pick(r, 0, 8, 0x1C, 0x20, r.nextInt()), r.nextBoolean(), r.nextLong());
        } else {
            sqe.clear().opcode(FABRICS).psdt(1).fctype(r.nextInt(256)).sglNull();
            randomDwords(r, sqe);
        }
        return null;
    }

    /** Any opcode (valid ones included) with random command dwords. */
    private static void anyOpcode(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        sqe.clear().opcode(r.nextInt(256)).psdt(1).nsid(nsid(r))
                .sglTransportDataBlock(r.nextBoolean() ? 0 : r.nextInt(1, 4097));
        randomDwords(r, sqe);
    }

    /** Random flags, reserved and PI dwords, a flipped byte, and in one command of six a random SGL descriptor. */
    private static void mutate(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        if (r.nextInt(10) == 0) {
            sqe.flags(r.nextInt(256));
        }
        if (r.nextInt(10) == 0) {
            sqe.cdw2(r.nextInt()).cdw3(r.nextInt()).mptr(r.nextLong());
        }
        if (r.nextInt(8) == 0) {
            sqe.cdw(13 + r.nextInt(3), r.nextInt());
        }
        if (r.nextInt(20) == 0) {
            sqe.buffer().put(sqe.offset() + 4 + r.nextInt(60), (byte) r.nextInt(256));
        }
        if (r.nextInt(6) == 0) { // transport, in-capsule at any offset, or a type a TCP host never sends
            SglDescriptor.write(sqe.buffer(), sqe.dptrIndex(), r.nextInt(3) == 0 ? pick(r, 4, 64, 512, r.nextInt()) : 0,
                    pick(r, 0, r.nextInt(1, 513), r.nextInt(1, IN_CAPSULE + 1), r.nextInt(1, MAX_TRANSFER + 2), -1,
                            r.nextInt()), pick(r, 0x5A, 0x5A, 0x01, 0x01, 0x00, 0x02, 0x10, 0x20, 0x30, 0x40, 0x50,
                            0x5B, r.nextInt(256)));
        }
    }

    /** Keeps what the fuzzer relies on: CC never written, KATO 0, no AER held, no Disconnect it did not model. */
    private static void sanitize(SubmissionQueueEntryFlyweight sqe, int qid) {
        if (sqe.opcode() == FABRICS && sqe.fctype() == 0x00 && FabricsCommands.propertyOffset(sqe) == CC) {
            sqe.cdw11(0x1C); // Property Set OFST: CSTS, read-only
        } else if (sqe.opcode() == FABRICS && sqe.fctype() == 0x08) {
            sqe.fctype(0x04); // Disconnect becomes Property Get
        } else if (qid == 0 && sqe.opcode() == 0x0C) {
            sqe.opcode(0x18); // AER becomes Keep Alive
        } else if (qid == 0 && sqe.opcode() == 0x09 && (sqe.cdw10() & 0xFF) == KATO_FID) {
            sqe.cdw11(0);
        }
    }

    private static void randomDwords(SplittableRandom r, SubmissionQueueEntryFlyweight sqe) {
        for (int n = 10; n <= 15; n++) {
            sqe.cdw(n, r.nextInt(3) == 0 ? 0 : r.nextInt());
        }
    }

    private static int nsid(SplittableRandom r) {
        return pick(r, 1, 1, 1, 1, 1, NS2, NS2, NS2, 0, -1, 2, 0xFFFF_FFFE, r.nextInt());
    }

    private static int fid(SplittableRandom r) {
        return pick(r, 0x07, 0x0B, KATO_FID, 0x01, 0x06, r.nextInt(256));
    }

    /** Mostly inside the namespace; else near its end, near 2^63, near 2^64 - 1, or anything. */
    private static long slba(SplittableRandom r, long blocks) {
        return switch (r.nextInt(15)) {
            case 0 -> blocks - r.nextInt(1, 300);
            case 1 -> blocks + r.nextInt(300);
            case 2 -> Long.MAX_VALUE - r.nextInt(300);
            case 3 -> -1L - r.nextInt(300);
            case 4 -> r.nextLong();
            default -> r.nextLong(blocks);
        };
    }

    private static int pick(SplittableRandom r, int... values) {
        return values[r.nextInt(values.length)];
    }

    // ---- queues, counts, log ----

    /** A new controller (CC.EN, KATO 0) and its I/O queue 1, with SQ flow control disabled every other time. */
    private void connectQueues() throws IOException {
        admin = NvmeTcpTestClient.open(fixture.address);
        int cntlid = admin.connectAndEnable(NQN, 0);
        Completion queues = admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 4, 4), null, null);
        ioNoFlowControl = count("connects") % 2 == 0;
        io = NvmeTcpTestClient.open(fixture.address);
        Completion connect = io.connect(NQN, NvmeTcpTestClient.HOST_NQN, 1, cntlid, 127, 0,
                ioNoFlowControl ? FabricsCommands.CATTR_DISABLE_SQ_FLOW_CONTROL : 0);
        if (!queues.ok() || !connect.ok()) {
            throw new IOException("could not set up a controller: " + queues + ", " + connect);
        }
    }

    private void closeQueues() throws IOException {
        io.close(); // closing the admin queue then tears the controller down
        admin.close();
    }

    private int count(String what) {
        return counts.merge(what, 1, Integer::sum);
    }

    private String drainBadRecords() {
        List<String> records = new ArrayList<>(badRecords);
        badRecords.removeAll(records);
        return records.isEmpty() ? null : records.toString();
    }
}
