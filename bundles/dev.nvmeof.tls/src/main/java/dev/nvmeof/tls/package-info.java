/**
 * TLS 1.3 with an external pre-shared key, as the NVMe TCP Transport specification (TP 8011) puts it under NVMe/TCP:
 * a {@link dev.nvmeof.tls.TlsChannel} over a non-blocking {@code SocketChannel}, for a host ({@code tcp} transport)
 * and a target. Cipher suites TLS_AES_128_GCM_SHA256 and TLS_AES_256_GCM_SHA384, chosen by the PSK's hash; no
 * certificates, no resumption. The keys and identities come from {@code dev.nvmeof.protocol.tls}. Nothing here
 * logs, and no message, exception or {@code toString()} shows key material.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.tls;
