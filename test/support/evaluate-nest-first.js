// Plain JavaScript, loaded by jest before each test file (setupFilesAfterEnv).
// Jest links a test file's whole ES module graph before it evaluates it. A CommonJS package in
// that graph that require()s the ESM-only Nest packages (@nestjs/throttler does) would meet them
// half-linked and fail with "Cannot require() ES Module … in a cycle". Node itself has no such
// problem; evaluating Nest first here is enough for jest.
import '@nestjs/common';
import '@nestjs/core';
