/**
 * The resources check in the sanitizer core, without a runner: where a resource is blamed (the
 * file's hooks, a test's late work), what a per-kind opt-out hides, and the switch that turns the
 * check off. Private sessions, as in session.test.ts; every resource opened here is closed before
 * the test ends, so the jest sanitizer around these tests stays clean.
 */
import { once } from 'node:events';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatOutcome, inScope, RESOURCE_OPT_OUT_HINT, SanitizerSession, USUAL_FIXES } from '../../../harness/sanitizer';

const sessions: SanitizerSession[] = [];
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

function session(resources = true): SanitizerSession {
  const s = new SanitizerSession({ testFile: __filename, options: { quiesceMs: 1000, resources } });
  sessions.push(s);
  return s;
}

async function listen(): Promise<net.Server> {
  const server = net.createServer();
  servers.push(server);
  server.listen(0);
  await once(server, 'listening');
  return server;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) if (server.listening) await new Promise((r) => server.close(r));
});

test('a server left open by the file hooks fails the file, not a test', async () => {
  const s = session();
  await inScope(listen, s.file)();
  const run = s.startTest('clean');
  expect((await s.finishTest(run)).outcome?.verdict).toBe('clean');
  const { outcomes } = await s.finishFile();
  expect(outcomes[0]!.when).toBe('file-hooks');
  expect(outcomes[0]!.resources.map((r) => [r.kind, r.label])).toEqual([['server', 'server (TCPSERVERWRAP)']]);
  // Only a resource: its own hint and the resource opt-out, not the buffer fixes.
  const outcome = outcomes[0]!;
  if (outcome.verdict !== 'leaked') throw new Error(`expected a leaked outcome, got ${outcome.verdict}`);
  const message = formatOutcome(outcome);
  expect(message).not.toContain(USUAL_FIXES);
  expect(message.split('\n').slice(-2)).toEqual([expect.stringContaining("If this is intended: leakSanitizer.optOut('<reason>')"), RESOURCE_OPT_OUT_HINT]);
});

test("a server the test's work opens after its check is a late finding under the test's name", async () => {
  const s = session();
  const run = s.startTest('opens late');
  inScope(() => {
    // Due after the bound (1000 ms): not waited for, and its timer is opted out of.
    s.optOut('the timer is how this test opens late', ['timers']);
    setTimeout(() => void listen(), 1200);
  }, run)();
  const check = await s.finishTest(run);
  expect([check.outcome?.verdict, check.outcome?.resources]).toEqual(['clean', []]);
  await sleep(1300);
  const { outcomes } = await s.finishFile();
  const late = outcomes.find((o) => o.when === 'after-test');
  expect(late?.testName).toBe('opens late');
  expect(late?.resources.map((r) => r.kind)).toEqual(['server']);
});

test('a per-kind opt-out hides that kind only, and counts what it hid', async () => {
  const s = session();
  const run = s.startTest('two kinds');
  await inScope(async () => {
    s.optOut('kept on purpose', ['resources:server']);
    await listen();
    const socket = net.connect((servers[0]!.address() as net.AddressInfo).port);
    await once(socket, 'connect');
    sockets.push(socket);
  }, run)();
  const { outcome } = await s.finishTest(run);
  expect(outcome?.verdict).toBe('leaked');
  // The client socket, and the socket the server accepted for it (no frame of the test's: the server's site).
  expect(outcome?.resources.map((r) => r.label)).toEqual(['socket (TCPWRAP)', 'socket (TCPWRAP, made by the server created at the site below)']);
  expect(outcome?.resources[1]!.createdAt[0]?.fn).toBe('listen');
  expect(outcome?.suppressed.resources).toBe(1);
});

test('with resources off nothing is recorded', async () => {
  const s = session(false);
  const run = s.startTest('off');
  await inScope(listen, run)();
  const { outcome } = await s.finishTest(run);
  expect([outcome?.verdict, outcome?.resources, outcome?.suppressed.resources]).toEqual(['clean', [], 0]);
});
