package dev.nvmeof.protocol.auth;

import java.util.Optional;

/**
 * The reason code explanations of AUTH_Failure1 and AUTH_Failure2 (NVMe Base 2.0, "DH-HMAC-CHAP failure reason code
 * explanations"; Linux {@code NVME_AUTH_DHCHAP_FAILURE_*}). The reason code itself is always 01h, "Authentication
 * failure" ({@link #REASON_CODE_AUTHENTICATION_FAILURE}).
 */
public enum DhchapFailureReason {
    /** The response did not verify: a wrong secret, or a response to another challenge. */
    FAILED(0x01, "Authentication failed"),
    AUTHENTICATION_PROTOCOL_NOT_USABLE(0x02, "Authentication protocol not usable"),
    SECURE_CHANNEL_CONCATENATION_MISMATCH(0x03, "Secure channel concatenation mismatch"),
    HASH_FUNCTION_NOT_USABLE(0x04, "Hash function not usable"),
    DH_GROUP_NOT_USABLE(0x05, "DH group not usable"),
    INCORRECT_PAYLOAD(0x06, "Incorrect payload"),
    INCORRECT_PROTOCOL_MESSAGE(0x07, "Incorrect protocol message");

    /** The only reason code the specification defines. */
    public static final int REASON_CODE_AUTHENTICATION_FAILURE = 0x01;

    private static final DhchapFailureReason[] BY_CODE = new DhchapFailureReason[8];

    static {
        for (DhchapFailureReason reason : values()) {
            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;
    private final String explanation;

    DhchapFailureReason(int code, String explanation) {
        this.code = code;
        this.explanation = explanation;
    }

    /** The reason code explanation on the wire. */
    public int code() {
        return code;
    }

    /** The name the specification gives the value. */
    public String explanation() {
        return explanation;
    }

    /** The constant for a code, empty for any code the specification does not define. */
    public static Optional<DhchapFailureReason> of(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }
}
