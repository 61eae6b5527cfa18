// Preloaded into every app the launcher starts (`node --require …`): the launcher keeps an IPC
// channel open to each app, and the channel closes when the launcher dies, even by SIGKILL.
// The app then stops itself with SIGTERM, i.e. through its own graceful shutdown, instead of
// running on as an orphan. App code knows nothing about this.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
