package dev.nvmeof.shell.internal;

import java.io.PrintStream;

/** Bytes as nvme-cli's {@code d()} prints them: 16 per row, offset, hex, and the printable characters. */
final class HexDump {
    private HexDump() {
    }

    static void print(PrintStream out, byte[] data, int length) {
        out.println("       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f");
        for (int row = 0; row < length; row += 16) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = row; i < row + 16 && i < length; i++) {
                hex.append(String.format(" %02x", data[i] & 0xFF));
                char c = (char) (data[i] & 0xFF);
                text.append(c >= 0x20 && c < 0x7F ? c : '.');
            }
            out.printf("%04x:%-48s \"%s\"%n", row, hex, text);
        }
    }
}
