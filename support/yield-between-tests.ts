// A setup file for every vitest config here. Vitest runs a file's synchronous tests back to back without returning
// to the event loop, so the worker reads no reply from the main process meanwhile; past 60 s its pending RPC call
// fails the run with "[vitest-worker]: Timeout calling onTaskUpdate" although every test passed. One turn of the
// event loop (setImmediate runs after the I/O poll) before each test lets the replies in.
import { beforeEach } from 'vitest';

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
