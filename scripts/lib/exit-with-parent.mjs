// A child started with an IPC channel (stdio 'ipc') learns that its parent died, however it died: the
// channel closes even on `kill -9`, which no signal handler of the parent can catch. Without this, killing
// `npm start` with -9 left the console server running and holding its port.
export function exitWithParent(stop) {
  if (!process.send) return;
  // A parent that died while this process was still starting has already closed the channel, and its
  // 'disconnect' event was emitted before anyone listened: stop now rather than wait for it forever.
  if (!process.connected) {
    stop();
    return;
  }
  process.on('disconnect', stop);
  // The channel must not keep a server that is otherwise done from exiting.
  process.channel?.unref();
}
