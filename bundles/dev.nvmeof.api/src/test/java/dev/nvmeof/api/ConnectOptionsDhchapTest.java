package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DH-HMAC-CHAP options: checked like the kernel parses them, and never shown. */
class ConnectOptionsDhchapTest {

    private static final String BASE = "transport=tcp,traddr=127.0.0.1,nqn=testnqn";
    /** nvme-cli 2.3: {@code nvme gen-dhchap-key --secret=000102..1f --hmac=0}. */
    private static final String HOST_KEY = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";
    private static final String HOST_KEY_BODY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh";
    /** nvme-cli 2.3: {@code nvme gen-dhchap-key --secret=000102..1f --hmac=1 --nqn=<uuid 1 NQN>}. */
    private static final String CTRL_KEY = "DHHC-1:01:bHuByyp0b3RFSx1xQPMVO1HKmUWfzveoahfydpW4fNgSLMVm:";

    @Test
    void shouldRoundTripSecretsButHideThemInToString() throws Exception {
        ConnectOptions options = ConnectOptions.parse(BASE + ",dhchap_secret=" + HOST_KEY + ",dhchap_ctrl_secret="
                + CTRL_KEY);

        assertEquals(HOST_KEY, options.dhchapSecret());
        assertEquals(CTRL_KEY, options.dhchapCtrlSecret());
        assertEquals(options, ConnectOptions.parse(options.toFabricsString()));
        assertTrue(options.toFabricsString().contains(HOST_KEY));
        assertEquals(BASE + ",dhchap_secret=<hidden>,dhchap_ctrl_secret=<hidden>", options.toString());
        assertTrue(options.given().containsAll(Set.of("dhchap_secret", "dhchap_ctrl_secret")));
        new OptionPolicy("tcp", Set.of("traddr"), Set.of("traddr")).check(options);
    }

    @Test
    void shouldBuildSecretsWithTheBuilder() throws Exception {
        ConnectOptions options = ConnectOptions.builder().transport("tcp").traddr("127.0.0.1").nqn("testnqn")
                .dhchapSecret(HOST_KEY).build();

        assertEquals(HOST_KEY, options.dhchapSecret());
        assertNull(options.dhchapCtrlSecret());
    }

    @Test
    void shouldNameTheOptionAndNeverTheSecretWhenASecretIsInvalid() {
        String badCrc = HOST_KEY.replace("KfiaR", "KfiaS");
        String[][] cases = {
            {"dhchap_secret=" + badCrc, "dhchap_secret", "CRC-32"},
            {"dhchap_secret=DHHC-1:07:" + HOST_KEY_BODY + "==:", "dhchap_secret", "hash id"},
            {"dhchap_ctrl_secret=" + HOST_KEY.replace("AAEC", "A*EC"), "dhchap_ctrl_secret", "base64"},
            {"dhchap_ctrl_secret=" + HOST_KEY, "dhchap_ctrl_secret", "needs dhchap_secret"},
        };
        for (String[] c : cases) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class,
                    () -> ConnectOptions.parse(BASE + "," + c[0]), c[0]);
            assertEquals(c[1], e.option());
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
            assertFalse(e.getMessage().contains(HOST_KEY_BODY), e.getMessage());
            assertFalse(e.getMessage().contains("A*EC"), e.getMessage());
        }
    }

    @Test
    void shouldHideSecretWhenConfigurationGivesAWrongType() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ConnectOptions.parse(Map.of(
                "transport", "tcp", "traddr", "127.0.0.1", "nqn", "testnqn", "dhchap_secret",
                HOST_KEY.toCharArray())));

        assertEquals("dhchap_secret", e.option());
        assertTrue(e.getMessage().contains("<hidden>"), e.getMessage());
    }
}
