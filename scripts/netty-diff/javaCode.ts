/**
 * Prints a sequence as a Java program against Netty: one statement per op, each in its own
 * try/catch so the program runs on past an exception as the runner does, values printed with the
 * op's number, and every handle's state at the end. Run it with
 * `java -cp /usr/share/java/netty-buffer.jar:/usr/share/java/netty-common.jar Repro.java`
 * (the flag as the runner pins it, see `JVM_FLAGS`).
 * @packageDocumentation
 */
import type { Divergence } from './compare';
import type { ParamKind } from './ops';
import { resolveSequence, type ResolvedOp } from './resolve';
import type { Arg, HandleRef, Sequence } from './sequence';

function javaByteLiterals(hexText: string): string {
  const bytes = Buffer.from(hexText, 'hex');
  if (bytes.length === 0) return 'new byte[0]';
  return `new byte[] {${[...bytes].map((b) => String((b << 24) >> 24)).join(', ')}}`;
}

function operand(kind: ParamKind, arg: Arg): string {
  if (Array.isArray(arg)) return (arg as readonly HandleRef[]).map((r) => `h${r.h}`).join(', ');
  if (typeof arg === 'object') return `h${(arg as HandleRef).h}`;
  if (kind === 'long') return `${arg as string}L`;
  if (kind === 'javaByte') return `(byte) ${arg as number}`;
  if (kind === 'hex') return javaByteLiterals(arg as string);
  return String(arg);
}

function expression(step: ResolvedOp, declared: readonly string[]): string {
  const { op, spec } = step;
  const args = spec.params.map((p, i) => operand(p, op.args[i]!));
  if (spec.name === 'new byte[]') return args[0]!;
  if (spec.name === 'Unpooled.EMPTY_BUFFER') return spec.name;
  if (op.on === undefined) return `${spec.name}(${args.join(', ')})`;
  const receiver = spec.on === 'composite' && declared[op.on] !== 'CompositeByteBuf' ? `((CompositeByteBuf) h${op.on})` : `h${op.on}`;
  return `${receiver}.${spec.name}(${args.join(', ')})`;
}

function statement(step: ResolvedOp, i: number, declared: readonly string[]): string {
  const expr = expression(step, declared);
  if (step.creates !== null) return `h${step.creates} = ${expr};`;
  if (step.spec.result === 'value') {
    return step.spec.name === 'nioBuffers' ? `System.out.println("${i}: " + java.util.Arrays.toString(${expr}));` : `System.out.println("${i}: " + ${expr});`;
  }
  return `${expr};`;
}

/** The Java program of `seq`; with `divergence`, a comment at the op where the model leaves Netty. */
export function javaCode(seq: Sequence, divergence?: Divergence): string {
  const resolved = resolveSequence(seq);
  const declared: string[] = [];
  for (const { spec, creates } of resolved.ops) if (creates !== null) declared[creates] = spec.javaReturn!;
  const lines = [
    'import io.netty.buffer.*;',
    'import java.nio.ByteBuffer;',
    '',
    `/** netty-diff, seed ${seq.seed}; run as the runner runs Netty: java -cp netty-buffer.jar:netty-common.jar Repro.java */`,
    'public class Repro {',
    '    public static void main(String[] args) {',
    ...declared.map((t, k) => `        ${t} h${k} = null;`),
  ];
  resolved.ops.forEach((step, i) => {
    if (divergence !== undefined && divergence.index === i) {
      lines.push(`        // diverges here (${divergence.aspect}): Netty ${divergence.netty}, the model ${divergence.model}`);
    }
    lines.push(`        try { ${statement(step, i, declared)} } catch (RuntimeException e) { System.out.println("${i}: " + e); }`);
  });
  lines.push(
    ...declared.map((_, k) => `        show("h${k}", h${k});`),
    '    }',
    '',
    '    static void show(String name, Object h) {',
    '        if (h instanceof ByteBuf) {',
    '            ByteBuf b = (ByteBuf) h;',
    '            System.out.println(name + ": " + (b.refCnt() == 0 ? "released" : "refCnt " + b.refCnt() + ", " + b + ", maxCapacity " + b.maxCapacity()));',
    '        } else if (h != null) {',
    '            System.out.println(name + ": " + (h instanceof byte[] ? java.util.Arrays.toString((byte[]) h) : h));',
    '        }',
    '    }',
    '}',
  );
  return lines.join('\n') + '\n';
}
