// Kernel message sends chained per socket (lib/notebook/display.ts serializeSends), on real zeromq 6 sockets (the
// library tslab's kernel sends through): a second send while the first is pending throws EBUSY unchained, and is
// delivered after it, in order, once chained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { serializeSends } from '../lib/notebook/display';

/** The zeromq that tslab's kernel loads (a dependency of tslab, not of this project). */
const zmq = require(require.resolve('zeromq', { paths: [path.dirname(require.resolve('tslab'))] })) as typeof import('zeromq');

test('serializeSends: a send while the previous one is pending waits for it instead of throwing EBUSY', async () => {
  const address = (name: string) => `inproc://kernel-sends-${name}-${process.pid}`;
  // Unchained: no peer yet, so the first send stays pending and a second one finds the socket busy.
  const plain = new zmq.Push({ linger: 0 });
  await plain.bind(address('plain'));
  const pending = plain.send('a');
  assert.throws(
    () => void plain.send('b'),
    (e: NodeJS.ErrnoException) => e.code === 'EBUSY',
  );
  plain.close();
  await pending.catch(() => undefined);

  serializeSends([zmq.Push.prototype as unknown as Record<string | symbol, unknown>]);
  serializeSends([zmq.Push.prototype as unknown as Record<string | symbol, unknown>]); // idempotent
  const push = new zmq.Push();
  await push.bind(address('chained'));
  const sent = ['a', 'b', 'c'].map((m) => push.send(m));
  const pull = new zmq.Pull();
  pull.connect(address('chained'));
  await Promise.all(sent);
  const got: string[] = [];
  for (let i = 0; i < 3; i++) got.push(String((await pull.receive())[0]));
  assert.deepEqual(got, ['a', 'b', 'c']);
  push.close();
  pull.close();
});
