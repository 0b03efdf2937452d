/** BouncyCastle's TLS peers configured for NVMe/TCP's external PSKs. Not exported. */
package dev.nvmeof.tls.internal;
