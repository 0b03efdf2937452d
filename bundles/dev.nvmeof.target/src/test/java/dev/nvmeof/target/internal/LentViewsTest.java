package dev.nvmeof.target.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** Lent views are reused once given back, per piece of memory, and always show the range asked for. */
class LentViewsTest {
    @Test
    void shouldReuseAViewGivenBackForTheSameMemoryAndMakeAnotherWhileItIsOut() {
        ByteBuffer memory = ByteBuffer.allocateDirect(1 << 16);
        ByteBuffer other = ByteBuffer.allocateDirect(1 << 16);
        LentViews views = new LentViews();

        LentViews.Lent first = views.take(memory, 4096, 512);
        LentViews.Lent second = views.take(memory, 0, 4096);
        assertNotSame(first, second, "a view still out is not handed out again");
        assertEquals(4096, first.view.position());
        assertEquals(4096 + 512, first.view.limit());

        views.give(first);
        LentViews.Lent third = views.take(other, 8192, 100);
        assertNotSame(first, third, "views of other memory are other views");
        LentViews.Lent again = views.take(memory, 100, 200);
        assertSame(first, again, "given back, then reused");
        assertEquals(100, again.view.position());
        assertEquals(300, again.view.limit());
        assertSame(memory, again.memory);
    }
}
