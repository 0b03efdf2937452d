package dev.nvmeof.target.internal;

/** Text from the wire (NQNs) made safe to log: no control characters, bounded length. */
final class LogText {
    static final int MAX_LENGTH = 256;

    private LogText() {
    }

    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        int length = Math.min(text.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (text.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.toString();
    }
}
