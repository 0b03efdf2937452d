/**
 * The pre-shared keys of NVMe/TCP with TLS 1.3 (NVMe TCP Transport Specification, section 3.6 "Transport Layer
 * Security", from TP 8011): the {@code NVMeTLSkey-1} PSK interchange format, the retained PSK, the PSK identities
 * {@code NVMe0R<hh>} and {@code NVMe1R<hh>} and the TLS PSK, all derived with HKDF as libnvme derives them (and the
 * older libnvme derivation, for peers configured with it). Plain Java on the JDK's {@code Mac}; no TLS handshake here.
 * Nothing here logs, and no message, exception or {@code toString()} ever shows key material.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.protocol.tls;
