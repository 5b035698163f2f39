// A TypeScript target in an app without tsx: the CLI must say to install it (check.ts runs it).
import { defineTarget } from 'bytebuf-leak-harness/scenarios';

export default defineTarget({ name: 'app-channel', channel: 'bbawc', versions: {} });
