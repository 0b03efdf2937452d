package dev.nvmeof.protocol;
final class Placeholder {}
