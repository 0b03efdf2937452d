package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoopChoiceTest {

    @Test
    void shouldTakeTheLoopWithFewestIoQueuesAndTakeTurnsAmongEquals() {
        int[] ioQueues = {1, 0, 1};
        for (int turn = 0; turn < 6; turn++) {
            assertEquals(1, LoopChoice.fewestIoQueues(turn, 3, i -> ioQueues[i]), "turn " + turn);
        }
        int[] equal = {2, 2, 2};
        for (int turn = -3; turn < 6; turn++) {
            assertEquals(Math.floorMod(turn, 3), LoopChoice.fewestIoQueues(turn, 3, i -> equal[i]), "turn " + turn);
        }
        assertEquals(0, LoopChoice.fewestIoQueues(7, 1, i -> 5), "one loop");
    }
}
