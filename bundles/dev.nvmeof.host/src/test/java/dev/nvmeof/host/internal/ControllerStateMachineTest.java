package dev.nvmeof.host.internal;

import dev.nvmeof.api.ControllerState;

import static dev.nvmeof.api.ControllerState.CONNECTING;
import static dev.nvmeof.api.ControllerState.DEAD;
import static dev.nvmeof.api.ControllerState.DELETING;
import static dev.nvmeof.api.ControllerState.LIVE;
import static dev.nvmeof.api.ControllerState.NEW;
import static dev.nvmeof.api.ControllerState.RESETTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControllerStateMachineTest {
    /** The kernel's table (nvme_change_ctrl_state), written out independently of ControllerState. */
    private static final Map<ControllerState, Set<ControllerState>> LEGAL = Map.of(
            NEW, EnumSet.of(CONNECTING),
            CONNECTING, EnumSet.of(LIVE, DELETING),
            LIVE, EnumSet.of(RESETTING, DELETING),
            RESETTING, EnumSet.of(CONNECTING, DELETING),
            DELETING, EnumSet.of(DEAD),
            DEAD, EnumSet.noneOf(ControllerState.class));

    /** A path from NEW to each state, using only legal transitions. */
    private static final Map<ControllerState, List<ControllerState>> PATH = Map.of(
            NEW, List.of(),
            CONNECTING, List.of(CONNECTING),
            LIVE, List.of(CONNECTING, LIVE),
            RESETTING, List.of(CONNECTING, LIVE, RESETTING),
            DELETING, List.of(CONNECTING, DELETING),
            DEAD, List.of(CONNECTING, DELETING, DEAD));

    private final List<String> log = new ArrayList<>();

    private ControllerStateMachine machineIn(ControllerState state) {
        ControllerStateMachine m = new ControllerStateMachine((from, to) -> log.add(from + "->" + to));
        ControllerState at = NEW;
        for (ControllerState next : PATH.get(state)) {
            assertTrue(m.transition(at, next));
            at = next;
        }
        log.clear();
        assertEquals(state, m.state());
        return m;
    }

    static Stream<Arguments> legalPairs() {
        return pairs(true);
    }

    static Stream<Arguments> illegalPairs() {
        return pairs(false);
    }

    private static Stream<Arguments> pairs(boolean legal) {
        List<Arguments> out = new ArrayList<>();
        for (ControllerState from : ControllerState.values()) {
            for (ControllerState to : ControllerState.values()) {
                if (LEGAL.get(from).contains(to) == legal) {
                    out.add(Arguments.of(from, to));
                }
            }
        }
        return out.stream();
    }

    @Test
    void shouldStartInNewWhenCreated() {
        assertEquals(NEW, new ControllerStateMachine(ControllerStateMachine.Listener.NONE).state());
    }

    @Test
    void shouldListTheKernelTableWhenAskedEveryPair() {
        assertEquals(8, legalPairs().count());
        for (ControllerState from : ControllerState.values()) {
            for (ControllerState to : ControllerState.values()) {
                assertEquals(LEGAL.get(from).contains(to), from.canTransitionTo(to), from + " -> " + to);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalPairs")
    void shouldTransitionAndReportWhenPairIsLegal(ControllerState from, ControllerState to) {
        ControllerStateMachine m = machineIn(from);
        assertTrue(m.transition(from, to));
        assertEquals(to, m.state());
        assertEquals(List.of(from + "->" + to), log);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalPairs")
    void shouldChangeToWhenPairIsLegal(ControllerState from, ControllerState to) {
        ControllerStateMachine m = machineIn(from);
        assertTrue(m.changeTo(to));
        assertEquals(to, m.state());
        assertEquals(List.of(from + "->" + to), log);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalPairs")
    void shouldThrowAndStayWhenPairIsNeverLegal(ControllerState from, ControllerState to) {
        ControllerStateMachine m = machineIn(from);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.transition(from, to));
        assertTrue(e.getMessage().contains(from + " -> " + to), e.getMessage());
        assertEquals(from, m.state());
        assertEquals(List.of(), log);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalPairs")
    void shouldRefuseChangeToWhenPairIsNeverLegal(ControllerState from, ControllerState to) {
        ControllerStateMachine m = machineIn(from);
        assertFalse(m.changeTo(to));
        assertEquals(from, m.state());
        assertEquals(List.of(), log);
    }

    @Test
    void shouldReturnFalseWhenStateIsNoLongerFrom() {
        ControllerStateMachine m = machineIn(RESETTING);
        // LIVE -> RESETTING is legal, but the controller already left LIVE: a lost race, not a bug.
        assertFalse(m.transition(LIVE, RESETTING));
        assertFalse(m.transition(LIVE, DELETING));
        assertEquals(RESETTING, m.state());
        assertEquals(List.of(), log);
    }

    @Test
    void shouldRecoverAndDeleteWhenFollowingTheErrorRecoveryFlow() {
        ControllerStateMachine m = machineIn(LIVE);
        assertTrue(m.transition(LIVE, RESETTING));
        assertTrue(m.transition(RESETTING, CONNECTING));
        assertTrue(m.transition(CONNECTING, LIVE));
        assertTrue(m.transition(LIVE, RESETTING));
        assertTrue(m.transition(RESETTING, CONNECTING));
        assertTrue(m.changeTo(DELETING)); // ctrl_loss_tmo passed during an attempt
        assertTrue(m.transition(DELETING, DEAD));
        assertTrue(m.state().isTerminal());
        assertEquals(List.of("LIVE->RESETTING", "RESETTING->CONNECTING", "CONNECTING->LIVE", "LIVE->RESETTING",
                "RESETTING->CONNECTING", "CONNECTING->DELETING", "DELETING->DEAD"), log);
    }

    @Test
    void shouldCallOnlyDeletingAndDeadTerminalWhenAskedEveryState() {
        for (ControllerState s : ControllerState.values()) {
            assertEquals(s == DELETING || s == DEAD, s.isTerminal(), s.name());
        }
    }

    @Test
    void shouldLetExactlyOneThreadStartRecoveryWhenTwoRaceFromLive() throws Exception {
        for (int round = 0; round < 200; round++) {
            List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());
            ControllerStateMachine m = new ControllerStateMachine((from, to) -> changes.add(from + "->" + to));
            m.transition(NEW, CONNECTING);
            m.transition(CONNECTING, LIVE);
            changes.clear();
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    results.add(pool.submit(() -> {
                        ready.countDown();
                        assertTrue(go.await(10, TimeUnit.SECONDS));
                        return m.transition(LIVE, RESETTING);
                    }));
                }
                assertTrue(ready.await(10, TimeUnit.SECONDS));
                go.countDown();
                int wins = 0;
                for (Future<Boolean> r : results) {
                    wins += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, wins, "round " + round);
                assertEquals(RESETTING, m.state());
                assertEquals(List.of("LIVE->RESETTING"), changes);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void shouldLetExactlyOneWinWhenRecoveryRacesDelete() throws Exception {
        for (int round = 0; round < 200; round++) {
            ControllerStateMachine m = machineIn(LIVE);
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Boolean> reset = pool.submit(() -> {
                    ready.countDown();
                    assertTrue(go.await(10, TimeUnit.SECONDS));
                    return m.transition(LIVE, RESETTING);
                });
                Future<Boolean> delete = pool.submit(() -> {
                    ready.countDown();
                    assertTrue(go.await(10, TimeUnit.SECONDS));
                    return m.transition(LIVE, DELETING);
                });
                assertTrue(ready.await(10, TimeUnit.SECONDS));
                go.countDown();
                boolean resetWon = reset.get(10, TimeUnit.SECONDS);
                boolean deleteWon = delete.get(10, TimeUnit.SECONDS);
                assertTrue(resetWon ^ deleteWon, "round " + round);
                assertEquals(resetWon ? RESETTING : DELETING, m.state());
                // Whoever lost, delete still goes through from RESETTING, as nvme_delete_ctrl does.
                if (resetWon) {
                    assertTrue(m.changeTo(DELETING));
                }
                assertEquals(DELETING, m.state());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
