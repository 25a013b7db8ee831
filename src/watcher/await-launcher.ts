// A watcher started early (`--await-launcher`): it waits on stdin for the launcher's go, sent once spec.json is
// complete; the end of stdin without it (the launch failed, or the launcher died) means there is no instance.
/** What the launcher writes when the instance is handed over. */
const GO = 'go\n';

// Resolve true on the launcher's go, false when stdin ends (or fails) first. Stdin is then left paused and unref'd,
// never closed: fd 0 stays taken, so no file or socket the watcher opens later can land on it.
export function awaitLauncher(input: typeof process.stdin = process.stdin): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (go: boolean): void => {
      input.removeAllListeners('data');
      input.pause();
      (input as { unref?: () => void }).unref?.();
      resolve(go);
    };
    input.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.length >= GO.length) finish(text.startsWith(GO));
    });
    input.once('end', () => finish(false));
    input.once('error', () => finish(false));
  });
}
