/**
 * NVMe in-band authentication with DH-HMAC-CHAP (NVM Express Base 2.0, section 8.13 "NVMe over Fabrics In-band
 * Authentication", and the Authentication Send / Receive payloads of TP 8006): secrets in the {@code DHHC-1}
 * representation, the ffdhe groups of RFC 7919, the message codecs, the response computations and the host's and the
 * controller's state machines. Plain Java on the JDK's cryptography (Mac, MessageDigest, KeyAgreement, SecureRandom);
 * nothing here logs, and no message, exception or {@code toString()} ever shows key material.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.nvmeof.protocol.auth;
