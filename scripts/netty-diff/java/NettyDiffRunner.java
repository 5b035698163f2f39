/*
 * The Java runner of the differential test (scripts/netty-diff): runs operation sequences on real
 * Netty and prints one normalised trace per sequence, in the format of scripts/netty-diff/trace.ts.
 *
 * Input: one sequence per line, as scripts/netty-diff/javaRunner.ts encodes it: the sequence's ops,
 * each with the Java signature of its overload ("sig"), the class that declares it ("cls", for an
 * instance method), the handle it creates ("mk") and what it returns ("res": v value, s self,
 * c creates). Output: one trace per line, in input order; output is flushed whenever no more input
 * is waiting, so a caller can send one batch, read its traces and send the next.
 *
 * Methods are found by reflection from the table's signatures, so an operation added to the table
 * needs nothing here. There is no JSON library on these machines: the parser and printer are ours.
 */
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.EmptyByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class NettyDiffRunner {
    public static void main(String[] argv) throws IOException {
        keepFreedDirectMemory();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            String trace;
            try {
                trace = new NettyDiffRunner().run(line);
            } catch (Throwable t) {
                trace = "{\"seed\":0,\"steps\":[],\"fatal\":" + quote("java runner: " + t) + "}";
            }
            out.write(trace);
            out.write('\n');
            if (!in.ready()) out.flush();
        }
        out.flush();
    }

    /**
     * Makes Netty's explicit freeing of direct memory a no-op (PlatformDependent's cleaner becomes
     * its own NOOP cleaner), so the JDK frees it when the ByteBuffer is unreachable. Without this, a
     * ByteBuffer view (nioBuffer(), or a wrapper of one) that outlives its released direct buffer
     * reads freed native memory: garbage, or a JVM crash (SIGSEGV, seen in 10,000-sequence runs).
     * Reference counts, every accessibility and bounds check, and the buffer classes are unchanged:
     * only what freed memory holds differs (the bytes it held, as in the model), which real Netty
     * leaves undefined. Netty's own default (Unsafe on JDK 17) is kept otherwise.
     */
    private static void keepFreedDirectMemory() {
        try {
            Class<?> pd = Class.forName("io.netty.util.internal.PlatformDependent");
            java.lang.reflect.Field cleaner = pd.getDeclaredField("CLEANER");
            java.lang.reflect.Field noop = pd.getDeclaredField("NOOP");
            noop.setAccessible(true);
            java.lang.reflect.Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
            unsafe.putObject(unsafe.staticFieldBase(cleaner), unsafe.staticFieldOffset(cleaner), noop.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("netty-diff: cannot make Netty keep freed direct memory: " + e, e);
        }
    }

    // ---- one sequence -----------------------------------------------------------------------

    private final List<Object> handles = new ArrayList<>();
    private final List<String> last = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private String run(String line) {
        Map<String, Object> seq = (Map<String, Object>) new Json(line).value();
        StringBuilder out = new StringBuilder();
        out.append("{\"seed\":").append(((Number) seq.get("seed")).longValue()).append(",\"steps\":[");
        List<Object> ops = (List<Object>) seq.get("ops");
        for (int i = 0; i < ops.size(); i++) {
            Map<String, Object> op = (Map<String, Object>) ops.get(i);
            if (i > 0) out.append(',');
            out.append("{\"r\":");
            Object made = null;
            String undefined = undefinedInNetty(op);
            if (undefined != null) {
                out.append("{\"u\":").append(quote(undefined)).append('}');
            } else {
                try {
                    Object value = invoke(op);
                    out.append(classify(value, op));
                    if (value instanceof ByteBuf || value instanceof ByteBuffer || value instanceof byte[]) made = value;
                } catch (Throwable t) {
                    out.append(error(t));
                }
            }
            if (op.containsKey("mk")) {
                handles.add(made);
                last.add(null);
            }
            out.append(",\"d\":{");
            boolean first = true;
            for (int k = 0; k < handles.size(); k++) {
                String s = stateOf(handles.get(k));
                if (s != null && !s.equals(last.get(k))) {
                    last.set(k, s);
                    if (!first) out.append(',');
                    first = false;
                    out.append('"').append(k).append("\":").append(quote(s));
                }
            }
            out.append("}}");
        }
        return out.append("]}").toString();
    }

    /** The text of an op that is not run; the same in modelRunner.ts (UNDEFINED_SOURCE_RANGE). */
    static final String UNDEFINED_SOURCE_RANGE =
        "not run: the source range is outside the byte[], which Netty does not check on a direct or composite buffer (Unsafe copies from outside the array)";

    /**
     * Why `op` is not run, or null: setBytes(int, byte[], int, int) and writeBytes(byte[], int, int)
     * on a direct buffer (or a composite, which may hold one) check the buffer's range but not the
     * array's, and copy with Unsafe from outside the array: undefined behaviour, a JVM crash at
     * worst. The model runner skips the same ops.
     */
    @SuppressWarnings("unchecked")
    private String undefinedInNetty(Map<String, Object> op) {
        String name = (String) op.get("op");
        String sig = (String) op.get("sig");
        int at;
        if (name.equals("setBytes") && sig.equals("int,byte[],int,int")) at = 1;
        else if (name.equals("writeBytes") && sig.equals("byte[],int,int")) at = 0;
        else return null;
        int k = ((Number) op.get("on")).intValue();
        Object receiver = k < handles.size() ? handles.get(k) : null;
        List<Object> args = (List<Object>) op.get("args");
        Object array;
        try {
            array = handle(args.get(at));
        } catch (RunnerError e) {
            return null;
        }
        if (!(receiver instanceof ByteBuf) || !(array instanceof byte[])) return null;
        ByteBuf buf = (ByteBuf) receiver;
        long srcIndex = ((Number) args.get(at + 1)).longValue();
        long length = ((Number) args.get(at + 2)).longValue();
        boolean outside = length >= 0 && (srcIndex < 0 || srcIndex + length > ((byte[]) array).length);
        if (!outside) return null;
        // A composite (or a view of one) may hold a direct buffer; isDirect() of a view of a
        // composite added to itself overflows the stack: such a receiver counts as direct.
        return buf instanceof CompositeByteBuf || isDirectOrUnknown(buf) ? UNDEFINED_SOURCE_RANGE : null;
    }

    private static boolean isDirectOrUnknown(ByteBuf buf) {
        try {
            return buf.isDirect();
        } catch (StackOverflowError e) {
            return true;
        }
    }

    /** An error with the same class and text as the TypeScript runner's (see modelRunner.ts). */
    private static final class RunnerError extends RuntimeException {
        final String kind;

        RunnerError(String kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    private Object handle(Object ref) {
        @SuppressWarnings("unchecked")
        int k = ((Number) ((Map<String, Object>) ref).get("h")).intValue();
        Object h = k < handles.size() ? handles.get(k) : null;
        if (h == null) throw new RunnerError("NoHandle", "#" + k + " holds nothing");
        return h;
    }

    @SuppressWarnings("unchecked")
    private Object invoke(Map<String, Object> op) throws Throwable {
        String name = (String) op.get("op");
        String sig = (String) op.get("sig");
        List<Object> args = (List<Object>) op.get("args");
        String[] types = sig.isEmpty() ? new String[0] : sig.split(",");
        if (name.equals("new byte[]")) return unhex((String) args.get(0));
        if (name.equals("Unpooled.EMPTY_BUFFER")) return Unpooled.EMPTY_BUFFER;
        Class<?>[] paramTypes = new Class<?>[types.length];
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            paramTypes[i] = javaClass(types[i]);
            values[i] = operand(types[i], args.get(i));
        }
        Object target;
        Class<?> owner;
        String method;
        if (op.containsKey("on")) {
            int k = ((Number) op.get("on")).intValue();
            target = handle(Map.of("h", k));
            owner = javaClass((String) op.get("cls"));
            if (!owner.isInstance(target)) throw new RunnerError("ClassCastException", "#" + k + " is not a " + owner.getSimpleName());
            method = name;
        } else {
            int dot = name.lastIndexOf('.');
            String ownerName = name.substring(0, dot);
            method = name.substring(dot + 1);
            if (ownerName.equals("UnpooledByteBufAllocator.DEFAULT")) {
                target = UnpooledByteBufAllocator.DEFAULT;
                owner = UnpooledByteBufAllocator.class;
            } else {
                target = null;
                owner = javaClass(ownerName);
            }
        }
        Method m = method(owner, method, sig, paramTypes);
        try {
            return m.invoke(target, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final Map<String, Method> METHODS = new HashMap<>();

    private static Method method(Class<?> owner, String name, String sig, Class<?>[] types) throws NoSuchMethodException {
        String key = owner.getName() + "." + name + "(" + sig + ")";
        Method m = METHODS.get(key);
        if (m == null) {
            m = owner.getMethod(name, types);
            METHODS.put(key, m);
        }
        return m;
    }

    private static Class<?> javaClass(String type) {
        switch (type) {
            case "int": return int.class;
            case "long": return long.class;
            case "boolean": return boolean.class;
            case "byte": return byte.class;
            case "ByteBuf": return ByteBuf.class;
            case "CompositeByteBuf": return CompositeByteBuf.class;
            case "ByteBuffer": return ByteBuffer.class;
            case "byte[]": return byte[].class;
            case "ByteBuf...": return ByteBuf[].class;
            case "ByteBuffer...": return ByteBuffer[].class;
            case "byte[]...": return byte[][].class;
            case "Unpooled": return Unpooled.class;
            default: throw new IllegalArgumentException("unknown Java type " + type);
        }
    }

    @SuppressWarnings("unchecked")
    private Object operand(String type, Object arg) {
        switch (type) {
            case "int": return ((Number) arg).intValue();
            case "long": return Long.parseLong((String) arg);
            case "boolean": return arg;
            case "byte": return (byte) ((Number) arg).intValue();
            case "ByteBuf...":
            case "ByteBuffer...":
            case "byte[]...": {
                List<Object> refs = (List<Object>) arg;
                Class<?> element = javaClass(type).getComponentType();
                Object array = java.lang.reflect.Array.newInstance(element, refs.size());
                for (int i = 0; i < refs.size(); i++) java.lang.reflect.Array.set(array, i, handle(refs.get(i)));
                return array;
            }
            default: return handle(arg);
        }
    }

    // ---- normalisation (trace.ts) -------------------------------------------------------------

    private String classify(Object value, Map<String, Object> op) {
        String res = (String) op.get("res");
        if (res.equals("v")) {
            if (value instanceof ByteBuffer[]) {
                StringBuilder b = new StringBuilder("{\"v\":[");
                ByteBuffer[] all = (ByteBuffer[]) value;
                for (int i = 0; i < all.length; i++) b.append(i > 0 ? "," : "").append(quote(nioState(all[i])));
                return b.append("]}").toString();
            }
            if (value instanceof Boolean) return "{\"v\":" + value + "}";
            return "{\"v\":" + quote(String.valueOf(value)) + "}";
        }
        if (value == null) return "{\"o\":\"null\"}";
        if (value instanceof EmptyByteBuf) return "{\"o\":\"EmptyByteBuf\"}";
        for (int k = 0; k < handles.size(); k++) {
            if (handles.get(k) == value) return "{\"o\":\"#" + k + "\"}";
        }
        return res.equals("c") ? "{\"o\":\"new\"}" : "{\"o\":\"other\"}";
    }

    private static String error(Throwable t) {
        String kind = t instanceof RunnerError ? ((RunnerError) t).kind : t.getClass().getSimpleName();
        String message = t.getMessage() == null ? "" : t.getMessage();
        int nl = message.indexOf('\n');
        if (nl >= 0) message = message.substring(0, nl);
        return "{\"e\":" + quote(kind) + ",\"m\":" + quote(message) + "}";
    }

    private static String stateOf(Object h) {
        if (h == null) return null;
        if (h instanceof byte[]) return hex((byte[]) h);
        if (h instanceof ByteBuffer) return nioState((ByteBuffer) h);
        ByteBuf b = (ByteBuf) h;
        int rc = b.refCnt();
        if (rc == 0) return "released";
        int ri = b.readerIndex();
        int wi = b.writerIndex();
        String content;
        try {
            byte[] bytes = new byte[wi - ri];
            b.getBytes(ri, bytes);
            content = hex(bytes);
        } catch (Throwable t) {
            content = "!" + t.getClass().getSimpleName();
        }
        return rc + " " + ri + " " + wi + " " + b.capacity() + " " + b.maxCapacity() + " " + content;
    }

    private static String nioState(ByteBuffer b) {
        byte[] rest = new byte[b.remaining()];
        b.duplicate().get(rest);
        return b.position() + " " + b.limit() + " " + b.capacity() + " " + hex(rest);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(byte[] bytes) {
        if (bytes.length == 0) return "-";
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 15];
            out[2 * i + 1] = HEX[bytes[i] & 15];
        }
        return new String(out);
    }

    private static byte[] unhex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    // ---- a small JSON parser: objects, arrays, strings, integers, booleans, null ---------------

    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw new IllegalArgumentException("JSON: unexpected '" + c + "' at " + i);
            return Long.parseLong(s.substring(start, i));
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') { i++; return out; }
            while (true) {
                skip();
                String key = string();
                skip();
                expect(':');
                out.put(key, value());
                skip();
                if (s.charAt(i) == ',') { i++; continue; }
                expect('}');
                return out;
            }
        }

        private List<Object> array() {
            List<Object> out = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') { i++; return out; }
            while (true) {
                out.add(value());
                skip();
                if (s.charAt(i) == ',') { i++; continue; }
                expect(']');
                return out;
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("JSON: expected '" + c + "' at " + i);
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
