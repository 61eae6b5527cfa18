// The app's logger level is read when AppModule is imported; keep test output readable.
process.env['LOG_LEVEL'] ??= 'warn';
