package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** A CID is the tag in bits 11:0 and a generation in bits 15:12, as Linux's nvme_cid. */
class CommandIdsTest {

    @Test
    void shouldPutTheTagLowAndTheGenerationHighAndWrapTheGenerationAtSixteen() {
        assertEquals(0x5007, CommandIds.of(7, 5));
        assertEquals(7, CommandIds.tag(0x5007));
        assertEquals(5, CommandIds.generation(0x5007));
        assertEquals(CommandIds.of(7, 0), CommandIds.of(7, 16), "generations wrap");
        assertEquals(0xFFFF, CommandIds.of(CommandIds.TAG_MASK, 15));
        assertNotEquals(CommandIds.of(3, 1), CommandIds.of(3, 2), "the same tag, another command");
    }
}
