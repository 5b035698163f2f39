/**
 * The operation table: every factory and operation the differential test drives, by Netty's name
 * and Java signature. One entry is one Java overload; the generator, both runners and the Java code
 * printer read only this table, so an operation added here is generated, run on Netty and on the
 * model, and printed, with nothing else to change.
 * @packageDocumentation
 */

/** What a handle holds, as the table knows it before any run. */
export type HandleType = 'buf' | 'composite' | 'nio' | 'array';

/** What an operand is, for the generator; each maps to one Java parameter type. */
export type ParamKind =
  | 'index' // an index into a buffer: mostly small, sometimes negative or huge
  | 'length' // a length to read or view: as an index
  | 'size' // a capacity or a count of bytes to allocate: small or negative, never huge (memory)
  | 'count' // a retain/release count
  | 'byteValue' // a byte as ByteBuf takes it (Java int)
  | 'javaByte' // a byte as ByteBuffer takes it (Java byte)
  | 'short'
  | 'medium'
  | 'int'
  | 'long'
  | 'bool'
  | 'maxComponents'
  | 'hex' // the bytes of a byte-array literal
  | 'buf'
  | 'nio'
  | 'array'
  | 'bufs' // ByteBuf... with 2 to 4 elements
  | 'nios' // ByteBuffer... with 2 to 4 elements
  | 'arrays' // byte[]... with 2 to 4 elements
  | 'bufList'; // ByteBuf... with 1 to 3 elements

/** Each operand kind's Java parameter type. */
export const JAVA_TYPE: Readonly<Record<ParamKind, string>> = {
  index: 'int',
  length: 'int',
  size: 'int',
  count: 'int',
  byteValue: 'int',
  javaByte: 'byte',
  short: 'int',
  medium: 'int',
  int: 'int',
  long: 'long',
  bool: 'boolean',
  maxComponents: 'int',
  hex: 'hex',
  buf: 'ByteBuf',
  nio: 'ByteBuffer',
  array: 'byte[]',
  bufs: 'ByteBuf...',
  nios: 'ByteBuffer...',
  arrays: 'byte[]...',
  bufList: 'ByteBuf...',
};

/** The receiver of an instance method: a ByteBuf (composites included), a composite, a ByteBuffer. */
export type ReceiverType = 'buf' | 'composite' | 'nio';

/** One overload. */
export interface OpSpec {
  /** The op's name in a sequence: the method's name, or `Class.method` for a static factory. */
  readonly name: string;
  /** The receiver's type; absent for static factories. */
  readonly on?: ReceiverType;
  readonly params: readonly ParamKind[];
  /** `value`: a primitive (or an array of ByteBuffers); `self`: the method returns its receiver; else the type of the handle it creates. */
  readonly result: 'value' | 'self' | HandleType;
  /** The Java type a created handle is declared with in printed code. */
  readonly javaReturn?: 'ByteBuf' | 'CompositeByteBuf' | 'ByteBuffer' | 'byte[]';
  /** Relative frequency in generated sequences. */
  readonly weight: number;
  /** The Java parameter types, comma-separated: what the Java runner resolves the method by. */
  readonly javaSig: string;
  /** `name(javaSig)`, with `ByteBuffer#` before a ByteBuffer method: how reports name the overload. */
  readonly label: string;
}

type Draft = Omit<OpSpec, 'javaSig' | 'label'>;

function finish(d: Draft): OpSpec {
  const javaSig = d.params.map((p) => JAVA_TYPE[p]).join(',');
  const prefix = d.on === 'nio' ? 'ByteBuffer#' : '';
  return { ...d, javaSig, label: `${prefix}${d.name}(${javaSig})` };
}

const drafts: Draft[] = [];
function add(name: string, on: ReceiverType | undefined, params: ParamKind[], result: OpSpec['result'], weight: number, javaReturn?: OpSpec['javaReturn']): void {
  const d: Draft = { name, params, result, weight };
  drafts.push({ ...d, ...(on === undefined ? {} : { on }), ...(javaReturn === undefined ? {} : { javaReturn }) });
}

// ---- factories ------------------------------------------------------------------------------
add('new byte[]', undefined, ['hex'], 'array', 6, 'byte[]');
for (const f of ['Unpooled.buffer', 'Unpooled.directBuffer']) {
  add(f, undefined, [], 'buf', 1, 'ByteBuf');
  add(f, undefined, ['size'], 'buf', 4, 'ByteBuf');
  add(f, undefined, ['size', 'size'], 'buf', 3, 'ByteBuf');
}
add('Unpooled.wrappedBuffer', undefined, ['array'], 'buf', 3, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['array', 'index', 'length'], 'buf', 2, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['nio'], 'buf', 2, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['buf'], 'buf', 2, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['bufs'], 'composite', 3, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['nios'], 'composite', 2, 'ByteBuf');
add('Unpooled.wrappedBuffer', undefined, ['arrays'], 'composite', 2, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['array'], 'buf', 1, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['nio'], 'buf', 1, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['buf'], 'buf', 1, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['bufs'], 'buf', 1, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['nios'], 'buf', 1, 'ByteBuf');
add('Unpooled.copiedBuffer', undefined, ['arrays'], 'buf', 1, 'ByteBuf');
add('Unpooled.compositeBuffer', undefined, [], 'composite', 2, 'CompositeByteBuf');
add('Unpooled.compositeBuffer', undefined, ['maxComponents'], 'composite', 2, 'CompositeByteBuf');
add('Unpooled.EMPTY_BUFFER', undefined, [], 'buf', 1, 'ByteBuf');
for (const m of ['buffer', 'heapBuffer', 'directBuffer']) {
  add(`UnpooledByteBufAllocator.DEFAULT.${m}`, undefined, [], 'buf', 0.3, 'ByteBuf');
  add(`UnpooledByteBufAllocator.DEFAULT.${m}`, undefined, ['size'], 'buf', 0.5, 'ByteBuf');
  add(`UnpooledByteBufAllocator.DEFAULT.${m}`, undefined, ['size', 'size'], 'buf', 0.5, 'ByteBuf');
}
for (const m of ['compositeBuffer', 'compositeHeapBuffer', 'compositeDirectBuffer']) {
  add(`UnpooledByteBufAllocator.DEFAULT.${m}`, undefined, [], 'composite', 0.3, 'CompositeByteBuf');
  add(`UnpooledByteBufAllocator.DEFAULT.${m}`, undefined, ['maxComponents'], 'composite', 0.3, 'CompositeByteBuf');
}
add('ByteBuffer.allocate', undefined, ['size'], 'nio', 2, 'ByteBuffer');
add('ByteBuffer.allocateDirect', undefined, ['size'], 'nio', 1, 'ByteBuffer');
add('ByteBuffer.wrap', undefined, ['array'], 'nio', 2, 'ByteBuffer');
add('ByteBuffer.wrap', undefined, ['array', 'index', 'length'], 'nio', 1, 'ByteBuffer');
add('UnpooledByteBufAllocator.DEFAULT.isDirectBufferPooled', undefined, [], 'value', 0.05);

// ---- ByteBuf: reference count -----------------------------------------------------------------
add('refCnt', 'buf', [], 'value', 1);
add('retain', 'buf', [], 'self', 4);
add('retain', 'buf', ['count'], 'self', 2);
add('release', 'buf', [], 'value', 7);
add('release', 'buf', ['count'], 'value', 2);
add('touch', 'buf', [], 'self', 0.5);

// ---- ByteBuf: indices and capacity --------------------------------------------------------------
for (const m of ['readerIndex', 'writerIndex']) {
  add(m, 'buf', [], 'value', 0.5);
  add(m, 'buf', ['index'], 'self', 2);
}
add('setIndex', 'buf', ['index', 'index'], 'self', 1.5);
for (const m of ['readableBytes', 'writableBytes', 'maxWritableBytes', 'capacity', 'maxCapacity', 'isDirect', 'isReadOnly', 'nioBufferCount']) {
  add(m, 'buf', [], 'value', 0.4);
}
add('isReadable', 'buf', [], 'value', 0.4);
add('isReadable', 'buf', ['length'], 'value', 0.4);
add('isWritable', 'buf', [], 'value', 0.4);
add('isWritable', 'buf', ['length'], 'value', 0.4);
add('clear', 'buf', [], 'self', 1);
add('ensureWritable', 'buf', ['size'], 'self', 2);
add('capacity', 'buf', ['size'], 'self', 1.5);
add('discardReadBytes', 'buf', [], 'self', 1.5);

// ---- ByteBuf: single bytes, bulk bytes -----------------------------------------------------------
add('getByte', 'buf', ['index'], 'value', 1.5);
add('getUnsignedByte', 'buf', ['index'], 'value', 1);
add('setByte', 'buf', ['index', 'byteValue'], 'self', 2);
add('readByte', 'buf', [], 'value', 2);
add('readUnsignedByte', 'buf', [], 'value', 1);
add('writeByte', 'buf', ['byteValue'], 'self', 4);
add('getBytes', 'buf', ['index', 'array'], 'self', 1);
add('getBytes', 'buf', ['index', 'array', 'index', 'length'], 'self', 1);
add('getBytes', 'buf', ['index', 'nio'], 'self', 1);
add('setBytes', 'buf', ['index', 'array'], 'self', 1);
add('setBytes', 'buf', ['index', 'array', 'index', 'length'], 'self', 1);
add('setBytes', 'buf', ['index', 'nio'], 'self', 1);
add('readBytes', 'buf', ['length'], 'buf', 4, 'ByteBuf');
add('readBytes', 'buf', ['array'], 'self', 1);
add('readBytes', 'buf', ['array', 'index', 'length'], 'self', 1);
add('readBytes', 'buf', ['nio'], 'self', 1);
add('readBytes', 'buf', ['buf'], 'self', 1);
add('readBytes', 'buf', ['buf', 'length'], 'self', 1);
add('writeBytes', 'buf', ['array'], 'self', 4);
add('writeBytes', 'buf', ['array', 'index', 'length'], 'self', 1);
add('writeBytes', 'buf', ['nio'], 'self', 1.5);
add('writeBytes', 'buf', ['buf'], 'self', 2);
add('writeBytes', 'buf', ['buf', 'length'], 'self', 1);
add('skipBytes', 'buf', ['length'], 'self', 1.5);
add('writeZero', 'buf', ['size'], 'self', 1.5);

// ---- ByteBuf: multi-byte accessors (big- and little-endian, signed and unsigned) -------------------
const WIDTHS: Array<[string, ParamKind]> = [['Short', 'short'], ['Medium', 'medium'], ['Int', 'int'], ['Long', 'long']];
for (const [w, kind] of WIDTHS) {
  for (const le of ['', 'LE']) {
    add(`read${w}${le}`, 'buf', [], 'value', 0.5);
    add(`get${w}${le}`, 'buf', ['index'], 'value', 0.4);
    add(`set${w}${le}`, 'buf', ['index', kind], 'self', 0.4);
    add(`write${w}${le}`, 'buf', [kind], 'self', 0.6);
    if (w !== 'Long') {
      add(`readUnsigned${w}${le}`, 'buf', [], 'value', 0.3);
      add(`getUnsigned${w}${le}`, 'buf', ['index'], 'value', 0.3);
    }
  }
}

// ---- ByteBuf: views and copies --------------------------------------------------------------------
add('slice', 'buf', [], 'buf', 2, 'ByteBuf');
add('slice', 'buf', ['index', 'length'], 'buf', 2, 'ByteBuf');
add('duplicate', 'buf', [], 'buf', 1.5, 'ByteBuf');
add('retainedSlice', 'buf', [], 'buf', 1.5, 'ByteBuf');
add('retainedSlice', 'buf', ['index', 'length'], 'buf', 1.5, 'ByteBuf');
add('retainedDuplicate', 'buf', [], 'buf', 1.5, 'ByteBuf');
add('readSlice', 'buf', ['length'], 'buf', 1.5, 'ByteBuf');
add('readRetainedSlice', 'buf', ['length'], 'buf', 1.5, 'ByteBuf');
add('asReadOnly', 'buf', [], 'buf', 2, 'ByteBuf');
add('copy', 'buf', [], 'buf', 1, 'ByteBuf');
add('copy', 'buf', ['index', 'length'], 'buf', 1, 'ByteBuf');
add('unwrap', 'buf', [], 'buf', 0.5, 'ByteBuf');
add('nioBuffer', 'buf', [], 'nio', 1, 'ByteBuffer');
add('nioBuffer', 'buf', ['index', 'length'], 'nio', 0.5, 'ByteBuffer');
add('nioBuffers', 'buf', [], 'value', 0.5);
add('nioBuffers', 'buf', ['index', 'length'], 'value', 0.5);

// ---- CompositeByteBuf -----------------------------------------------------------------------------
add('addComponent', 'composite', ['buf'], 'self', 4);
add('addComponent', 'composite', ['bool', 'buf'], 'self', 4);
add('addComponent', 'composite', ['index', 'buf'], 'self', 2);
add('addComponents', 'composite', ['bool', 'bufList'], 'self', 2);
add('removeComponent', 'composite', ['index'], 'self', 1.5);
add('component', 'composite', ['index'], 'buf', 1, 'ByteBuf');
add('consolidate', 'composite', [], 'self', 1);
add('numComponents', 'composite', [], 'value', 0.5);
add('maxNumComponents', 'composite', [], 'value', 0.5);

// ---- java.nio.ByteBuffer --------------------------------------------------------------------------
for (const m of ['position', 'limit']) {
  add(m, 'nio', [], 'value', 0.3);
  add(m, 'nio', ['index'], 'self', 1);
}
for (const m of ['capacity', 'remaining', 'hasRemaining', 'isDirect', 'isReadOnly', 'hasArray']) add(m, 'nio', [], 'value', 0.2);
for (const m of ['flip', 'clear', 'rewind', 'mark', 'reset', 'compact']) add(m, 'nio', [], 'self', 0.6);
add('array', 'nio', [], 'array', 0.3, 'byte[]');
add('arrayOffset', 'nio', [], 'value', 0.2);
add('get', 'nio', [], 'value', 0.6);
add('get', 'nio', ['index'], 'value', 0.4);
add('get', 'nio', ['array'], 'self', 0.4);
add('get', 'nio', ['array', 'index', 'length'], 'self', 0.3);
add('put', 'nio', ['javaByte'], 'self', 1);
add('put', 'nio', ['index', 'javaByte'], 'self', 0.5);
add('put', 'nio', ['array'], 'self', 0.6);
add('put', 'nio', ['array', 'index', 'length'], 'self', 0.3);
add('put', 'nio', ['nio'], 'self', 0.3);
add('slice', 'nio', [], 'nio', 0.4, 'ByteBuffer');
add('slice', 'nio', ['index', 'length'], 'nio', 0.3, 'ByteBuffer');
add('duplicate', 'nio', [], 'nio', 0.4, 'ByteBuffer');
add('asReadOnlyBuffer', 'nio', [], 'nio', 0.4, 'ByteBuffer');

/** Every overload the test drives. */
export const OPS: readonly OpSpec[] = drafts.map(finish);

/** The handle types a receiver or operand of `kind` accepts. */
export function accepts(kind: ReceiverType | ParamKind, type: HandleType): boolean {
  switch (kind) {
    case 'buf':
    case 'bufs':
    case 'bufList':
      return type === 'buf' || type === 'composite';
    case 'composite':
      return type === 'composite';
    case 'nio':
    case 'nios':
      return type === 'nio';
    case 'array':
    case 'arrays':
      return type === 'array';
    default:
      return false;
  }
}
