package dev.nvmeof.shell.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The shell tests' common ground: a fresh {@link ShellFixture} for each test, in a folder of its own. */
abstract class ShellSessionTest {
    @TempDir
    Path dir;
    ShellFixture shell;

    @BeforeEach
    void startShell() throws Exception {
        shell = new ShellFixture(dir);
    }

    @AfterEach
    void stopShell() {
        shell.close();
    }
}
