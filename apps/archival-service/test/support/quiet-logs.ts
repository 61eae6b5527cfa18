// The app's logger level is read when its module is imported: quiet it before any spec imports.
process.env['LOG_LEVEL'] ??= 'error';
