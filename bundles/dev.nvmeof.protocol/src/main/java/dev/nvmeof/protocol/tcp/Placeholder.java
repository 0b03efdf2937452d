package dev.nvmeof.protocol.tcp;
final class Placeholder {}
