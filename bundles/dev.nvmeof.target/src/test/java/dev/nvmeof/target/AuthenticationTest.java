package dev.nvmeof.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapFailure;
import dev.nvmeof.protocol.auth.DhchapFailureReason;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapHost;
import dev.nvmeof.protocol.auth.DhchapMessage;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/** DH-HMAC-CHAP on the target, driven by the protocol's DhchapHost over a raw NVMe/TCP client. */
class AuthenticationTest {
    private static final String SECURE = "secure";
    private static final int SCT_COMMAND_SPECIFIC = 1;
    private static final int AUTHENTICATION_REQUIRED = 0x91;
    private static final int CONNECT_INVALID_HOST = 0x84;

    private final SecureRandom random = new SecureRandom();
    private final DhchapSecret hostSecret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_384), 48, random);
    private final DhchapSecret controllerSecret = DhchapSecret.generate(Optional.empty(), 32, random);
    private TargetFixture fixture;

    @BeforeEach
    void start() throws Exception {
        SubsystemAuthentication auth = SubsystemAuthentication.required(Map.of(NvmeTcpTestClient.HOST_NQN,
                new SubsystemAuthentication.HostSecrets(hostSecret.format(), controllerSecret.format())))
                .withAlgorithms(List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048));
        fixture = new TargetFixture(TargetOptions.defaults().withEventLoops(2), SubsystemConfig.of(SECURE,
                NamespaceConfig.ram(1, 1 << 20, 512)).withAuthentication(auth));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldRequireAuthenticationAndRefuseEverythingElseUntilItSucceeds() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        NvmeTcpTestClient.Completion connect = admin.connect(SECURE, 0, 0xFFFF, 31, 0);

        assertTrue(connect.ok(), connect.toString());
        assertTrue(ConnectResponse.isAuthenticationRequired(connect.dw0()), "AUTHREQ.ATR");
        assertAuthenticationRequired(admin.propertyGet(ControllerProperty.CAP));

        authenticate(admin, Optional.of(controllerSecret));

        assertTrue(admin.propertyGet(ControllerProperty.CAP).ok());
    }

    @Test
    void shouldReauthenticateWhenTheHostStartsANewTransaction() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        admin.connect(SECURE, 0, 0xFFFF, 31, 0);
        authenticate(admin, Optional.of(controllerSecret));

        authenticate(admin, Optional.empty());

        assertTrue(admin.propertyGet(ControllerProperty.CAP).ok());
    }

    @Test
    void shouldAnswerFailure1AndKeepRefusingWhenTheHostSecretIsWrong() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        admin.connect(SECURE, 0, 0xFFFF, 31, 0);
        DhchapHost host = new DhchapHost(DhchapSecret.generate(Optional.empty(), 48, random), Optional.empty(),
                NvmeTcpTestClient.HOST_NQN, SECURE, List.of(DhchapHash.values()), List.of(DhGroup.values()), random);

        send(admin, host.negotiate(1));
        byte[] challenge = receive(admin);
        send(admin, host.onChallenge(challenge, challenge.length));
        DhchapMessage answer = DhchapMessage.decode(receive(admin));

        assertEquals(Optional.of(DhchapFailureReason.FAILED), ((DhchapFailure) answer).reason());
        assertAuthenticationRequired(admin.propertyGet(ControllerProperty.CAP));
    }

    @Test
    void shouldRefuseAHostOfferingOnlyWeakerHashesOrGroupsThanThePolicy() throws Exception {
        // The subsystem accepts SHA-384 with ffdhe2048 only: a host offering SHA-256, or no DH exchange, is refused.
        assertNegotiationRefused(List.of(DhchapHash.SHA_256), List.of(DhGroup.values()),
                DhchapFailureReason.HASH_FUNCTION_NOT_USABLE);
        assertNegotiationRefused(List.of(DhchapHash.values()), List.of(DhGroup.NULL),
                DhchapFailureReason.DH_GROUP_NOT_USABLE);
    }

    private void assertNegotiationRefused(List<DhchapHash> hashes, List<DhGroup> groups, DhchapFailureReason reason)
            throws Exception {
        DhchapHost host = new DhchapHost(hostSecret, Optional.empty(), NvmeTcpTestClient.HOST_NQN, SECURE, hashes,
                groups, random);
        try (NvmeTcpTestClient admin = fixture.open()) {
            admin.connect(SECURE, 0, 0xFFFF, 31, 0);

            send(admin, host.negotiate(1));
            DhchapMessage answer = DhchapMessage.decode(receive(admin));

            assertEquals(Optional.of(reason), ((DhchapFailure) answer).reason());
            assertAuthenticationRequired(admin.propertyGet(ControllerProperty.CAP));
        }
    }

    @Test
    void shouldFailTheQueueWhenAReplyIsReplayedAfterSuccess() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        admin.connect(SECURE, 0, 0xFFFF, 31, 0);
        byte[] reply = authenticate(admin, Optional.empty());

        send(admin, reply);

        DhchapFailure failure = (DhchapFailure) DhchapMessage.decode(receive(admin));
        assertEquals(Optional.of(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE), failure.reason());
        assertAuthenticationRequired(admin.propertyGet(ControllerProperty.CAP));
    }

    @Test
    void shouldRefuseConnectOfAHostWithoutSecretsWhenRequired() throws Exception {
        NvmeTcpTestClient.Completion c = fixture.open().connect(SECURE, "nqn.2024-01.dev.nvmeof:stranger", 0,
                0xFFFF, 31, 0, 0);

        assertEquals(SCT_COMMAND_SPECIFIC, c.sct());
        assertEquals(CONNECT_INVALID_HOST, c.sc());
    }

    @Test
    void shouldRefuseAuthenticationSendWithAnotherSecurityProtocol() throws Exception {
        NvmeTcpTestClient admin = fixture.open();
        admin.connect(SECURE, 0, 0xFFFF, 31, 0);
        byte[] negotiate = new DhchapHost(hostSecret, Optional.empty(), NvmeTcpTestClient.HOST_NQN, SECURE,
                List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048), random).negotiate(1);

        NvmeTcpTestClient.Completion c = admin.command(sqe -> {
            FabricsCommands.authenticationSend(sqe, 0, negotiate.length);
            sqe.buffer().put(sqe.offset() + FabricsCommands.SECP_OFFSET, (byte) 0xEA);
        }, ByteBuffer.wrap(negotiate), null);

        assertFalse(c.ok());
        assertEquals(0, c.sct());
        assertEquals(0x02, c.sc(), "Invalid Field in Command");
    }

    /** A whole transaction; returns the reply it sent. */
    private byte[] authenticate(NvmeTcpTestClient queue, Optional<DhchapSecret> ctrl) throws Exception {
        DhchapHost host = new DhchapHost(hostSecret, ctrl, NvmeTcpTestClient.HOST_NQN, SECURE,
                List.of(DhchapHash.values()), List.of(DhGroup.values()), random);
        send(queue, host.negotiate(1));
        byte[] challenge = receive(queue);
        byte[] reply = host.onChallenge(challenge, challenge.length);
        send(queue, reply);
        byte[] success1 = receive(queue);
        Optional<byte[]> success2 = host.onSuccess1(success1, success1.length);
        if (success2.isPresent()) {
            send(queue, success2.get());
        }
        assertEquals(DhchapHost.State.AUTHENTICATED, host.state());
        assertEquals(Optional.of(DhGroup.FFDHE2048), host.group());
        return reply;
    }

    private static void send(NvmeTcpTestClient queue, byte[] payload) throws Exception {
        NvmeTcpTestClient.Completion c = queue.command(sqe -> FabricsCommands.authenticationSend(sqe, 0,
                payload.length), ByteBuffer.wrap(payload), null);
        assertTrue(c.ok(), c.toString());
    }

    private static byte[] receive(NvmeTcpTestClient queue) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        NvmeTcpTestClient.Completion c = queue.command(sqe -> FabricsCommands.authenticationReceive(sqe, 0, 4096),
                null, in);
        assertTrue(c.ok(), c.toString());
        return in.array();
    }

    private static void assertAuthenticationRequired(NvmeTcpTestClient.Completion c) {
        assertEquals(SCT_COMMAND_SPECIFIC, c.sct(), c.toString());
        assertEquals(AUTHENTICATION_REQUIRED, c.sc(), c.toString());
        assertTrue(c.dnr());
    }
}
