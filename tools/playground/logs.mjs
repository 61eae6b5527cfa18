// The apps log one JSON object per line (pino). In a terminal shared by three apps that is hard
// to read, so the launcher shows each line as `time LEVEL [context] message`, plus the request
// summary for HTTP lines. Anything that is not pino JSON passes through untouched.
// Run an app directly (node dist/apps/<app>/main.js) to see the raw JSON.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

export function formatLogLine(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry.level !== 'number') return line;
  const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 23);
  const context = entry.context ? `[${entry.context}] ` : '';
  let message = entry.msg ?? '';
  if (entry.req && entry.res) {
    const took = entry.responseTime === undefined ? '' : ` (${entry.responseTime} ms)`;
    message = `${entry.req.method} ${entry.req.url} → ${entry.res.statusCode}${took}`;
  }
  const error = entry.err?.stack ?? entry.err?.message;
  return `${time} ${LEVELS[entry.level] ?? entry.level} ${context}${message}${error ? `\n${error}` : ''}`;
}
