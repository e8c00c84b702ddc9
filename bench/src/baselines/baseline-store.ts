// The store a baseline (HTTP, Unix socket, in-process) serves: opened with the IPC server's
// commit policy, so the baselines compare with it on transport alone. A put with no other put
// outstanding commits in place; one among others is batched with them (the Unix-socket server
// also holds the puts of one chunk of requests with commitTogether, as the IPC server holds a
// pass's; HTTP requests and in-process calls come one per event turn, with no such pass).
import { openStore, type Store } from '@pluresdb-ipc/store';

/**
 * Opens the store at `path` with durability `'process'` and the server's commit policy. The
 * result is the store itself but for `putJson`, which counts puts in flight for the policy;
 * close it through the result too.
 */
export async function openBaselineStore(path: string): Promise<Store> {
  const nothingWaiting = () => true;
  let puts = 0;
  const store = await openStore({ path, durability: 'process' });
  const putJson = (key: string, json: Uint8Array) => {
    puts++;
    // Alone, through commitTogether told that nothing waits: in place when no write is pending.
    const issued =
      puts === 1
        ? store.commitTogether(() => store.putJson(key, json), nothingWaiting)
        : store.putJson(key, json);
    return issued.finally(() => {
      puts--;
    });
  };
  // Methods are bound to the store itself: its private fields reject any other receiver.
  return new Proxy(store, {
    get(target, property) {
      if (property === 'putJson') return putJson;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
