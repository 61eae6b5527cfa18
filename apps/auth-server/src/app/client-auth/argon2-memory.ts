/**
 * Imported before `@node-rs/argon2` (see secret-hasher.ts). That native module brings its own
 * allocator, mimalloc, which by default keeps freed memory committed until the thread that freed
 * it allocates again ("purge delay", 10 ms, but only checked on that thread's next allocation).
 * Each argon2id check takes a 19 MiB buffer on a libuv threadpool thread, and a thread that then
 * idles keeps its 19 MiB resident forever: four threads, ~60-80 MB of RSS for nothing (issue 10,
 * point 10: idle RSS 188 → 128 MB with this). A purge delay of 0 returns the buffer to the OS
 * when it is freed, for ~1 ms more per check; checks are rare (successes are cached, failures
 * throttled, ADR 0007).
 *
 * mimalloc reads its options from the C environment once, when the library is loaded; Node's
 * `process.env` assignment writes that environment (setenv), so setting it here, before the
 * first `require('@node-rs/argon2')`, is enough. An operator's own setting wins.
 */
process.env['MIMALLOC_PURGE_DELAY'] ??= '0';

export {};
