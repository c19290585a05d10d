// A child started with an IPC channel (stdio 'ipc') learns that its parent died, however it died: the
// channel closes even on `kill -9`, which no signal handler of the parent can catch. Without this, killing
// `npm start` with -9 left the console server running and holding its port.
export function exitWithParent(stop) {
  if (!process.send) return;
  process.on('disconnect', stop);
  // The channel must not keep a server that is otherwise done from exiting.
  process.channel?.unref();
}
